/**
 * The meeting happy path through the real Slack app (signed requests, the fake Web API): a poll
 * is finalized, the channel gets the meeting with RSVP buttons and calendar links, votes carried
 * over; a member answers "going" and sees the answer; the announcement's tally follows; the App
 * Home lists the member's upcoming meeting with their answer; a re-confirmation DM arrives 1 day before.
 */
import { sql } from 'drizzle-orm';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLL_CLOSE, POLL_FINALIZE, POLL_VOTE } from '../../src/core/polls/ids.js';
import { meetingSweeps } from '../../src/scheduler/meeting-sweeps.js';
import type { FakeMessage } from '../support/fake-slack.js';
import { bootSlackNetwork, type SlackStack, slackButtons, slackText } from '../support/slack-stack.js';
import { calendar, PUBLIC_URL } from './meetings-support.js';

const NET = 'CMEET';
const PEOPLE = ['UANNA', 'UHENK', 'UFATIMA', 'UJORIS'];
const COORD = 'UANNA';

describe('meetings through Slack', () => {
  let s: SlackStack;
  const latest = (userId: string): FakeMessage => {
    const shown = s.fake.ephemerals(userId, NET).at(-1);
    if (!shown) throw new Error(`nothing shown to ${userId}`);
    return shown;
  };
  const clickValue = async (userId: string, message: FakeMessage, actionId: string, value: string) => {
    const { payload } = s.driver.clickPayload(userId, message, actionId);
    const button = slackButtons(message.blocks).find((b) => b.actionId === actionId && b.value === value);
    if (!button) throw new Error(`no ${actionId} button with value ${value}`);
    const action = (payload.actions as Array<Record<string, unknown>>)[0]!;
    payload.actions = [
      { ...action, action_id: button.rawActionId, value, text: { type: 'plain_text', text: button.label } },
    ];
    const res = await s.driver.sendInteraction(payload);
    expect(res.status).toBe(200);
  };
  const settle = async () => {
    s.clock.advance(1_100);
    await s.deliver();
  };
  const announcement = () =>
    s.fake
      .channelMessages(NET)
      .filter((m) => slackButtons(m.blocks).some((b) => b.actionId === 'meeting.rsvp'))
      .at(-1);

  beforeAll(async () => {
    s = await bootSlackNetwork({ calendar, people: PEOPLE, channel: { id: NET, name: 'netwerk' }, coordinator: COORD });
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  it('finalizing a poll announces the meeting; going updates it; App Home lists it; re-confirmation 1 day before', async () => {
    expect(
      (await s.driver.command(COORD, NET, 'prikker "Intervisie Zwolle" 10-3-2026T14:00 17-3-2026T14:00')).status,
    ).toBe(200);
    await settle();
    const poll = s.fake.channelMessages(NET).find((m) => slackButtons(m.blocks).some((b) => b.actionId === POLL_VOTE))!;
    const pollId = slackButtons(poll.blocks).find((b) => b.actionId === POLL_CLOSE)!.value;
    await clickValue('UANNA', poll, POLL_VOTE, `${pollId}:0:y`);
    await clickValue('UHENK', poll, POLL_VOTE, `${pollId}:0:m`);
    await clickValue('UFATIMA', poll, POLL_VOTE, `${pollId}:0:n`);
    await settle();
    await clickValue(COORD, s.fake.findMessage(poll.ts)!, POLL_CLOSE, pollId);
    await settle();
    await clickValue(COORD, s.fake.findMessage(poll.ts)!, POLL_FINALIZE, `${pollId}:0`);
    await settle();

    const posted = announcement();
    expect(posted).toBeDefined();
    const text = slackText(posted!);
    expect(text).toContain('Er is een bijeenkomst gepland');
    expect(text).toContain('Intervisie Zwolle');
    expect(text).toContain('di 10 mrt 14:00');
    expect(text).toContain('1 komen · 🤔 1 misschien');
    const buttons = slackButtons(posted!.blocks);
    expect(buttons.filter((b) => b.actionId === 'meeting.rsvp').map((b) => b.label)).toEqual([
      'Ik kom',
      'Misschien',
      'Ik kan niet',
    ]);
    const urls = JSON.stringify(posted!.blocks);
    expect(urls).toContain('https://calendar.google.com/calendar/render');
    expect(urls).toContain('https://outlook.office.com/calendar/0/deeplink/compose');
    expect(urls).toContain(`${PUBLIC_URL}/calendar/`);

    // The .ics file is shared in the announcement's thread (Slack allows files) and parses.
    expect(s.fake.files).toHaveLength(1);
    const file = s.fake.files[0]!;
    expect(file).toMatchObject({ filename: 'intervisie-zwolle.ics', channelId: NET, threadTs: posted!.ts });
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(file.content)).getFirstSubcomponent('vevent')!);
    const [meeting] = (
      (await s.database.db.execute(sql`select uid from meetings`)) as unknown as { rows: Array<{ uid: string }> }
    ).rows;
    expect(event.uid).toBe(meeting!.uid);
    expect(event.startDate.toJSDate().toISOString()).toBe('2026-03-10T13:00:00.000Z');
    const going = buttons.find((b) => b.actionId === 'meeting.rsvp' && b.value.endsWith(':going'))!;
    await clickValue('UJORIS', posted!, 'meeting.rsvp', going.value);
    expect(slackText(latest('UJORIS'))).toContain('Je komt naar *Intervisie Zwolle*');
    // A link button opens the browser; Slack reports the click, and Klik says nothing about it.
    const shownBefore = s.fake.ephemerals('UJORIS', NET).length;
    await clickValue('UJORIS', posted!, 'meeting.google', 'link');
    expect(s.fake.ephemerals('UJORIS', NET)).toHaveLength(shownBefore);
    await settle();
    expect(slackText(s.fake.findMessage(posted!.ts)!)).toContain('2 komen');
    const rows = (
      (await s.database.db.execute(
        sql`select count(*)::int as n from meeting_rsvps where status = 'going'`,
      )) as unknown as { rows: Array<{ n: number }> }
    ).rows;
    expect(rows[0]!.n).toBe(2);

    expect(
      await s.driver.event({ type: 'app_home_opened', user: 'UJORIS', channel: 'DJORIS', tab: 'home' }, 'EvMEET1'),
    ).toBe(200);
    await s.idle();
    const home = JSON.stringify(s.fake.homes.get('UJORIS')?.blocks ?? []);
    expect(home).toContain('Jouw bijeenkomsten');
    expect(home).toContain('Intervisie Zwolle');
    expect(home).toContain('ik kom');

    const [reconfirm] = meetingSweeps(calendar);
    s.clock.set('2026-03-09T13:00:00Z');
    expect(await reconfirm!.run({ store: s.store, now: s.clock.now(), workerId: 'w' })).toBe(3);
    await s.deliver();
    const dms = s.fake.calls.filter(
      (c) => c.method === 'chat.postMessage' && JSON.stringify(c.args).includes('Kom je nog naar'),
    );
    expect(dms).toHaveLength(3);
  });
});
