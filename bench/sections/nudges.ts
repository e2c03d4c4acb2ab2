/**
 * Nudges at scale: 1,000 networks (3 members each) due in the same minute — Monday 09:00 in
 * Amsterdam, when every network's rhythm nudge and milestone look fall due and all their members have
 * been quiet for eight weeks. One scheduler tick claims every slot and enqueues every message; we time
 * it, and the `nextDueAt` jump that precedes it, on PGlite and (when reachable) on PostgreSQL.
 * `BENCH_QUICK=1` uses 50 networks.
 */
import { sql } from 'drizzle-orm';
import { type Database, openDatabase } from '../../db/client.js';
import { createStore } from '../../db/store.js';
import { silentLogger } from '../../src/core/ports.js';
import { JOB_DEFINITIONS } from '../../src/core/schedule/jobs.js';
import { nudgeHandlers, nudgeSweeps } from '../../src/scheduler/nudges-handler.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { FakeClock } from '../../test/support/clock.js';
import type { BenchRow, BenchSection } from '../report.js';
import { benchPostgres, freshDatabase } from '../support/postgres.js';

const NETWORKS = process.env.BENCH_QUICK === '1' ? 50 : 1_000;
const MEMBERS = 3;
/** Networks (and members) set up on Monday 5 January 2026, 08:00; the bench minute is Monday 2 March, 09:00 Amsterdam. */
const SETUP = '2026-01-05T07:00:00Z';
const DUE = '2026-03-02T08:00:00.000Z';

async function seed(db: Database['db'], networks: number): Promise<void> {
  await db.execute(sql`
    insert into installations (platform, external_id, name)
    select 'local', 'bench-' || g, 'Bench ' || g from generate_series(1, ${networks}) g`);
  await db.execute(sql`
    insert into networks (installation_id, channel_id, state, name, locale, timezone, cadence, day, time,
      group_size, pool, rhythm_weeks, digest, quiet_start, quiet_end, post_new_tips, share_notes, nudges, created_at)
    select id, 'C-' || external_id, 'active', 'Netwerk ' || external_id, 'nl', 'Europe/Amsterdam', 'off', 'mon',
      '09:00', 2, 'channel', 6, 'off', '08:00', '18:00', true, true, '{}'::jsonb, ${SETUP}::timestamptz
    from installations`);
  await db.execute(sql`
    insert into members (installation_id, platform_user_id, display_name, timezone, locale)
    select i.id, 'U-' || i.external_id || '-' || m, 'Lid ' || m, 'Europe/Amsterdam', 'nl'
    from installations i cross join generate_series(1, ${MEMBERS}) m`);
  await db.execute(sql`
    insert into network_members (installation_id, network_id, member_id, status, joined_at)
    select n.installation_id, n.id, m.id, 'active', ${SETUP}::timestamptz
    from networks n join members m on m.installation_id = n.installation_id`);
  await db.execute(sql`
    insert into coordinators (installation_id, network_id, member_id)
    select n.installation_id, n.id, m.id from networks n
    join members m on m.installation_id = n.installation_id and m.display_name = 'Lid 1'`);
  await db.execute(sql`analyze`);
}

async function measure(backend: string, database: Database): Promise<BenchRow> {
  await database.migrate();
  const t0 = performance.now();
  await seed(database.db, NETWORKS);
  const seeded = performance.now() - t0;
  const clock = new FakeClock('2026-03-02T07:30:00Z');
  const store = createStore(database.db, clock);
  const scheduler = new Scheduler({
    store,
    clock,
    logger: silentLogger,
    workerId: 'bench',
    jobs: JOB_DEFINITIONS,
    handlers: new Map(nudgeHandlers(silentLogger, 'bench')),
    sweeps: nudgeSweeps,
  });
  const t1 = performance.now();
  const due = await scheduler.nextDueAt(clock.now());
  const nextDueMs = performance.now() - t1;
  if (due?.toISOString() !== DUE) throw new Error(`expected ${DUE} due, got ${due?.toISOString()}`);
  clock.set(due);
  const t2 = performance.now();
  const tick = await scheduler.tick();
  const tickMs = performance.now() - t2;
  const count = async (q: ReturnType<typeof sql>) =>
    Number(((await database.db.execute(q)) as unknown as { rows: Array<{ n: number }> }).rows[0]?.n ?? 0);
  const claims = await count(sql`select count(*)::int as n from job_claims`);
  const messages = await count(sql`select count(*)::int as n from outbox`);
  const expected = NETWORKS * (1 + MEMBERS);
  if (messages !== expected) throw new Error(`expected ${expected} messages, got ${messages}`);
  // The next minute nothing is due: what every idle minute costs (slot arithmetic and the sweeps' queries).
  clock.set(new Date(due.getTime() + 60_000));
  const t3 = performance.now();
  await scheduler.tick();
  const idleMs = performance.now() - t3;
  return {
    backend,
    networks: NETWORKS,
    'slots decided': tick.results.length,
    claims,
    'messages enqueued': messages,
    'nextDueAt ms': Math.round(nextDueMs),
    'tick ms': Math.round(tickMs),
    'idle tick ms': Math.round(idleMs),
    'ms per network': Math.round((tickMs / NETWORKS) * 100) / 100,
    'seed ms': Math.round(seeded),
  };
}

export async function nudgesBench(): Promise<BenchSection> {
  const rows: BenchRow[] = [];
  const notes: string[] = [
    `Each network: a rhythm nudge to its channel and a quiet-member DM to each of its ${MEMBERS} members, all due ${DUE}; the milestones slot is claimed too (nothing to announce).`,
  ];
  const pglite = await openDatabase({ kind: 'pglite', dataDir: null });
  try {
    rows.push(await measure('PGlite', pglite));
  } finally {
    await pglite.close();
  }
  const adminUrl = await benchPostgres();
  if (!adminUrl) {
    notes.push('PostgreSQL: skipped (set TEST_DATABASE_URL or BENCH_DATABASE_URL).');
  } else {
    const fresh = await freshDatabase(adminUrl, 'nudges');
    const database = await openDatabase({ kind: 'postgres', url: fresh.url });
    try {
      rows.push(await measure('PostgreSQL', database));
    } finally {
      await database.close();
      await fresh.drop();
    }
  }
  return {
    name: 'nudges',
    description: `${NETWORKS.toLocaleString('en')} networks due in the same minute: one scheduler tick claims and enqueues all.`,
    rows,
    notes,
  };
}
