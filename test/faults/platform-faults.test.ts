/**
 * Fault suite: the platforms misbehave. One Klik wired by startKlik (Slack and Teams, the outbox
 * dispatcher, /metrics), core time on a FakeClock, the dispatcher run by hand. The fake Slack and
 * the fake Bot Connector (reached through TCP proxies) answer 429 with Retry-After, 500, 502 with
 * an HTML page, drop the connection before answering, or cut the answer off mid-response.
 *
 * What must hold: a 429 holds the target for exactly its Retry-After and then sends; 5xx, HTML and
 * dropped connections are retried with backoff and sent once; a platform that never recovers gets
 * exactly `maxAttempts` tries, then the row is a dead letter counted in /metrics. Nothing is sent
 * twice, except when the platform accepted a message and the answer was lost on the way back:
 * Klik cannot know it was accepted, and it goes out at most once more (the same window product.md
 * allows for a crash).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxWriter } from '../../db/repositories/outbox-writer.js';
import { type KlikProcess, startKlik } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/core/ports.js';
import { msg } from '../../src/messages/model.js';
import { DEFAULT_MAX_ATTEMPTS } from '../../src/scheduler/outbox-dispatcher.js';
import { FakeClock } from '../support/clock.js';
import { FakeBotConnector } from '../support/fake-bot-connector.js';
import { FakeSlack } from '../support/fake-slack.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { TeamsDriver, type TeamsStack } from '../support/teams-stack.js';

type Obj = Record<string, unknown>;

const BOT_TOKEN = 'xoxb-fault-platforms';
const SLACK_CHANNEL = 'CFAULTS';
const TEAM = '19:faults-team@thread.tacv2';
const HTML_502 = '<html><body><h1>502 Bad Gateway</h1></body></html>';

type Platform = 'slack' | 'teams';
type Fault = '429' | '500' | '502-html' | 'drop' | 'mid-response';

describe('platform faults: retries within bounds, dead letters in /metrics, nothing sent twice', () => {
  let dir: string;
  let slack: FakeSlack;
  let connector: FakeBotConnector;
  let slackProxy: TcpProxy;
  let teamsProxy: TcpProxy;
  let klik: KlikProcess;
  const clock = new FakeClock('2026-03-03T09:00:00.000Z');
  const installationOf: Record<Platform, string> = { slack: '', teams: '' };
  let counter = 0;

  const rows = async (q: string): Promise<Obj[]> =>
    ((await klik.database.db.execute(sql.raw(q))) as unknown as { rows: Obj[] }).rows;

  const enqueue = async (platform: Platform): Promise<string> => {
    counter += 1;
    const marker = `fault-${platform}-${counter}-${Date.now()}`;
    const written = await outboxWriter(klik.database.db, clock).enqueue({
      installationId: installationOf[platform],
      key: marker,
      target: { kind: 'channel', channelId: platform === 'slack' ? SLACK_CHANNEL : TEAM },
      message: msg(`Bericht ${marker}`),
    });
    expect(written).toBe(true);
    return marker;
  };
  const rowOf = async (marker: string) => {
    const [row] = await rows(
      `select status, attempts, last_error, next_attempt_at from outbox where idempotency_key = '${marker}'`,
    );
    if (!row) throw new Error(`no row ${marker}`);
    return row as { status: string; attempts: number; last_error: string | null; next_attempt_at: Date };
  };
  /** Calls that carried this message to the platform (accepted or not). */
  const tries = (platform: Platform, marker: string): number =>
    platform === 'slack'
      ? slack.callsOf('chat.postMessage').filter((c) => JSON.stringify(c.args).includes(marker)).length
      : connector.calls.filter((c) => c.method === 'POST' && JSON.stringify(c.body ?? {}).includes(marker)).length;
  /** How many times people see this message. */
  const seen = (platform: Platform, marker: string): number =>
    platform === 'slack'
      ? slack.channelMessages(SLACK_CHANNEL).filter((m) => m.text.includes(marker)).length
      : connector.messages(TEAM).filter((p) => JSON.stringify(p.activity).includes(marker)).length;
  /** Runs the dispatcher, moving time on past every backoff, until the row is sent or dead. */
  const settle = async (marker: string, stepMs = 15 * 60_000) => {
    for (let i = 0; i < 40; i++) {
      await klik.dispatcher.runOnce();
      const row = await rowOf(marker);
      if (row.status === 'sent' || row.status === 'dead') return row;
      clock.advance(stepMs);
    }
    throw new Error(`row ${marker} never settled`);
  };
  const metric = async (name: string, labels: Record<string, string>): Promise<number> => {
    const text = await (await fetch(`http://127.0.0.1:${klik.port}/metrics`)).text();
    const line = text
      .split('\n')
      .find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };

  /** The next `times` sends fail this way. */
  const inject = (platform: Platform, fault: Exclude<Fault, 'mid-response' | 'drop'>, times: number) => {
    for (let i = 0; i < times; i++) {
      if (platform === 'slack') {
        slack.failNext(
          'chat.postMessage',
          fault === '429'
            ? { status: 429, retryAfter: 7 }
            : fault === '500'
              ? { status: 500 }
              : { status: 502, html: true },
        );
      } else {
        connector.failNext(
          (c) => c.method === 'POST' && c.path.includes('/activities'),
          fault === '429' ? 429 : fault === '500' ? 500 : 502,
          fault === '429' ? { headers: { 'retry-after': '7' } } : fault === '502-html' ? { body: HTML_502 } : {},
        );
      }
    }
  };
  const proxyOf = (platform: Platform) => (platform === 'slack' ? slackProxy : teamsProxy);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'klik-faults-'));
    slack = await FakeSlack.start();
    const team = slack.addTeam({ id: 'T0FAULTS', name: 'Faults', token: BOT_TOKEN });
    slack.addUser({ id: 'UANNA', teamId: team.id, name: 'anna' });
    slack.addChannel({ id: SLACK_CHANNEL, teamId: team.id, name: 'storingen', members: ['UANNA'] });
    slackProxy = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(slack.url).port) });

    connector = await FakeBotConnector.start();
    connector.addUser({ teamsId: '29:anna', aadObjectId: 'aad-anna', name: 'Anna de Vries', upn: 'anna@zorg.nl' });
    connector.teams.set(TEAM, ['29:anna']);
    teamsProxy = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(connector.serviceUrl).port) });

    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      KLIK_DATA_DIR: dir,
      KLIK_SECRET_KEY: 'f'.repeat(40),
      SLACK_SIGNING_SECRET: 'fault-signing-secret',
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: `${slackProxy.url}/api/`,
      TEAMS_ENABLED: '1',
    });
    klik = await startKlik(config, silentLogger, { clock, dispatchIntervalMs: 0, cron: false, host: '127.0.0.1' });

    // Klik added to a Teams team, through the proxy (so the stored serviceUrl is the proxy's).
    const driver = new TeamsDriver({
      fake: connector,
      botId: '28:klik-local-bot',
      appId: '',
      messagesUrl: `http://127.0.0.1:${klik.port}/api/messages`,
      idle: async () => {},
    } as unknown as TeamsStack);
    const user = driver.user('aad-anna');
    const env = driver.envelope(user, { kind: 'channel', id: TEAM, teamId: TEAM });
    const res = await driver.post({
      ...env,
      serviceUrl: `${teamsProxy.url}/`,
      conversation: { ...(env.conversation as Obj), id: TEAM },
      type: 'conversationUpdate',
      membersAdded: [{ id: '28:klik-local-bot' }],
      channelData: { ...(env.channelData as Obj), eventType: 'teamMemberAdded' },
    });
    expect(res.status).toBeLessThan(300);
    for (const platform of ['slack', 'teams'] as const) {
      const [row] = await rows(`select id from installations where platform = '${platform}'`);
      installationOf[platform] = String(row?.id ?? '');
      expect(installationOf[platform]).not.toBe('');
    }
    // Whatever Klik sent on being added (a welcome) is out of the way first.
    for (let i = 0; i < 5 && (await klik.dispatcher.runOnce()) > 0; i++) clock.advance(60_000);
  }, 120_000);

  afterAll(async () => {
    await klik?.stop();
    await slackProxy?.close();
    await teamsProxy?.close();
    await slack?.close();
    await connector?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const platform of ['slack', 'teams'] as const) {
    describe(platform, () => {
      it('429 with Retry-After: only that target waits exactly that long, then one send', async () => {
        clock.advance(60_000);
        const marker = await enqueue(platform);
        inject(platform, '429', 1);
        const before = clock.now().getTime();
        await klik.dispatcher.runOnce();
        const held = await rowOf(marker);
        expect(held.status).toBe('pending');
        expect(held.last_error).toBe('rate_limited');
        expect(new Date(held.next_attempt_at).getTime()).toBe(before + 7_000);
        clock.advance(6_000);
        await klik.dispatcher.runOnce();
        expect(tries(platform, marker)).toBe(1);
        clock.advance(1_000);
        const row = await settle(marker, 1_000);
        expect(row.status).toBe('sent');
        expect(row.attempts).toBeLessThanOrEqual(1);
        expect(tries(platform, marker)).toBe(2);
        expect(seen(platform, marker)).toBe(1);
      });

      for (const fault of ['500', '502-html'] as const) {
        it(`${fault} twice: retried with backoff, then sent once`, async () => {
          clock.advance(60_000);
          const marker = await enqueue(platform);
          inject(platform, fault, 2);
          const retriesBefore = await metric('klik_outbox_retries_total', { platform, reason: 'transient' });
          const row = await settle(marker);
          expect(row.status).toBe('sent');
          expect(tries(platform, marker)).toBe(3);
          expect(seen(platform, marker)).toBe(1);
          expect(await metric('klik_outbox_retries_total', { platform, reason: 'transient' })).toBe(retriesBefore + 2);
        });
      }

      it('a connection dropped before any answer: retried, sent once', async () => {
        clock.advance(60_000);
        const marker = await enqueue(platform);
        proxyOf(platform).cut();
        await klik.dispatcher.runOnce();
        expect((await rowOf(marker)).status).toBe('pending');
        expect(seen(platform, marker)).toBe(0);
        proxyOf(platform).restore();
        const row = await settle(marker);
        expect(row.status).toBe('sent');
        expect(seen(platform, marker)).toBe(1);
      });

      it('a connection dropped mid-response after the platform accepted: at most once more', async () => {
        clock.advance(60_000);
        const marker = await enqueue(platform);
        const proxy = proxyOf(platform);
        const broken = proxy.broken;
        proxy.breakResponses(12);
        await klik.dispatcher.runOnce();
        proxy.restore();
        expect(proxy.broken).toBeGreaterThan(broken);
        expect(seen(platform, marker)).toBe(1);
        expect((await rowOf(marker)).status).toBe('pending');
        const row = await settle(marker);
        expect(row.status).toBe('sent');
        expect(seen(platform, marker)).toBeGreaterThanOrEqual(1);
        expect(seen(platform, marker)).toBeLessThanOrEqual(2);
      });

      it(`a platform that keeps failing: exactly ${DEFAULT_MAX_ATTEMPTS} tries, then a dead letter in /metrics`, async () => {
        clock.advance(60_000);
        const marker = await enqueue(platform);
        const deadBefore = await metric('klik_outbox_dead_letters_total', { platform, reason: 'too_many_attempts' });
        // Exactly as many failures as tries allowed: a ninth try would succeed and show here.
        inject(platform, '502-html', 3);
        inject(platform, '500', DEFAULT_MAX_ATTEMPTS - 3);
        const row = await settle(marker);
        expect(row.status).toBe('dead');
        expect(row.last_error).toBe('too_many_attempts');
        expect(tries(platform, marker)).toBe(DEFAULT_MAX_ATTEMPTS);
        expect(seen(platform, marker)).toBe(0);
        expect(await metric('klik_outbox_dead_letters_total', { platform, reason: 'too_many_attempts' })).toBe(
          deadBefore + 1,
        );
      });
    });
  }
});
