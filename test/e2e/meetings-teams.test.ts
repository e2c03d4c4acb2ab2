/**
 * The meeting through Teams (the real CloudAdapter, the fake Bot Connector): a finalized poll
 * posts the meeting card in the channel with going / maybe / can't make it (Action.Submit) and the
 * calendar links and feed (Action.OpenUrl: a Teams bot cannot post files in a channel); "going"
 * is stored and the card follows; every card parses as an Adaptive Card under 28 KB.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { POLL_CLOSE, POLL_FINALIZE, POLL_VOTE } from '../../src/core/polls/ids.js';
import { cardProblems } from '../support/adaptive-cards.js';
import { cardButtons, cardText, type FakePosted } from '../support/fake-bot-connector.js';
import { bootTeamsNetwork, type FakeConversation, type TeamsStack } from '../support/teams-stack.js';
import { calendar, PUBLIC_URL } from './meetings-support.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

type Obj = Record<string, unknown>;

const PEOPLE = [
  { aad: 'aad-carla', name: 'Carla Coördinator' },
  { aad: 'aad-anna', name: 'Anna Achterberg' },
  { aad: 'aad-otto', name: 'Otto Overig' },
];
const TEAM = '19:team-meet@thread.tacv2';
const CHANNEL: FakeConversation = { kind: 'channel', id: '19:meet@thread.tacv2', teamId: TEAM, name: 'netwerk' };

describe('meetings through Teams', () => {
  let stack: TeamsStack;
  const settle = async () => {
    stack.clock.advance(1_100);
    await stack.deliver();
  };
  const click = async (aad: string, card: FakePosted, actionId: string, valueEnds: string) => {
    const current = (stack.fake.find(card.id) as FakePosted | undefined) ?? card;
    const b = cardButtons(current.activity).find((x) => x.actionId === actionId && x.value.endsWith(valueEnds));
    if (!b) throw new Error(`no ${actionId} …${valueEnds}`);
    const res = await stack.driver.post(stack.driver.submitActivity(aad, current, b.data as Obj));
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    stack = await bootTeamsNetwork({
      calendar,
      people: PEOPLE,
      team: TEAM,
      channel: CHANNEL,
      coordinator: 'aad-carla',
    });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('a finalized poll posts the meeting card with answers and calendar links; going is stored', async () => {
    expect(
      (await stack.driver.message('aad-carla', CHANNEL, 'prikker "Intervisie" 10-3-2026T14:00 17 maart')).status,
    ).toBe(200);
    await settle();
    const poll = stack.fake
      .messages(CHANNEL.id)
      .find((m) => cardButtons(m.activity).some((b) => b.actionId === POLL_VOTE))!;
    await click('aad-carla', poll, POLL_VOTE, ':0:y');
    await click('aad-anna', poll, POLL_VOTE, ':0:m');
    await settle();
    await click('aad-carla', poll, POLL_CLOSE, '');
    await settle();
    await click('aad-carla', poll, POLL_FINALIZE, ':0');
    await settle();

    const meeting = stack.fake
      .messages(CHANNEL.id)
      .find((m) => cardButtons(m.activity).some((b) => b.actionId === 'meeting.rsvp'))!;
    expect(meeting).toBeDefined();
    expect(cardText(meeting.activity)).toContain('Er is een bijeenkomst gepland');
    expect(cardText(meeting.activity)).toContain('di 10 mrt 14:00');
    expect(cardText(meeting.activity)).toContain('1 komen · 🤔 1 misschien');
    const json = JSON.stringify(meeting.activity);
    expect(json).toContain('Action.OpenUrl');
    expect(json).toContain('https://calendar.google.com/calendar/render');
    expect(json).toContain(`${PUBLIC_URL}/calendar/`);

    await click('aad-otto', meeting, 'meeting.rsvp', ':going');
    await settle();
    const [row] = (
      (await stack.database.db.execute(
        sql`select count(*)::int as n from meeting_rsvps where status = 'going'`,
      )) as unknown as { rows: Array<{ n: number }> }
    ).rows;
    expect(row!.n).toBe(2);
    const now = stack.fake.find(meeting.id) as FakePosted;
    expect(cardText(now.activity)).toContain('2 komen');

    for (const version of [...now.history, now.activity]) {
      expect(cardProblems(version)).toEqual([]);
    }
  });
});
