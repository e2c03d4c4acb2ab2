/**
 * Per-poll due work, run on every scheduler tick: at the deadline a poll closes itself (voting
 * locks), and non-voters get one reminder by DM a day before the deadline (or 3 days after the poll
 * started when it has none). Each poll's close and reminder is claimed once across processes, in
 * the same transaction as its outbox writes.
 */
import { translator } from '../../messages/i18n.js';
import { section } from '../../messages/model.js';
import type { Store, StoreTx } from '../ports.js';
import { sendableFrom } from '../schedule/quiet-hours.js';
import type { Network } from '../types.js';
import type { DuePoll, PollRecord } from './ports.js';
import { pollView, refreshPoll } from './refresh.js';
import { deadlineLabel, suggestionText } from './render.js';
import { suggestWinner } from './winner.js';

const DAY = 24 * 60 * 60 * 1000;
export const REMIND_BEFORE_DEADLINE_MS = DAY;
export const REMIND_AFTER_MS = 3 * DAY;
const BATCH = 100;

/** Structurally the scheduler's Sweep (core does not import the scheduler). */
export interface PollSweep {
  name: string;
  run(ctx: { now: Date; store: Store; workerId: string }): Promise<number>;
  nextDueAt(after: Date, store: Store): Promise<Date | null>;
}

async function closeDue(tx: StoreTx, due: DuePoll, now: Date, workerId: string): Promise<number> {
  const poll = await tx.polls.lock(due.installationId, due.id);
  if (poll?.state !== 'open' || !poll.deadline || poll.deadline.getTime() > now.getTime()) return 0;
  const network = await tx.networks.get(due.installationId, poll.networkId);
  if (!network) return 0;
  const claimed = await tx.jobClaims.claim({
    installationId: poll.installationId,
    networkId: network.id,
    kind: 'poll-close',
    slot: poll.id,
    outcome: 'run',
    claimedBy: workerId,
    at: now,
  });
  if (!claimed) return 0;
  await tx.polls.close(poll.installationId, poll.id, now);
  const closed: PollRecord = { ...poll, state: 'closed', closedAt: now };
  await refreshPoll(tx, network, closed, now);
  await tellCreator(tx, network, closed, now);
  return 1;
}

/** The creator hears that the deadline closed their poll, with the suggestion, to pick the date. */
async function tellCreator(tx: StoreTx, network: Network, poll: PollRecord, now: Date): Promise<void> {
  if (!poll.createdBy) return;
  const creator = await tx.members.get(poll.installationId, poll.createdBy);
  if (!creator) return;
  const view = await pollView(tx, network, poll, now);
  const locale = creator.locale ?? network.locale;
  const t = translator(locale);
  const suggestion = suggestWinner(view.options, view.votes, poll.createdBy);
  const text = [
    t('poll.closedForCreator', { title: poll.title }),
    suggestionText({ ...view, t, locale }, suggestion),
    t('poll.pickInChannel'),
  ].join('\n');
  await tx.outbox.enqueue({
    installationId: poll.installationId,
    networkId: network.id,
    key: `poll:${poll.id}:closed:creator`,
    target: { kind: 'user', memberId: creator.id },
    message: { text, blocks: [section(text)] },
    notBefore: sendableFrom(now, creator.timezone ?? network.timezone, network.quietHours),
  });
}

async function remindDue(tx: StoreTx, due: DuePoll, now: Date, workerId: string): Promise<number> {
  const poll = await tx.polls.lock(due.installationId, due.id);
  if (poll?.state !== 'open' || poll.remindedAt) return 0;
  if (poll.deadline && poll.deadline.getTime() <= now.getTime()) return 0;
  const network = await tx.networks.get(due.installationId, poll.networkId);
  if (!network) return 0;
  // A paused network sends nothing now; the reminder waits for the pause to end.
  if (network.pausedUntil && network.pausedUntil.getTime() > now.getTime()) return 0;
  const off = network.nudges['poll-reminder'] === false;
  const claimed = await tx.jobClaims.claim({
    installationId: poll.installationId,
    networkId: network.id,
    kind: 'poll-reminder',
    slot: poll.id,
    outcome: off ? 'skipped' : 'run',
    claimedBy: workerId,
    at: now,
  });
  await tx.polls.markReminded(poll.installationId, poll.id, now);
  if (!claimed || off) return 0;
  const voted = new Set((await tx.polls.votes(poll.installationId, poll.id)).map((v) => v.memberId));
  const memberships = await tx.members.listMemberships(poll.installationId, network.id);
  let sent = 0;
  for (const m of memberships) {
    if (m.status === 'left' || voted.has(m.member.id)) continue;
    const locale = m.member.locale ?? network.locale;
    const t = translator(locale);
    const zone = m.member.timezone ?? network.timezone;
    const text = poll.deadline
      ? t('poll.reminder.deadline', {
          title: poll.title,
          network: network.name,
          when: deadlineLabel(poll.deadline, locale, zone),
        })
      : t('poll.reminder', { title: poll.title, network: network.name });
    await tx.outbox.enqueue({
      installationId: poll.installationId,
      networkId: network.id,
      key: `poll:${poll.id}:remind:${m.member.id}`,
      target: { kind: 'user', memberId: m.member.id },
      message: { text, blocks: [section(text)] },
      notBefore: sendableFrom(now, zone, network.quietHours),
    });
    sent += 1;
  }
  return sent;
}

export function pollSweep(): PollSweep {
  return {
    name: 'polls',
    async run({ now, store, workerId }) {
      let handled = 0;
      const toClose = await store.transaction((tx) => tx.polls.dueToClose(now, BATCH));
      for (const due of toClose) handled += await store.transaction((tx) => closeDue(tx, due, now, workerId));
      const toRemind = await store.transaction((tx) =>
        tx.polls.dueToRemind(now, REMIND_AFTER_MS, REMIND_BEFORE_DEADLINE_MS, BATCH),
      );
      for (const due of toRemind) handled += await store.transaction((tx) => remindDue(tx, due, now, workerId));
      return handled;
    },
    nextDueAt(after, store) {
      return store.transaction((tx) => tx.polls.nextDueAt(after, REMIND_AFTER_MS, REMIND_BEFORE_DEADLINE_MS));
    },
  };
}
