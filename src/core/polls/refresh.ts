/**
 * Renders a poll from the store and queues its channel message. Updates are coalesced: one outbox
 * row per poll per second (`poll:<id>:u:<epochSecond>`, sent at the end of its second), whose
 * message later changes replace while it is still pending. A vote queues a live update instead,
 * rendered when it is sent (queueLivePollUpdate), so a busy poll renders once a second, not once a
 * vote.
 */
import { translator } from '../../messages/i18n.js';
import type { Message } from '../../messages/model.js';
import type { OutboxTarget, StoreTx } from '../ports.js';
import type { Network } from '../types.js';
import { pollPostKey } from './ids.js';
import type { PollRecord } from './ports.js';
import { type PollView, pollMessage } from './render.js';

/** How many later buckets to try when the current one was already claimed by a dispatcher. */
const BUCKET_TRIES = 5;

/** Everything the poll's message shows, read from the store as it is now. */
export async function pollView(
  tx: StoreTx,
  network: Network,
  poll: PollRecord,
  now: Date,
  chosenOptionId?: string | null,
): Promise<PollView> {
  const inst = poll.installationId;
  const options = await tx.polls.options(inst, poll.id);
  const names = new Map<string, string>();
  const expected: string[] = [];
  for (const m of await tx.members.rosterNames(inst, network.id)) {
    names.set(m.memberId, m.displayName);
    if (m.status !== 'left') expected.push(m.memberId);
  }
  const votes = await tx.polls.votes(inst, poll.id);
  // Voters who are no longer in the network still show by name.
  const missing = [...new Set(votes.map((v) => v.memberId).filter((id) => !names.has(id)))];
  if (missing.length > 0) for (const [id, name] of await tx.members.displayNames(inst, missing)) names.set(id, name);
  return {
    t: translator(network.locale),
    locale: network.locale,
    timezone: network.timezone,
    poll,
    options,
    votes,
    names,
    expected,
    now,
    ...(chosenOptionId !== undefined ? { chosenOptionId } : {}),
  };
}

/** Queues the poll's current message: an update of its post, coalesced per second. */
export async function queuePollUpdate(tx: StoreTx, network: Network, poll: PollRecord, message: Message, now: Date) {
  const inst = poll.installationId;
  const ref = await tx.outbox.sentRef(inst, pollPostKey(poll.id));
  if (!ref) {
    // Not posted yet: the post itself goes out with the current state.
    await tx.outbox.upsertPending({
      installationId: inst,
      networkId: network.id,
      key: pollPostKey(poll.id),
      target: { kind: 'channel', channelId: poll.channelId },
      message,
    });
    return;
  }
  await writeUpdate(tx, poll, { kind: 'update', ref }, message, now);
}

/**
 * After a vote, in its transaction: queues an update of the poll's post that is rendered when it
 * is sent (see pollLiveMessages), so however many votes share a second, the poll renders once and
 * shows them all. A poll not posted yet is rendered now: its post carries the state.
 */
export async function queueLivePollUpdate(tx: StoreTx, poll: PollRecord, now: Date): Promise<void> {
  const ref = await tx.outbox.sentRef(poll.installationId, pollPostKey(poll.id));
  if (!ref) {
    const network = await tx.networks.get(poll.installationId, poll.networkId);
    if (network) await refreshPoll(tx, network, poll, now);
    return;
  }
  // What a sender that cannot render live updates would show: the title, never stale tallies.
  const placeholder: Message = { text: `📅 ${poll.title}`, blocks: [] };
  await writeUpdate(tx, poll, { kind: 'update', ref, live: { kind: 'poll', id: poll.id } }, placeholder, now);
}

/**
 * Writes the update into this second's row (`poll:<id>:u:<epochSecond>`, sent at the end of its
 * second), replacing its message while it is still pending; when a dispatcher already claimed that
 * row, into the next second's.
 */
async function writeUpdate(tx: StoreTx, poll: PollRecord, target: OutboxTarget, message: Message, now: Date) {
  const second = Math.floor(now.getTime() / 1000);
  for (let bucket = second; bucket < second + BUCKET_TRIES; bucket++) {
    const written = await tx.outbox.upsertPending({
      installationId: poll.installationId,
      networkId: poll.networkId,
      key: `poll:${poll.id}:u:${bucket}`,
      target,
      message,
      notBefore: new Date((bucket + 1) * 1000),
    });
    if (written) return;
  }
}

/** Renders the poll as it is now in the store and queues the update. */
export async function refreshPoll(
  tx: StoreTx,
  network: Network,
  poll: PollRecord,
  now: Date,
  chosenOptionId?: string | null,
): Promise<void> {
  const view = await pollView(tx, network, poll, now, chosenOptionId);
  await queuePollUpdate(tx, network, poll, pollMessage(view), now);
}
