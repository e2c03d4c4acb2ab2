/**
 * Closing a poll (its creator or a coordinator; the deadline sweep closes it too) and finalizing
 * it: one tap on a date plans the meeting (createMeetingFromPoll, votes carried over).
 */
import { isCoordinator, type RequestContext } from '../context.js';
import type { Reply } from '../inputs.js';
import { createMeetingFromPoll } from '../meetings/from-poll.js';
import type { Network } from '../types.js';
import { UUID } from './ids.js';
import type { PollRecord } from './ports.js';
import { refreshPoll } from './refresh.js';
import { labelOf } from './render.js';

/** The poll, its network and whether this member may close or finalize it. */
async function manageable(
  ctx: RequestContext,
  pollId: string,
): Promise<{ poll: PollRecord; network: Network } | { reply: Reply }> {
  if (!UUID.test(pollId)) return { reply: ctx.reply('error.expired') };
  const poll = await ctx.tx.polls.lock(ctx.installation.id, pollId);
  if (!poll) return { reply: ctx.reply('poll.gone') };
  const network = await ctx.tx.networks.get(ctx.installation.id, poll.networkId);
  if (!network) return { reply: ctx.reply('poll.gone') };
  if (poll.createdBy !== ctx.member.id && !(await isCoordinator(ctx, network)))
    return { reply: ctx.reply('poll.notYours') };
  return { poll, network };
}

/** The close button: creator or coordinator. */
export async function closePollAction(ctx: RequestContext, pollId: string, now: Date): Promise<Reply> {
  const found = await manageable(ctx, pollId);
  if ('reply' in found) return found.reply;
  const { poll, network } = found;
  if (poll.state !== 'open') return ctx.reply('poll.alreadyClosed');
  await ctx.tx.polls.close(ctx.installation.id, poll.id, now);
  await refreshPoll(ctx.tx, network, { ...poll, state: 'closed', closedAt: now }, now);
  return ctx.reply('poll.closedByYou');
}

/** The finalize button on a closed poll: creator or coordinator picks the date. */
export async function finalizePoll(ctx: RequestContext, value: string, now: Date): Promise<Reply> {
  const [pollId = '', pos = ''] = value.split(':');
  const found = await manageable(ctx, pollId);
  if ('reply' in found) return found.reply;
  const { poll, network } = found;
  if (poll.state === 'finalized') return ctx.reply('poll.alreadyFinalized');
  if (poll.state !== 'closed') return ctx.reply('poll.closeFirst');
  const option = (await ctx.tx.polls.options(ctx.installation.id, poll.id)).find((o) => o.position === Number(pos));
  if (!option) return ctx.reply('error.expired');
  const votes = (await ctx.tx.polls.votes(ctx.installation.id, poll.id)).filter((v) => v.optionId === option.id);
  const made = await createMeetingFromPoll(ctx, {
    pollId: poll.id,
    title: poll.title,
    startsAt: option.startsAt,
    allDayDate: option.time === null ? option.date : null,
    votes: votes.map((v) => ({ memberId: v.memberId, choice: v.choice })),
    now,
    networkId: network.id,
    ...(poll.createdBy ? { createdBy: poll.createdBy } : {}),
  });
  await ctx.tx.polls.finalize(ctx.installation.id, poll.id, made.meetingId, now);
  const finalized: PollRecord = { ...poll, state: 'finalized', finalizedAt: now, meetingId: made.meetingId };
  await refreshPoll(ctx.tx, network, finalized, now, option.id);
  const view = { locale: ctx.locale, timezone: network.timezone, now };
  return ctx.reply('poll.finalizedByYou', { option: labelOf(view, option) });
}
