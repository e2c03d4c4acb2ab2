/**
 * Pairing through the real Slack app: `/klik koppel nu` in a channel of 7 makes two pairs and a
 * trio, each gets one intro in its own group DM (conversations.open with all of them), the
 * check-in arrives halfway, and "yes" opens the note modal whose answer is recorded.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../support/fake-slack.js';
import { bootSlackStack, type SlackStack, slackButtons, slackText } from '../support/slack-stack.js';

const NET = 'CKOPPEL';
const PEOPLE = ['UANNA', 'UHENK', 'UFATIMA', 'UJOOST', 'USANNE', 'UILSE', 'UPRIYA'];
const COORD = 'UANNA';

async function count(stack: SlackStack, query: string): Promise<number> {
  const result = await stack.database.db.execute(sql.raw(query));
  return Number((result as unknown as { rows: Array<{ n: number }> }).rows[0]?.n ?? 0);
}

describe('pairing through Slack', () => {
  let s: SlackStack;
  const groupDms = () => [...s.fake.channels.values()].filter((c) => c.kind === 'mpim');
  const humans = (members: Set<string>) => [...members].filter((m) => !s.fake.users.get(m)?.isBot);
  const checkIns = (userId: string): FakeMessage[] => {
    const dm = s.fake.dmOf(userId);
    return dm
      ? s.fake
          .channelMessages(dm.id)
          .filter((m) => slackButtons(m.blocks).some((b) => b.actionId.startsWith('checkin.answer')))
      : [];
  };

  beforeAll(async () => {
    s = await bootSlackStack({
      seed: (fake, team) => {
        for (const id of PEOPLE) {
          fake.addUser({
            id,
            teamId: team.id,
            name: id.slice(1).toLowerCase(),
            locale: id === 'UPRIYA' ? 'en-GB' : 'nl-NL',
            tz: 'Europe/Amsterdam',
          });
        }
        fake.addChannel({ id: NET, teamId: team.id, name: 'koppelen', members: PEOPLE });
      },
    });
    await s.driver.command(COORD, NET, 'start');
    const preview = s.fake.ephemerals(COORD, NET).at(-1)!;
    await s.driver.click(COORD, preview, 'setup.confirm');
    await s.idle();
    await s.deliver();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('koppel nu: two pairs and a trio, one intro each in a group DM, nobody left out', async () => {
    const r = await s.driver.command(COORD, NET, 'koppel nu');
    expect(r.status).toBe(200);
    await s.idle();
    await s.deliver();
    const groups = groupDms();
    expect(groups.map((g) => humans(g.members).length).sort()).toEqual([2, 2, 3]);
    expect(groups.flatMap((g) => humans(g.members)).sort()).toEqual([...PEOPLE].sort());
    for (const g of groups) {
      const intros = s.fake.channelMessages(g.id);
      expect(intros).toHaveLength(1);
      expect(slackText(intros[0]!)).toMatch(/Maak kennis|Meet someone new/);
    }
    expect(s.fake.rejections).toEqual([]);
  });

  it('the check-in comes halfway, not before; yes opens the note modal; the answer and note are recorded', async () => {
    await s.deliver();
    expect(checkIns('UHENK')).toEqual([]);
    s.clock.advance(8 * 86_400_000);
    await s.deliver();
    // Slack paces one post a second per conversation: let the rest come due.
    for (let i = 0; i < 3; i++) {
      s.clock.advance(1_100);
      await s.deliver();
    }
    for (const id of PEOPLE) expect(checkIns(id)).toHaveLength(1);

    const question = checkIns('UHENK')[0]!;
    await s.driver.click('UHENK', question, 'checkin.answer');
    await s.idle();
    expect(await count(s, "select count(*)::int as n from pairing_group_members where check_in = 'yes'")).toBe(1);
    expect(s.fake.modalOf('UHENK')).toBeDefined();
    const submitted = await s.driver.submit('UHENK', { note: 'Zij werkt met vaste koppels per cliënt', share: 'yes' });
    expect(submitted.status).toBe(200);
    await s.idle();
    expect(
      await count(
        s,
        "select count(*)::int as n from pairing_group_members where share_note and note like 'Zij werkt%'",
      ),
    ).toBe(1);
  });
});
