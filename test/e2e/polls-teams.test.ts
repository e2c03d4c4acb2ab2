/**
 * A date poll through Teams (the real CloudAdapter, the fake Bot Connector): `@Klik prikker` posts a
 * card in the channel, clicks on its Action.Submit buttons are votes, the card is updated (PUT) with
 * the tallies, coalesced; every card parses as an Adaptive Card and stays under 28 KB.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { POLL_VOTE } from '../../src/core/polls/ids.js';
import { cardProblems } from '../support/adaptive-cards.js';
import { cardButtons, cardText, type FakePosted } from '../support/fake-bot-connector.js';
import { bootTeamsNetwork, type FakeConversation, type TeamsStack } from '../support/teams-stack.js';

// Real databases and HTTP under a busy machine: generous limits (speed is measured in `npm run bench votes`).
vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

type Obj = Record<string, unknown>;

const PEOPLE = [
  { aad: 'aad-carla', name: 'Carla Coördinator' },
  { aad: 'aad-anna', name: 'Anna Achterberg' },
  { aad: 'aad-otto', name: 'Otto Overig' },
];
const TEAM = '19:team-polls@thread.tacv2';
const CHANNEL: FakeConversation = { kind: 'channel', id: '19:polls@thread.tacv2', teamId: TEAM, name: 'polls' };

describe('polls through Teams', () => {
  let stack: TeamsStack;
  const settle = async () => {
    stack.clock.advance(1_100);
    await stack.deliver();
  };

  beforeAll(async () => {
    stack = await bootTeamsNetwork({
      people: PEOPLE,
      team: TEAM,
      channel: CHANNEL,
      coordinator: 'aad-carla',
    });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('posts the poll card, takes votes from its buttons and updates the card with the tallies', async () => {
    const before = stack.fake.messages(CHANNEL.id).length;
    const res = await stack.driver.message('aad-anna', CHANNEL, 'prikker "Teamuitje" 16 maart 17 maart 14:00');
    expect(res.status).toBe(200);
    await settle();
    const posted = stack.fake.messages(CHANNEL.id).slice(before);
    expect(posted).toHaveLength(1);
    const card = posted[0]!;
    expect(cardText(card.activity)).toContain('Teamuitje');
    expect(cardText(card.activity)).toContain('ma 16 mrt');
    const votes = cardButtons(card.activity).filter((b) => b.actionId === POLL_VOTE);
    expect(votes).toHaveLength(6);

    const yesOn = (o: number) => votes.find((b) => String((b.data as Obj).value).endsWith(`:${o}:y`))!;
    const noOn = (o: number) => votes.find((b) => String((b.data as Obj).value).endsWith(`:${o}:n`))!;
    await Promise.all([
      stack.driver.post(stack.driver.submitActivity('aad-anna', card, yesOn(0).data as Obj)),
      stack.driver.post(stack.driver.submitActivity('aad-otto', card, yesOn(0).data as Obj)),
      stack.driver.post(stack.driver.submitActivity('aad-carla', card, noOn(1).data as Obj)),
    ]);
    await settle();
    const puts = stack.fake.calls.filter((c) => c.method === 'PUT' && c.activityId === card.id);
    expect(puts.length).toBeGreaterThanOrEqual(1);
    expect(puts.length).toBeLessThan(3);
    const updated = cardText((stack.fake.find(card.id) as FakePosted).activity);
    expect(updated).toContain('✅ 2 · 🤔 0 · ❌ 0');
    expect(updated).toContain('✅ 0 · 🤔 0 · ❌ 1');
    expect(updated).toContain('Iedereen heeft gestemd (3)');

    for (const version of [...card.history, (stack.fake.find(card.id) as FakePosted).activity]) {
      expect(cardProblems(version)).toEqual([]);
    }
  });
});
