/**
 * Fan-out: one pairing round of 2,500 groups (5,000 members, groups of two) delivered through the
 * outbox to a Slack that enforces the documented rate limits sped up 60 times (bench/support/
 * rate-limited-slack.ts: `conversations.open` 50 a second, `chat.postMessage` 60 a second a
 * channel, 429 with Retry-After past them). Klik runs in this process as `npm start` wires it
 * (startKlik: the outbox dispatcher polling every 500 ms), with SLACK_RATE_LIMIT_WINDOW_MS=1000 so
 * it paces itself at the same sped-up limits, on PostgreSQL when one answers, else
 * PGlite. Reported: every intro delivered exactly once (one message in each group DM), and the
 * delivery time against the least time the limits allow for the calls made.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore } from '../../db/store.js';
import { startKlik } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { systemClock } from '../../src/core/ports.js';
import { runRound } from '../../src/core/rounds/run-round.js';
import { createLogger } from '../../src/logger.js';
import type { BenchRow, BenchSection } from '../report.js';
import { benchPostgres, type FreshDatabase, freshDatabase } from '../support/postgres.js';
import { sleep } from '../support/process.js';
import { RateLimitedSlack, SLACK_LIMITS_SPED_UP } from '../support/rate-limited-slack.js';
import { CHANNEL_ID, klikSlackEnv, seedNetwork, slackWorld } from '../support/slack-world.js';

const QUICK = process.env.BENCH_QUICK === '1';
const GROUPS = QUICK ? 250 : 2_500;
const LIMIT_MS = QUICK ? 60_000 : 300_000;

const s1 = (ms: number) => Math.round(ms / 100) / 10;

export async function fanoutBench(): Promise<BenchSection> {
  const people = GROUPS * 2;
  const world = await slackWorld(people);
  const limited = await RateLimitedSlack.start(world.fake.url);
  const dir = mkdtempSync(join(tmpdir(), 'klik-bench-fanout-'));
  const adminUrl = await benchPostgres();
  let database: FreshDatabase | null = null;
  if (adminUrl) database = await freshDatabase(adminUrl, 'fanout');
  const config = loadConfig({
    ...klikSlackEnv(limited.apiUrl),
    PORT: '0',
    KLIK_DATA_DIR: dir,
    // Klik paces itself at the same sped-up limits: Slack's minute is a second here.
    SLACK_RATE_LIMIT_WINDOW_MS: '1000',
    ...(database ? { DATABASE_URL: database.url } : {}),
  });
  const klik = await startKlik(config, createLogger('error'), { cron: false, host: '127.0.0.1' });
  try {
    const seeded = await seedNetwork(klik.database.db, { members: people, tips: 0 });
    const store = createStore(klik.database.db, systemClock);

    const t0 = performance.now();
    const outcome = await store.transaction(async (tx) => {
      const network = await tx.networks.get(seeded.installationId, seeded.networkId);
      if (!network) throw new Error('bench network missing');
      return runRound(tx, network, { trigger: 'manual', slot: null, now: new Date(), roster: null });
    });
    if (!outcome.ok) throw new Error(`round not run: ${outcome.reason}`);
    const planned = performance.now();
    klik.dispatcher.kick();

    const groupDms = () => [...world.fake.channels.values()].filter((c) => c.kind === 'mpim');
    const introsSent = () => world.fake.messages.filter((m) => m.channel.startsWith('G') && !m.visibleTo).length;
    const deadline = performance.now() + LIMIT_MS;
    while (introsSent() < outcome.groups && performance.now() < deadline) await sleep(50);
    const delivered = performance.now();
    // A little longer, so a late duplicate would show.
    await sleep(1_500);

    const perDm = new Map<string, number>();
    for (const m of world.fake.messages)
      if (m.channel.startsWith('G') && !m.visibleTo) perDm.set(m.channel, (perDm.get(m.channel) ?? 0) + 1);
    const dms = groupDms();
    const once = dms.filter((c) => perDm.get(c.id) === 1).length;
    const twice = [...perDm.values()].filter((n) => n > 1).length;
    const announced = world.fake.messages.filter((m) => m.channel === CHANNEL_ID && !m.visibleTo).length;
    const open = limited.stats.get('conversations.open');
    const post = limited.stats.get('chat.postMessage');
    const minimum = limited.minimumMs();
    const firstCall = Math.min(open?.firstAt ?? Infinity, post?.firstAt ?? Infinity);
    const sendMs = delivered - firstCall;
    const rows: BenchRow[] = [
      {
        groups: outcome.groups,
        members: outcome.people,
        database: database ? 'PostgreSQL' : 'PGlite',
        'round planned + written (s)': s1(planned - t0),
        'first call → last intro (s)': s1(sendMs),
        'limits allow (s)': s1(minimum),
        'over the limit time %': minimum > 0 ? Math.round((sendMs / minimum - 1) * 1000) / 10 : null,
        'intros delivered once': `${once}/${outcome.groups}`,
        'sent twice': twice,
        'channel announcements': announced,
        'conversations.open ok/429': `${open?.accepted ?? 0}/${open?.limited ?? 0}`,
        'chat.postMessage ok/429': `${post?.accepted ?? 0}/${post?.limited ?? 0}`,
      },
    ];
    return {
      name: 'fanout',
      description: `One pairing round of ${GROUPS.toLocaleString('en')} groups of two through the outbox, against a fake Slack enforcing the documented limits 60 times faster (conversations.open ${SLACK_LIMITS_SPED_UP['conversations.open']?.perWindow}/s, chat.postMessage ${SLACK_LIMITS_SPED_UP['chat.postMessage']?.perWindow}/s per channel, 429 + Retry-After past them).`,
      rows,
      notes: [
        'Target: every intro delivered exactly once, and first call → last intro within 10% of what the limits allow.',
        '"limits allow": for the calls accepted, (ceil(calls / limit) − 1) full one-second windows after the first call, for the most constrained method (conversations.open: one group DM per group).',
        `Timed out after ${LIMIT_MS / 1000} s when intros are missing. Retry-After is whole seconds, as Slack sends it.`,
        'Klik runs with SLACK_RATE_LIMIT_WINDOW_MS=1000: it paces conversations.open itself (50 per window counted 2% longer, waiting up to 2 s for a slot), so it should meet few or no 429s.',
      ],
    };
  } finally {
    await klik.stop();
    await limited.close();
    await world.fake.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
