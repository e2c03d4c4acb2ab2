/**
 * Votes: yes / if need be / no per option, a second click changes the vote. A vote commits in a
 * short transaction; the poll's message is rendered in a second one (see renderAfterVote).
 */
import type { RequestContext } from '../context.js';
import type { Reply } from '../inputs.js';
import type { StoreTx } from '../ports.js';
import { UUID } from './ids.js';
import type { Choice, PollRecord } from './ports.js';
import { pollSnapshot, queuePollUpdate, viewOf } from './refresh.js';
import { CODE_CHOICE, pollMessage } from './render.js';

/** A poll still takes votes: open and before its deadline. */
export const acceptsVotes = (poll: PollRecord, now: Date) =>
  poll.state === 'open' && (poll.deadline === null || poll.deadline.getTime() > now.getTime());

/**
 * A click on yes / if need be / no: stores the vote and bumps the poll's version. The version bump
 * takes the poll's row lock as late as possible, so the vote transaction holds it only for its
 * last statement; the channel message is rendered afterwards by `renderAfterVote`.
 */
export async function votePoll(ctx: RequestContext, value: string, now: Date): Promise<Reply> {
  const [pollId = '', pos = '', code = ''] = value.split(':');
  const choice: Choice | undefined = CODE_CHOICE[code];
  const position = Number(pos);
  if (!UUID.test(pollId) || !choice || !Number.isInteger(position)) return ctx.reply('error.expired');
  const before = await ctx.tx.polls.get(ctx.installation.id, pollId);
  if (!before) return ctx.reply('poll.gone');
  if (!acceptsVotes(before, now)) return ctx.reply('poll.closedForVotes', { title: before.title });
  const option = (await ctx.tx.polls.options(ctx.installation.id, pollId)).find((o) => o.position === position);
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
  return { kind: 'none' };
}

/** The poll a vote action is about, when its value is well formed. */
export function votedPollId(value: string): string | null {
  const id = value.split(':')[0] ?? '';
  return UUID.test(id) ? id : null;
}

/**
 * After a vote committed: renders the poll and queues the coalesced update, in its own
 * transaction. When another transaction holds the poll's row, this one does nothing: the holder is
 * either a render that started after this vote committed (it shows it), or a vote whose own render
 * follows. So the last render always sees every committed vote.
 */
export async function renderAfterVote(
  tx: StoreTx,
  installationId: string,
  pollId: string,
  now: Date,
): Promise<boolean> {
  // What does not change with votes is read before the lock, so the locked part stays short.
  const before = await tx.polls.get(installationId, pollId);
  if (!before || before.state === 'finalized') return false;
  const network = await tx.networks.get(installationId, before.networkId);
  if (!network) return false;
  const snapshot = await pollSnapshot(tx, network, before);
  const poll = await tx.polls.tryLock(installationId, pollId);
  if (!poll || poll.state === 'finalized') return false;
  const view = await viewOf(tx, network, poll, snapshot, now);
  await queuePollUpdate(tx, network, poll, pollMessage(view), now, snapshot.ref);
  return true;
}
