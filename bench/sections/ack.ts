/**
 * Ack latency under load: signed `/klik help` commands and button clicks (a tip upvote; every
 * request distinct, with its own response_url, trigger and action_ts, so no dedupe short-cut) at
 * 50, 200 and 500 requests a second, open loop, into a Klik process on real PostgreSQL and into a
 * bare Bolt app (bench/peers/bare-bolt.ts) in the same run. Both servers are pinned to core 0;
 * the load generator (bench/support/open-loop.ts) and the fake Slack they answer through run on
 * core 1. Each cell is the median of 3 runs; Klik and Bolt alternate run by run so background
 * noise hits both alike. Latency counts from when a request was due until its answer arrived.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchRow, BenchSection } from '../report.js';
import { LoadGenerator } from '../support/load.js';
import type { LoadResult } from '../support/open-loop.js';
import { benchPostgres, freshDatabase } from '../support/postgres.js';
import { canPin, freePort, pinSelf, type Spawned, sleep, spawnNode, waitReady } from '../support/process.js';
import {
  CHANNEL_ID,
  klikSlackEnv,
  SIGNING_SECRET,
  type SlackWorld,
  seedNetworkAt,
  slackWorld,
  TEAM_ID,
} from '../support/slack-world.js';

const QUICK = process.env.BENCH_QUICK === '1';
const RATES = QUICK ? [50, 200] : [50, 200, 500];
const RUNS = QUICK ? 1 : 3;
const SECONDS = QUICK ? 1 : 3;
const PEOPLE = 200;
const TIPS = 100;
/** The button the click requests press; switch to the poll vote once polls exist. */
const ACTION_ID = 'tip.upvote';

type Kind = 'command' | 'click';
type Server = 'Klik' | 'bare Bolt';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const r1 = (x: number) => Math.round(x * 10) / 10;
let actionCounter = 0;

interface Bodies {
  bodies: string[];
  responseUrls: string[];
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

function clickBodies(
  world: SlackWorld,
  tips: Array<{ id: string; ts: string }>,
  count: number,
  offset: number,
): Bodies {
  const bodies: string[] = [];
  const responseUrls: string[] = [];
  for (let i = 0; i < count; i++) {
    const k = offset + i;
    const user = world.userIds[k % world.userIds.length] as string;
    // Walks users fastest, then tips: each (person, tip) pair comes up once in 20,000 clicks.
    const tip = tips[Math.floor(k / world.userIds.length) % tips.length] as { id: string; ts: string };
    const responseUrl = world.fake.newResponseUrl({
      teamId: TEAM_ID,
      channelId: CHANNEL_ID,
      userId: user,
      source: { ts: tip.ts, ephemeral: false },
    });
    responseUrls.push(responseUrl);
    actionCounter++;
    const payload = {
      type: 'block_actions',
      user: { id: user, username: 'collega', name: 'collega', team_id: TEAM_ID },
      api_app_id: world.team.appId,
      token: 'legacy-verification-token',
      container: { type: 'message', message_ts: tip.ts, channel_id: CHANNEL_ID, is_ephemeral: false },
      trigger_id: world.fake.newTrigger(user),
      team: { id: TEAM_ID, domain: world.team.domain },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: CHANNEL_ID, name: 'leernetwerk' },
      message: { type: 'message', user: world.team.botUserId, ts: tip.ts, text: 'Tip', blocks: [] },
      state: { values: {} },
      response_url: responseUrl,
      actions: [
        {
          type: 'button',
          action_id: ACTION_ID,
          block_id: 'b1',
          text: { type: 'plain_text', text: 'Nuttig', emoji: true },
          value: tip.id,
          action_ts: `${1_780_000_000 + Math.floor(actionCounter / 1000)}.${String(actionCounter % 1000).padStart(6, '0')}`,
        },
      ],
    };
    bodies.push(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
  }
  return { bodies, responseUrls };
}

/** Waits until every request of a run has been answered through its response_url (max 20 s). */
async function answered(world: SlackWorld, urls: string[]): Promise<number> {
  const limit = performance.now() + 20_000;
  let count = 0;
  while (performance.now() < limit) {
    count = urls.filter((u) => world.fake.responsePosts(u).length > 0).length;
    if (count === urls.length) break;
    await sleep(100);
  }
  return count;
}

export async function ackBench(): Promise<BenchSection> {
  const name = 'ack';
  const description =
    'Ack latency (ms, from when a request was due to its HTTP answer), open loop, median of 3 runs of 3 s; Klik on PostgreSQL vs a bare Bolt app, both pinned to core 0, load generator and fake Slack on core 1.';
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
  const dir = mkdtempSync(join(tmpdir(), 'klik-bench-ack-'));
  const world = await slackWorld(PEOPLE);
  const database = await freshDatabase(adminUrl, 'ack');
  const servers: Spawned[] = [];
  const generator = LoadGenerator.start(1);
  try {
    const klikPort = await freePort();
    const klik = spawnNode(
      'src/main.ts',
      { ...klikSlackEnv(world.fake.apiUrl), DATABASE_URL: database.url, KLIK_DATA_DIR: dir, PORT: String(klikPort) },
      { core: 0 },
    );
    servers.push(klik);
    await waitReady(`http://127.0.0.1:${klikPort}/healthz`, klik.child);
    const seeded = await seedNetworkAt(database.url, { members: 1, tips: TIPS });
    const tips = seeded.tipIds.map((id) => {
      const ts = `1779000000.${id.slice(0, 6).replace(/[^0-9]/g, '0')}`;
      world.fake.messages.push({ ts, channel: CHANNEL_ID, user: world.team.botUserId, text: 'Tip', blocks: [] });
      return { id, ts };
    });

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
    await waitReady(`http://127.0.0.1:${boltPort}/healthz`, bolt.child);

    const urls: Record<Server, string> = {
      Klik: `http://127.0.0.1:${klikPort}/slack/events`,
      'bare Bolt': `http://127.0.0.1:${boltPort}/slack/events`,
    };
    let offset = 0;
    const make = (kind: Kind, count: number): Bodies => {
      const b = kind === 'command' ? commandBodies(world, count, offset) : clickBodies(world, tips, count, offset);
      offset += count;
      return b;
    };

    // Warm-up: JIT, connection pools, caches of users; not measured.
    for (const server of ['Klik', 'bare Bolt'] as const) {
      for (const kind of ['command', 'click'] as const) {
        const b = make(kind, 200);
        await generator.run({ url: urls[server], signingSecret: SIGNING_SECRET, rate: 100, bodies: b.bodies });
        await answered(world, b.responseUrls);
      }
    }

    const results = new Map<string, { load: LoadResult[]; answered: number; sent: number }>();
    for (const rate of RATES) {
      for (let run = 0; run < RUNS; run++) {
        for (const kind of ['command', 'click'] as const) {
          const order: Server[] = run % 2 === 0 ? ['Klik', 'bare Bolt'] : ['bare Bolt', 'Klik'];
          for (const server of order) {
            const b = make(kind, rate * SECONDS);
            const load = await generator.run({
              url: urls[server],
              signingSecret: SIGNING_SECRET,
              rate,
              bodies: b.bodies,
            });
            const got = await answered(world, b.responseUrls);
            const key = `${server}|${kind}|${rate}`;
            const entry = results.get(key) ?? { load: [], answered: 0, sent: 0 };
            entry.load.push(load);
            entry.answered += got;
            entry.sent += b.bodies.length;
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
            request: kind === 'command' ? '/klik help' : `click (${ACTION_ID})`,
            'req/s': rate,
            server,
            'p50 ms': r1(median(r.load.map((l) => l.p50))),
            'p99 ms': r1(median(r.load.map((l) => l.p99))),
            'max ms': r1(Math.max(...r.load.map((l) => l.max))),
            'answered/sent': `${r.answered}/${r.sent}`,
            'non-2xx+errors': r.load.reduce((s, l) => s + l.non2xx + l.errors, 0),
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
        `Runs: ${RUNS} per cell, ${SECONDS} s each, after a 2 s warm-up at 100 req/s per server and request kind; ${PEOPLE} people, ${TIPS} tips, every click a new (person, tip) upvote.`,
        '`answered/sent`: requests whose answer (the help text, the upvote confirmation) reached the fake Slack response_url within 20 s of the run; the ack itself is the HTTP 200.',
        canPin()
          ? 'Pinning: servers with `taskset -c 0`, load generator and fake Slack with `taskset -c 1`; PostgreSQL is not pinned.'
          : 'taskset not found: nothing pinned.',
      ],
    };
  } finally {
    await generator.stop();
    for (const s of servers) await s.stop();
    await world.fake.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
    unpin();
  }
}
