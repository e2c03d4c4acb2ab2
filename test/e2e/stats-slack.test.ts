/**
 * `/klik statistiek` through the real Slack app against the fake Slack: the figures arrive as a
 * private Block Kit message to the coordinator only (fields and sections within Slack's limits),
 * and a member is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../support/fake-slack.js';
import { bootSlackNetwork, type SlackStack, slackText } from '../support/slack-stack.js';

const NET = 'CHEALTH';
const PEOPLE = ['UANNA', 'UHENK', 'UFATIMA', 'USANNE'];
const COORD = 'UANNA';

describe('stats through Slack', () => {
  let s: SlackStack;
  const latest = (userId: string): FakeMessage => {
    const shown = s.fake.ephemerals(userId, NET).at(-1);
    if (!shown) throw new Error(`nothing shown to ${userId}`);
    return shown;
  };

  beforeAll(async () => {
    s = await bootSlackNetwork({ people: PEOPLE, channel: { id: NET, name: 'gezond' }, coordinator: COORD });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('a coordinator gets the figures privately; a member is refused', async () => {
    await s.driver.command(COORD, NET, 'koppel nu');
    await s.idle();
    await s.deliver();
    const before = s.fake.ephemerals('UHENK', NET).length;
    const r = await s.driver.command(COORD, NET, 'statistiek');
    expect(r.status).toBe(200);
    await s.idle();
    const shown = latest(COORD);
    const text = slackText(shown);
    expect(text).toContain('in cijfers');
    expect(text).toContain('4 (90 dagen geleden: 0)');
    expect(text).toContain('1, de check-in komt nog');
    expect(text).toContain('#1 (');
    expect(shown.blocks.some((b) => b.type === 'section' && Array.isArray(b.fields))).toBe(true);
    // Nobody else saw it, and nothing went to the channel.
    expect(s.fake.ephemerals('UHENK', NET)).toHaveLength(before);
    expect(s.fake.channelMessages(NET).some((m) => slackText(m).includes('in cijfers'))).toBe(false);

    await s.driver.command('UHENK', NET, 'statistiek');
    await s.idle();
    expect(slackText(latest('UHENK'))).toContain('Alleen een coördinator');
  });
});
