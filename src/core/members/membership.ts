/** `join`, `leave`, `pause <until>`, `resume`: a member's own say in pairing. */
import { DateTime } from 'luxon';
import { formatLongDate } from '../../messages/i18n.js';
import type { Until } from '../commands/types.js';
import type { RequestContext } from '../context.js';
import type { Reply } from '../inputs.js';
import { rematchAfterLeaving } from '../rounds/leaver.js';

const MAX_PAUSE_DAYS = 366;

/** When a pause ends, in the network's zone: a date means "from the start of that day". */
export function resolveUntil(until: Until, now: Date, timezone: string): Date {
  const today = DateTime.fromJSDate(now, { zone: timezone }).startOf('day');
  if (until.kind === 'duration') return today.plus({ days: until.days }).toJSDate();
  const d = until.date;
  return DateTime.fromObject({ year: d.year, month: d.month, day: d.day }, { zone: timezone })
    .startOf('day')
    .toJSDate();
}

export async function joinCommand(ctx: RequestContext, now: Date): Promise<Reply> {
  const network = ctx.network;
  if (!network) return ctx.reply('error.noNetwork');
  // An explicit join from someone Klik was asked to forget starts fresh: roster syncs see them again.
  await ctx.tx.privacy.unforget(ctx.installation.id, ctx.member.platformUserId);
  const current = await ctx.tx.members.getMembership(ctx.installation.id, network.id, ctx.member.id);
  const needsOptIn = network.pool === 'opt-in' && !current?.optedIn;
  if (current?.status === 'active' && !needsOptIn) return ctx.reply('member.alreadyJoined');
  await ctx.tx.members.setMembership(ctx.installation.id, network.id, ctx.member.id, 'active', now);
  await ctx.tx.members.setOptedIn(ctx.installation.id, network.id, ctx.member.id, true);
  return ctx.reply('member.joined');
}

export async function leaveCommand(ctx: RequestContext, now: Date): Promise<Reply> {
  const network = ctx.network;
  if (!network) return ctx.reply('error.noNetwork');
  await ctx.tx.members.setMembership(ctx.installation.id, network.id, ctx.member.id, 'left', now);
  await ctx.tx.members.setOptedIn(ctx.installation.id, network.id, ctx.member.id, false);
  await rematchAfterLeaving(ctx.tx, network, ctx.member, now);
  return ctx.reply('member.left');
}

export async function pauseCommand(ctx: RequestContext, until: Until, now: Date): Promise<Reply> {
  const network = ctx.network;
  if (!network) return ctx.reply('error.noNetwork');
  const end = resolveUntil(until, now, network.timezone);
  if (end <= now) return ctx.reply('member.pastDate');
  if (end.getTime() - now.getTime() > MAX_PAUSE_DAYS * 86_400_000) return ctx.reply('member.tooFar');
  await ctx.tx.members.pauseMembership(ctx.installation.id, network.id, ctx.member.id, end, now);
  return ctx.reply('member.paused', { until: formatLongDate(end, ctx.locale, network.timezone) });
}

export async function resumeCommand(ctx: RequestContext, now: Date): Promise<Reply> {
  const network = ctx.network;
  if (!network) return ctx.reply('error.noNetwork');
  await ctx.tx.members.setMembership(ctx.installation.id, network.id, ctx.member.id, 'active', now);
  return ctx.reply('member.resumed');
}

/** The "take part again" button (after a pause for unanswered check-ins). */
export async function resumeMember(ctx: RequestContext, networkId: string, now: Date): Promise<Reply> {
  const network = await ctx.tx.networks.get(ctx.installation.id, networkId);
  if (!network) return ctx.reply('error.expired');
  await ctx.tx.members.setMembership(ctx.installation.id, network.id, ctx.member.id, 'active', now);
  return { kind: 'update', message: ctx.message('member.resumed') };
}
