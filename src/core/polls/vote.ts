/**
 * Votes: yes / if need be / no per option, a second click changes the vote. A vote is a short
 * transaction; the poll's message is rendered when its update is sent (queueLivePollUpdate).
 */
import type { RequestContext } from '../context.js';
import type { Reply } from '../inputs.js';
import { UUID } from './ids.js';
import type { Choice, PollRecord } from './ports.js';
import { queueLivePollUpdate } from './refresh.js';
import { CODE_CHOICE } from './render.js';

/** A poll still takes votes: open and before its deadline. */
export const acceptsVotes = (poll: PollRecord, now: Date) =>
  poll.state === 'open' && (poll.deadline === null || poll.deadline.getTime() > now.getTime());

/**
 * A click on yes / if need be / no: stores the vote, bumps the poll's version and queues a live
 * update of the poll's post, in one transaction. The version bump takes the poll's row lock as late
 * as possible, so the transaction holds it only for its last statements.
 */
export async function votePoll(ctx: RequestContext, value: string, now: Date): Promise<Reply> {
  const [pollId = '', pos = '', code = ''] = value.split(':');
  const choice: Choice | undefined = CODE_CHOICE[code];
  const position = Number(pos);
  if (!UUID.test(pollId) || !choice || !Number.isInteger(position)) return ctx.reply('error.expired');
  const found = await ctx.tx.polls.withOption(ctx.installation.id, pollId, position);
  if (!found) return ctx.reply('poll.gone');
  const { poll: before, option } = found;
  if (!acceptsVotes(before, now)) return ctx.reply('poll.closedForVotes', { title: before.title });
  if (!option) return ctx.reply('error.expired');
  // Takes the row lock (and waits for a render or a close holding it); null once voting closed.
  const poll = await ctx.tx.polls.bumpOpen(ctx.installation.id, pollId, now);
  if (!poll) return ctx.reply('poll.closedForVotes', { title: before.title });
  await ctx.tx.polls.upsertVote(ctx.installation.id, poll.id, {
    optionId: option.id,
    memberId: ctx.member.id,
    choice,
    updatedAt: now,
  });
  await queueLivePollUpdate(ctx.tx, poll, now);
  return { kind: 'none' };
}
