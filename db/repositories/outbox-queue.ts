/**
 * The outbox's sending half on drizzle (PostgreSQL and PGlite alike).
 *
 * `claim` is one statement: a CTE picks due rows `FOR UPDATE OF o SKIP LOCKED` and the UPDATE
 * leases them, so two dispatchers (two processes) never claim the same row while its lease runs.
 * Every time comes from the injected clock, never from the database's now(), so tests drive time
 * and a lease means the same thing to every query.
 */
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Clock, MessageRef, OutboxTarget } from '../../src/core/ports.js';
import type { Platform } from '../../src/core/types.js';
import type { Message } from '../../src/messages/model.js';
import {
  type ClaimedRow,
  type ClaimOptions,
  type DeadRow,
  NEW_CONVERSATIONS_HOLD,
  type OutboxQueue,
} from '../../src/scheduler/outbox-queue-port.js';
import type { Db } from '../client.js';
import { members, outbox, outboxHolds } from '../schema.js';

interface RawClaimRow {
  id: string;
  seq: number | string;
  installation_id: string;
  network_id: string | null;
  idempotency_key: string;
  target_key: string;
  target: unknown;
  message: unknown;
  attempts: number | string;
  platform: string;
  external_id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** pg and PGlite both answer `execute` with `{ rows }`; jsonb may come back as text on some drivers. */
function rowsOf<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** The target as written, or null when it is not one of the four shapes. */
function toTarget(value: unknown): OutboxTarget | null {
  if (!value || typeof value !== 'object') return null;
  const t = value as Record<string, unknown>;
  switch (t.kind) {
    case 'channel':
      return isString(t.channelId) ? { kind: 'channel', channelId: t.channelId } : null;
    case 'user':
      return isString(t.memberId) ? { kind: 'user', memberId: t.memberId } : null;
    case 'group':
      return Array.isArray(t.memberIds) && t.memberIds.length > 0 && t.memberIds.every(isString)
        ? { kind: 'group', memberIds: [...t.memberIds] }
        : null;
    case 'update': {
      const ref = t.ref as Record<string, unknown> | undefined;
      if (!ref || !isString(ref.channelId) || !isString(ref.messageId)) return null;
      const update = { kind: 'update' as const, ref: { channelId: ref.channelId, messageId: ref.messageId } };
      if (t.live === undefined) return update;
      const live = t.live as Record<string, unknown> | null;
      return live && live.kind === 'poll' && isString(live.id)
        ? { ...update, live: { kind: 'poll', id: live.id } }
        : null;
    }
    default:
      return null;
  }
}

function memberIdsOf(target: OutboxTarget | null): string[] {
  if (!target) return [];
  if (target.kind === 'user') return [target.memberId];
  if (target.kind === 'group') return target.memberIds;
  return [];
}

export function outboxQueue(db: Db, clock: Clock): OutboxQueue {
  const iso = (d: Date) => d.toISOString();

  /** Platform user ids by member id, only for members of the row's own installation. */
  async function resolveMembers(targets: Array<OutboxTarget | null>) {
    const ids = new Set<string>();
    targets.forEach((t) => {
      for (const id of memberIdsOf(t)) if (UUID.test(id)) ids.add(id);
    });
    const found = new Map<string, { installationId: string; platformUserId: string }>();
    if (ids.size === 0) return found;
    const rows = await db
      .select({ id: members.id, installationId: members.installationId, platformUserId: members.platformUserId })
      .from(members)
      .where(inArray(members.id, [...ids]));
    for (const r of rows) found.set(r.id, r);
    return found;
  }

  return {
    async claim(workerId: string, limit: number, leaseMs: number, options: ClaimOptions = {}): Promise<ClaimedRow[]> {
      if (!Number.isInteger(limit) || limit <= 0) return [];
      const platforms = options.platforms;
      if (platforms && platforms.length === 0) return [];
      const now = clock.now();
      const leaseUntil = new Date(now.getTime() + leaseMs);
      const platformFilter = platforms
        ? sql`and exists (select 1 from installations pi where pi.id = o.installation_id and pi.platform in (${sql.join(
            platforms.map((p) => sql`${p}`),
            sql`, `,
          )}))`
        : sql``;
      const result = await db.execute(sql`
        with due as (
          select o.id
          from outbox o
          where ((o.status = 'pending' and o.next_attempt_at <= ${iso(now)}::timestamptz)
              or (o.status = 'sending' and o.locked_until < ${iso(now)}::timestamptz))
            and not exists (
              select 1 from outbox_holds h
              where h.installation_id = o.installation_id
                and h.target_key = o.target_key
                and h.until > ${iso(now)}::timestamptz)
            and not (
              (o.target_key like 'user:%' or o.target_key like 'group:%')
              and exists (
                select 1 from outbox_holds h
                where h.installation_id = o.installation_id
                  and h.target_key = ${NEW_CONVERSATIONS_HOLD}
                  and h.until > ${iso(now)}::timestamptz))
            ${platformFilter}
          order by o.seq
          limit ${limit}
          for update of o skip locked
        )
        update outbox o
        set status = 'sending',
            locked_by = ${workerId},
            locked_until = ${iso(leaseUntil)}::timestamptz,
            attempts = o.attempts + 1
        from due, installations i
        where o.id = due.id and i.id = o.installation_id
        returning o.id, o.seq, o.installation_id, o.network_id, o.idempotency_key, o.target_key,
                  o.target, o.message, o.attempts, i.platform, i.external_id
      `);
      const raw = rowsOf<RawClaimRow>(result).sort((a, b) => Number(a.seq) - Number(b.seq));
      const targets = raw.map((r) => toTarget(parseJson(r.target)));
      const found = await resolveMembers(targets);

      return raw.map((r, i): ClaimedRow => {
        const target = targets[i] ?? null;
        let userIds: string[] | null = null;
        let problem: ClaimedRow['problem'] = null;
        if (!target) {
          problem = 'invalid_target';
        } else if (target.kind === 'user' || target.kind === 'group') {
          const resolved = memberIdsOf(target).map((id) => {
            const m = found.get(id);
            return m && m.installationId === r.installation_id ? m.platformUserId : null;
          });
          if (resolved.every((u): u is string => u !== null)) userIds = resolved;
          else problem = 'member_gone';
        }
        return {
          id: r.id,
          seq: Number(r.seq),
          installation: { id: r.installation_id, platform: r.platform as Platform, externalId: r.external_id },
          networkId: r.network_id,
          key: r.idempotency_key,
          targetKey: r.target_key,
          // An invalid target is never sent (problem is set); the placeholder keeps the type simple.
          target: target ?? { kind: 'channel', channelId: '' },
          message: parseJson(r.message) as Message,
          attempts: Number(r.attempts),
          userIds,
          problem,
        };
      });
    },

    async markSent(id: string, workerId: string, ref: MessageRef | null) {
      const rows = await db
        .update(outbox)
        .set({
          status: 'sent',
          sentAt: clock.now(),
          lockedUntil: null,
          platformChannelId: ref?.channelId ?? null,
          platformMessageId: ref?.messageId ?? null,
          lastError: null,
        })
        .where(and(eq(outbox.id, id), eq(outbox.lockedBy, workerId), eq(outbox.status, 'sending')))
        .returning({ id: outbox.id });
      return rows.length > 0;
    },

    async markRetry(id: string, workerId: string, at: Date, error: string) {
      const rows = await db
        .update(outbox)
        .set({ status: 'pending', nextAttemptAt: at, lockedBy: null, lockedUntil: null, lastError: error })
        .where(and(eq(outbox.id, id), eq(outbox.lockedBy, workerId), eq(outbox.status, 'sending')))
        .returning({ id: outbox.id });
      return rows.length > 0;
    },

    async release(id: string, workerId: string, at: Date, error: string | null) {
      const rows = await db
        .update(outbox)
        .set({
          status: 'pending',
          nextAttemptAt: at,
          lockedBy: null,
          lockedUntil: null,
          attempts: sql`greatest(${outbox.attempts} - 1, 0)`,
          ...(error === null ? {} : { lastError: error }),
        })
        .where(and(eq(outbox.id, id), eq(outbox.lockedBy, workerId), eq(outbox.status, 'sending')))
        .returning({ id: outbox.id });
      return rows.length > 0;
    },

    async markDead(id: string, workerId: string, error: string) {
      const rows = await db
        .update(outbox)
        .set({ status: 'dead', lockedUntil: null, lastError: error })
        .where(and(eq(outbox.id, id), eq(outbox.lockedBy, workerId), eq(outbox.status, 'sending')))
        .returning({ id: outbox.id });
      return rows.length > 0;
    },

    async holdTarget(installationId: string, targetKey: string, until: Date) {
      await db
        .insert(outboxHolds)
        .values({ installationId, targetKey, until })
        .onConflictDoUpdate({
          target: [outboxHolds.installationId, outboxHolds.targetKey],
          set: { until: sql`greatest(${outboxHolds.until}, excluded.until)` },
        });
    },

    async countPending() {
      const [row] = await db
        .select({ n: count() })
        .from(outbox)
        .where(inArray(outbox.status, ['pending', 'sending']));
      return Number(row?.n ?? 0);
    },

    async listDead(installationId: string): Promise<DeadRow[]> {
      const rows = await db
        .select({
          id: outbox.id,
          key: outbox.idempotencyKey,
          targetKey: outbox.targetKey,
          target: outbox.target,
          attempts: outbox.attempts,
          reason: outbox.lastError,
          createdAt: outbox.createdAt,
        })
        .from(outbox)
        .where(and(eq(outbox.installationId, installationId), eq(outbox.status, 'dead')))
        .orderBy(asc(outbox.seq));
      return rows.map((r) => ({ ...r, target: r.target as OutboxTarget }));
    },
  };
}
