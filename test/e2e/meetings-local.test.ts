/**
 * Meetings through the local stack: a finalized poll becomes a meeting with votes carried over,
 * the channel gets the announcement with RSVP buttons and calendar links, answers update it, and
 * bad or stale clicks get a clear answer and change nothing.
 */
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/inputs.js';
import type { Network } from '../../src/core/types.js';
import type { Message } from '../../src/messages/model.js';
import { backends } from '../support/db.js';
import { buttonsOf, type LocalStack, textOf } from '../support/local-stack.js';
import { bootMeetingNetwork, meetingFromPoll, PUBLIC_URL, rows } from './meetings-support.js';

const CHANNEL = 'C-netwerk';
const PEOPLE = [
  { id: 'U-anna', displayName: 'Anna de Vries', locale: 'nl-NL' },
  { id: 'U-henk', displayName: 'Henk Jansen', locale: 'nl-NL' },
  { id: 'U-fatima', displayName: 'Fatima el Amrani', locale: 'nl-NL' },
  { id: 'U-joris', displayName: 'Joris Bakker', locale: 'nl-NL' },
];
const text = (r: Reply) => (r.kind === 'message' || r.kind === 'update' ? textOf(r.message) : `<${r.kind}>`);

describe.each(backends())('meetings through the local stack (%s)', (backend) => {
  let s: LocalStack;
  let network: Network;

  beforeEach(async () => {
    ({ s, network } = await bootMeetingNetwork({
      backend,
      start: '2027-03-01T09:00:00Z',
      people: PEOPLE,
      channelId: CHANNEL,
      coordinator: 'U-anna',
    }));
  });

  afterEach(async () => {
    await s.close();
  });

  const announcementPost = () =>
    s.workspace
      .listMessages(CHANNEL)
      .filter((m) => buttonsOf(m.message).some((b) => b.actionId === 'meeting.rsvp'))
      .at(-1)!;

  async function rsvp(userId: string, word: 'going' | 'maybe' | 'not_going'): Promise<Reply> {
    const post = announcementPost();
    const b = buttonsOf(post.message).find((x) => x.actionId === 'meeting.rsvp' && x.value.endsWith(`:${word}`))!;
    return s.adapter.click(userId, post.id, b.actionId, b.value);
  }

  it('a finalized poll becomes a meeting: yes → going, if need be → maybe, announced with calendar links', async () => {
    const meetingId = await meetingFromPoll(s, network, 'U-anna', {
      title: 'Bedrijfsbezoek Avoord',
      startsAt: new Date('2027-03-09T13:00:00Z'),
      votes: { 'U-anna': 'yes', 'U-henk': 'if_need_be', 'U-fatima': 'no' },
    });
    const saved = await rows<{ status: string; name: string }>(
      s,
      sql`select r.status, m.display_name as name from meeting_rsvps r join members m on m.id = r.member_id
          where r.meeting_id = ${meetingId} order by m.display_name`,
    );
    expect(saved).toEqual([
      { status: 'going', name: 'Anna de Vries' },
      { status: 'maybe', name: 'Henk Jansen' },
    ]);
    await s.deliver();
    const post = announcementPost();
    const shown = textOf(post.message);
    expect(shown).toContain('Bedrijfsbezoek Avoord');
    expect(shown).toContain('di 9 mrt 14:00');
    expect(shown).toContain('1 komen');
    expect(shown).toContain('1 misschien');
    expect(shown).toContain('Anna de Vries'); // suggested host: going, never hosted
    const buttons = buttonsOf(post.message);
    expect(buttons.filter((b) => b.actionId === 'meeting.rsvp').map((b) => b.label)).toEqual([
      'Ik kom',
      'Misschien',
      'Ik kan niet',
    ]);
    const urls = buttons.filter((b) => b.url).map((b) => b.url!);
    expect(urls.some((u) => u.startsWith('https://calendar.google.com/') && u.includes('20270309T130000Z'))).toBe(true);
    expect(
      urls.some((u) => u.startsWith('https://outlook.office.com/') && u.includes('2027-03-09T13%3A00%3A00Z')),
    ).toBe(true);
    expect(urls.some((u) => u.startsWith(`${PUBLIC_URL}/calendar/`) && u.endsWith('.ics'))).toBe(true);
    expect(shown).toContain(`${PUBLIC_URL}/calendar/`);
  });

  it('happy path through the local adapter: poll → votes → close → finalize → meeting → going', async () => {
    expect(
      text(await s.adapter.command('U-anna', CHANNEL, 'prikker "Bedrijfsbezoek Avoord" 9-3-2027T14:00 16 maart')),
    ).toContain('staat in het kanaal');
    s.clock.advance(2_000);
    await s.deliver();
    const allButtons = (m: Message) => [
      ...buttonsOf(m),
      ...m.blocks.flatMap((b) => (b.type === 'section' && b.accessory?.type === 'button' ? [b.accessory] : [])),
    ];
    const pollPost = () =>
      s.workspace
        .listMessages(CHANNEL)
        .filter((m) => allButtons(m.message).some((b) => b.actionId.startsWith('poll.')))
        .at(-1)!;
    const press = (userId: string, actionId: string, suffix: string) => {
      const post = s.workspace.findMessage(pollPost().id)!;
      const b = allButtons(post.message).find((x) => x.actionId === actionId && x.value.endsWith(suffix))!;
      return s.adapter.click(userId, post.id, b.actionId, b.value);
    };
    await press('U-anna', 'poll.vote', ':0:y');
    await press('U-henk', 'poll.vote', ':0:m');
    await press('U-fatima', 'poll.vote', ':0:n');
    await press('U-joris', 'poll.vote', ':1:y');
    await press('U-anna', 'poll.close', '');
    s.clock.advance(2_000);
    await s.deliver();
    await press('U-anna', 'poll.finalize', ':0');
    s.clock.advance(2_000);
    await s.deliver();
    const post = announcementPost();
    expect(textOf(post.message)).toContain('Bedrijfsbezoek Avoord');
    expect(textOf(post.message)).toContain('di 9 mrt 14:00');
    expect(textOf(post.message)).toContain('1 komen · 🤔 1 misschien');
    expect(text(await rsvp('U-joris', 'going'))).toContain('Je komt naar');
    await s.deliver();
    expect(textOf(s.workspace.findMessage(post.id)!.message)).toContain('2 komen');
  });

  it('answers change the RSVP and update the announcement; a repeated answer changes nothing', async () => {
    const meetingId = await meetingFromPoll(s, network, 'U-anna', {
      title: 'Intervisie',
      startsAt: new Date('2027-03-09T13:00:00Z'),
      votes: { 'U-anna': 'yes' },
    });
    await s.deliver();
    expect(text(await rsvp('U-joris', 'going'))).toContain('Je komt naar');
    expect(text(await rsvp('U-joris', 'going'))).toContain('Dat had je al geantwoord');
    expect(text(await rsvp('U-henk', 'maybe'))).toContain('misschien');
    await s.deliver();
    expect(textOf(announcementPost().message)).toContain('2 komen');
    expect(textOf(announcementPost().message)).toContain('1 misschien');
    const reply = await rsvp('U-joris', 'not_going');
    expect(text(reply)).toContain('Fijn dat je het laat weten');
    const [row] = await rows<{ status: string; late_cancel: boolean }>(
      s,
      sql`select r.status, r.late_cancel from meeting_rsvps r join members m on m.id = r.member_id
          where r.meeting_id = ${meetingId} and m.platform_user_id = 'U-joris'`,
    );
    expect(row).toEqual({ status: 'not_going', late_cancel: false });
  });

  it('a cancellation within 24 hours of the start counts as late', async () => {
    const meetingId = await meetingFromPoll(s, network, 'U-anna', {
      title: 'Intervisie',
      startsAt: new Date('2027-03-02T13:00:00Z'),
      votes: { 'U-henk': 'yes' },
    });
    await s.deliver();
    s.clock.set('2027-03-01T14:00:00Z'); // 23 hours before
    expect(text(await rsvp('U-henk', 'not_going'))).toContain('ook zo kort van tevoren');
    const [row] = await rows<{ late_cancel: boolean }>(
      s,
      sql`select late_cancel from meeting_rsvps where meeting_id = ${meetingId} and status = 'not_going'`,
    );
    expect(row?.late_cancel).toBe(true);
  });

  it('bad and stale clicks get a clear answer and change nothing', async () => {
    const meetingId = await meetingFromPoll(s, network, 'U-anna', {
      title: 'Intervisie',
      startsAt: new Date('2027-03-09T13:00:00Z'),
      votes: { 'U-anna': 'yes' },
    });
    await s.deliver();
    const post = announcementPost();
    const before = await rows(s, sql`select * from meeting_rsvps order by member_id`);
    const click = (value: string) => s.adapter.click('U-henk', post.id, 'meeting.rsvp', value);
    expect(text(await click(`${meetingId}:perhaps`))).toContain('werkt niet meer');
    expect(text(await click('not-a-uuid:going'))).toContain('bestaat niet meer');
    expect(text(await click('00000000-0000-4000-8000-000000000000:going'))).toContain('bestaat niet meer');
    expect(text(await s.adapter.click('U-henk', post.id, 'meeting.offer', `${meetingId}:accept`))).toContain(
      'geldt niet meer',
    );
    expect(text(await s.adapter.click('U-henk', post.id, 'meeting.host', meetingId))).toContain('Kies eerst');
    s.clock.set('2027-03-09T13:00:00Z');
    expect(text(await click(`${meetingId}:going`))).toContain('al begonnen');
    expect(await rows(s, sql`select * from meeting_rsvps order by member_id`)).toEqual(before);
  });

  it('a member who is going takes the host role; the announcement shows it', async () => {
    await meetingFromPoll(s, network, 'U-anna', {
      title: 'Intervisie',
      startsAt: new Date('2027-03-09T13:00:00Z'),
      votes: { 'U-henk': 'yes' },
    });
    await s.deliver();
    const post = announcementPost();
    const host = buttonsOf(post.message).find((b) => b.actionId === 'meeting.host')!;
    expect(text(await s.adapter.click('U-henk', post.id, host.actionId, host.value))).toContain('Jij bent gastheer');
    expect(text(await s.adapter.click('U-anna', post.id, host.actionId, host.value))).toContain('heeft al een');
    await s.deliver();
    expect(textOf(announcementPost().message)).toContain('Gastheer/-vrouw: @Henk Jansen');
  });
});
