/**
 * The outbox's sending half, as the dispatcher sees the store. The drizzle implementation lives in
 * db/repositories/outbox-queue.ts; the dispatcher never touches SQL.
 *
 * Row life cycle: pending → sending (claimed, leased) → sent | dead, or back to pending (retry).
 * A `sending` row whose lease expired belongs to a process that died: the next claim takes it.
 */

import type { InstallationRef, MessageRef, OutboxTarget } from '../core/ports.js';
import type { Platform } from '../core/types.js';
import type { Message } from '../messages/model.js';

/** Why a claimed row cannot be sent at all (the dispatcher dead-letters it with this reason). */
export type ClaimProblem = 'member_gone' | 'invalid_target';

export interface ClaimedRow {
  id: string;
  /** Order of writing; rows come back sorted by it. */
  seq: number;
  installation: InstallationRef;
  networkId: string | null;
  key: string;
  targetKey: string;
  target: OutboxTarget;
  message: Message;
  /** Including this claim (1 on the first try). */
  attempts: number;
  /**
   * For `user` and `group` targets: the members' platform user ids, in the target's order.
   * Null when the target has none (channel, update) or when a member is missing (see `problem`).
   */
  userIds: string[] | null;
  problem: ClaimProblem | null;
}

export interface ClaimOptions {
  /** Claim only rows of installations on these platforms (the ones this dispatcher can send to). */
  platforms?: readonly Platform[];
}

export interface DeadRow {
  id: string;
  key: string;
  targetKey: string;
  target: OutboxTarget;
  attempts: number;
  reason: string | null;
  createdAt: Date;
}

export interface OutboxQueue {
  /**
   * Atomically leases up to `limit` due rows to `workerId` for `leaseMs`: pending rows whose
   * time has come and sending rows whose lease expired, skipping held targets and rows another
   * claim holds, oldest first.
   */
  claim(workerId: string, limit: number, leaseMs: number, options?: ClaimOptions): Promise<ClaimedRow[]>;
  /** Records a send; false when the row is no longer leased to `workerId` (nothing written). */
  markSent(id: string, workerId: string, ref: MessageRef | null): Promise<boolean>;
  /** Back to pending, due at `at`; the attempt counts. */
  markRetry(id: string, workerId: string, at: Date, error: string): Promise<boolean>;
  /**
   * Back to pending, due at `at`, without counting the claim as an attempt (the row was not
   * tried, or the platform asked us to wait: a rate limit is not the message's fault).
   */
  release(id: string, workerId: string, at: Date, error: string | null): Promise<boolean>;
  /** Gives up on the row: status `dead`, `error` as the reason. */
  markDead(id: string, workerId: string, error: string): Promise<boolean>;
  /**
   * Holds every row of one target until `until` (keeps the later time if a hold exists). The
   * target key `NEW_CONVERSATIONS_HOLD` holds every DM and group DM of the installation.
   */
  holdTarget(installationId: string, targetKey: string, until: Date): Promise<void>;
  /** Rows not yet sent nor dead (pending and sending). */
  countPending(): Promise<number>;
  /** Dead letters of one installation, oldest first (tests and operations). */
  listDead(installationId: string): Promise<DeadRow[]>;
}

/** A hold on this target key covers every row that may need a conversation opened (DMs, group DMs). */
export const NEW_CONVERSATIONS_HOLD = 'scope:new-conversations';

/** Rows whose target needs a conversation opened: held by a `NEW_CONVERSATIONS_HOLD`. */
export const opensConversation = (targetKind: string): boolean => targetKind === 'user' || targetKind === 'group';
