/**
 * The poll message within the platforms' limits: 20 options and 200 voters (with long names) fit
 * Slack's 50 blocks and 3,000 characters a text and Teams' 28 KB, with every vote button present
 * and nothing trimmed; names beyond a few become "en nog 12".
 */
import { describe, expect, it } from 'vitest';
import { renderHtmlMessage } from '../../adapters/local/render-html.js';
import { parseSlackActionId, renderSlackMessage } from '../../adapters/slack/render.js';
import { cardBytes, renderAdaptiveCard, TEAMS_MAX_CARD_BYTES } from '../../adapters/teams/render.js';
import { POLL_CLOSE, POLL_FINALIZE, POLL_VOTE } from '../../src/core/polls/ids.js';
import { optionStart } from '../../src/core/polls/options.js';
import type { Choice, PollOptionRecord, PollRecord, PollState, PollVote } from '../../src/core/polls/ports.js';
import { type PollView, pollMessage } from '../../src/core/polls/render.js';
import type { Locale } from '../../src/core/types.js';
import { translator } from '../../src/messages/i18n.js';
import { messageProblems } from '../support/fake-slack-blocks.js';

// biome-ignore lint/suspicious/noExplicitAny: walking untyped Block Kit and card JSON
type Json = any;

const POLL_ID = '00000000-0000-4000-8000-000000000001';
const TZ = 'Europe/Amsterdam';
const NOW = new Date('2027-02-01T09:00:00Z');

function makeOptions(n: number): PollOptionRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const day = { year: 2027, month: 3, day: 1 + i, ...(i % 2 === 1 ? { hour: 14, minute: 30 } : {}) };
    return {
      id: `opt-${i}`,
      position: i,
      date: `2027-03-${String(1 + i).padStart(2, '0')}`,
      time: i % 2 === 1 ? '14:30' : null,
      startsAt: optionStart(day, TZ),
    };
  });
}

const CHOICES: Choice[] = ['yes', 'if_need_be', 'no'];

function view(opts: {
  options: number;
  voters: number;
  members?: number;
  state?: PollState;
  nameLength?: number;
  hide?: boolean;
  locale?: Locale;
}): PollView {
  const options = makeOptions(opts.options);
  const members = Math.max(opts.members ?? opts.voters, opts.voters);
  const names = new Map<string, string>();
  const expected: string[] = [];
  for (let i = 0; i < members; i++) {
    const id = `m-${i}`;
    const base = `Verpleegkundige ${i} van Zorggroep Noord`;
    names.set(id, (opts.nameLength ? base.padEnd(opts.nameLength, 'x') : base).slice(0, opts.nameLength ?? 80));
    expected.push(id);
  }
  const votes: PollVote[] = [];
  for (let v = 0; v < opts.voters; v++)
    for (const o of options) votes.push({ optionId: o.id, memberId: `m-${v}`, choice: CHOICES[(v + o.position) % 3]! });
  const poll: PollRecord = {
    id: POLL_ID,
    installationId: 'i',
    networkId: 'n',
    createdBy: 'm-0',
    title: 'Bedrijfsbezoek Avoord <met> *sterretjes* & een hele lange titel die best lang mag zijn',
    channelId: 'C1',
    deadline: new Date('2027-02-20T23:00:00Z'),
    hideVotes: opts.hide ?? false,
    state: opts.state ?? 'open',
    version: 1,
    remindedAt: null,
    closedAt: null,
    finalizedAt: null,
    meetingId: null,
    createdAt: NOW,
  };
  const locale = opts.locale ?? 'nl';
  return { t: translator(locale), locale, timezone: TZ, poll, options, votes, names, expected, now: NOW };
}

function assertSlack(v: PollView) {
  const out = renderSlackMessage(pollMessage(v));
  // The fake Slack's validator (what chat.postMessage / chat.update refuse) finds nothing either.
  expect(messageProblems(out)).toEqual([]);
  expect(out.blocks.length).toBeLessThanOrEqual(50);
  expect(out.text.length).toBeLessThanOrEqual(4000);
  const buttons: Json[] = [];
  for (const b of out.blocks as Json[]) {
    if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(150);
    if (b.type === 'context') for (const e of b.elements) expect(e.text.length).toBeLessThanOrEqual(3000);
    if (b.type === 'actions') {
      expect(b.elements.length).toBeLessThanOrEqual(25);
      buttons.push(...b.elements);
    }
    if (b.type === 'section' && b.accessory) buttons.push(b.accessory);
  }
  for (const e of buttons) {
    expect(e.text.text.length).toBeLessThanOrEqual(75);
    expect((e.value ?? '').length).toBeLessThanOrEqual(2000);
    expect(e.action_id.length).toBeLessThanOrEqual(255);
  }
  expect(new Set(buttons.map((e) => e.action_id)).size).toBe(buttons.length);
  // Nothing was trimmed: the renderer's "…" notice is not there.
  const last = (out.blocks as Json[]).at(-1);
  expect(last.type === 'context' && last.elements[0].text === '…').toBe(false);
  return { out, buttons: buttons.map((e) => ({ id: parseSlackActionId(e.action_id), value: e.value as string })) };
}

function assertTeams(v: PollView) {
  const card = renderAdaptiveCard(pollMessage(v));
  expect(cardBytes(card)).toBeLessThanOrEqual(TEAMS_MAX_CARD_BYTES);
  expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(28 * 1024);
  const body: Json[] = (card.content as Json).body;
  const actions = body.flatMap((e) => (e.type === 'ActionSet' ? e.actions : []));
  for (const s of body.filter((e) => e.type === 'ActionSet')) expect(s.actions.length).toBeLessThanOrEqual(6);
  const last = body.at(-1);
  expect(last.type === 'TextBlock' && last.text === '…').toBe(false);
  return { body, actions };
}

describe('poll message: 20 options × 200 voters', () => {
  it('(the validator used here does refuse what Slack refuses)', () => {
    const section = { type: 'section', text: { type: 'mrkdwn', text: 'x' } };
    expect(messageProblems({ text: 'x', blocks: Array.from({ length: 51 }, () => section) })).not.toEqual([]);
    const long = { type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } };
    expect(messageProblems({ text: 'x', blocks: [long] })).not.toEqual([]);
  });

  it('fits Slack with every vote button, tallies and "en nog" for names', () => {
    const v = view({ options: 20, voters: 200, members: 230 });
    const { out, buttons } = assertSlack(v);
    const votes = buttons.filter((b) => b.id === POLL_VOTE);
    expect(votes).toHaveLength(60);
    expect(new Set(votes.map((b) => b.value)).size).toBe(60);
    expect(buttons.filter((b) => b.id === POLL_CLOSE)).toHaveLength(1);
    const text = JSON.stringify(out.blocks);
    expect(text).toContain('en nog');
    expect(text).toContain('Nog niet gestemd (30)');
    // Tallies: option 0 has voters v with v % 3 = 0 yes → 67 yes, 67 if need be, 66 no.
    expect(text).toContain('✅ 67 · 🤔 67 · ❌ 66');
    expect(text).toContain('ma 1 mrt');
    expect(text).toContain('di 2 mrt 14:30');
  });

  it('fits Slack with 80-character names too', () => {
    assertSlack(view({ options: 20, voters: 200, members: 260, nameLength: 80 }));
  });

  it('fits Teams (28 KB) with all 61 buttons', () => {
    const { actions } = assertTeams(view({ options: 20, voters: 200, members: 230, nameLength: 80 }));
    expect(actions.filter((a) => a.data?.actionId === POLL_VOTE)).toHaveLength(60);
    expect(actions.filter((a) => a.data?.actionId === POLL_CLOSE)).toHaveLength(1);
  });

  it('closed: a pick button per option fits both platforms, winner suggested', () => {
    const v = view({ options: 20, voters: 200, state: 'closed', nameLength: 80, locale: 'en' });
    const { out, buttons } = assertSlack(v);
    expect(buttons.filter((b) => b.id === POLL_FINALIZE)).toHaveLength(20);
    expect(buttons.some((b) => b.id === POLL_VOTE)).toBe(false);
    expect(JSON.stringify(out.blocks)).toContain('Suggestion:');
    const { actions } = assertTeams(v);
    expect(actions.filter((a) => a.data?.actionId === POLL_FINALIZE)).toHaveLength(20);
  });

  it('finalized fits both platforms', () => {
    const v = { ...view({ options: 20, voters: 200, state: 'finalized' }), chosenOptionId: 'opt-3' };
    const { out, buttons } = assertSlack(v);
    expect(buttons).toHaveLength(0);
    expect(JSON.stringify(out.blocks)).toContain('De datum staat: *do 4 mrt 14:30*');
    assertTeams(v);
  });
});

describe('poll message in the playground', () => {
  it('renders every vote button as HTML, with names escaped', () => {
    const html = renderHtmlMessage(pollMessage(view({ options: 20, voters: 200 })), { messageId: 'm1' });
    expect(html.match(/poll\.vote/g)?.length).toBe(60);
    expect(html).toContain('&lt;met&gt;');
    expect(html).not.toContain('<met>');
  });
});

describe('poll message content', () => {
  it('shows who voted what, and hides names and tallies when the poll hides votes', () => {
    const shown = JSON.stringify(renderSlackMessage(pollMessage(view({ options: 3, voters: 4 }))).blocks);
    expect(shown).toContain('🤔 Verpleegkundige 1 van Z…');
    expect(shown).toContain('Stemmen kan tot za 20 feb 23:59');
    expect(shown).toContain('Iedereen heeft gestemd (4)');
    const hidden = JSON.stringify(renderSlackMessage(pollMessage(view({ options: 3, voters: 4, hide: true }))).blocks);
    expect(hidden).not.toContain('Verpleegkundige 1 van');
    expect(hidden).not.toContain('✅ 2');
    expect(hidden).toContain('verborgen');
  });

  it('escapes markup in the title and names so they stay text', () => {
    const out = renderSlackMessage(pollMessage(view({ options: 2, voters: 1 })));
    const header = (out.blocks as Json[])[0];
    expect(header.text.text).toContain('<met>');
    for (const b of out.blocks as Json[]) if (b.type === 'section') expect(b.text.text).not.toMatch(/<met>/);
  });

  it('English: dates and choices in English', () => {
    const text = JSON.stringify(renderSlackMessage(pollMessage(view({ options: 2, voters: 1, locale: 'en' }))).blocks);
    expect(text).toContain('Mon 1 Mar');
    expect(text).toContain('If need be');
    expect(text).toContain('Voting closes');
  });
});
