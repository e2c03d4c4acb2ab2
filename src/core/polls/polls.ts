/**
 * Date polls: `poll "Title" <option> ...` (or a form), votes yes / if need be / no per option,
 * closing by the creator, a coordinator or the deadline, and finalizing into a meeting.
 */
import { DateTime } from 'luxon';
import type { Form } from '../../messages/model.js';
import { parseLocalDate } from '../commands/dates.js';
import type { LocalDate } from '../commands/types.js';
import { isCoordinator, type RequestContext } from '../context.js';
import type { Reply } from '../inputs.js';
import { createMeetingFromPoll } from '../meetings/from-poll.js';
import type { StoreTx } from '../ports.js';
import { resolveLocal } from '../schedule/quiet-hours.js';
import type { Network } from '../types.js';
import { POLL_FORM, pollPostKey } from './ids.js';
import { checkTitle, MAX_OPTIONS, MAX_TITLE, type NewOption, type OptionProblem, parseOptions } from './options.js';
import type { Choice, PollRecord } from './ports.js';
import { pollSnapshot, pollView, queuePollUpdate, refreshPoll, viewOf } from './refresh.js';
import { CODE_CHOICE, labelOf, pollMessage } from './render.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function todayIn(now: Date, timezone: string): LocalDate {
  const d = DateTime.fromJSDate(now, { zone: timezone });
  return { year: d.year, month: d.month, day: d.day };
}

export function problemText(ctx: RequestContext, p: OptionProblem): string {
  const { t } = ctx;
  switch (p.kind) {
    case 'noTitle':
      return t('poll.problem.noTitle');
    case 'titleTooLong':
      return t('poll.problem.titleTooLong', { max: p.max });
    case 'noOptions':
      return t('poll.problem.noOptions');
    case 'tooMany':
      return t('poll.problem.tooMany', { count: p.count, max: p.max });
    case 'badDate':
      return t('poll.problem.badDate', { input: p.input });
    case 'pastDate':
      return t('poll.problem.pastDate', { input: p.input });
    case 'duplicate':
      return t('poll.problem.duplicate', { input: p.input });
  }
}

interface PollDraft {
  title: string;
  options: NewOption[];
  deadline: Date | null;
  hideVotes: boolean;
}

/** Stores the poll and queues its channel post, in the caller's transaction. */
async function createPoll(ctx: RequestContext, network: Network, draft: PollDraft, now: Date): Promise<PollRecord> {
  const poll = await ctx.tx.polls.create({
    installationId: ctx.installation.id,
    networkId: network.id,
    createdBy: ctx.member.id,
    title: draft.title,
    channelId: network.channelId,
    deadline: draft.deadline,
    hideVotes: draft.hideVotes,
    createdAt: now,
    options: draft.options,
  });
  const view = await pollView(ctx.tx, network, poll, now);
  await ctx.tx.outbox.enqueue({
    installationId: ctx.installation.id,
    networkId: network.id,
    key: pollPostKey(poll.id),
    target: { kind: 'channel', channelId: network.channelId },
    message: pollMessage(view),
  });
  return poll;
}

function pollForm(ctx: RequestContext, network: Network, title?: string, options?: string[]): Form {
  const { t } = ctx;
  return {
    formId: POLL_FORM,
    title: t('poll.form.title'),
    submitLabel: t('poll.form.submit'),
    cancelLabel: t('profile.form.cancel'),
    intro: t('poll.form.intro', { max: MAX_OPTIONS }),
    state: network.id,
    fields: [
      {
        type: 'text',
        id: 'title',
        label: t('poll.form.field.title'),
        maxLength: MAX_TITLE,
        placeholder: t('poll.form.placeholder.title'),
        ...(title ? { initial: title } : {}),
      },
      {
        type: 'text',
        id: 'options',
        label: t('poll.form.field.options'),
        multiline: true,
        maxLength: 2_000,
        placeholder: t('poll.form.placeholder.options'),
        ...(options && options.length > 0 ? { initial: options.join('\n') } : {}),
      },
      { type: 'date', id: 'deadline', label: t('poll.form.field.deadline'), optional: true },
      {
        type: 'select',
        id: 'hide',
        label: t('poll.form.field.hide'),
        optional: true,
        options: [
          { label: t('poll.form.hide.no'), value: 'no' },
          { label: t('poll.form.hide.yes'), value: 'yes' },
        ],
        initial: 'no',
      },
    ],
  };
}

/** The title with the words after it reads as a date: the member left the title out. */
function startsWithDate(title: string, options: string[], today: LocalDate): boolean {
  const words = options
    .join(' ')
    .split(' ')
    .filter((w) => w !== '');
  for (let n = 0; n <= Math.min(5, words.length); n++)
    if (parseLocalDate([title, ...words.slice(0, n)].join(' '), today)) return true;
  return false;
}

/** `poll "Title" <options...>`; without options a form opens (with the title filled in). */
export async function pollCommand(
  ctx: RequestContext,
  cmd: { title?: string; options: string[] },
  now: Date,
): Promise<Reply> {
  const network = ctx.network;
  if (!network) return ctx.reply('error.noNetwork');
  if (cmd.options.length === 0) return { kind: 'form', form: pollForm(ctx, network, cmd.title) };
  const today = todayIn(now, network.timezone);
  // `poll 16 maart 17 maart`: the first word, taken for the title, is part of a date.
  if (cmd.title && startsWithDate(cmd.title, cmd.options, today)) return problemReply(ctx, { kind: 'noTitle' });
  const title = checkTitle(cmd.title);
  if (!title.ok) return problemReply(ctx, title.problem);
  const parsed = parseOptions(cmd.options, today, now, network.timezone);
  if (!parsed.ok) return problemReply(ctx, parsed.problem);
  await createPoll(
    ctx,
    network,
    { title: title.title, options: parsed.options, deadline: null, hideVotes: false },
    now,
  );
  return ctx.reply('poll.created', { count: parsed.options.length });
}

function problemReply(ctx: RequestContext, p: OptionProblem): Reply {
  return ctx.reply('poll.problem', { problem: problemText(ctx, p), usage: ctx.t('usage.poll') });
}

/** The poll form from a button (the rhythm nudge's "plan a meeting"). */
export async function openPollForm(ctx: RequestContext, value: string): Promise<Reply> {
  const network = ctx.network ?? (UUID.test(value) ? await ctx.tx.networks.get(ctx.installation.id, value) : null);
  if (!network) return ctx.reply('error.noNetwork');
  return { kind: 'form', form: pollForm(ctx, network) };
}

export async function submitPollForm(
  ctx: RequestContext,
  networkId: string,
  values: Record<string, string>,
  now: Date,
): Promise<Reply> {
  const network = UUID.test(networkId) ? await ctx.tx.networks.get(ctx.installation.id, networkId) : null;
  if (!network) return ctx.reply('error.expired');
  const errors: Record<string, string> = {};
  const title = checkTitle(values.title);
  if (!title.ok) errors.title = problemText(ctx, title.problem);
  const today = todayIn(now, network.timezone);
  const parsed = parseOptions((values.options ?? '').split(/\r?\n/), today, now, network.timezone);
  if (!parsed.ok) errors.options = problemText(ctx, parsed.problem);
  let deadline: Date | null = null;
  const rawDeadline = (values.deadline ?? '').trim();
  if (rawDeadline !== '') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(rawDeadline);
    const day = m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : null;
    // The deadline is the end of the chosen day, in network time.
    const end = day ? resolveLocal(network.timezone, day, 24 * 60) : null;
    if (!end || Number.isNaN(end.getTime())) errors.deadline = ctx.t('poll.problem.badDeadline');
    else if (end.getTime() <= now.getTime()) errors.deadline = ctx.t('poll.problem.pastDeadline');
    else deadline = end;
  }
  if (!title.ok || !parsed.ok || Object.keys(errors).length > 0) return { kind: 'form-errors', errors };
  await createPoll(
    ctx,
    network,
    { title: title.title, options: parsed.options, deadline, hideVotes: values.hide === 'yes' },
    now,
  );
  return ctx.reply('poll.created', { count: parsed.options.length });
}

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
