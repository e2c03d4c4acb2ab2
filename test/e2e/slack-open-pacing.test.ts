/**
 * The Slack platform paces conversations.open per workspace (adapters/slack/open-pacer.ts) and
 * chat.postMessage per channel, at Slack's minute or at SLACK_RATE_LIMIT_WINDOW_MS: the real
 * adapter against the fake Slack, on a fake clock (no call here ever waits).
 */

import { afterEach, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack/adapter.js';
import { createStore } from '../../db/store.js';
import { loadConfig, type SlackConfig } from '../../src/config.js';
import { type InstallationRef, silentLogger } from '../../src/core/ports.js';
import { FakeClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { FakeSlack } from '../support/fake-slack.js';
import { refusal } from '../support/refusal.js';

const TEAM = 'T0PACED01';
const TOKEN = 'xoxb-paced-workspace';
const SECRET_KEY = 'k'.repeat(40);
const CHANNEL = 'C0PACED01';
const users = Array.from({ length: 60 }, (_, i) => `U${String(i).padStart(8, '0')}`);
const hello = { text: 'hallo', blocks: [] };

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanups.splice(0).reverse()) await close();
});

async function boot(windowMs?: string): Promise<{
  fake: FakeSlack;
  clock: FakeClock;
  adapter: SlackAdapter;
  inst: InstallationRef;
  config: SlackConfig;
}> {
  const fake = await FakeSlack.start();
  cleanups.push(() => fake.close());
  const team = fake.addTeam({ id: TEAM, name: 'Paced', token: TOKEN });
  for (const id of users) fake.addUser({ id, teamId: team.id, name: id.toLowerCase() });
  fake.addChannel({ id: CHANNEL, teamId: team.id, name: 'netwerk', members: [team.botUserId, ...users] });
  const config = loadConfig({
    KLIK_SECRET_KEY: SECRET_KEY,
    SLACK_SIGNING_SECRET: 'signing-secret',
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_API_URL: fake.apiUrl,
    ...(windowMs ? { SLACK_RATE_LIMIT_WINDOW_MS: windowMs } : {}),
  }).slack;
  if (!config) throw new Error('Slack not configured');
  const database: TestDatabase = await createTestDatabase('pglite');
  cleanups.push(() => database.close());
  const clock = new FakeClock('2026-03-03T09:00:00.000Z');
  const adapter = createSlackAdapter({
    config,
    database,
    store: createStore(database.db, clock),
    klik: () => {
      throw new Error('no core in this test');
    },
    clock,
    logger: silentLogger,
    secretKey: SECRET_KEY,
    publicUrl: 'http://klik.test',
    defaultLocale: 'nl',
  });
  cleanups.push(() => adapter.stop());
  await adapter.start();
  const active = await adapter.installations.active(TEAM);
  if (!active) throw new Error('workspace not installed');
  return { fake, clock, adapter, inst: active.ref, config };
}

describe('Slack platform pacing', () => {
  it('opens 50 conversations a minute per workspace, then holds new ones without calling Slack; known ones still go', async () => {
    const { fake, clock, adapter, inst } = await boot();
    const platform = adapter.platform;
    for (const user of users.slice(0, 49)) await platform.postToUser(inst, user, hello);
    await platform.postToGroup(inst, [users[58] as string, users[59] as string], hello);
    expect(fake.callsOf('conversations.open')).toHaveLength(50);

    clock.advance(1_000);
    const err = await refusal(platform.postToUser(inst, users[49] as string, hello));
    expect(err).toMatchObject({ code: 'rate_limited', scope: 'new-conversations', retryAfterMs: 60_200 });
    expect(await refusal(platform.postToGroup(inst, [users[50] as string, users[51] as string], hello))).toMatchObject({
      scope: 'new-conversations',
    });
    expect(fake.callsOf('conversations.open')).toHaveLength(50);

    // A conversation already opened is remembered: no conversations.open, no pacing.
    clock.advance(1_000);
    await platform.postToUser(inst, users[0] as string, hello);
    await platform.postToGroup(inst, [users[59] as string, users[58] as string], hello);
    expect(fake.callsOf('conversations.open')).toHaveLength(50);

    // Once the window (Slack's minute and 2%) has moved past the burst, new ones open again.
    clock.advance(58_200);
    await platform.postToUser(inst, users[49] as string, hello);
    expect(fake.callsOf('conversations.open')).toHaveLength(51);
    expect(fake.callsOf('chat.postMessage').filter((c) => c.error === null)).toHaveLength(53);
  });

  it('SLACK_RATE_LIMIT_WINDOW_MS shortens the minute: for conversations.open and for posts to one channel', async () => {
    const { fake, clock, adapter, inst, config } = await boot('6000');
    expect(config.rateLimitWindowMs).toBe(6_000);
    const platform = adapter.platform;
    for (const user of users.slice(0, 50)) await platform.postToUser(inst, user, hello);
    expect(await refusal(platform.postToUser(inst, users[50] as string, hello))).toMatchObject({
      code: 'rate_limited',
      scope: 'new-conversations',
      retryAfterMs: 6_120,
    });
    clock.advance(6_120);
    await platform.postToUser(inst, users[50] as string, hello);
    expect(fake.callsOf('conversations.open')).toHaveLength(51);

    // One post a channel every window / 60: 100 ms here.
    await platform.postToChannel(inst, CHANNEL, hello);
    clock.advance(40);
    expect(await refusal(platform.postToChannel(inst, CHANNEL, hello))).toMatchObject({
      code: 'rate_limited',
      scope: 'target',
      retryAfterMs: 60,
    });
    clock.advance(60);
    await platform.postToChannel(inst, CHANNEL, hello);
  });
});
