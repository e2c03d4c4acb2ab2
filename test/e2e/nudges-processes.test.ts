/**
 * Nudges with more than one process, and with a process that dies: two Klik processes (scheduler and
 * outbox dispatcher each) on one real PostgreSQL with one shared fake platform deliver every nudge
 * once; a process killed mid-dispatch (after the platform accepted a message, before Klik recorded
 * it) and restarted loses nothing and sends that one message at most once more.
 */
import { and, eq, gt, inArray, min } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LocalAdapter } from '../../adapters/local/adapter.js';
import { LocalPlatform } from '../../adapters/local/platform.js';
import { LocalWorkspace, type PostedMessage } from '../../adapters/local/workspace.js';
import { type Database, openDatabase } from '../../db/client.js';
import { outboxQueue } from '../../db/repositories/outbox-queue.js';
import { outbox } from '../../db/schema.js';
import { createStore } from '../../db/store.js';
import { type Store, silentLogger } from '../../src/core/ports.js';
import { JOB_DEFINITIONS } from '../../src/core/schedule/jobs.js';
import { createMetrics } from '../../src/http/metrics.js';
import { nudgeHandlers, nudgeSweeps } from '../../src/scheduler/nudges-handler.js';
import { OutboxDispatcher } from '../../src/scheduler/outbox-dispatcher.js';
import { pairingHandler } from '../../src/scheduler/pairing-handler.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { FakeClock } from '../support/clock.js';
import { testCore } from '../support/core.js';
import { backends, createTestDatabase, hasPostgres, requirePostgresInCi, type TestDatabase } from '../support/db.js';
import { buttonsOf, textOf } from '../support/local-stack.js';

const CHANNEL = 'C-samen';
const PEOPLE = ['Anna', 'Henk', 'Fatima', 'Joost', 'Sanne'].map((n) => ({
  id: `U-${n.toLowerCase()}`,
  displayName: `${n} Jansen`,
  timezone: 'Europe/Amsterdam',
  locale: 'nl-NL',
}));
const LEASE = 120_000;

interface Proc {
  scheduler: Scheduler;
  dispatcher: OutboxDispatcher;
}

function processOn(
  db: Database['db'],
  clock: FakeClock,
  platform: LocalPlatform,
  workerId: string,
  hooks?: { afterPlatformAccept(rowId: string): void },
): Proc & { store: Store } {
  const store = createStore(db, clock);
  const scheduler = new Scheduler({
    store,
    clock,
    logger: silentLogger,
    workerId,
    jobs: JOB_DEFINITIONS,
    handlers: new Map([
      ['pairing', pairingHandler({ local: platform }, silentLogger)],
      ...nudgeHandlers(silentLogger, workerId),
    ]),
    sweeps: nudgeSweeps,
  });
  const dispatcher = new OutboxDispatcher({
    queue: outboxQueue(db, clock),
    platforms: { local: platform },
    clock,
    logger: silentLogger,
    metrics: createMetrics(),
    workerId,
    leaseMs: LEASE,
    ...(hooks ? { hooks } : {}),
  });
  return { store, scheduler, dispatcher };
}

/** A network of five set up on Monday 2 March 2026; no pairing rounds, no digest. */
async function setUpNetwork(db: Database['db'], clock: FakeClock, workspace: LocalWorkspace, platform: LocalPlatform) {
  const store = createStore(db, clock);
  const { klik, dispatcher } = testCore({
    db,
    store,
    platforms: { local: platform },
    clock,
    logger: silentLogger,
    workerId: 'setup',
  });
  const adapter = new LocalAdapter(klik, workspace);
  await adapter.command('U-anna', CHANNEL, 'start');
  const preview = workspace.listEphemerals('U-anna', CHANNEL).at(-1);
  const confirm = preview ? buttonsOf(preview.message).find((b) => b.actionId === 'setup.confirm') : undefined;
  if (!preview || !confirm) throw new Error('no setup preview');
  await adapter.click('U-anna', preview.id, confirm.actionId, confirm.value);
  await adapter.command('U-anna', CHANNEL, 'instellingen digest off');
  await adapter.command('U-anna', CHANNEL, 'instellingen cadence off');
  while ((await dispatcher.runOnce()) > 0) {}
  await dispatcher.stop();
}

function workspaceWithPeople(clock: FakeClock): { workspace: LocalWorkspace; platform: LocalPlatform } {
  const workspace = new LocalWorkspace({ clock });
  for (const p of PEOPLE) workspace.addUser(p);
  workspace.addChannel({ id: CHANNEL, name: 'samen', memberIds: PEOPLE.map((p) => p.id), botInChannel: true });
  return { workspace, platform: new LocalPlatform(workspace) };
}

/** Every message in the channel and the members' DMs, in order of posting. */
function everything(workspace: LocalWorkspace): PostedMessage[] {
  return [CHANNEL, ...PEOPLE.map((p) => workspace.dmFor(p.id).id)]
    .flatMap((c) => workspace.listMessages(c))
    .sort((a, b) => a.seq - b.seq);
}

/** What a reader would call one message: where, and what it says. */
const identity = (m: PostedMessage) => `${m.conversationId}|${textOf(m.message)}`;

describe.each(backends())('a process killed mid-dispatch on %s', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('restarted, it loses nothing and sends the one message in flight at most once more', async () => {
    const clock = new FakeClock('2026-03-02T09:30:00Z');
    const { workspace, platform } = workspaceWithPeople(clock);
    await setUpNetwork(database.db, clock, workspace, platform);
    const before = everything(workspace).length;

    // Monday 4 May, 09:00: the rhythm nudge is due, and all five have been quiet for eight weeks.
    clock.set('2026-05-04T07:00:00Z');
    let accepted = 0;
    const doomed = processOn(database.db, clock, platform, 'doomed', {
      afterPlatformAccept() {
        accepted += 1;
        if (accepted === 3) throw new Error('process died');
      },
    });
    const tick = await doomed.scheduler.tick();
    expect(tick.swept['quiet-member']).toBe(5);
    const queued = await database.db.select().from(outbox).where(eq(outbox.status, 'pending'));
    expect(queued.length).toBe(6);
    await expect(doomed.dispatcher.runOnce()).rejects.toThrow('process died');
    expect(everything(workspace).length - before).toBe(3);

    // The restart: a new process on the same database, after the dead one's lease ran out.
    clock.advance(LEASE + 1_000);
    const restarted = processOn(database.db, clock, platform, 'restarted');
    await restarted.scheduler.tick();
    while ((await restarted.dispatcher.runOnce()) > 0) {}

    const rows = await database.db
      .select()
      .from(outbox)
      .where(
        inArray(
          outbox.id,
          queued.map((q) => q.id),
        ),
      );
    expect(rows.map((r) => r.status)).toEqual(rows.map(() => 'sent'));
    const delivered = everything(workspace).slice(before);
    const counts = new Map<string, number>();
    for (const m of delivered) counts.set(identity(m), (counts.get(identity(m)) ?? 0) + 1);
    // Six different messages, each delivered; exactly the one in flight twice.
    expect(counts.size).toBe(6);
    expect([...counts.values()].sort()).toEqual([1, 1, 1, 1, 1, 2]);
    expect(delivered.filter((m) => textOf(m.message).includes('Zullen we de volgende plannen')).length).toBeGreaterThan(
      0,
    );
    // Nothing further is due again: later ticks add nothing.
    await restarted.scheduler.tick();
    while ((await restarted.dispatcher.runOnce()) > 0) {}
    expect(everything(workspace).slice(before)).toHaveLength(delivered.length);
  });
});

describe.skipIf(!hasPostgres)('two Klik processes on one PostgreSQL', () => {
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
  });

  it('over five months with a pause, every nudge arrives once', async () => {
    const clock = new FakeClock('2026-03-02T09:30:00Z');
    const { workspace, platform } = workspaceWithPeople(clock);
    await setUpNetwork(database.db, clock, workspace, platform);
    const before = everything(workspace).length;
    const a = processOn(database.db, clock, platform, 'a');
    const b = processOn(second.db, clock, platform, 'b');
    const setupRows = (await database.db.select().from(outbox)).length;
    const end = new Date('2026-08-01T00:00:00Z');
    const nextOutboxAt = async (after: Date) => {
      const [row] = await database.db
        .select({ at: min(outbox.nextAttemptAt) })
        .from(outbox)
        .where(and(eq(outbox.status, 'pending'), gt(outbox.nextAttemptAt, after)));
      return row?.at ? new Date(row.at) : null;
    };
    let paused = false;
    for (let i = 0; i < 1_000; i++) {
      const now = clock.now();
      if (!paused && now >= new Date('2026-06-01T08:00:00Z')) {
        paused = true;
        await a.store.transaction(async (tx) => {
          const inst = await tx.installations.ensure('local', 'local');
          const network = await tx.networks.findByChannel(inst.id, CHANNEL);
          if (network) await tx.networks.setPause(inst.id, network.id, new Date('2026-06-29T00:00:00+02:00'));
        });
      }
      const next = [await a.scheduler.nextDueAt(now), await nextOutboxAt(now)]
        .filter((d): d is Date => d !== null && d > now)
        .sort((x, y) => x.getTime() - y.getTime())[0];
      if (!next || next > end) break;
      clock.set(next);
      await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
      for (let j = 0; j < 20; j++) {
        const [na, nb] = await Promise.all([a.dispatcher.runOnce(), b.dispatcher.runOnce()]);
        if (na + nb === 0) break;
      }
    }
    const delivered = everything(workspace).slice(before);
    const texts = delivered.map((m) => textOf(m.message));
    expect(texts.filter((t) => t.includes('Zullen we de volgende plannen')).length).toBeGreaterThan(10);
    expect(texts.filter((t) => t.includes('we hebben je een tijdje niet gezien')).length).toBeGreaterThanOrEqual(10);
    expect(texts.filter((t) => t.includes('terug van de pauze'))).toHaveLength(1);
    // Every message once: the same text to the same place at the same moment never twice.
    const keys = delivered.map((m) => `${identity(m)}|${m.postedAt.toISOString()}`);
    expect(new Set(keys).size).toBe(keys.length);
    // And the outbox agrees: each row sent once, none left behind.
    const rows = await database.db.select().from(outbox);
    expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
    expect(rows.length - setupRows).toBe(delivered.length);
  });
});
