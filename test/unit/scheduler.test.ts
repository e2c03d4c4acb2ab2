/**
 * The scheduler against a real database: a fake clock jumps from due slot to due slot
 * (`nextDueAt`), no timers and no sleeps.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../db/client.js';
import { jobClaims, networks, outbox } from '../../db/schema.js';
import { createStore } from '../../db/store.js';
import { type Clock, type JobOutcome, type Store, silentLogger } from '../../src/core/ports.js';
import { JOB_DEFINITIONS, type JobDefinition } from '../../src/core/schedule/jobs.js';
import { isAllowed } from '../../src/core/schedule/quiet-hours.js';
import { defaultSettings, type Network, type NetworkSettings } from '../../src/core/types.js';
import { createMetrics } from '../../src/http/metrics.js';
import { type JobHandler, Scheduler, type Sweep, type TickResult } from '../../src/scheduler/scheduler.js';
import { FakeClock } from '../support/clock.js';
import { backends, createTestDatabase, hasPostgres, requirePostgresInCi, type TestDatabase } from '../support/db.js';

const AMS = 'Europe/Amsterdam';
const OFFICE = { start: '08:00', end: '18:00' };

const local = (d: Date) => DateTime.fromJSDate(d, { zone: AMS });
const wall = (d: Date) => local(d).toFormat('ccc yyyy-MM-dd HH:mm');

interface Run {
  worker: string;
  networkId: string;
  kind: string;
  slotKey: string;
  now: Date;
}

/** Handlers that record each call and write one outbox row through the transaction. */
function recordingHandlers(kinds: string[], runs: Run[], worker = 'w1'): Map<string, JobHandler> {
  return new Map(
    kinds.map((kind): [string, JobHandler] => [
      kind,
      async ({ network, slotKey, now, tx }) => {
        runs.push({ worker, networkId: network.id, kind, slotKey, now });
        await tx.outbox.enqueue({
          installationId: network.installationId,
          networkId: network.id,
          // Unique per call: a slot that ran twice would leave two rows.
          key: `${kind}:${slotKey}:${randomUUID()}`,
          target: { kind: 'channel', channelId: network.channelId },
          message: { text: `${kind} ${slotKey}`, blocks: [] },
        });
      },
    ]),
  );
}

async function createNetwork(
  store: Store,
  _db: Database,
  settings: Partial<NetworkSettings>,
  createdAt: string,
): Promise<Network> {
  const net = await store.transaction(async (tx) => {
    const inst = await tx.installations.ensure('local', `T${randomUUID()}`, 'Test');
    const created = await tx.networks.create({
      installationId: inst.id,
      channelId: `C${randomUUID().slice(0, 8)}`,
      settings: { ...defaultSettings('nl', AMS, 'Test'), ...settings },
      createdBy: randomUUID(),
      createdAt: new Date(createdAt),
    });
    await tx.networks.activate(inst.id, created.id);
    return created;
  });
  return { ...net, state: 'active' };
}

/** Jumps the clock from due slot to due slot up to `end`, ticking at each. */
async function runUntil(scheduler: Scheduler, clock: FakeClock, end: Date): Promise<TickResult[]> {
  const ticks: TickResult[] = [];
  for (let i = 0; i < 2_000; i++) {
    const next = await scheduler.nextDueAt(clock.now());
    if (!next || next > end) break;
    expect(next > clock.now()).toBe(true);
    clock.set(next);
    ticks.push(await scheduler.tick());
  }
  clock.set(end);
  return ticks;
}

async function claimsOf(db: Database, networkId: string) {
  return db.db.select().from(jobClaims).where(eq(jobClaims.networkId, networkId)).orderBy(jobClaims.slot);
}

async function outboxCount(db: Database, networkId: string): Promise<number> {
  return (await db.db.select().from(outbox).where(eq(outbox.networkId, networkId))).length;
}

describe.each(backends())('Scheduler on %s', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
  });
  afterAll(async () => {
    await database?.close();
  });
  afterEach(async () => {
    // Every test starts with no networks (claims and outbox rows go with them).
    await database.db.delete(outbox);
    await database.db.delete(networks);
  });

  function schedulerFor(
    clock: Clock,
    handlers: Map<string, JobHandler>,
    jobs: readonly JobDefinition[] = JOB_DEFINITIONS,
  ) {
    const metrics = createMetrics();
    const scheduler = new Scheduler({
      store: createStore(database.db, clock),
      clock,
      logger: silentLogger,
      metrics,
      workerId: 'w1',
      jobs,
      handlers,
    });
    return { scheduler, metrics, store: createStore(database.db, clock) };
  }

  it('runs a whole year of biweekly rounds, check-ins and digests at 09:00 Amsterdam time, each once', async () => {
    // Set up on Wednesday 31 December 2025 (ISO week 1 of 2026): rounds on Mondays of weeks 3, 5, …
    const clock = new FakeClock('2025-12-31T12:00:00Z');
    const runs: Run[] = [];
    const { scheduler, store, metrics } = schedulerFor(
      clock,
      recordingHandlers(['pairing', 'check-in', 'digest'], runs),
    );
    const net = await createNetwork(store, database, {}, '2025-12-31T12:00:00Z');

    const ticks = await runUntil(scheduler, clock, new Date('2027-01-01T00:00:00Z'));

    const byKind = (kind: string) => runs.filter((r) => r.kind === kind);
    expect(byKind('pairing').length).toBe(26);
    expect(byKind('check-in').length).toBe(25);
    expect(byKind('digest').length).toBe(52);
    expect(wall(byKind('pairing')[0]?.now as Date)).toBe('Mon 2026-01-12 09:00');
    expect(wall(byKind('pairing').at(-1)?.now as Date)).toBe('Mon 2026-12-28 09:00');
    expect(wall(byKind('digest')[0]?.now as Date)).toBe('Fri 2026-01-02 09:00');
    for (const r of runs) {
      // Every run at its local minute: 09:00 in Amsterdam, winter and summer alike, on its own slot.
      expect(local(r.now).toFormat('HH:mm')).toBe('09:00');
      expect(r.now.toISOString()).toBe(r.slotKey);
      expect(local(r.now).weekday).toBe(r.kind === 'digest' ? 5 : 1);
      expect(isAllowed(r.now, AMS, OFFICE)).toBe(true);
    }
    // Both DST changes: the UTC instant moves, the local time does not.
    const pairingAt = byKind('pairing').map((r) => r.now.toISOString());
    expect(pairingAt).toContain('2026-03-23T08:00:00.000Z');
    expect(pairingAt).toContain('2026-04-06T07:00:00.000Z');
    expect(pairingAt).toContain('2026-10-19T07:00:00.000Z');
    expect(pairingAt).toContain('2026-11-02T08:00:00.000Z');
    // None twice: per kind every slot once, every claim a run, one outbox row each.
    const keys = runs.map((r) => `${r.kind}|${r.slotKey}`);
    expect(new Set(keys).size).toBe(keys.length);
    const claims = await claimsOf(database, net.id);
    expect(claims.length).toBe(runs.length);
    expect(new Set(claims.map((c) => c.outcome))).toEqual(new Set(['run']));
    expect(await outboxCount(database, net.id)).toBe(runs.length);
    expect(ticks.flatMap((t) => t.results).filter((r) => r.outcome === 'run').length).toBe(runs.length);
    const text = await metrics.registry.getSingleMetricAsString('klik_scheduler_runs_total');
    expect(text).toContain('klik_scheduler_runs_total{kind="pairing",outcome="run"} 26');
    // A tick at the same instant again does nothing.
    expect((await scheduler.tick()).results).toEqual([]);
  });

  it('moves a 07:00 slot to 08:00, the start of the allowed window', async () => {
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    const runs: Run[] = [];
    const { scheduler, store } = schedulerFor(clock, recordingHandlers(['pairing', 'check-in', 'digest'], runs));
    await createNetwork(store, database, { cadence: 'weekly', time: '07:00' }, '2026-01-01T00:00:00Z');
    await runUntil(scheduler, clock, new Date('2026-05-01T00:00:00Z'));
    expect(runs.length).toBeGreaterThan(40);
    for (const r of runs) {
      expect(local(r.now).toFormat('HH:mm')).toBe('08:00');
      expect(local(new Date(r.slotKey)).toFormat('HH:mm')).toBe('07:00');
      expect(isAllowed(r.now, AMS, OFFICE)).toBe(true);
    }
    expect(
      runs
        .filter((r) => r.kind === 'pairing')
        .map((r) => wall(r.now))
        .slice(0, 2),
    ).toEqual(['Mon 2026-01-05 08:00', 'Mon 2026-01-12 08:00']);
  });

  it('never runs in quiet hours or at a weekend: a Friday-evening slot waits for Monday 08:00', async () => {
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    const runs: Run[] = [];
    const { scheduler, store } = schedulerFor(clock, recordingHandlers(['pairing', 'check-in', 'digest'], runs));
    // Monthly on the first Friday at 19:00: the check-in halfway lands on a Friday or a Sunday too.
    await createNetwork(
      store,
      database,
      { cadence: 'monthly', day: 'fri', time: '19:00', digest: 'fri' },
      '2026-01-01T00:00:00Z',
    );
    await runUntil(scheduler, clock, new Date('2026-07-01T00:00:00Z'));
    const pairing = runs.filter((r) => r.kind === 'pairing');
    expect(pairing.map((r) => wall(r.now))).toEqual([
      'Mon 2026-01-05 08:00',
      'Mon 2026-02-09 08:00',
      'Mon 2026-03-09 08:00',
      'Mon 2026-04-06 08:00',
      'Mon 2026-05-04 08:00',
      'Mon 2026-06-08 08:00',
    ]);
    // Halfway: 35-day rounds +17 days (a Monday 19:00 → Tuesday 08:00), 28-day rounds +14 (a Friday 19:00).
    expect(runs.filter((r) => r.kind === 'check-in').map((r) => wall(r.now))).toEqual([
      'Tue 2026-01-20 08:00',
      'Mon 2026-02-23 08:00',
      'Mon 2026-03-23 08:00',
      'Mon 2026-04-20 08:00',
      'Tue 2026-05-19 08:00',
      'Mon 2026-06-22 08:00',
    ]);
    for (const r of runs) {
      expect(isAllowed(r.now, AMS, OFFICE)).toBe(true);
      expect(local(r.now).weekday).toBeLessThanOrEqual(5);
    }
  });

  it('moves a previous-weekday job from the weekend back to Friday', async () => {
    const saturdays: JobDefinition = {
      kind: 'reconfirm',
      nudge: 'reconfirm',
      audience: 'dm',
      adjust: 'previous-weekday',
      slots: (_n, from, to) => {
        const out: Date[] = [];
        for (
          let d = local(from).startOf('week').plus({ days: 5, hours: 10 });
          d.toJSDate() <= to;
          d = d.plus({ weeks: 1 })
        ) {
          if (d.toJSDate() >= from) out.push(d.toJSDate());
        }
        return out;
      },
      staleAt: (_n, slot) => slot,
    };
    const clock = new FakeClock('2026-03-01T00:00:00Z');
    const runs: Run[] = [];
    const { scheduler, store } = schedulerFor(clock, recordingHandlers(['reconfirm'], runs), [saturdays]);
    await createNetwork(store, database, {}, '2026-01-01T00:00:00Z');
    await runUntil(scheduler, clock, new Date('2026-04-12T00:00:00Z'));
    expect(runs.map((r) => wall(r.now))).toEqual([
      'Fri 2026-03-06 10:00',
      'Fri 2026-03-13 10:00',
      'Fri 2026-03-20 10:00',
      'Fri 2026-03-27 10:00',
      'Fri 2026-04-03 10:00',
      'Fri 2026-04-10 10:00',
    ]);
    expect(runs.map((r) => local(new Date(r.slotKey)).toFormat('ccc HH:mm'))).toEqual(Array(6).fill('Sat 10:00'));
  });

  it('sends nothing while the network is paused: those slots are skipped, once', async () => {
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    const runs: Run[] = [];
    const { scheduler, store } = schedulerFor(clock, recordingHandlers(['pairing', 'check-in', 'digest'], runs));
    const net = await createNetwork(store, database, { cadence: 'weekly' }, '2026-01-01T00:00:00Z');
    const pausedUntil = new Date('2026-02-01T00:00:00Z');
    await store.transaction((tx) => tx.networks.setPause(net.installationId, net.id, pausedUntil));
    const ticks = await runUntil(scheduler, clock, new Date('2026-03-01T00:00:00Z'));
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.every((r) => r.now >= pausedUntil)).toBe(true);
    expect(wall(runs[0]?.now as Date)).toBe('Mon 2026-02-02 09:00');
    const claims = await claimsOf(database, net.id);
    const skipped = claims.filter((c) => c.outcome === 'skipped');
    // January: 4 Mondays (5, 12, 19, 26), 5 Fridays (2, 9, 16, 23, 30), 4 Thursdays (8, 15, 22, 29).
    expect(skipped.length).toBe(13);
    expect(skipped.every((c) => new Date(c.slot) < pausedUntil)).toBe(true);
    const reasons = ticks.flatMap((t) => t.results).filter((r) => r.outcome === 'skipped');
    expect(new Set(reasons.map((r) => r.reason))).toEqual(new Set(['paused']));
    expect(claims.filter((c) => c.outcome === 'run').length).toBe(runs.length);
  });

  it('skipNextRound skips exactly one round (and its check-in), then clears itself', async () => {
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    const runs: Run[] = [];
    const { scheduler, store } = schedulerFor(clock, recordingHandlers(['pairing', 'check-in'], runs));
    const net = await createNetwork(store, database, { cadence: 'weekly' }, '2026-01-01T00:00:00Z');
    await store.transaction((tx) => tx.networks.setSkipNextRound(net.installationId, net.id, true));
    const ticks = await runUntil(scheduler, clock, new Date('2026-01-24T00:00:00Z'));
    expect(runs.map((r) => `${r.kind} ${wall(r.now)}`)).toEqual([
      'pairing Mon 2026-01-12 09:00',
      'check-in Thu 2026-01-15 09:00',
      'pairing Mon 2026-01-19 09:00',
      'check-in Thu 2026-01-22 09:00',
    ]);
    const skipped = ticks.flatMap((t) => t.results).filter((r) => r.outcome === 'skipped');
    expect(skipped.map((r) => `${r.kind} ${wall(r.slot)} ${r.reason}`)).toEqual([
      'pairing Mon 2026-01-05 09:00 skip-next-round',
      'check-in Thu 2026-01-08 09:00 parent-not-run',
    ]);
    const fresh = await store.transaction((tx) => tx.networks.get(net.installationId, net.id));
    expect(fresh?.skipNextRound).toBe(false);
  });

  it('switched-off nudges are skipped; kinds without a handler are not scheduled at all', async () => {
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    const runs: Run[] = [];
    const { scheduler, store } = schedulerFor(clock, recordingHandlers(['digest'], runs));
    const nudges = { ...defaultSettings('nl', AMS, 'T').nudges, digest: false };
    const net = await createNetwork(store, database, { cadence: 'weekly', nudges }, '2026-01-01T00:00:00Z');
    await runUntil(scheduler, clock, new Date('2026-02-01T00:00:00Z'));
    expect(runs).toEqual([]);
    const claims = await claimsOf(database, net.id);
    expect(claims.map((c) => c.kind)).toEqual(Array(5).fill('digest'));
    expect(claims.every((c) => c.outcome === 'skipped')).toBe(true);
  });

  it('after downtime runs only the latest missed slot, once, and drops what went stale', async () => {
    const clock = new FakeClock('2026-01-05T08:00:00Z'); // Monday 09:00
    const runs: Run[] = [];
    const { scheduler, store } = schedulerFor(clock, recordingHandlers(['pairing', 'check-in', 'digest'], runs));
    const net = await createNetwork(store, database, { cadence: 'weekly' }, '2026-01-01T00:00:00Z');
    // The digest of Friday 2 January lost its point on Sunday: dropped, not sent late.
    let result = await scheduler.tick();
    expect(result.results.map((r) => `${r.kind} ${r.outcome}`)).toEqual(['pairing run', 'digest dropped']);
    // Friday 9 January 09:00: the round's check-in came on Thursday, the digest goes out now.
    clock.set('2026-01-09T08:00:00Z');
    result = await scheduler.tick();
    expect(result.results.map((r) => `${r.kind} ${wall(r.slot)} ${r.outcome}`)).toEqual([
      'check-in Thu 2026-01-08 09:00 run',
      'digest Fri 2026-01-09 09:00 run',
    ]);
    // Three weeks down: Monday 26 January, 10:00.
    clock.set('2026-01-26T09:00:00Z');
    result = await scheduler.tick();
    expect(result.results.map((r) => `${r.kind} ${wall(r.slot)} ${r.outcome}`)).toEqual([
      'pairing Mon 2026-01-26 09:00 run',
      // Round of 19 January ended when this morning's round went out.
      'check-in Thu 2026-01-22 09:00 dropped',
      // Friday 23 January's digest lost its point on Sunday.
      'digest Fri 2026-01-23 09:00 dropped',
    ]);
    expect((await scheduler.tick()).results).toEqual([]);
    expect(runs.map((r) => `${r.kind} ${r.slotKey}`)).toEqual([
      'pairing 2026-01-05T08:00:00.000Z',
      'check-in 2026-01-08T08:00:00.000Z',
      'digest 2026-01-09T08:00:00.000Z',
      'pairing 2026-01-26T08:00:00.000Z',
    ]);
    // The slots in between were never claimed: dropped by construction.
    const claims = await claimsOf(database, net.id);
    expect(claims.map((c) => `${c.kind} ${c.slot} ${c.outcome}`).sort()).toEqual(
      [
        'check-in 2026-01-08T08:00:00.000Z run',
        'check-in 2026-01-22T08:00:00.000Z dropped',
        'digest 2026-01-02T08:00:00.000Z dropped',
        'digest 2026-01-09T08:00:00.000Z run',
        'digest 2026-01-23T08:00:00.000Z dropped',
        'pairing 2026-01-05T08:00:00.000Z run',
        'pairing 2026-01-26T08:00:00.000Z run',
      ].sort(),
    );
    const latest = await store.transaction((tx) => tx.jobClaims.latest(net.id, 'pairing'));
    expect(latest?.slot).toBe('2026-01-26T08:00:00.000Z');
  });

  it('a handler that throws rolls back its claim and its writes, and is retried on the next tick', async () => {
    const clock = new FakeClock('2026-01-05T08:00:00Z');
    let calls = 0;
    const ok = recordingHandlers(['pairing'], []).get('pairing') as JobHandler;
    const handlers = new Map<string, JobHandler>([
      [
        'pairing',
        async (ctx) => {
          calls++;
          await ok(ctx); // writes an outbox row in the transaction…
          if (calls === 1) throw new Error('platform down'); // …which the failure takes back
        },
      ],
    ]);
    const { scheduler, store } = schedulerFor(clock, handlers);
    const net = await createNetwork(store, database, { cadence: 'weekly' }, '2026-01-01T00:00:00Z');
    const first = await scheduler.tick();
    expect(first.results.map((r) => r.outcome)).toEqual(['error']);
    expect(await claimsOf(database, net.id)).toEqual([]);
    expect(await outboxCount(database, net.id)).toBe(0);

    clock.advance(60_000);
    const second = await scheduler.tick();
    expect(second.results.map((r) => r.outcome)).toEqual(['run']);
    expect(calls).toBe(2);
    expect((await claimsOf(database, net.id)).map((c) => c.outcome)).toEqual(['run']);
    expect(await outboxCount(database, net.id)).toBe(1);
  });

  it('gives up on a slot whose handler keeps failing after 5 tries, recording it as failed', async () => {
    const clock = new FakeClock('2026-01-05T08:00:00Z');
    let calls = 0;
    const handlers = new Map<string, JobHandler>([
      [
        'pairing',
        async ({ tx, network }) => {
          calls++;
          await tx.networks.setSkipNextRound(network.installationId, network.id, true);
          throw new Error('broken');
        },
      ],
    ]);
    const { scheduler, store, metrics } = schedulerFor(clock, handlers);
    const net = await createNetwork(store, database, { cadence: 'weekly' }, '2026-01-01T00:00:00Z');
    const outcomes: string[] = [];
    for (let i = 0; i < 7; i++) {
      outcomes.push(...(await scheduler.tick()).results.map((r) => r.outcome));
      clock.advance(60_000);
    }
    expect(outcomes).toEqual(['error', 'error', 'error', 'error', 'failed']);
    expect(calls).toBe(5);
    expect((await claimsOf(database, net.id)).map((c) => c.outcome)).toEqual(['failed']);
    // The handler's write never committed.
    const fresh = await store.transaction((tx) => tx.networks.get(net.installationId, net.id));
    expect(fresh?.skipNextRound).toBe(false);
    expect(await metrics.registry.getSingleMetricAsString('klik_scheduler_runs_total')).toContain(
      'outcome="failed"} 1',
    );
  });

  it('nextDueAt gives the earliest effective slot after an instant, over networks and handled kinds', async () => {
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    const { scheduler, store } = schedulerFor(clock, recordingHandlers(['pairing'], []));
    expect(await scheduler.nextDueAt(clock.now())).toBeNull();
    await createNetwork(store, database, { cadence: 'monthly', time: '07:00' }, '2026-01-01T00:00:00Z');
    await createNetwork(store, database, { cadence: 'weekly', day: 'wed', time: '12:00' }, '2026-01-01T00:00:00Z');
    expect((await scheduler.nextDueAt(new Date('2026-01-01T00:00:00Z')))?.toISOString()).toBe(
      '2026-01-05T07:00:00.000Z',
    );
    expect((await scheduler.nextDueAt(new Date('2026-01-05T07:00:00Z')))?.toISOString()).toBe(
      '2026-01-07T11:00:00.000Z',
    );
    const none = new Scheduler({
      store,
      clock,
      logger: silentLogger,
      workerId: 'x',
      jobs: JOB_DEFINITIONS,
      handlers: new Map(),
    });
    expect(await none.nextDueAt(clock.now())).toBeNull();
    expect((await none.tick()).results).toEqual([]);
  });

  it("runs every sweep on each tick, keeps going when one throws, and jumps to a sweep's next due time", async () => {
    const clock = new FakeClock(new Date('2026-01-05T07:00:00Z'));
    const store = createStore(database.db, clock);
    const seen: string[] = [];
    const sweeps: Sweep[] = [
      {
        name: 'broken',
        run: async () => {
          throw new Error('boom');
        },
      },
      {
        name: 'counting',
        run: async ({ now, workerId }) => {
          seen.push(`${workerId}@${now.toISOString()}`);
          return 2;
        },
        nextDueAt: async (after) => new Date(after.getTime() + 60_000),
      },
      { name: 'idle', run: async () => 0 },
    ];
    const scheduler = new Scheduler({
      store,
      clock,
      logger: silentLogger,
      workerId: 'w9',
      jobs: JOB_DEFINITIONS,
      handlers: new Map(),
      sweeps,
    });
    expect((await scheduler.tick()).swept).toEqual({ counting: 2 });
    clock.advance(60_000);
    expect((await scheduler.tick()).swept).toEqual({ counting: 2 });
    expect(seen).toEqual(['w9@2026-01-05T07:00:00.000Z', 'w9@2026-01-05T07:01:00.000Z']);
    expect((await scheduler.nextDueAt(clock.now()))?.toISOString()).toBe('2026-01-05T07:02:00.000Z');
  });

  it('a broken time zone on one network does not stop the others', async () => {
    const clock = new FakeClock('2026-01-05T08:00:00Z');
    const runs: Run[] = [];
    const { scheduler, store } = schedulerFor(clock, recordingHandlers(['pairing'], runs));
    await createNetwork(store, database, { cadence: 'weekly', timezone: 'Mars/Olympus_Mons' }, '2026-01-01T00:00:00Z');
    const good = await createNetwork(store, database, { cadence: 'weekly' }, '2026-01-01T00:00:00Z');
    await scheduler.tick();
    expect(runs.map((r) => r.networkId)).toEqual([good.id]);
  });
});

describe.skipIf(!hasPostgres)('Scheduler in two processes on one PostgreSQL', () => {
  requirePostgresInCi();
  let database: TestDatabase;
  let second: Database;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    second = await openDatabase({ kind: 'postgres', url: database.url as string });
  });
  afterAll(async () => {
    await second?.close();
    await database?.close();
  });
  afterEach(async () => {
    await database.db.delete(outbox);
    await database.db.delete(networks);
  });

  function pair(clock: Clock, handlersA: Map<string, JobHandler>, handlersB: Map<string, JobHandler>) {
    const make = (db: Database, workerId: string, handlers: Map<string, JobHandler>) =>
      new Scheduler({
        store: createStore(db.db, clock),
        clock,
        logger: silentLogger,
        workerId,
        jobs: JOB_DEFINITIONS,
        handlers,
      });
    return { a: make(database, 'a', handlersA), b: make(second, 'b', handlersB) };
  }

  it('ticking concurrently at the same instants, every slot runs exactly once in total', async () => {
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    const runs: Run[] = [];
    const kinds = ['pairing', 'check-in', 'digest'];
    const { a, b } = pair(clock, recordingHandlers(kinds, runs, 'a'), recordingHandlers(kinds, runs, 'b'));
    const store = createStore(database.db, clock);
    const nets: Network[] = [];
    for (const settings of [
      { cadence: 'weekly' as const },
      { cadence: 'weekly' as const, day: 'tue' as const },
      {},
      { time: '07:00' },
    ]) {
      nets.push(await createNetwork(store, database, settings, '2026-01-01T00:00:00Z'));
    }
    const end = new Date('2026-07-01T00:00:00Z');
    const outcomes: Array<JobOutcome | 'error'> = [];
    for (let i = 0; i < 2_000; i++) {
      const next = await a.nextDueAt(clock.now());
      if (!next || next > end) break;
      clock.set(next);
      const [ra, rb] = await Promise.all([a.tick(), b.tick()]);
      outcomes.push(...ra.results.map((r) => r.outcome), ...rb.results.map((r) => r.outcome));
    }
    expect(outcomes).not.toContain('error');
    const keys = runs.map((r) => `${r.networkId}|${r.kind}|${r.slotKey}`);
    expect(keys.length).toBeGreaterThan(200);
    expect(new Set(keys).size).toBe(keys.length);
    let claimCount = 0;
    for (const net of nets) {
      const claims = await claimsOf(database, net.id);
      claimCount += claims.length;
      expect(await outboxCount(database, net.id)).toBe(runs.filter((r) => r.networkId === net.id).length);
    }
    expect(claimCount).toBe(runs.length);
    expect(outcomes.filter((o) => o === 'run').length).toBe(runs.length);
  });

  /** Waits (by asking PostgreSQL, not by sleeping) until some session blocks on a lock. */
  async function untilSomeoneWaitsOnALock(): Promise<void> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      for (let i = 0; i < 20_000; i++) {
        const { rows } = await client.query(
          "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
        );
        if ((rows[0] as { n: number }).n > 0) return;
      }
      throw new Error('nobody waited on a lock');
    } finally {
      await client.end();
    }
  }

  it.each([
    { first: 'commits', second: 'stands down', fail: false, expectedCalls: ['a'], winner: 'a' },
    { first: 'rolls back', second: 'takes over', fail: true, expectedCalls: ['a', 'b'], winner: 'b' },
  ])(
    'a process meeting a claim in flight waits for it: when the first $first, the second $second',
    async ({ fail, expectedCalls, winner }) => {
      const clock = new FakeClock('2026-01-05T08:00:00Z');
      const calls: string[] = [];
      let bTick: Promise<TickResult> | undefined;
      let schedulers: { a: Scheduler; b: Scheduler } | undefined;
      const handlersA = new Map<string, JobHandler>([
        [
          'pairing',
          async () => {
            calls.push('a');
            // While this claim is uncommitted, the other process ticks and must block on it.
            bTick = schedulers?.b.tick();
            await untilSomeoneWaitsOnALock();
            if (fail) throw new Error('boom');
          },
        ],
      ]);
      const handlersB = new Map<string, JobHandler>([
        [
          'pairing',
          async () => {
            calls.push('b');
          },
        ],
      ]);
      schedulers = pair(clock, handlersA, handlersB);
      const net = await createNetwork(
        createStore(database.db, clock),
        database,
        { cadence: 'weekly' },
        '2026-01-01T00:00:00Z',
      );
      await schedulers.a.tick();
      const rb = await bTick;
      expect(calls).toEqual(expectedCalls);
      expect(rb?.results.map((r) => r.outcome)).toEqual(fail ? ['run'] : []);
      const claims = await database.db
        .select()
        .from(jobClaims)
        .where(and(eq(jobClaims.networkId, net.id), eq(jobClaims.kind, 'pairing')));
      expect(claims.map((c) => c.claimedBy)).toEqual([winner]);
    },
  );
});
