/**
 * The poll's channel message, in the network's language and time zone. Compact on purpose: with
 * 20 options and 200 voters it stays within Slack's 50 blocks and 3,000 characters a text and
 * Teams' 28 KB (names beyond a few per answer become "and 12 more").
 */
import { DateTime } from 'luxon';
import type { Translator } from '../../messages/i18n.js';
import { actions, type Block, button, context, type Message, section } from '../../messages/model.js';
import type { Locale } from '../types.js';
import { POLL_CLOSE, POLL_FINALIZE, POLL_VOTE } from './ids.js';
import { optionLabel } from './options.js';
import type { Choice, PollOptionRecord, PollRecord, PollVote } from './ports.js';
import { emptyTally, type Suggestion, suggestWinner, type Tally, tallies } from './winner.js';

export const CHOICE_CODE: Record<Choice, string> = { yes: 'y', if_need_be: 'm', no: 'n' };
export const CODE_CHOICE: Record<string, Choice> = { y: 'yes', m: 'if_need_be', n: 'no' };
const ICON: Record<Choice, string> = { yes: '✅', if_need_be: '🤔', no: '❌' };

/** Longest name shown; longer ones are cut with "…". */
const MAX_NAME = 24;
/** Names shown of those who have not voted yet. */
const MAX_WAITING = 20;

export interface PollView {
  t: Translator;
  locale: Locale;
  timezone: string;
  poll: PollRecord;
  options: PollOptionRecord[];
  votes: PollVote[];
  /** Display names by member id (voters and members of the network). */
  names: Map<string, string>;
  /** Members of the network expected to vote (not left), in a stable order. */
  expected: string[];
  now: Date;
  /** The chosen option once finalized. */
  chosenOptionId?: string | null;
}

/** How many names to show per answer of one option: fewer as options grow. */
export function namesPerAnswer(optionCount: number): number {
  if (optionCount <= 3) return 15;
  if (optionCount <= 6) return 8;
  if (optionCount <= 10) return 5;
  return 3;
}

const shortName = (name: string) => {
  const clean = name.replace(/[*_`[\]<>|]/g, '').trim() || '?';
  return clean.length > MAX_NAME ? `${clean.slice(0, MAX_NAME - 1)}…` : clean;
};

export function nameList(t: Translator, names: string[], max: number): string {
  const shown = names.slice(0, max).map(shortName).join(', ');
  const rest = names.length - Math.min(max, names.length);
  return rest > 0 ? `${shown} ${t('poll.andMore', { count: rest })}` : shown;
}

/** The deadline in a zone; a deadline at midnight reads as the end of the day before ("za 20 feb 23:59"). */
export function deadlineLabel(deadline: Date, locale: Locale, timezone: string): string {
  let d = DateTime.fromJSDate(deadline, { zone: timezone }).setLocale(locale);
  if (d.hour === 0 && d.minute === 0) d = d.minus({ minutes: 1 });
  return d.toFormat('ccc d LLL HH:mm');
}

/** The last answer of yearOf: a poll asks it once per option, with the same instant and zone. */
let lastYear: { at: number; zone: string; year: number } | null = null;

function yearOf(now: Date, timezone: string): number {
  const at = now.getTime();
  if (lastYear?.at === at && lastYear.zone === timezone) return lastYear.year;
  const year = DateTime.fromJSDate(now, { zone: timezone }).year;
  lastYear = { at, zone: timezone, year };
  return year;
}

export function labelOf(v: Pick<PollView, 'locale' | 'timezone' | 'now'>, o: PollOptionRecord): string {
  return optionLabel(o, v.locale, yearOf(v.now, v.timezone));
}

const tallyText = (c: Tally) => `${ICON.yes} ${c.yes} · ${ICON.if_need_be} ${c.ifNeedBe} · ${ICON.no} ${c.no}`;

function optionText(v: PollView, o: PollOptionRecord, tally: Tally, byChoice: Map<Choice, string[]>, hidden: boolean) {
  const head = `*${labelOf(v, o)}*`;
  if (hidden) return head;
  const lines = [`${head}   ${tallyText(tally)}`];
  const max = namesPerAnswer(v.options.length);
  for (const choice of ['yes', 'if_need_be', 'no'] as const) {
    const who = byChoice.get(choice) ?? [];
    if (who.length > 0) lines.push(`${ICON[choice]} ${nameList(v.t, who, max)}`);
  }
  return lines.join('\n');
}

/** Names per option per answer, in voting order. */
function votersByOption(v: PollView): Map<string, Map<Choice, string[]>> {
  const out = new Map<string, Map<Choice, string[]>>();
  for (const vote of v.votes) {
    let m = out.get(vote.optionId);
    if (!m) {
      m = new Map();
      out.set(vote.optionId, m);
    }
    const list = m.get(vote.choice) ?? [];
    list.push(v.names.get(vote.memberId) ?? '?');
    m.set(vote.choice, list);
  }
  return out;
}

function waitingLine(v: PollView): string {
  const voted = new Set(v.votes.map((x) => x.memberId));
  const waiting = v.expected.filter((id) => !voted.has(id));
  if (waiting.length === 0) return v.t('poll.allVoted', { count: voted.size });
  return v.t('poll.waiting', {
    count: waiting.length,
    names: nameList(
      v.t,
      waiting.map((id) => v.names.get(id) ?? '?'),
      MAX_WAITING,
    ),
  });
}

export function suggestionText(v: PollView, s: Suggestion | null): string {
  const { t } = v;
  if (!s) return t('poll.noSuggestion');
  const lines = [t('poll.suggestion', { option: labelOf(v, s.option), yes: s.tally.yes, ifNeedBe: s.tally.ifNeedBe })];
  if (s.creatorSaidNo) lines.push(t('poll.warn.creator'));
  if (s.mostSaidNo) lines.push(t('poll.warn.most'));
  return lines.join('\n');
}

/** The poll as the channel sees it, for each state. */
export function pollMessage(v: PollView): Message {
  const { t, poll } = v;
  const counts = tallies(v.options, v.votes);
  const voters = votersByOption(v);
  const blocks: Block[] = [{ type: 'header', text: `📅 ${poll.title}` }];
  const hidden = poll.hideVotes && poll.state === 'open';

  if (poll.state === 'open') {
    const intro = [t('poll.intro')];
    if (poll.deadline) intro.push(t('poll.deadline', { when: deadlineLabel(poll.deadline, v.locale, v.timezone) }));
    if (hidden) intro.push(t('poll.hiddenNote'));
    blocks.push(section(intro.join('\n')));
    for (const o of v.options) {
      const tally = counts.get(o.id) ?? emptyTally();
      blocks.push(section(optionText(v, o, tally, voters.get(o.id) ?? new Map(), hidden)));
      blocks.push(
        actions(
          ...(['yes', 'if_need_be', 'no'] as const).map((c) =>
            button(`${ICON[c]} ${t(`poll.choice.${c}`)}`, POLL_VOTE, `${poll.id}:${o.position}:${CHOICE_CODE[c]}`),
          ),
        ),
      );
    }
    blocks.push(context(waitingLine(v)));
    blocks.push(actions(button(t('poll.close'), POLL_CLOSE, poll.id)));
    return { text: `${poll.title}: ${t('poll.fallback')}`, blocks };
  }

  const suggestion = suggestWinner(v.options, v.votes, poll.createdBy);
  if (poll.state === 'closed') {
    blocks.push(section(`${t('poll.closedNote')}\n${suggestionText(v, suggestion)}\n${t('poll.pickPrompt')}`));
    for (const o of v.options) {
      const tally = counts.get(o.id) ?? emptyTally();
      const winner = suggestion?.option.id === o.id;
      blocks.push(
        section(
          optionText(v, o, tally, voters.get(o.id) ?? new Map(), false),
          button(t('poll.pick'), POLL_FINALIZE, `${poll.id}:${o.position}`, winner ? 'primary' : undefined),
        ),
      );
    }
    blocks.push(context(t('poll.voterCount', { count: new Set(v.votes.map((x) => x.memberId)).size })));
    return { text: `${poll.title}: ${t('poll.closedNote')}`, blocks };
  }

  const chosen = v.options.find((o) => o.id === v.chosenOptionId) ?? suggestion?.option ?? v.options[0];
  const done = chosen ? t('poll.finalized', { option: labelOf(v, chosen) }) : t('poll.closedNote');
  blocks.push(section(done));
  const summary = v.options.map((o) => `${labelOf(v, o)}   ${tallyText(counts.get(o.id) ?? emptyTally())}`);
  blocks.push(context(summary.join('\n')));
  return { text: `${poll.title}: ${done}`, blocks };
}
