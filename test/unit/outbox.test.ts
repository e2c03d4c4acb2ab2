import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Database, type Db, openDatabase } from '../../db/client.js';
import { outboxQueue } from '../../db/repositories/outbox-queue.js';
import { outboxWriter, targetKey } from '../../db/repositories/outbox-writer.js';
import { installations, members, outbox, outboxHolds } from '../../db/schema.js';
import { PlatformError } from '../../src/core/errors.js';
import type { Clock, LiveMessages, Logger, OutboxTarget } from '../../src/core/ports.js';
import type { Platform } from '../../src/core/types.js';
import { createMetrics, type Metrics } from '../../src/http/metrics.js';
import {
  exponentialBackoff,
  OutboxDispatcher,
  type OutboxDispatcherOptions,
} from '../../src/scheduler/outbox-dispatcher.js';
import type { OutboxQueue } from '../../src/scheduler/outbox-queue-port.js';
import { FakeClock } from '../support/clock.js';
import { backends, createTestDatabase, hasPostgres, requirePostgresInCi, type TestDatabase } from '../support/db.js';
import { FakePlatform, type FakeSend } from '../support/fake-platform.js';

const START = '2025-03-03T09:00:00.000Z';
const LEASE = 60_000;
/** Message text carries a marker so tests can find the key, and check logs never carry text. */
const SECRET = 'SECRET-TEXT';
const textFor = (key: string) => `${SECRET} ${key}`;
const keyOf = (s: FakeSend) => s.message.text.slice(SECRET.length + 1);

interface LogLine {
  level: string;
  obj: object;
  msg: string | undefined;
}

function captureLogger(lines: LogLine[], bindings: object = {}): Logger {
  const at =
    (level: string) =>
    (obj: object, msg?: string): void => {
      lines.push({ level, obj: { ...bindings, ...obj }, msg });
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => captureLogger(lines, { ...bindings, ...more }),
  };
}

async function seedInstallation(db: Db, platform: Platform = 'slack', externalId = 'T1'): Promise<string> {
  const [row] = await db.insert(installations).values({ platform, externalId }).returning({ id: installations.id });
  if (!row) throw new Error('no installation');
  return row.id;
}

async function seedMember(db: Db, installationId: string, platformUserId: string): Promise<string> {
  const [row] = await db
    .insert(members)
    .values({ installationId, platformUserId, displayName: platformUserId })
    .returning({ id: members.id });
  if (!row) throw new Error('no member');
  return row.id;
}

async function enqueue(
  db: Db,
  clock: Clock,
  installationId: string,
  key: string,
  target: OutboxTarget,
  notBefore?: Date,
): Promise<void> {
  const written = await outboxWriter(db, clock).enqueue({
    installationId,
    key,
    target,
    message: { text: textFor(key), blocks: [{ type: 'section', text: textFor(key) }] },
    ...(notBefore ? { notBefore } : {}),
  });
  expect(written).toBe(true);
}

async function rowByKey(db: Db, key: string) {
  const [row] = await db.select().from(outbox).where(eq(outbox.idempotencyKey, key));
  if (!row) throw new Error(`no outbox row ${key}`);
  return row;
}

function countByKey(sends: FakeSend[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of sends) counts.set(keyOf(s), (counts.get(keyOf(s)) ?? 0) + 1);
  return counts;
}

/** Runs until a run claims nothing; a guard stops a dispatcher that would loop forever. */
async function drain(d: OutboxDispatcher, maxRuns = 1_000): Promise<number> {
  let total = 0;
  for (let i = 0; i < maxRuns; i++) {
    const n = await d.runOnce();
    if (n === 0) return total;
    total += n;
  }
  throw new Error('outbox did not drain');
}

describe('exponentialBackoff', () => {
  it('doubles from 2 s, caps at 10 min, and jitters within ±20%', () => {
    const mid = exponentialBackoff({ random: () => 0.5 });
    expect([1, 2, 3, 4].map(mid)).toEqual([2_000, 4_000, 8_000, 16_000]);
    expect(mid(20)).toBe(600_000);
    expect(mid(1_000)).toBe(600_000);
    const low = exponentialBackoff({ random: () => 0 });
    const high = exponentialBackoff({ random: () => 0.999_999 });
    expect(low(1)).toBe(1_600);
    expect(high(1)).toBeCloseTo(2_400, -1);
    expect(high(30)).toBe(600_000);
  });
});

describe.each(backends())('outbox on %s', (backend) => {
  let database: TestDatabase;
  let db: Db;
  let clock: FakeClock;
  let queue: OutboxQueue;
  let metrics: Metrics;
  let slack: FakePlatform;
  let logs: LogLine[];
  let inst: string;

  const dispatcher = (overrides: Partial<OutboxDispatcherOptions> = {}) =>
    new OutboxDispatcher({
      queue,
      platforms: { slack },
      clock,
      logger: captureLogger(logs),
      metrics,
      workerId: 'w1',
      leaseMs: LEASE,
      ...overrides,
    });

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    db = database.db;
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await db.execute(sql`truncate outbox, outbox_holds, members, installations cascade`);
    clock = new FakeClock(START);
    queue = outboxQueue(db, clock);
    metrics = createMetrics();
    slack = new FakePlatform('slack');
    logs = [];
    inst = await seedInstallation(db);
  });
  afterEach(() => {
    // Whatever happened, no log line carries message text.
    expect(JSON.stringify(logs)).not.toContain(SECRET);
  });

  it('sends a message once, records its platform ids, and sends nothing on the next run', async () => {
    await enqueue(db, clock, inst, 'k1', { kind: 'channel', channelId: 'C1' });
    const d = dispatcher();

    expect(await d.runOnce()).toBe(1);
    expect(slack.sent).toHaveLength(1);
    expect(slack.sent[0]).toMatchObject({ op: 'channel', target: 'channel:C1', installationId: inst });
    expect(slack.sent[0]?.message.text).toBe(textFor('k1'));

    const row = await rowByKey(db, 'k1');
    expect(row).toMatchObject({
      status: 'sent',
      attempts: 1,
      platformChannelId: 'C1',
      platformMessageId: slack.sent[0]?.ref?.messageId,
    });
    expect(row.sentAt?.toISOString()).toBe(START);

    expect(await d.runOnce()).toBe(0);
    clock.advance(24 * 3600_000);
    expect(await d.runOnce()).toBe(0);
    expect(slack.sent).toHaveLength(1);
    expect(await metrics.registry.metrics()).toContain('klik_outbox_sent_total{platform="slack"} 1');
  });

  it('routes each target kind to its call, resolving members to platform user ids', async () => {
    const alice = await seedMember(db, inst, 'UALICE');
    const bob = await seedMember(db, inst, 'UBOB');
    await enqueue(db, clock, inst, 'ch', { kind: 'channel', channelId: 'C1' });
    await enqueue(db, clock, inst, 'dm', { kind: 'user', memberId: bob });
    await enqueue(db, clock, inst, 'grp', { kind: 'group', memberIds: [bob, alice] });
    await enqueue(db, clock, inst, 'upd', { kind: 'update', ref: { channelId: 'C1', messageId: 'old-1' } });

    await dispatcher().runOnce();

    expect(slack.sent.map((s) => [s.op, s.target, keyOf(s)])).toEqual([
      ['channel', 'channel:C1', 'ch'],
      ['user', 'user:UBOB', 'dm'],
      ['group', 'group:UBOB,UALICE', 'grp'],
      ['update', 'update:C1/old-1', 'upd'],
    ]);
    expect(await rowByKey(db, 'dm')).toMatchObject({ status: 'sent', platformChannelId: 'D-UBOB' });
    expect(await rowByKey(db, 'upd')).toMatchObject({
      status: 'sent',
      platformChannelId: 'C1',
      platformMessageId: 'old-1',
    });
  });

  it('renders a live update when it sends it; nothing to show means nothing sent; a failed render retries', async () => {
    const renders: string[] = [];
    let answer: 'text' | 'gone' | 'throw' = 'throw';
    const live: LiveMessages = {
      async render(installationId, source) {
        renders.push(`${installationId}:${source.id}`);
        if (answer === 'throw') throw new Error('database went away');
        return answer === 'gone' ? null : { text: textFor('rendered'), blocks: [] };
      },
    };
    const ref = { channelId: 'C1', messageId: 'poll-1' };
    await enqueue(db, clock, inst, 'live', { kind: 'update', ref, live: { kind: 'poll', id: 'p1' } });
    const d = dispatcher({ live, backoff: () => 1_000 });

    await d.runOnce();
    expect(slack.sent).toHaveLength(0);
    expect(await rowByKey(db, 'live')).toMatchObject({ status: 'pending', lastError: 'transient' });

    answer = 'text';
    clock.advance(1_000);
    await d.runOnce();
    expect(slack.sent.map((x) => [x.op, x.target, keyOf(x)])).toEqual([['update', 'update:C1/poll-1', 'rendered']]);
    expect(renders).toEqual([`${inst}:p1`, `${inst}:p1`]);

    answer = 'gone';
    await enqueue(db, clock, inst, 'live-2', { kind: 'update', ref, live: { kind: 'poll', id: 'p1' } });
    await d.runOnce();
    expect(slack.sent).toHaveLength(1);
    expect(await rowByKey(db, 'live-2')).toMatchObject({ status: 'sent' });

    // A dispatcher without a renderer never sends the stored placeholder; a malformed source is refused.
    await enqueue(db, clock, inst, 'live-3', { kind: 'update', ref, live: { kind: 'poll', id: 'p1' } });
    await db.insert(outbox).values({
      installationId: inst,
      idempotencyKey: 'bad-live',
      targetKey: 'channel:C1',
      target: { kind: 'update', ref, live: { kind: 'tips', id: 7 } },
      message: { text: textFor('bad-live'), blocks: [] },
      nextAttemptAt: clock.now(),
    });
    await dispatcher().runOnce();
    expect(slack.sent).toHaveLength(1);
    expect((await queue.listDead(inst)).map((x) => [x.key, x.reason])).toEqual([
      ['live-3', 'permanent'],
      ['bad-live', 'invalid_target'],
    ]);
  });

  it('dead-letters a row whose member is gone (or belongs to another installation)', async () => {
    const other = await seedInstallation(db, 'slack', 'T2');
    const stranger = await seedMember(db, other, 'USTRANGER');
    const alice = await seedMember(db, inst, 'UALICE');
    const leaving = await seedMember(db, inst, 'ULEAVING');
    await enqueue(db, clock, inst, 'grp', { kind: 'group', memberIds: [alice, leaving] });
    await enqueue(db, clock, inst, 'foreign', { kind: 'user', memberId: stranger });
    await enqueue(db, clock, inst, 'ok', { kind: 'user', memberId: alice });
    await db.delete(members).where(eq(members.id, leaving));

    await dispatcher().runOnce();

    expect(slack.sent.map(keyOf)).toEqual(['ok']);
    const dead = await queue.listDead(inst);
    expect(dead.map((d) => [d.key, d.reason])).toEqual([
      ['grp', 'member_gone'],
      ['foreign', 'member_gone'],
    ]);
    expect(await metrics.registry.metrics()).toContain(
      'klik_outbox_dead_letters_total{platform="slack",reason="member_gone"} 2',
    );
  });

  it('crash between platform accept and record: after the lease one more send, never two', async () => {
    await enqueue(db, clock, inst, 'a', { kind: 'channel', channelId: 'C1' });
    await enqueue(db, clock, inst, 'b', { kind: 'channel', channelId: 'C2' });
    await enqueue(db, clock, inst, 'c', { kind: 'channel', channelId: 'C3' });
    const b = await rowByKey(db, 'b');

    const crashing = dispatcher({
      workerId: 'doomed',
      hooks: {
        afterPlatformAccept(rowId) {
          if (rowId === b.id) throw new Error('process died');
        },
      },
    });
    await expect(crashing.runOnce()).rejects.toThrow('process died');
    // a went out and was recorded; b went out and was not; c was never tried.
    expect(slack.sent.map(keyOf)).toEqual(['a', 'b']);
    expect((await rowByKey(db, 'a')).status).toBe('sent');
    expect(await rowByKey(db, 'b')).toMatchObject({ status: 'sending', lockedBy: 'doomed', sentAt: null });
    expect(await rowByKey(db, 'c')).toMatchObject({ status: 'sending', lockedBy: 'doomed' });

    const survivor = dispatcher({ workerId: 'survivor' });
    // The lease still runs: nobody takes the rows.
    clock.advance(LEASE - 1);
    expect(await survivor.runOnce()).toBe(0);
    clock.advance(2);
    expect(await survivor.runOnce()).toBe(2);
    expect(await survivor.runOnce()).toBe(0);
    clock.advance(10 * LEASE);
    expect(await survivor.runOnce()).toBe(0);

    expect(Object.fromEntries(countByKey(slack.sent))).toEqual({ a: 1, b: 2, c: 1 });
    expect(await rowByKey(db, 'b')).toMatchObject({ status: 'sent', lockedBy: 'survivor', attempts: 2 });
    expect(await rowByKey(db, 'c')).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await queue.countPending()).toBe(0);
  });

  it('crash right after claim (before any send): after the lease each row is sent exactly once', async () => {
    for (const k of ['x1', 'x2', 'x3']) await enqueue(db, clock, inst, k, { kind: 'channel', channelId: 'C1' });
    // A process claims and dies without a word.
    const claimed = await queue.claim('dead-process', 10, LEASE);
    expect(claimed.map((r) => r.key)).toEqual(['x1', 'x2', 'x3']);

    const d = dispatcher({ workerId: 'alive' });
    expect(await d.runOnce()).toBe(0);
    expect(slack.sent).toHaveLength(0);

    clock.advance(LEASE + 1);
    expect(await d.runOnce()).toBe(3);
    expect(await d.runOnce()).toBe(0);
    expect(slack.sent.map(keyOf)).toEqual(['x1', 'x2', 'x3']);
    // The dead process's late word changes nothing: the rows are no longer its.
    expect(await queue.markSent(claimed[0]!.id, 'dead-process', null)).toBe(false);
    expect(await queue.markRetry(claimed[1]!.id, 'dead-process', clock.now(), 'late')).toBe(false);
    expect(await queue.markDead(claimed[2]!.id, 'dead-process', 'late')).toBe(false);
    for (const k of ['x1', 'x2', 'x3']) expect((await rowByKey(db, k)).status).toBe('sent');
  });

  it('a worker whose lease expired cannot record a row another worker now holds', async () => {
    await enqueue(db, clock, inst, 'held', { kind: 'channel', channelId: 'C1' });
    const [old] = await queue.claim('old', 10, LEASE);
    clock.advance(LEASE + 1);
    const [fresh] = await queue.claim('new', 10, LEASE);
    expect(fresh?.id).toBe(old?.id);
    expect(fresh?.attempts).toBe(2);

    const ref = { channelId: 'C1', messageId: 'm-old' };
    expect(await queue.markSent(old!.id, 'old', ref)).toBe(false);
    expect(await queue.markRetry(old!.id, 'old', clock.now(), 'transient')).toBe(false);
    expect(await queue.release(old!.id, 'old', clock.now(), null)).toBe(false);
    expect(await queue.markDead(old!.id, 'old', 'permanent')).toBe(false);
    expect(await rowByKey(db, 'held')).toMatchObject({ status: 'sending', lockedBy: 'new', platformMessageId: null });

    expect(await queue.markSent(fresh!.id, 'new', ref)).toBe(true);
    expect(await rowByKey(db, 'held')).toMatchObject({ status: 'sent', platformMessageId: 'm-old' });
  });

  it('429 on target A holds only A; B flows in the same run; A goes out once after Retry-After', async () => {
    const A = { kind: 'channel', channelId: 'CA' } as const;
    const B = { kind: 'channel', channelId: 'CB' } as const;
    await enqueue(db, clock, inst, 'a1', A);
    await enqueue(db, clock, inst, 'b1', B);
    await enqueue(db, clock, inst, 'a2', A);
    await enqueue(db, clock, inst, 'b2', B);
    await enqueue(db, clock, inst, 'a3', A);
    slack.failNext('channel:CA', 1, new PlatformError('rate_limited', 'slow down', 30_000));
    const d = dispatcher();

    expect(await d.runOnce()).toBe(5);
    expect(slack.sent.map(keyOf)).toEqual(['b1', 'b2']);
    // Only a1 reached the platform: a2 and a3 waited behind the hold without a call.
    expect(slack.attempts.filter((a) => a.target === 'channel:CA')).toHaveLength(1);
    const [hold] = await db.select().from(outboxHolds);
    expect(hold).toMatchObject({ installationId: inst, targetKey: targetKey(A) });
    expect(hold?.until.getTime()).toBe(clock.now().getTime() + 30_000);

    // A row written for A during the hold waits too.
    await enqueue(db, clock, inst, 'a4', A);
    expect(await d.runOnce()).toBe(0);
    clock.advance(29_999);
    expect(await d.runOnce()).toBe(0);
    clock.advance(1);
    expect(await d.runOnce()).toBe(4);
    expect(await d.runOnce()).toBe(0);

    expect(slack.sent.map(keyOf)).toEqual(['b1', 'b2', 'a1', 'a2', 'a3', 'a4']);
    // The rate limit did not use up an attempt.
    expect((await rowByKey(db, 'a1')).attempts).toBe(1);
    expect(await metrics.registry.metrics()).toContain(
      'klik_outbox_retries_total{platform="slack",reason="rate_limited"} 1',
    );
  });

  it('429 on opening a conversation holds every DM and group DM of the installation; channels flow', async () => {
    const alice = await seedMember(db, inst, 'UALICE');
    const bob = await seedMember(db, inst, 'UBOB');
    const carl = await seedMember(db, inst, 'UCARL');
    await enqueue(db, clock, inst, 'dm-alice', { kind: 'user', memberId: alice });
    await enqueue(db, clock, inst, 'dm-bob', { kind: 'user', memberId: bob });
    await enqueue(db, clock, inst, 'ch', { kind: 'channel', channelId: 'C1' });
    await enqueue(db, clock, inst, 'grp', { kind: 'group', memberIds: [bob, carl] });
    slack.failNext(
      'user:UALICE',
      1,
      new PlatformError('rate_limited', 'conversations.open', 5_000, 'new-conversations'),
    );
    const d = dispatcher();

    expect(await d.runOnce()).toBe(4);
    // Only the first DM reached the platform; the other DM and the group DM waited without a call.
    expect(slack.attempts.map((a) => a.target)).toEqual(['user:UALICE', 'channel:C1']);
    expect(slack.sent.map(keyOf)).toEqual(['ch']);
    // A DM written during the hold waits too; a channel message does not.
    await enqueue(db, clock, inst, 'dm-carl', { kind: 'user', memberId: carl });
    await enqueue(db, clock, inst, 'ch2', { kind: 'channel', channelId: 'C2' });
    expect(await d.runOnce()).toBe(1);
    clock.advance(4_999);
    expect(await d.runOnce()).toBe(0);
    clock.advance(1);
    expect(await d.runOnce()).toBe(4);
    expect(slack.sent.map(keyOf)).toEqual(['ch', 'ch2', 'dm-alice', 'dm-bob', 'grp', 'dm-carl']);
    expect((await rowByKey(db, 'dm-alice')).attempts).toBe(1);
  });

  it('a 429 limited to its target (a channel) holds no DMs', async () => {
    const alice = await seedMember(db, inst, 'UALICE');
    await enqueue(db, clock, inst, 'ch', { kind: 'channel', channelId: 'C1' });
    await enqueue(db, clock, inst, 'dm', { kind: 'user', memberId: alice });
    slack.failNext('channel:C1', 1, new PlatformError('rate_limited', 'slow down', 5_000));
    expect(await dispatcher().runOnce()).toBe(2);
    expect(slack.sent.map(keyOf)).toEqual(['dm']);
  });

  it('429 without Retry-After holds the target for 1 s', async () => {
    await enqueue(db, clock, inst, 'u1', { kind: 'channel', channelId: 'C1' });
    slack.failNext('channel:C1', 1, new PlatformError('rate_limited', 'slow down'));
    const d = dispatcher();
    await d.runOnce();
    clock.advance(999);
    expect(await d.runOnce()).toBe(0);
    clock.advance(1);
    expect(await d.runOnce()).toBe(1);
    expect(slack.sent.map(keyOf)).toEqual(['u1']);
  });

  it('holdTarget keeps the later time', async () => {
    const t0 = clock.now().getTime();
    await queue.holdTarget(inst, 'channel:C1', new Date(t0 + 60_000));
    await queue.holdTarget(inst, 'channel:C1', new Date(t0 + 10_000));
    let [hold] = await db.select().from(outboxHolds);
    expect(hold?.until.getTime()).toBe(t0 + 60_000);
    await queue.holdTarget(inst, 'channel:C1', new Date(t0 + 90_000));
    [hold] = await db.select().from(outboxHolds);
    expect(hold?.until.getTime()).toBe(t0 + 90_000);
  });

  it('5xx is retried with backoff and then sent once', async () => {
    await enqueue(db, clock, inst, 'r1', { kind: 'channel', channelId: 'C1' });
    slack.failNext('channel:C1', 2, () => new PlatformError('transient', 'HTTP 503'));
    const d = dispatcher({ backoff: exponentialBackoff({ random: () => 0.5 }) });

    expect(await d.runOnce()).toBe(1);
    let row = await rowByKey(db, 'r1');
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: 'transient', lockedBy: null });
    expect(row.nextAttemptAt.getTime() - clock.now().getTime()).toBe(2_000);

    clock.advance(1_999);
    expect(await d.runOnce()).toBe(0);
    clock.advance(1);
    expect(await d.runOnce()).toBe(1);
    row = await rowByKey(db, 'r1');
    expect(row.nextAttemptAt.getTime() - clock.now().getTime()).toBe(4_000);

    clock.advance(4_000);
    expect(await d.runOnce()).toBe(1);
    expect(slack.sent.map(keyOf)).toEqual(['r1']);
    expect(slack.attempts.map((a) => a.error)).toEqual(['transient', 'transient', null]);
    expect(await rowByKey(db, 'r1')).toMatchObject({ status: 'sent', attempts: 3 });
    expect(await metrics.registry.metrics()).toContain(
      'klik_outbox_retries_total{platform="slack",reason="transient"} 2',
    );
  });

  it('a transient failure keeps the target in order within the batch; other targets flow', async () => {
    await enqueue(db, clock, inst, 'p1', { kind: 'channel', channelId: 'C1' });
    await enqueue(db, clock, inst, 'p2', { kind: 'channel', channelId: 'C1' });
    await enqueue(db, clock, inst, 'q1', { kind: 'channel', channelId: 'C2' });
    slack.failNext('channel:C1', 1, new PlatformError('transient', 'timeout'));
    const d = dispatcher({ backoff: () => 5_000 });

    await d.runOnce();
    expect(slack.sent.map(keyOf)).toEqual(['q1']);
    expect((await rowByKey(db, 'p2')).attempts).toBe(0);
    clock.advance(5_000);
    await d.runOnce();
    expect(slack.sent.map(keyOf)).toEqual(['q1', 'p1', 'p2']);
  });

  it('permanent errors dead-letter at once and show in the metrics', async () => {
    await enqueue(db, clock, inst, 'gone', { kind: 'channel', channelId: 'CGONE' });
    await enqueue(db, clock, inst, 'kicked', { kind: 'channel', channelId: 'CKICK' });
    await enqueue(db, clock, inst, 'bug', { kind: 'channel', channelId: 'CBUG' });
    await enqueue(db, clock, inst, 'fine', { kind: 'channel', channelId: 'COK' });
    slack.failNext('channel:CGONE', 1, new PlatformError('channel_not_found', 'channel_not_found'));
    slack.failNext('channel:CKICK', 1, new PlatformError('not_in_channel', 'not_in_channel'));
    slack.failNext('channel:CBUG', 1, new TypeError(`cannot read ${SECRET}`));
    const d = dispatcher();

    expect(await d.runOnce()).toBe(4);
    clock.advance(3600_000);
    expect(await d.runOnce()).toBe(0);

    expect(slack.sent.map(keyOf)).toEqual(['fine']);
    expect(slack.attempts).toHaveLength(4);
    const dead = await queue.listDead(inst);
    expect(dead.map((r) => [r.key, r.reason, r.attempts])).toEqual([
      ['gone', 'channel_not_found', 1],
      ['kicked', 'not_in_channel', 1],
      ['bug', 'unexpected_error', 1],
    ]);
    const text = await metrics.registry.metrics();
    expect(text).toContain('klik_outbox_dead_letters_total{platform="slack",reason="channel_not_found"} 1');
    expect(text).toContain('klik_outbox_dead_letters_total{platform="slack",reason="not_in_channel"} 1');
    expect(text).toContain('klik_outbox_dead_letters_total{platform="slack",reason="unexpected_error"} 1');
    const deadLog = logs.find((l) => l.msg === 'outbox row dead-lettered');
    expect(deadLog?.obj).toMatchObject({ installationId: inst, target: 'channel' });
  });

  it('too many attempts → dead letter', async () => {
    await enqueue(db, clock, inst, 'flaky', { kind: 'channel', channelId: 'C1' });
    slack.failNext('channel:C1', 100, () => new PlatformError('transient', 'HTTP 502'));
    const d = dispatcher({ maxAttempts: 3, backoff: () => 1_000 });

    for (let i = 0; i < 10; i++) {
      await d.runOnce();
      clock.advance(1_000);
    }
    expect(slack.attempts).toHaveLength(3);
    expect(slack.sent).toHaveLength(0);
    expect((await queue.listDead(inst)).map((r) => [r.key, r.reason])).toEqual([['flaky', 'too_many_attempts']]);
    expect(await metrics.registry.metrics()).toContain(
      'klik_outbox_dead_letters_total{platform="slack",reason="too_many_attempts"} 1',
    );
  });

  it('a row whose leases keep expiring (a process crashing on it) ends dead, not in a loop', async () => {
    await enqueue(db, clock, inst, 'poison', { kind: 'channel', channelId: 'C1' });
    for (let i = 0; i < 3; i++) {
      expect(await queue.claim(`crash-${i}`, 10, LEASE)).toHaveLength(1);
      clock.advance(LEASE + 1);
    }
    await dispatcher({ maxAttempts: 3 }).runOnce();
    expect(slack.attempts).toHaveLength(0);
    expect((await queue.listDead(inst)).map((r) => r.reason)).toEqual(['too_many_attempts']);
  });

  it('leaves rows pending (not dead) when no adapter serves their platform', async () => {
    const teamsInst = await seedInstallation(db, 'teams', 'tenant-1');
    await enqueue(db, clock, teamsInst, 't1', { kind: 'channel', channelId: '19:abc' });
    await enqueue(db, clock, inst, 's1', { kind: 'channel', channelId: 'C1' });

    const slackOnly = dispatcher();
    expect(await slackOnly.runOnce()).toBe(1);
    expect(await slackOnly.runOnce()).toBe(0);
    expect(await rowByKey(db, 't1')).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await queue.listDead(teamsInst)).toEqual([]);
    expect(logs.filter((l) => l.msg?.includes('rows of others stay pending'))).toHaveLength(1);
    expect(await queue.countPending()).toBe(1);

    const teams = new FakePlatform('teams');
    const both = dispatcher({ platforms: { slack, teams }, workerId: 'w2' });
    expect(await both.runOnce()).toBe(1);
    expect(teams.sent.map(keyOf)).toEqual(['t1']);
    expect(slack.sent.map(keyOf)).toEqual(['s1']);
  });

  it('claims due rows only, in write order, and honours notBefore', async () => {
    const later = new Date(clock.now().getTime() + 3600_000);
    await enqueue(db, clock, inst, 'later', { kind: 'channel', channelId: 'C1' }, later);
    await enqueue(db, clock, inst, 'n1', { kind: 'channel', channelId: 'C1' });
    await enqueue(db, clock, inst, 'n2', { kind: 'channel', channelId: 'C2' });
    await enqueue(db, clock, inst, 'n3', { kind: 'channel', channelId: 'C1' });

    const first = await queue.claim('w1', 2, LEASE);
    expect(first.map((r) => [r.key, r.attempts, r.installation.platform])).toEqual([
      ['n1', 1, 'slack'],
      ['n2', 1, 'slack'],
    ]);
    expect((await queue.claim('w2', 10, LEASE)).map((r) => r.key)).toEqual(['n3']);
    expect(await queue.claim('w3', 10, LEASE)).toEqual([]);
    expect(await queue.countPending()).toBe(4);
    clock.advance(3600_000);
    // The leases above expired too, so everything comes back.
    expect((await queue.claim('w4', 10, LEASE)).map((r) => r.key)).toEqual(['later', 'n1', 'n2', 'n3']);
  });

  it('exposes the pending count through the metrics gauge', async () => {
    await enqueue(db, clock, inst, 'g1', { kind: 'channel', channelId: 'C1' });
    await enqueue(db, clock, inst, 'g2', { kind: 'channel', channelId: 'C2' });
    const d = dispatcher();
    expect(await metrics.registry.metrics()).toContain('klik_outbox_pending 2');
    await d.runOnce();
    expect(await metrics.registry.metrics()).toContain('klik_outbox_pending 0');
  });

  it('start/stop: the loop sends, and stop waits for the batch in flight', async () => {
    await enqueue(db, clock, inst, 'loop1', { kind: 'channel', channelId: 'C1' });
    const d = dispatcher();
    d.start(3600_000);
    await slack.waitForSends(1);
    await d.stop();
    expect((await rowByKey(db, 'loop1')).status).toBe('sent');
    // Stopped: a new row stays put, even when kicked.
    await enqueue(db, clock, inst, 'loop2', { kind: 'channel', channelId: 'C1' });
    d.kick();
    expect((await rowByKey(db, 'loop2')).status).toBe('pending');
    expect(await d.runOnce()).toBe(1);
    expect(slack.sent.map(keyOf)).toEqual(['loop1', 'loop2']);
  });
});

describe.skipIf(!hasPostgres)('outbox with two processes on one PostgreSQL', () => {
  requirePostgresInCi();

  let database: TestDatabase;
  let second: Database;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    if (!database.url) throw new Error('postgres test database has no url');
    second = await openDatabase({ kind: 'postgres', url: database.url });
  });
  afterAll(async () => {
    await second?.close();
    await database?.close();
  });

  it('300 rows across 10 targets, two dispatchers racing: every key sent exactly once', async () => {
    const clock = new FakeClock(START);
    const inst = await seedInstallation(database.db);
    const keys: string[] = [];
    for (let i = 0; i < 300; i++) {
      const key = `race-${i}`;
      keys.push(key);
      await enqueue(database.db, clock, inst, key, { kind: 'channel', channelId: `C${i % 10}` });
    }
    // One platform shared by both "processes" so every send is counted in one place; it yields to
    // the event loop on each call so the two dispatchers interleave, and fails now and then.
    const platform = new FakePlatform('slack');
    for (let t = 0; t < 10; t++) {
      platform.failNext(`channel:C${t}`, 1, () => new PlatformError('transient', 'HTTP 500'));
    }
    const realPost = platform.postToChannel.bind(platform);
    platform.postToChannel = async (...args) => {
      await new Promise((resolve) => setImmediate(resolve));
      return realPost(...args);
    };
    const make = (db: Db, workerId: string, sent: string[]) =>
      new OutboxDispatcher({
        queue: outboxQueue(db, clock),
        platforms: { slack: platform },
        clock,
        logger: captureLogger([]),
        metrics: createMetrics(),
        workerId,
        batchSize: 7,
        leaseMs: LEASE,
        backoff: () => 0,
        hooks: {
          afterPlatformAccept(rowId) {
            sent.push(rowId);
          },
        },
      });
    const sentBy1: string[] = [];
    const sentBy2: string[] = [];
    const d1 = make(database.db, 'process-1', sentBy1);
    const d2 = make(second.db, 'process-2', sentBy2);

    const queue = outboxQueue(database.db, clock);
    for (let round = 0; round < 50 && (await queue.countPending()) > 0; round++) {
      await Promise.all([drain(d1), drain(d2)]);
    }

    expect(await queue.countPending()).toBe(0);
    const counts = countByKey(platform.sent);
    expect(counts.size).toBe(300);
    expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(keys.every((k) => counts.get(k) === 1)).toBe(true);
    // Both processes did real work.
    expect(sentBy1.length).toBeGreaterThan(0);
    expect(sentBy2.length).toBeGreaterThan(0);
    expect(new Set([...sentBy1, ...sentBy2]).size).toBe(300);
    const statuses = await database.db.execute(sql`select status, count(*)::int as n from outbox group by status`);
    expect((statuses as unknown as { rows: Array<{ status: string; n: number }> }).rows).toEqual([
      { status: 'sent', n: 300 },
    ]);
  });
});
