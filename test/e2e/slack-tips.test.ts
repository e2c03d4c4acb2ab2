/**
 * Tips through the real Slack app: `/klik tip` with tags, Dutch stemming search, upvote twice
 * counts once, a member cannot delete another's tip (the author can), bad input refused with
 * nothing stored.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../support/fake-slack.js';
import { bootSlackNetwork, type SlackStack, slackButtons, slackText } from '../support/slack-stack.js';

const NET = 'CTIPS';
const PEOPLE = ['UANNA', 'UHENK', 'UFATIMA'];
const COORD = 'UANNA';

async function count(stack: SlackStack, query: string): Promise<number> {
  const result = await stack.database.db.execute(sql.raw(query));
  return Number((result as unknown as { rows: Array<{ n: number }> }).rows[0]?.n ?? 0);
}

describe('tips through Slack', () => {
  let s: SlackStack;
  const latest = (userId: string): FakeMessage => {
    const shown = s.fake.ephemerals(userId, NET).at(-1);
    if (!shown) throw new Error(`nothing shown to ${userId}`);
    return shown;
  };
  const say = async (userId: string, text: string): Promise<FakeMessage> => {
    const r = await s.driver.command(userId, NET, text);
    expect(r.status).toBe(200);
    return latest(userId);
  };

  beforeAll(async () => {
    s = await bootSlackNetwork({ people: PEOPLE, channel: { id: NET, name: 'tips' }, coordinator: COORD });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('tip → saved with tags; "netwerk" finds "netwerken"', async () => {
    const saved = await say('UHENK', 'tip Netwerken lukt het best op elkaars werkvloer #Bezoek');
    expect(slackText(saved)).toContain('je tip is bewaard');
    expect(slackText(saved)).toContain('#bezoek');
    await say('UFATIMA', 'tip Plan de volgende bijeenkomst meteen #ritme');
    const found = slackText(await say('UFATIMA', 'tips netwerk'));
    expect(found).toContain('Netwerken lukt het best');
    expect(found).not.toContain('Plan de volgende');
    expect(await count(s, "select count(*)::int as n from tips where 'bezoek' = any(tags)")).toBe(1);
  });

  it('upvote twice counts once', async () => {
    const list = await say('UFATIMA', 'tips netwerk');
    await s.driver.click('UFATIMA', list, 'tip.upvote');
    await s.driver.click('UFATIMA', list, 'tip.upvote');
    await s.idle();
    expect(await count(s, 'select count(*)::int as n from tip_votes')).toBe(1);
    expect(await count(s, 'select sum(upvotes)::int as n from tips')).toBe(1);
    expect(slackText(latest('UFATIMA'))).toContain('telt één keer');
  });

  it('a member cannot delete another’s tip; the author can', async () => {
    const henks = await say('UHENK', 'tips netwerk');
    expect(slackButtons(henks.blocks).map((b) => b.actionId)).toContain('tip.delete');
    const fatimas = await say('UFATIMA', 'tips netwerk');
    expect(slackButtons(fatimas.blocks).map((b) => b.actionId)).not.toContain('tip.delete');
    // A forged click with Henk's delete button by Fatima is refused.
    await s.driver.click('UFATIMA', henks, 'tip.delete');
    await s.idle();
    expect(await count(s, "select count(*)::int as n from tips where text like 'Netwerken%'")).toBe(1);
    await s.driver.click('UHENK', henks, 'tip.delete');
    await s.idle();
    expect(await count(s, "select count(*)::int as n from tips where text like 'Netwerken%'")).toBe(0);
  });

  it('bad input is refused with a clear message, nothing stored', async () => {
    const before = await count(s, 'select count(*)::int as n from tips');
    expect(slackText(await say('UHENK', 'tip'))).toContain('/klik tip');
    expect(slackText(await say('UHENK', `tip ${'x'.repeat(2_001)}`))).toContain('2000');
    expect(await count(s, 'select count(*)::int as n from tips')).toBe(before);
    expect(s.fake.rejections).toEqual([]);
  });
});
