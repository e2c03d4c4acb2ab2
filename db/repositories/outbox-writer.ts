import { and, eq, sql } from 'drizzle-orm';
import type { Clock, OutboxMessage, OutboxTarget, OutboxWriter } from '../../src/core/ports.js';
import { outbox } from '../schema.js';
import type { Executor } from './executor.js';
import { prepared } from './prepared.js';

/** Rows sharing a target key share a rate limit: a 429 holds only them. */
export function targetKey(target: OutboxTarget): string {
  switch (target.kind) {
    case 'channel':
      return `channel:${target.channelId}`;
    case 'update':
      return `channel:${target.ref.channelId}`;
    case 'user':
      return `user:${target.memberId}`;
    case 'group':
      return `group:${[...target.memberIds].sort().join(',')}`;
  }
}

/** Where a sent message landed: every vote asks it of its poll's post (see prepared.ts). */
const sentRefStatement = prepared('klik_outbox_sent_ref', (db) =>
  db
    .select({ channelId: outbox.platformChannelId, messageId: outbox.platformMessageId })
    .from(outbox)
    .where(
      and(
        eq(outbox.installationId, sql.placeholder('installationId')),
        eq(outbox.idempotencyKey, sql.placeholder('key')),
      ),
    ),
);

/** A row written or replaced while still pending: every vote's coalesced poll update (see prepared.ts). */
const upsertPendingStatement = prepared('klik_outbox_upsert_pending', (db) =>
  db
    .insert(outbox)
    .values({
      installationId: sql.placeholder('installationId'),
      networkId: sql.placeholder('networkId'),
      idempotencyKey: sql.placeholder('idempotencyKey'),
      targetKey: sql.placeholder('targetKey'),
      target: sql.placeholder('target'),
      message: sql.placeholder('message'),
      nextAttemptAt: sql.placeholder('nextAttemptAt'),
    })
    .onConflictDoUpdate({
      target: [outbox.installationId, outbox.idempotencyKey],
      set: { message: sql`excluded.message`, target: sql`excluded.target`, targetKey: sql`excluded.target_key` },
      setWhere: eq(outbox.status, 'pending'),
    })
    .returning({ id: outbox.id }),
);

export function outboxWriter(db: Executor, clock: Clock): OutboxWriter {
  const row = (m: OutboxMessage) => ({
    installationId: m.installationId,
    networkId: m.networkId ?? null,
    idempotencyKey: m.key,
    targetKey: targetKey(m.target),
    target: m.target,
    message: m.message,
    nextAttemptAt: m.notBefore ?? clock.now(),
  });
  return {
    async enqueue(m) {
      const rows = await db
        .insert(outbox)
        .values(row(m))
        .onConflictDoNothing({ target: [outbox.installationId, outbox.idempotencyKey] })
        .returning({ id: outbox.id });
      return rows.length > 0;
    },
    async upsertPending(m) {
      const rows = await upsertPendingStatement(db).execute(row(m));
      return rows.length > 0;
    },
    async sentRef(installationId, key) {
      const [row] = await sentRefStatement(db).execute({ installationId, key });
      return row?.channelId && row.messageId ? { channelId: row.channelId, messageId: row.messageId } : null;
    },
  };
}
