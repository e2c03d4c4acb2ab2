/**
 * Making a date poll: `poll "Title" <option> ...`, or the form (no arguments, or the rhythm nudge's
 * button). Bad input is answered with the problem and nothing is stored or posted.
 */
import { DateTime } from 'luxon';
import type { Form } from '../../messages/model.js';
import { parseLocalDate } from '../commands/dates.js';
import type { LocalDate } from '../commands/types.js';
import type { RequestContext } from '../context.js';
import type { Reply } from '../inputs.js';
import { resolveLocal } from '../schedule/quiet-hours.js';
import type { Network } from '../types.js';
import { POLL_FORM, pollPostKey, UUID } from './ids.js';
import { checkTitle, MAX_OPTIONS, MAX_TITLE, type NewOption, type OptionProblem, parseOptions } from './options.js';
import type { PollRecord } from './ports.js';
import { pollView } from './refresh.js';
import { pollMessage } from './render.js';

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
