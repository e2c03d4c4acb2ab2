/**
 * Ack latency under load: signed `/klik help` commands and poll votes (clicks on yes / if need be /
 * no of a 20-date poll; every request distinct, with its own response_url, trigger and action_ts,
 * so no dedupe short-cut) at
 * 50, 200 and 500 requests a second, open loop, into a Klik process on real PostgreSQL and into a
 * bare Bolt app (bench/peers/bare-bolt.ts) in the same run. Both servers are pinned to core 0;
 * the load generator (bench/support/open-loop.ts), the fake Slack they answer through and a local
 * PostgreSQL run on core 1. Each cell is the median of 3 runs; Klik and Bolt alternate run by run so background
 * noise hits both alike. Latency counts from when a request was due until its answer arrived.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase } from '../../db/client.js';
import { createStore } from '../../db/store.js';
import { POLL_VOTE } from '../../src/core/polls/ids.js';
import { systemClock } from '../../src/core/ports.js';
import type { BenchRow, BenchSection } from '../report.js';
import { LoadGenerator } from '../support/load.js';
import type { LoadResult } from '../support/open-loop.js';
import { benchPostgres, freshDatabase, pinPostgres } from '../support/postgres.js';
import { canPin, freePort, pinSelf, type Spawned, sleep, spawnNode, waitReady } from '../support/process.js';
import {
  CHANNEL_ID,
  klikSlackEnv,
  type SeededNetwork,
  SIGNING_SECRET,
  type SlackWorld,
  seedNetworkAt,
  slackWorld,
  TEAM_ID,
  userId,
} from '../support/slack-world.js';

const QUICK = process.env.BENCH_QUICK === '1';
/** `BENCH_ACK_RATES=50,200` runs only these rates (to look into one cell). */
const RATES = process.env.BENCH_ACK_RATES
  ? process.env.BENCH_ACK_RATES.split(',').map(Number)
  : QUICK
    ? [50, 200]
    : [50, 200, 500];
const RUNS = QUICK ? 1 : 3;
/**
 * Seconds a run lasts: at least 300 requests and 1.5 s (6 s at 50/s, 1.5 s at 200/s and 500/s),
 * so a run's p99 is not just its second-slowest answer, and the whole bench stays under 10 minutes.
 */
const secondsAt = (rate: number) => (QUICK ? 1 : Math.max(1.5, 300 / rate));
/** How long to wait after a run for the work it caused (so the next run starts on an idle core). */
const DRAIN_LIMIT_MS = 15_000;
const PEOPLE = 200;
const OPTIONS = 20;
const CODES = ['y', 'm', 'n'] as const;
const CODE_CHOICE: Record<string, string> = { y: 'yes', m: 'if_need_be', n: 'no' };

type Kind = 'command' | 'click';
type Server = 'Klik' | 'bare Bolt';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const r1 = (x: number) => Math.round(x * 10) / 10;
let actionCounter = 0;
/** The poll's channel message, as a click's container names it. */
const POLL_TS = '1779000000.000100';
const world0 = userId(0);

interface Bodies {
  bodies: string[];
  responseUrls: string[];
  /** For votes: the last choice sent per `user:position`, which Klik must have stored. */
  votes?: Map<string, string>;
}

function commandBodies(world: SlackWorld, count: number, offset: number): Bodies {
  const bodies: string[] = [];
  const responseUrls: string[] = [];
  for (let i = 0; i < count; i++) {
    const user = world.userIds[(offset + i) % world.userIds.length] as string;
    const responseUrl = world.fake.newResponseUrl({ teamId: TEAM_ID, channelId: CHANNEL_ID, userId: user });
    responseUrls.push(responseUrl);
    bodies.push(
      new URLSearchParams({
        token: 'legacy-verification-token',
        team_id: TEAM_ID,
        team_domain: world.team.domain,
        channel_id: CHANNEL_ID,
        channel_name: 'leernetwerk',
        user_id: user,
        user_name: `collega${(offset + i) % world.userIds.length}`,
        command: '/klik',
        text: 'help',
        api_app_id: world.team.appId,
        is_enterprise_install: 'false',
        response_url: responseUrl,
        trigger_id: world.fake.newTrigger(user),
      }).toString(),
    );
  }
  return { bodies, responseUrls };
}

function voteBodies(world: SlackWorld, pollId: string, count: number, offset: number): Bodies {
  const bodies: string[] = [];
  const responseUrls: string[] = [];
  const votes = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const k = offset + i;
    const user = world.userIds[k % world.userIds.length] as string;
    // Walks people fastest, then dates, then choices: a vote is new or changes an earlier one.
    const position = Math.floor(k / world.userIds.length) % OPTIONS;
    const code = CODES[Math.floor(k / (world.userIds.length * OPTIONS)) % CODES.length] as string;
    votes.set(`${user}:${position}`, CODE_CHOICE[code] as string);
    const responseUrl = world.fake.newResponseUrl({
      teamId: TEAM_ID,
      channelId: CHANNEL_ID,
      userId: user,
      source: { ts: POLL_TS, ephemeral: false },
    });
    responseUrls.push(responseUrl);
    actionCounter++;
    const payload = {
      type: 'block_actions',
      user: { id: user, username: 'collega', name: 'collega', team_id: TEAM_ID },
      api_app_id: world.team.appId,
      token: 'legacy-verification-token',
      container: { type: 'message', message_ts: POLL_TS, channel_id: CHANNEL_ID, is_ephemeral: false },
      trigger_id: world.fake.newTrigger(user),
      team: { id: TEAM_ID, domain: world.team.domain },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: CHANNEL_ID, name: 'leernetwerk' },
      message: { type: 'message', user: world.team.botUserId, ts: POLL_TS, text: 'Poll', blocks: [] },
      state: { values: {} },
      response_url: responseUrl,
      actions: [
        {
          type: 'button',
          action_id: `${POLL_VOTE}::${position * 3 + CODES.indexOf(code as 'y')}`,
          block_id: `o${position}`,
          text: { type: 'plain_text', text: code, emoji: true },
          value: `${pollId}:${position}:${code}`,
          action_ts: `${1_780_000_000 + Math.floor(actionCounter / 1000)}.${String(actionCounter % 1000).padStart(6, '0')}`,
        },
      ],
    };
    bodies.push(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
  }
  return { bodies, responseUrls, votes };
}

/** A 20-date poll in the bench network, created by its coordinator. */
async function seedPoll(databaseUrl: string, seeded: SeededNetwork): Promise<string> {
  const database = await openDatabase({ kind: 'postgres', url: databaseUrl });
  try {
    const store = createStore(database.db, systemClock);
    return await store.transaction(async (tx) => {
      const creator = await tx.members.findByPlatformId(seeded.installationId, world0);
      if (!creator) throw new Error('bench coordinator missing');
      const start = Date.UTC(2027, 0, 4, 18, 0);
      const poll = await tx.polls.create({
        installationId: seeded.installationId,
        networkId: seeded.networkId,
        createdBy: creator.id,
        title: 'Netwerkbijeenkomst',
        channelId: CHANNEL_ID,
        deadline: null,
        hideVotes: false,
        createdAt: new Date(),
        options: Array.from({ length: OPTIONS }, (_, position) => {
          const at = new Date(start + position * 86_400_000);
          return { position, date: at.toISOString().slice(0, 10), time: '19:00', startsAt: at };
        }),
      });
      return poll.id;
    });
  } finally {
    await database.close();
  }
}

/** How many of these votes Klik has stored as sent (the last choice per person and date). */
async function storedVotes(db: pg.Client, pollId: string, votes: Map<string, string>): Promise<number> {
  const res = await db.query<{ who: string; choice: string }>(
    `select m.platform_user_id || ':' || o.position as who, v.choice
     from poll_votes v join members m on m.id = v.member_id join poll_options o on o.id = v.option_id
     where v.poll_id = $1`,
    [pollId],
  );
  const stored = new Map(res.rows.map((r) => [r.who, r.choice]));
  let count = 0;
  for (const [who, choice] of votes) if (stored.get(who) === choice) count++;
  return count;
}

/**
 * Waits (at most 20 s) until every request of a run has had its effect: an answer through its
 * response_url, or for Klik's votes the vote stored. Resolves [done, expected].
 */
async function answered(
  world: SlackWorld,
  b: Bodies,
  votesOf: (() => Promise<number>) | null,
): Promise<[number, number]> {
  const limit = performance.now() + DRAIN_LIMIT_MS;
  const expected = votesOf && b.votes ? b.votes.size : b.responseUrls.length;
  let count = 0;
  while (performance.now() < limit) {
    count = votesOf ? await votesOf() : b.responseUrls.filter((u) => world.fake.responsePosts(u).length > 0).length;
    if (count === expected) break;
    await sleep(100);
  }
  return [count, expected];
}

export async function ackBench(): Promise<BenchSection> {
  const name = 'ack';
  const description = `Ack latency (ms, from when a request was due to its HTTP answer), open loop, median of ${RUNS} run(s) of ${RATES.map((r) => `${secondsAt(r)} s at ${r}/s`).join(', ')}; Klik on PostgreSQL vs a bare Bolt app, both pinned to core 0, load generator, fake Slack and PostgreSQL on core 1.`;
  const adminUrl = await benchPostgres();
  if (!adminUrl) {
    return {
      name,
      description,
      rows: [],
      notes: ['Skipped: no PostgreSQL (set TEST_DATABASE_URL or BENCH_DATABASE_URL).'],
    };
  }
  const unpin = pinSelf(1);
  // Klik's database is on another machine in production; here it shares core 1 with the generator.
  const unpinPostgres = await pinPostgres(adminUrl, 1).catch(() => null);
  const dir = mkdtempSync(join(tmpdir(), 'klik-bench-ack-'));
  const world = await slackWorld(PEOPLE);
  const database = await freshDatabase(adminUrl, 'ack');
  const servers: Spawned[] = [];
  const generator = LoadGenerator.start(1);
  let db: pg.Client | null = null;
  try {
    const klikPort = await freePort();
    const klik = spawnNode(
      'src/main.ts',
      { ...klikSlackEnv(world.fake.apiUrl), DATABASE_URL: database.url, KLIK_DATA_DIR: dir, PORT: String(klikPort) },
      { core: 0 },
    );
    servers.push(klik);
    await waitReady(`http://127.0.0.1:${klikPort}/healthz`, klik.child, 180_000);
    const seeded = await seedNetworkAt(database.url, { members: 1, tips: 0 });
    const pollId = await seedPoll(database.url, seeded);
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    const client = db;

    const boltPort = await freePort();
    const bolt = spawnNode(
      'bench/peers/bare-bolt.ts',
      {
        PORT: String(boltPort),
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_BOT_TOKEN: klikSlackEnv('').SLACK_BOT_TOKEN as string,
        SLACK_API_URL: world.fake.apiUrl,
      },
      { core: 0 },
    );
    servers.push(bolt);
    await waitReady(`http://127.0.0.1:${boltPort}/healthz`, bolt.child, 180_000);

    const urls: Record<Server, string> = {
      Klik: `http://127.0.0.1:${klikPort}/slack/events`,
      'bare Bolt': `http://127.0.0.1:${boltPort}/slack/events`,
    };
    let offset = 0;
    const make = (kind: Kind, count: number): Bodies => {
      const b = kind === 'command' ? commandBodies(world, count, offset) : voteBodies(world, pollId, count, offset);
      offset += count;
      return b;
    };

    const check = (server: Server, kind: Kind, b: Bodies) =>
      answered(
        world,
        b,
        server === 'Klik' && kind === 'click' && b.votes
          ? () => storedVotes(client, pollId, b.votes as Map<string, string>)
          : null,
      );

    // Warm-up: JIT, connection pools, caches of users; not measured.
    for (const server of ['Klik', 'bare Bolt'] as const) {
      for (const kind of ['command', 'click'] as const) {
        const b = make(kind, 200);
        await generator.run({ url: urls[server], signingSecret: SIGNING_SECRET, rate: 100, bodies: b.bodies });
        await check(server, kind, b);
      }
    }

    const results = new Map<string, { load: LoadResult[]; answered: number; sent: number }>();
    for (const rate of RATES) {
      for (let run = 0; run < RUNS; run++) {
        for (const kind of ['command', 'click'] as const) {
          const order: Server[] = run % 2 === 0 ? ['Klik', 'bare Bolt'] : ['bare Bolt', 'Klik'];
          for (const server of order) {
            const b = make(kind, Math.round(rate * secondsAt(rate)));
            const load = await generator.run({
              url: urls[server],
              signingSecret: SIGNING_SECRET,
              rate,
              bodies: b.bodies,
            });
            const [done, expected] = await check(server, kind, b);
            const key = `${server}|${kind}|${rate}`;
            const entry = results.get(key) ?? { load: [], answered: 0, sent: 0 };
            entry.load.push(load);
            entry.answered += done;
            entry.sent += expected;
            results.set(key, entry);
          }
        }
      }
    }

    const rows: BenchRow[] = [];
    for (const kind of ['command', 'click'] as const) {
      for (const rate of RATES) {
        const klikR = results.get(`Klik|${kind}|${rate}`);
        const boltR = results.get(`bare Bolt|${kind}|${rate}`);
        if (!klikR || !boltR) continue;
        const p99k = median(klikR.load.map((l) => l.p99));
        const p99b = median(boltR.load.map((l) => l.p99));
        for (const [server, r] of [
          ['Klik', klikR],
          ['bare Bolt', boltR],
        ] as const) {
          rows.push({
            request: kind === 'command' ? '/klik help' : 'poll vote',
            'req/s': rate,
            server,
            'p50 ms': r1(median(r.load.map((l) => l.p50))),
            'p99 ms': r1(median(r.load.map((l) => l.p99))),
            'p99 per run': r.load.map((l) => r1(l.p99)).join(' / '),
            'generator lag p99': r1(Math.max(...r.load.map((l) => l.sendLagP99))),
            'max ms': r1(Math.max(...r.load.map((l) => l.max))),
            'done/expected': `${r.answered}/${r.sent}`,
            'non-2xx+errors': r.load.reduce((s, l) => s + l.non2xx + l.errors, 0),
            'over 3 s': r.load.reduce((s, l) => s + l.over3s, 0),
            'p99 Klik/Bolt': server === 'Klik' ? Math.round((p99k / p99b) * 100) / 100 : null,
          });
        }
      }
    }
    return {
      name,
      description,
      rows,
      notes: [
        'Target: Klik p99 within 1.2x the bare Bolt app (column p99 Klik/Bolt).',
        `Runs: ${RUNS} per cell, after a 2 s warm-up at 100 req/s per server and request kind; ${PEOPLE} people voting on one poll of ${OPTIONS} dates (each click a new vote or a changed one; votes on one poll are serialised by its row lock; the poll's message is rendered once a second, when its update is sent). \`p99 per run\` shows how much one run's tail moves on a shared 2-core machine.`,
        `\`done/expected\`: within ${DRAIN_LIMIT_MS / 1000} s of a run, commands whose help text reached the fake Slack response_url; for Klik's votes, (person, date) pairs whose stored choice is the last one sent (a vote answers nothing, the poll message updates); for the bare Bolt app, clicks answered through the response_url.`,
        '`non-2xx+errors`: answers other than 2xx, and requests without an answer within 10 s (the generator gives up; Slack gives up after 3 s).',
        canPin()
          ? `Pinning: servers with \`taskset -c 0\`, load generator and fake Slack with \`taskset -c 1\`; PostgreSQL ${unpinPostgres ? "on core 1 too (in production it runs on its own machine, so its work is not billed to Klik's core)" : 'not pinned (not on this machine, or its processes could not be pinned)'}.`
          : 'taskset not found: nothing pinned.',
      ],
    };
  } finally {
    await generator.stop();
    await db?.end();
    for (const s of servers) await s.stop();
    await world.fake.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
    unpinPostgres?.();
    unpin();
  }
}
