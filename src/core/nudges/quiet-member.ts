/**
 * The quiet-member nudge: a member with no pairing answer, vote, RSVP or tip for 8 weeks gets one
 * friendly DM with the next meeting and a one-click pause; at most once a month, never while they or
 * the network are paused, at the network's time of day in the member's own zone, outside quiet hours.
 * Each DM is made once across processes by claiming (network, 'quiet-member', member:due).
 */
import { formatDateTime, formatLongDate, translator } from '../../messages/i18n.js';
import { actions, button, context, type Message, section } from '../../messages/model.js';
import type { RequestContext } from '../context.js';
import type { Reply } from '../inputs.js';
import type { Store, StoreTx } from '../ports.js';
import { addDays, localDateOf, nextAllowedMinute, parseClockTime, resolveLocal } from '../schedule/quiet-hours.js';
import type { Locale, Network } from '../types.js';
import type { QuietCandidate } from './ports.js';

const DAY = 86_400_000;
export const QUIET_AFTER_DAYS = 56;
export const NUDGE_EVERY_DAYS = 30;
export const QUIET_PAUSE_DAYS = 30;
/** Action: pause the member for a month (value: the network id). */
export const QUIET_PAUSE = 'nudge.quiet.pause';

function validZone(zone: string | null): zone is string {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The member's zone when known (and valid), else the network's. */
export const memberZone = (c: Pick<QuietCandidate, 'timezone'>, network: Network): string =>
  validZone(c.timezone) ? c.timezone : network.timezone;

/** When this member's next quiet-member DM goes out, if they stay quiet. */
export function quietDueAt(c: QuietCandidate, network: Network): Date {
  let from = c.lastActivity.getTime() + QUIET_AFTER_DAYS * DAY;
  if (c.lastNudgedAt) from = Math.max(from, c.lastNudgedAt.getTime() + NUDGE_EVERY_DAYS * DAY);
  // After a network pause: not before it ends (then at the usual minute, not at midnight).
  if (network.pausedUntil) from = Math.max(from, network.pausedUntil.getTime());
  const zone = memberZone(c, network);
  const minutes = parseClockTime(network.time);
  const date = localDateOf(from, zone);
  let at = resolveLocal(zone, date, minutes);
  if (at.getTime() < from) at = resolveLocal(zone, addDays(date, 1), minutes);
  return nextAllowedMinute(at, zone, network.quietHours);
}

export function quietMessage(
  locale: Locale,
  zone: string,
  name: string,
  network: Network,
  meeting: { title: string; startsAt: Date } | null,
): Message {
  const t = translator(locale);
  const text = t('nudge.quiet.text', { name, network: network.name });
  const meetingLine = meeting
    ? t('nudge.quiet.meeting', { title: meeting.title, when: formatDateTime(meeting.startsAt, locale, zone) })
    : t('nudge.quiet.noMeeting');
  return {
    text,
    blocks: [
      section(text),
      section(meetingLine),
      context(t('nudge.quiet.pauseHint')),
      actions(button(t('nudge.quiet.pause'), QUIET_PAUSE, network.id)),
    ],
  };
}

async function networksOf(store: Store, candidates: QuietCandidate[]): Promise<Map<string, Network>> {
  const ids = new Map(candidates.map((c) => [c.networkId, c.installationId]));
  const out = new Map<string, Network>();
  await store.transaction(async (tx) => {
    for (const [networkId, installationId] of ids) {
      const network = await tx.networks.get(installationId, networkId);
      if (network) out.set(networkId, network);
    }
  });
  return out;
}

/** Sends one due DM; false when another process did, or the network changed meanwhile. */
async function nudgeOne(tx: StoreTx, c: QuietCandidate, due: Date, now: Date, workerId: string): Promise<boolean> {
  const network = await tx.networks.get(c.installationId, c.networkId);
  if (network?.state !== 'active') return false;
  if (network.nudges['quiet-member'] === false) return false;
  if (network.pausedUntil && network.pausedUntil > now) return false;
  const membership = await tx.members.getMembership(c.installationId, c.networkId, c.memberId);
  if (!membership || membership.status === 'left') return false;
  if (membership.pausedUntil ? membership.pausedUntil > now : membership.status === 'paused') return false;
  const slot = `${c.memberId}:${due.toISOString()}`;
  const won = await tx.jobClaims.claim({
    installationId: c.installationId,
    networkId: c.networkId,
    kind: 'quiet-member',
    slot,
    outcome: 'run',
    claimedBy: workerId,
    at: now,
  });
  if (!won) return false;
  const member = await tx.members.get(c.installationId, c.memberId);
  if (!member) return false;
  const zone = memberZone(c, network);
  const meeting = await tx.nudges.nextMeeting(c.installationId, c.networkId, now);
  await tx.outbox.enqueue({
    installationId: c.installationId,
    networkId: c.networkId,
    key: `quiet-member:${c.networkId}:${slot}`,
    target: { kind: 'user', memberId: c.memberId },
    message: quietMessage(c.locale ?? network.locale, zone, member.displayName, network, meeting),
  });
  return true;
}

export const quietMemberNudges = {
  name: 'quiet-member',
  async run({ now, store, workerId }: { now: Date; store: Store; workerId: string }): Promise<number> {
    const quietBefore = new Date(now.getTime() - QUIET_AFTER_DAYS * DAY);
    const candidates = await store.transaction((tx) => tx.nudges.quietCandidates(now, quietBefore));
    if (candidates.length === 0) return 0;
    const networks = await networksOf(store, candidates);
    let sent = 0;
    for (const c of candidates) {
      const network = networks.get(c.networkId);
      if (!network) continue;
      let due: Date;
      try {
        due = quietDueAt(c, network);
      } catch {
        continue;
      }
      if (due > now) continue;
      if (await store.transaction((tx) => nudgeOne(tx, c, due, now, workerId))) sent++;
    }
    return sent;
  },
  async nextDueAt(after: Date, store: Store): Promise<Date | null> {
    const candidates = await store.transaction((tx) => tx.nudges.quietCandidates(after));
    const networks = await networksOf(store, candidates);
    let best: Date | null = null;
    for (const c of candidates) {
      const network = networks.get(c.networkId);
      if (!network) continue;
      try {
        const due = quietDueAt(c, network);
        if (due > after && (!best || due < best)) best = due;
      } catch {
        // A broken setting on one network must not stop the others.
      }
    }
    return best;
  },
};

/** The one-click pause from the quiet-member DM: a month off pairing and nudges, then as before. */
export async function pauseFromQuietNudge(ctx: RequestContext, networkId: string, now: Date): Promise<Reply> {
  const network = await ctx.tx.networks.get(ctx.installation.id, networkId);
  if (!network) return ctx.reply('error.expired');
  const membership = await ctx.tx.members.getMembership(ctx.installation.id, network.id, ctx.member.id);
  if (!membership || membership.status === 'left') return ctx.reply('error.expired');
  const until = new Date(now.getTime() + QUIET_PAUSE_DAYS * DAY);
  await ctx.tx.members.pauseMembership(ctx.installation.id, network.id, ctx.member.id, until, now);
  const zone = ctx.member.timezone && validZone(ctx.member.timezone) ? ctx.member.timezone : network.timezone;
  return {
    kind: 'update',
    message: ctx.message('nudge.quiet.paused', { until: formatLongDate(until, ctx.locale, zone) }),
  };
}
