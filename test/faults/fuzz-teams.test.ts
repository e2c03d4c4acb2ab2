/**
 * Fault suite: fuzzing what Teams sends, through the real CloudAdapter on /api/messages (local
 * unauthenticated mode, so bodies reach the parsers): random activities, mutated recorded
 * activities (their serviceUrl always pointed at the fake Bot Connector, so Klik's answers are
 * seen and nothing leaves the machine), command text in a live network, bodies up to 1 MiB.
 * Never a 5xx, never a crash, never a stack trace or internal error text in what people see.
 */
import { readdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardButtons } from '../support/fake-bot-connector.js';
import { RECORDED_DIR, recorded } from '../support/fixtures.js';
import { bootTeamsStack, type FakeConversation, type TeamsStack } from '../support/teams-stack.js';
import { anyJson, commandText, leaksIn, mutated, stringsOf } from './support/fuzz.js';

type Obj = Record<string, unknown>;

const TEAM = '19:fuzz-team@thread.tacv2';
const PEOPLE = [
  { teamsId: '29:anna', aadObjectId: 'aad-anna', name: 'Anna de Vries', upn: 'anna@zorg.nl', locale: 'nl-NL' },
  { teamsId: '29:henk', aadObjectId: 'aad-henk', name: 'Henk Jansen', upn: 'henk@zorg.nl', locale: 'nl-NL' },
];

function recordedActivities(): Obj[] {
  const out: Obj[] = [];
  for (const file of readdirSync(RECORDED_DIR).filter((f) => f.endsWith('.json') && f.includes('teams'))) {
    for (const value of Object.values(recorded<Record<string, unknown>>(file))) {
      if (value && typeof value === 'object' && !Array.isArray(value) && typeof (value as Obj).type === 'string') {
        out.push(value as Obj);
      }
    }
  }
  return out;
}

describe('Teams activities under fuzzing', () => {
  let s: TeamsStack;
  const channel: FakeConversation = { kind: 'channel', id: TEAM, teamId: TEAM, name: 'Leernetwerk' };
  const activities = recordedActivities();
  let seenPosts = 0;

  /** Sends a body as Teams would (JSON), the serviceUrl pointed at the fake when it has one. */
  const send = async (body: unknown) => {
    const value =
      body && typeof body === 'object' && !Array.isArray(body)
        ? { ...(body as Obj), serviceUrl: s.fake.serviceUrl }
        : body;
    const res = await fetch(s.messagesUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(value),
    });
    const text = await res.text();
    await s.idle();
    await s.deliver();
    return { status: res.status, body: text };
  };
  const expectClean = (status: number, body: string, input: string) => {
    expect(status).toBeLessThan(500);
    expect(leaksIn(body, input)).toEqual([]);
    for (const p of s.fake.posted.slice(seenPosts))
      expect(leaksIn(stringsOf(p.activity).join('\n'), input)).toEqual([]);
    seenPosts = s.fake.posted.length;
  };

  beforeAll(async () => {
    s = await bootTeamsStack({
      seed: (fake) => {
        for (const p of PEOPLE) fake.addUser(p);
        fake.teams.set(
          TEAM,
          PEOPLE.map((p) => p.teamsId),
        );
      },
    });
    s.driver.channels.set(TEAM, channel);
    await s.driver.installTeam(TEAM, 'aad-anna');
    await s.driver.message('aad-anna', channel, 'setup');
    await s.deliver();
    // Confirm the setup preview, so commands meet a live network.
    const preview = [...s.fake.posted]
      .reverse()
      .find((p) => cardButtons(p.activity).some((b) => b.actionId === 'setup.confirm'));
    if (!preview) throw new Error('no setup preview');
    const confirm = cardButtons(preview.activity).find((b) => b.actionId === 'setup.confirm');
    await s.driver.post(s.driver.submitActivity('aad-anna', preview, confirm?.data ?? {}));
    await s.deliver();
    const networks = (await s.database.db.execute(sql.raw('select count(*)::int as n from networks'))) as unknown as {
      rows: Array<{ n: number }>;
    };
    expect(networks.rows[0]?.n).toBe(1);
    seenPosts = s.fake.posted.length;
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  it('command text from people, in the channel and in 1:1 chats', async () => {
    await fc.assert(
      fc.asyncProperty(
        commandText,
        fc.constantFrom('aad-anna', 'aad-henk'),
        fc.boolean(),
        async (text, aad, direct) => {
          const conv: FakeConversation = direct ? { kind: 'personal', id: s.driver.personalOf(aad) } : channel;
          const res = await s.driver.message(aad, conv, text);
          await s.deliver();
          expectClean(res.status, res.body, text);
        },
      ),
      { numRuns: 50 },
    );
  }, 90_000);

  it('mutated recorded activities', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...activities).chain((a) => mutated(a)),
        async (activity) => {
          const res = await send(activity);
          expectClean(res.status, res.body, JSON.stringify(activity));
        },
      ),
      { numRuns: 60 },
    );
  }, 90_000);

  it('random JSON bodies and bodies that are not JSON', async () => {
    await fc.assert(
      fc.asyncProperty(anyJson, async (body) => {
        const res = await send(body);
        expectClean(res.status, res.body, JSON.stringify(body));
      }),
      { numRuns: 50 },
    );
    for (const raw of ['', 'null', '{', 'not json', '[]', '"x"', '{"type":null}']) {
      const res = await fetch(s.messagesUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: raw,
      });
      expect(res.status).toBeLessThan(500);
      expect(leaksIn(await res.text())).toEqual([]);
    }
  }, 90_000);

  it('bodies up to 1 MiB are handled; larger ones refused, never a 5xx', async () => {
    for (const size of [64 * 1024, 512 * 1024, 1_000_000]) {
      const activity = s.driver.messageActivity('aad-henk', channel, `tip ${'lang '.repeat(size / 5)}`);
      expect(Buffer.byteLength(JSON.stringify(activity))).toBeLessThanOrEqual(1024 * 1024);
      const res = await send(activity);
      expectClean(res.status, res.body, '');
    }
    const huge = s.driver.messageActivity('aad-henk', channel, `tip ${'x'.repeat(2 * 1024 * 1024)}`);
    const res = await send(huge);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  }, 90_000);

  it('still answers afterwards', async () => {
    const before = s.driver.personalMessages('aad-henk').length + s.fake.messages(TEAM).length;
    const res = await s.driver.message('aad-henk', { kind: 'personal', id: s.driver.personalOf('aad-henk') }, 'help');
    await s.deliver();
    expect(res.status).toBeLessThan(300);
    expect(s.driver.personalMessages('aad-henk').length + s.fake.messages(TEAM).length).toBeGreaterThan(before);
  });
});
