/**
 * The meeting announcement at its largest (longest title and place, a capacity, a waitlist, every
 * link) renders within Slack's limits (the fake Slack's block validator finds nothing, link buttons
 * keep their URL) and Teams' card size, in both languages; a cancelled one drops the buttons.
 */
import { describe, expect, it } from 'vitest';
import { renderSlackMessage } from '../../adapters/slack/render.js';
import { cardBytes, renderAdaptiveCard, TEAMS_MAX_CARD_BYTES } from '../../adapters/teams/render.js';
import { announcement } from '../../src/core/meetings/announcement.js';
import { MAX_PLACE } from '../../src/core/meetings/details.js';
import { MAX_TITLE } from '../../src/core/meetings/from-poll.js';
import type { MeetingRecord } from '../../src/core/meetings/ports.js';
import type { Locale, Member } from '../../src/core/types.js';
import { calendarLinks } from '../../src/http/calendar.js';
import { translator } from '../../src/messages/i18n.js';
import { createSecretBox } from '../../src/security/crypto.js';
import { messageProblems } from '../support/fake-slack-blocks.js';

// biome-ignore lint/suspicious/noExplicitAny: rendered platform JSON
type Json = any;

const calendar = calendarLinks(createSecretBox('render-secret-0123456789abcdefghijklmnop'), 'https://klik.example.org');
const meeting: MeetingRecord = {
  id: '11111111-1111-4111-8111-111111111111',
  installationId: '22222222-2222-4222-8222-222222222222',
  networkId: '33333333-3333-4333-8333-333333333333',
  pollId: null,
  title: 'Bedrijfsbezoek & ‘lunch’ <b>*Avoord*</b> '.repeat(10).slice(0, MAX_TITLE),
  startsAt: new Date('2027-03-09T13:00:00Z'),
  allDayDate: null,
  endsAt: null,
  place: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc?context=%7b%22Tid%22%7d '
    .repeat(10)
    .slice(0, MAX_PLACE),
  hostId: null,
  capacity: 12,
  state: 'scheduled',
  uid: 'x@klik',
  sequence: 3,
  attendanceTakenAt: null,
  createdBy: null,
  createdAt: new Date('2027-03-01T09:00:00Z'),
  updatedAt: null,
};
const host: Member = {
  id: '44444444-4444-4444-8444-444444444444',
  installationId: meeting.installationId,
  platformUserId: 'U123',
  displayName: 'Anna-Maria van den Berg-de Vries',
  organisationId: null,
  role: null,
  canShare: null,
  wantsToLearn: null,
  nickname: null,
  timezone: null,
  locale: null,
};

const build = (locale: Locale, m: MeetingRecord = meeting) =>
  announcement({
    t: translator(locale),
    locale,
    timezone: 'Europe/Amsterdam',
    meeting: m,
    counts: { going: 12, maybe: 40, notGoing: 3, waitlist: 150 },
    host: null,
    suggestedHost: host,
    calendar,
    kind: 'changed',
  });

describe.each(['nl', 'en'] as const)('the meeting announcement (%s)', (locale) => {
  it('fits Slack: valid blocks, every button and link kept', () => {
    const out = renderSlackMessage(build(locale));
    expect(messageProblems(out)).toEqual([]);
    const buttons = (out.blocks as Json[]).flatMap((b) => (b.type === 'actions' ? b.elements : []));
    expect(buttons.filter((b) => b.url).map((b) => new URL(b.url).host)).toEqual([
      'calendar.google.com',
      'outlook.office.com',
      'klik.example.org',
    ]);
    expect(buttons.filter((b) => !b.url)).toHaveLength(5); // going, maybe, can't, I'll host, details
    for (const b of buttons) if (b.url) expect(b.url.length).toBeLessThanOrEqual(3000);
    const last = (out.blocks as Json[]).at(-1);
    expect(last.type === 'context' && last.elements[0].text === '…').toBe(false);
  });

  it("fits Teams' card size with every action", () => {
    const card = renderAdaptiveCard(build(locale));
    expect(cardBytes(card)).toBeLessThanOrEqual(TEAMS_MAX_CARD_BYTES);
    const body: Json[] = (card.content as Json).body;
    const actions = body.flatMap((e) => (e.type === 'ActionSet' ? e.actions : []));
    expect(actions.filter((a) => a.type === 'Action.OpenUrl')).toHaveLength(3);
    expect(actions.filter((a) => a.type !== 'Action.OpenUrl')).toHaveLength(5);
  });

  it('a cancelled meeting: what, when and where, no buttons', () => {
    const out = renderSlackMessage(build(locale, { ...meeting, state: 'cancelled' }));
    expect(messageProblems(out)).toEqual([]);
    expect((out.blocks as Json[]).some((b) => b.type === 'actions')).toBe(false);
  });
});
