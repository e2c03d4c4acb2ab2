/**
 * Fault suite: the database becomes unreachable. Klik runs in-process as `npm start` wires it
 * (startKlik: Slack adapter, outbox loop, /readyz, /metrics) on real PostgreSQL, reached through
 * an in-test TCP proxy, so only this Klik loses its database.
 *
 * - Held (no byte moves): a signed `/klik tip` is acknowledged with 200 while the database has
 *   not seen it (a direct connection counts 0 tips), so the ack path does not wait for the database.
 * - Cut for 30 seconds of Klik's waiting (the retry's sleeps run on ManualTimers, moved by the
 *   test; real time is well under a second): /readyz answers 503, tips, an upvote and two poll votes are
 *   acknowledged, nothing is lost, and after the proxy is restored everything resumes by itself:
 *   each tip stored once, its answer shown once, its channel post sent once by the outbox loop,
 *   /readyz back to 200, and no generic error shown to anyone.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KlikProcess, startKlik } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { POLL_VOTE } from '../../src/core/polls/ids.js';
import { type Clock, silentLogger } from '../../src/core/ports.js';
import { nl } from '../../src/messages/catalog/nl.js';
import { createEmptyPostgresDatabase, hasPostgres, requirePostgresInCi } from '../support/db.js';
import { type FakeMessage, FakeSlack, type FakeTeam } from '../support/fake-slack.js';
import { post, signedCommand, signedInteraction } from '../support/slack-signing.js';
import {
  SIGNING_SECRET,
  type SlackButton,
  SlackDriver,
  type SlackStack,
  slackButtons,
  slackText,
} from '../support/slack-stack.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { ManualTimers } from './support/manual-timers.js';

requirePostgresInCi();

const BOT_TOKEN = 'xoxb-fault-outage';
const NET = 'COUTAGE';
const PEOPLE = ['UANNA', 'UHENK', 'UFATIMA'];
const GENERIC = nl['error.generic'];

function flowingClock(start: string): Clock {
  const offset = new Date(start).getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

describe.skipIf(!hasPostgres)('database unreachable (PostgreSQL behind a TCP proxy)', () => {
  let fake: FakeSlack;
  let team: FakeTeam;
  let proxy: TcpProxy;
  let klik: KlikProcess;
  let direct: pg.Pool;
  let drop: () => Promise<void>;
  let driver: SlackDriver;
  let eventsUrl: string;
  const timers = new ManualTimers();

  const count = async (query: string): Promise<number> =>
    Number((await direct.query<{ n: number }>(query)).rows[0]?.n ?? 0);
  const readyz = async () => (await fetch(`http://127.0.0.1:${klik.port}/readyz`)).status;
  /** A slash command, acknowledged or not; does not wait for Klik's work. */
  const command = async (userId: string, text: string) => {
    const fields = driver.commandFields(userId, NET, text);
    const res = await post(eventsUrl, signedCommand(fields, { signingSecret: SIGNING_SECRET }));
    return { status: res.status, responseUrl: fields.response_url };
  };
  const answers = (responseUrl: string) => fake.responsePosts(responseUrl).map((p) => String(p.text ?? ''));
  const latest = (userId: string): FakeMessage => {
    const shown = fake.ephemerals(userId, NET).at(-1);
    if (!shown) throw new Error(`nothing shown to ${userId}`);
    return shown;
  };

  beforeAll(async () => {
    fake = await FakeSlack.start();
    team = fake.addTeam({ id: 'T0OUTAGE', name: 'Zorgnetwerk', token: BOT_TOKEN });
    for (const id of PEOPLE) {
      fake.addUser({ id, teamId: team.id, name: id.slice(1).toLowerCase(), locale: 'nl-NL', tz: 'Europe/Amsterdam' });
    }
    fake.addChannel({ id: NET, teamId: team.id, name: 'leernetwerk', members: PEOPLE });

    const database = await createEmptyPostgresDatabase();
    drop = database.drop;
    const target = new URL(database.url);
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    const proxied = new URL(database.url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    direct = new pg.Pool({ connectionString: database.url, max: 2 });

    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      DATABASE_URL: proxied.toString(),
      KLIK_SECRET_KEY: 'o'.repeat(40),
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: fake.apiUrl,
    });
    klik = await startKlik(config, silentLogger, {
      // Real time flows (the outbox paces channel posts by it), from a fixed Tuesday morning.
      clock: flowingClock('2026-03-03T09:00:00.000Z'),
      dispatchIntervalMs: 20,
      cron: false,
      host: '127.0.0.1',
      databaseRetry: { sleep: timers.sleep, now: timers.now, budgetMs: 120_000 },
    });
    eventsUrl = `http://127.0.0.1:${klik.port}/slack/events`;
    const slack = klik.slack;
    if (!slack) throw new Error('Slack is not configured');
    driver = new SlackDriver({ fake, team, eventsUrl, idle: () => slack.idle() } as unknown as SlackStack);

    await driver.command('UANNA', NET, 'start');
    await driver.click('UANNA', latest('UANNA'), 'setup.confirm');
    await driver.command('UANNA', NET, 'instellingen post-new-tips aan');
    expect(await count('select count(*)::int as n from networks where post_new_tips')).toBe(1);
  }, 120_000);

  afterAll(async () => {
    proxy?.restore();
    await klik?.stop();
    await proxy?.close();
    await direct?.end();
    await drop?.();
    await fake?.close();
  });

  it('held: the ack answers while the database has not seen the request', async () => {
    await driver.command('UHENK', NET, 'tip Vooraf: bel even voor je langskomt #bezoek');
    expect(await count('select count(*)::int as n from tips')).toBe(1);
    proxy.hold();
    const held = await command('UFATIMA', 'tip Neem een collega mee naar de bijeenkomst #samen');
    expect(held.status).toBe(200);
    // The database has not seen it: the ack came first.
    expect(await count("select count(*)::int as n from tips where text like 'Neem een collega%'")).toBe(0);
    expect(answers(held.responseUrl)).toEqual([]);
    proxy.restore();
    await klik.slack?.idle();
    expect(await count("select count(*)::int as n from tips where text like 'Neem een collega%'")).toBe(1);
    expect(answers(held.responseUrl)).toHaveLength(1);
    expect(answers(held.responseUrl)[0]).toContain('je tip is bewaard');
  });

  it('cut for 30 s: /readyz 503, requests acknowledged, then everything resumes and nothing is lost', async () => {
    const list = await driver.command('UANNA', NET, 'tips');
    expect(list.status).toBe(200);
    const tipsList = latest('UANNA');
    expect(slackText(tipsList)).toContain('bel even voor je langskomt');
    await klik.slack?.idle();
    // A date poll in the channel, to vote on during the outage.
    await driver.command('UANNA', NET, 'prikker "Bedrijfsbezoek" 2026-03-10 2026-03-17');
    await fake.waitFor(() => fake.channelMessages(NET).some((m) => slackText(m).includes('Bedrijfsbezoek')));
    const poll = fake.channelMessages(NET).find((m) => slackText(m).includes('Bedrijfsbezoek')) as FakeMessage;
    const votes = slackButtons(poll.blocks).filter((v) => v.actionId === POLL_VOTE);
    expect(votes.length).toBeGreaterThanOrEqual(2);

    proxy.cut();
    expect(await readyz()).toBe(503);
    const b = await command('UHENK', 'tip Maak fotos van de flappen #verslag');
    const c = await command('UFATIMA', 'tip Wissel telefoonnummers uit na de speeddate');
    const { payload } = driver.clickPayload('UANNA', tipsList, 'tip.upvote');
    const click = await post(eventsUrl, signedInteraction(payload, { signingSecret: SIGNING_SECRET }));
    const voteOf = async (userId: string, button: SlackButton) => {
      const { payload: p } = driver.clickPayload(userId, poll, POLL_VOTE);
      const action = (p.actions as Array<Record<string, unknown>>)[0];
      p.actions = [{ ...action, action_id: button.rawActionId, value: button.value }];
      return (await post(eventsUrl, signedInteraction(p, { signingSecret: SIGNING_SECRET }))).status;
    };
    const voted = [
      await voteOf('UHENK', votes[0] as SlackButton),
      await voteOf('UFATIMA', votes.at(-1) as SlackButton),
    ];
    expect([b.status, c.status, click.status, ...voted]).toEqual([200, 200, 200, 200, 200]);

    // Each person's requests run in order: three wait for the database, the votes queue behind
    // them. Hold the outage for 30 s of their waiting.
    await timers.waitFor(() => timers.pending >= 3);
    const cutAt = timers.now();
    while (timers.now() - cutAt < 30_000) {
      timers.advance(1_000);
      await new Promise((r) => setTimeout(r, 15));
    }
    expect(proxy.refused).toBeGreaterThan(0);
    expect(await readyz()).toBe(503);
    expect(answers(b.responseUrl)).toEqual([]);

    proxy.restore();
    const done = klik.slack?.idle() ?? Promise.resolve();
    let finished = false;
    void done.then(() => {
      finished = true;
    });
    while (!finished) {
      timers.advance(5_000);
      await new Promise((r) => setTimeout(r, 15));
    }
    expect(await readyz()).toBe(200);

    for (const [r, text] of [
      [b, 'Maak fotos van de flappen'],
      [c, 'Wissel telefoonnummers uit'],
    ] as const) {
      expect(await count(`select count(*)::int as n from tips where text like '${text}%'`)).toBe(1);
      expect(answers(r.responseUrl)).toHaveLength(1);
      expect(answers(r.responseUrl)[0]).toContain('je tip is bewaard');
    }
    expect(await count('select count(*)::int as n from tip_votes')).toBe(1);
    expect(await count('select count(*)::int as n from poll_votes')).toBe(2);
    expect(await count('select sum(upvotes)::int as n from tips')).toBe(1);
    for (const m of fake.messages) expect(slackText(m)).not.toContain(GENERIC);

    // The outbox loop resumed by itself: each tip posted in the channel once.
    const posted = (text: string) => fake.channelMessages(NET).filter((m) => slackText(m).includes(text)).length;
    const texts = ['Maak fotos van de flappen', 'Wissel telefoonnummers uit', 'Neem een collega mee'];
    await fake.waitFor(() => texts.every((t) => posted(t) > 0));
    const unsent = () => count("select count(*)::int as n from outbox where status <> 'sent'");
    for (let i = 0; i < 200 && (await unsent()) > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await unsent()).toBe(0);
    for (const t of texts) expect(posted(t)).toBe(1);
  }, 90_000);

  it('the database drops just after Slack accepted a post: recorded when it is back, never sent twice', async () => {
    const marker = 'Leg de speeddate-vragen vooraf klaar';
    const posted = () => fake.channelMessages(NET).filter((m) => slackText(m).includes(marker)).length;
    // Cut the database the moment the fake Slack has accepted the post, before Klik records it.
    const cutOnAccept = fake.waitFor(() => posted() > 0).then(() => proxy.cut());
    const r = await command('UHENK', `tip ${marker} #speeddate`);
    expect(r.status).toBe(200);
    await cutOnAccept;
    const refusedAtCut = proxy.refused;
    // The dispatcher tries to record the send again (a new connection, refused while cut).
    await proxy.waitFor(() => proxy.refused > refusedAtCut);
    const row = `select status from outbox where message::text like '%${marker}%' and target->>'kind' = 'channel'`;
    expect((await direct.query<{ status: string }>(row)).rows[0]?.status).toBe('sending');
    proxy.restore();
    for (let i = 0; i < 200 && (await direct.query<{ status: string }>(row)).rows[0]?.status !== 'sent'; i++) {
      await new Promise((res) => setTimeout(res, 50));
    }
    expect((await direct.query<{ status: string }>(row)).rows[0]?.status).toBe('sent');
    await klik.slack?.idle();
    expect(posted()).toBe(1);
  });
});
