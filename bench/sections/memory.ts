/**
 * Resident memory of a Klik process (Slack configured against the fake Slack, playground off), on
 * PGlite and on PostgreSQL: idle in an empty database; idle after a restart with a network of
 * 10,000 members; and its peak while a coordinator runs `/klik pair now` for all of them (roster
 * read from Slack: 10,000 users, round planned and written, 5,000 intros queued), sampled every
 * 100 ms from /proc until the reply arrives and for 5 s of sending after it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../db/client.js';
import { signedCommand } from '../../test/support/slack-signing.js';
import type { BenchRow, BenchSection } from '../report.js';
import { benchPostgres, freshDatabase } from '../support/postgres.js';
import { freePort, rssMiB, type Spawned, sleep, spawnNode, waitReady } from '../support/process.js';
import {
  CHANNEL_ID,
  klikSlackEnv,
  SIGNING_SECRET,
  type SlackWorld,
  seedNetwork,
  slackWorld,
  TEAM_ID,
  userId,
} from '../support/slack-world.js';

const QUICK = process.env.BENCH_QUICK === '1';
const MEMBERS = QUICK ? 1_000 : 10_000;
const IDLE_MS = 3_000;
const SENDING_MS = 5_000;
const REPLY_LIMIT_MS = 45_000;
/** A loaded machine can take a minute to migrate a fresh PGlite. */
const START_LIMIT_MS = 180_000;

async function startKlikProcess(env: Record<string, string>): Promise<{ proc: Spawned; port: number }> {
  const port = await freePort();
  const proc = spawnNode('src/main.ts', { ...env, PORT: String(port) });
  try {
    await waitReady(`http://127.0.0.1:${port}/healthz`, proc.child, START_LIMIT_MS);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { proc, port };
}

/** `/klik pair now` from the coordinator; resolves the peak RSS until the reply, and the RSS after sending a while. */
async function pairNow(world: SlackWorld, port: number, pid: number | undefined) {
  const user = userId(0);
  const responseUrl = world.fake.newResponseUrl({ teamId: TEAM_ID, channelId: CHANNEL_ID, userId: user });
  const fields = {
    team_id: TEAM_ID,
    team_domain: world.team.domain,
    channel_id: CHANNEL_ID,
    channel_name: 'leernetwerk',
    user_id: user,
    user_name: 'collega0',
    command: '/klik',
    text: 'pair now',
    api_app_id: world.team.appId,
    response_url: responseUrl,
    trigger_id: world.fake.newTrigger(user),
  };
  const request = signedCommand(fields, { signingSecret: SIGNING_SECRET });
  const t0 = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  if (res.status !== 200) throw new Error(`pair now answered ${res.status}`);
  let peak = rssMiB(pid) ?? 0;
  const limit = t0 + REPLY_LIMIT_MS;
  // How long the process keeps an HTTP request waiting meanwhile (an ack would wait as long).
  let probing = true;
  let slowestHealthz = 0;
  const probe = (async () => {
    while (probing) {
      const s = performance.now();
      await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
      slowestHealthz = Math.max(slowestHealthz, performance.now() - s);
      await sleep(100);
    }
  })();
  // The reply comes through the response_url, or as an ephemeral when posting there failed.
  const hasReply = () => world.fake.responsePosts(responseUrl).length > 0 || world.fake.ephemerals(user).length > 0;
  while (!hasReply() && performance.now() < limit) {
    await sleep(100);
    peak = Math.max(peak, rssMiB(pid) ?? 0);
  }
  const replied = hasReply();
  const replyMs = performance.now() - t0;
  const sendingUntil = performance.now() + SENDING_MS;
  while (performance.now() < sendingUntil) {
    await sleep(100);
    peak = Math.max(peak, rssMiB(pid) ?? 0);
  }
  probing = false;
  await probe;
  const intros = world.fake.messages.filter((m) => m.channel.startsWith('G')).length;
  const lookups = world.fake.callsOf('users.info').length;
  return { peak, replied, replyMs, after: rssMiB(pid), intros, lookups, slowestHealthz };
}

async function measure(
  world: SlackWorld,
  backend: 'PGlite' | 'PostgreSQL',
  adminUrl: string | null,
): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'klik-bench-memory-'));
  const database = backend === 'PostgreSQL' && adminUrl ? await freshDatabase(adminUrl, 'memory') : null;
  const env = {
    ...klikSlackEnv(world.fake.apiUrl),
    KLIK_DATA_DIR: dir,
    ...(database ? { DATABASE_URL: database.url } : {}),
  };
  const rows: BenchRow[] = [];
  try {
    let klik = await startKlikProcess(env);
    await sleep(IDLE_MS);
    rows.push({ database: backend, state: 'idle, empty database', 'RSS MiB': rssMiB(klik.proc.pid), note: null });
    await klik.proc.stop();

    const db = await openDatabase(
      database ? { kind: 'postgres', url: database.url } : { kind: 'pglite', dataDir: join(dir, 'pglite') },
    );
    try {
      await seedNetwork(db.db, { members: MEMBERS, tips: 0 });
    } finally {
      await db.close();
    }
    klik = await startKlikProcess(env);
    try {
      await sleep(IDLE_MS);
      rows.push({
        database: backend,
        state: `idle after restart, ${MEMBERS.toLocaleString('en')} members`,
        'RSS MiB': rssMiB(klik.proc.pid),
        note: null,
      });
      const run = await pairNow(world, klik.port, klik.proc.pid);
      rows.push({
        database: backend,
        state: `peak during pair now, ${MEMBERS.toLocaleString('en')} members`,
        'RSS MiB': run.peak,
        note: run.replied
          ? `reply after ${Math.round(run.replyMs / 100) / 10} s; ${run.intros} intros sent ${SENDING_MS / 1000} s later (RSS then ${run.after} MiB); slowest /healthz meanwhile ${Math.round(run.slowestHealthz)} ms`
          : `no reply within ${REPLY_LIMIT_MS / 1000} s (${run.lookups} of ${MEMBERS} users.info calls made); slowest /healthz meanwhile ${Math.round(run.slowestHealthz)} ms`,
      });
    } finally {
      await klik.proc.stop();
    }
  } finally {
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

export async function memoryBench(): Promise<BenchSection> {
  const adminUrl = await benchPostgres();
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  for (const backend of ['PGlite', 'PostgreSQL'] as const) {
    if (backend === 'PostgreSQL' && !adminUrl) {
      notes.push('PostgreSQL rows skipped: no server (set TEST_DATABASE_URL or BENCH_DATABASE_URL).');
      continue;
    }
    // A fresh fake Slack per backend: the second run must not find the first one's group DMs.
    const world = await slackWorld(MEMBERS);
    try {
      rows.push(...(await measure(world, backend, adminUrl)));
    } finally {
      await world.fake.close();
    }
  }
  return {
    name: 'memory',
    description: `Resident memory (VmRSS) of one Klik process: idle ${IDLE_MS / 1000} s after start, empty and with a network of ${MEMBERS.toLocaleString('en')} members, and its peak during \`/klik pair now\` for all of them (roster of ${MEMBERS.toLocaleString('en')} read from the fake Slack, ${(MEMBERS / 2).toLocaleString('en')} intros queued).`,
    rows,
    notes: [
      ...notes,
      'PGlite runs inside the Klik process, so its rows include the database; with PostgreSQL the server is a separate process, not counted.',
      'Run with tsx unless `npm run build` has written dist/ (then compiled JavaScript, as in production).',
    ],
  };
}
