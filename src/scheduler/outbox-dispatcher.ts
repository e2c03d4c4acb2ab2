/**
 * Sends outbox rows through the chat platforms.
 *
 * Delivery guarantee (product.md): each message exactly once, except when a process dies after
 * the platform accepted a message and before `markSent` recorded it; then the row's lease expires,
 * another dispatcher claims it and the message goes out once more (at most once more per crash).
 *
 * A send the platform accepted whose record fails (the database went away) is recorded again
 * until the database answers, within one lease, so an outage alone never sends a message twice.
 *
 * Failures: `rate_limited` holds that target (Retry-After, 1 s when absent), and every DM and
 * group DM of the installation when the limit was on opening conversations; it does not use up an
 * attempt; `transient` retries with exponential backoff and jitter; every other error, and
 * any non-PlatformError exception, dead-letters at once; `maxAttempts` tries → `too_many_attempts`.
 *
 * Live updates (a poll's tallies) carry no message of their own: the `live` renderer builds it from
 * the store as it is when the row is sent, so one send shows every change queued before it.
 *
 * Logs carry row id, installation id, target kind and error code only: never message text or tokens.
 */
import { KlikError, PlatformError } from '../core/errors.js';
import type { ChatPlatform, Clock, LiveMessages, LiveSource, Logger, MessageRef } from '../core/ports.js';
import type { Platform } from '../core/types.js';
import type { Metrics } from '../http/metrics.js';
import { type ClaimedRow, NEW_CONVERSATIONS_HOLD, type OutboxQueue, opensConversation } from './outbox-queue-port.js';

export interface OutboxDispatcherHooks {
  /**
   * Called after the platform accepted a row and before it is recorded. Throwing here behaves like
   * the process dying at that instant: `runOnce` rejects at once and nothing is recorded for the row.
   */
  afterPlatformAccept?(rowId: string): void | Promise<void>;
}

/** Milliseconds to wait before the next try, given the attempt that just failed (1-based). */
export type Backoff = (attempt: number) => number;

export interface OutboxDispatcherOptions {
  queue: OutboxQueue;
  platforms: Partial<Record<Platform, ChatPlatform>>;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** Unique per process (and per dispatcher): leases are taken in its name. */
  workerId: string;
  /** Rows per claim (default 20). */
  batchSize?: number;
  /** How long a claim is ours; must comfortably exceed a batch's sending time (default 2 min). */
  leaseMs?: number;
  /** Tries before `too_many_attempts` (default 8). */
  maxAttempts?: number;
  backoff?: Backoff;
  hooks?: OutboxDispatcherHooks;
  /** Renders live updates (a poll's tallies) when they are sent; without it they dead-letter. */
  live?: LiveMessages;
}

export const DEFAULT_BATCH_SIZE = 20;
export const DEFAULT_LEASE_MS = 120_000;
export const DEFAULT_MAX_ATTEMPTS = 8;
export const DEFAULT_RETRY_AFTER_MS = 1_000;

/** 2 s, 4 s, 8 s … capped at 10 min, each ±20% so retries of many rows spread out. */
export function exponentialBackoff(
  options: { baseMs?: number; capMs?: number; jitter?: number; random?: () => number } = {},
): Backoff {
  const { baseMs = 2_000, capMs = 600_000, jitter = 0.2, random = Math.random } = options;
  return (attempt) => {
    const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
    const spread = exp * jitter * (2 * random() - 1);
    return Math.max(0, Math.min(capMs, Math.round(exp + spread)));
  };
}

type Outcome = 'sent' | 'retry' | 'held' | 'dead' | 'released';

export class OutboxDispatcher {
  private readonly queue: OutboxQueue;
  private readonly platforms: Partial<Record<Platform, ChatPlatform>>;
  private readonly served: Platform[];
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly metrics: Metrics;
  readonly workerId: string;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly backoff: Backoff;
  private readonly hooks: OutboxDispatcherHooks;
  private readonly live: LiveMessages | undefined;

  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopping = false;
  private kicked = false;
  private intervalMs = 1_000;
  private inFlight: Promise<unknown> | null = null;
  private readonly missingLogged = new Set<Platform>();
  /** Installations whose new conversations hit a rate limit in the batch being handled, and until when. */
  private readonly conversationsHeld = new Map<string, Date>();

  constructor(options: OutboxDispatcherOptions) {
    this.queue = options.queue;
    this.platforms = options.platforms;
    this.served = (Object.keys(options.platforms) as Platform[]).filter((p) => options.platforms[p] !== undefined);
    this.clock = options.clock;
    this.logger = options.logger.child({ component: 'outbox', workerId: options.workerId });
    this.metrics = options.metrics;
    this.workerId = options.workerId;
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.backoff = options.backoff ?? exponentialBackoff();
    this.hooks = options.hooks ?? {};
    this.live = options.live;
    if (!(this.batchSize > 0) || !(this.leaseMs > 0) || !(this.maxAttempts > 0)) {
      throw new Error('OutboxDispatcher: batchSize, leaseMs and maxAttempts must be positive');
    }
    this.metrics.setPendingSource(() => this.queue.countPending());
    // Rows of installations on a platform without an adapter here are never claimed by this
    // dispatcher: they stay pending (not dead) until one that has the adapter runs. Said once.
    this.logger.info(
      { platforms: this.served },
      'outbox dispatcher serves these platforms; rows of others stay pending',
    );
  }

  /**
   * Claims one batch and handles every row in it. Resolves to the number of rows claimed (sent,
   * rescheduled or dead-lettered): a full batch means more may be waiting.
   */
  async runOnce(): Promise<number> {
    if (this.served.length === 0) return 0;
    const claimedAt = this.clock.now().getTime();
    const rows = await this.queue.claim(this.workerId, this.batchSize, this.leaseMs, { platforms: this.served });
    if (rows.length === 0) return 0;
    // Stop starting sends once most of the lease is used, so a slow batch cannot outlive its lease
    // (another dispatcher would then send the same rows again).
    const sendDeadline = claimedAt + (this.leaseMs * 2) / 3;
    /** Targets that failed earlier in this batch: their later rows wait with them, in order. */
    const deferred = new Map<string, Date>();

    this.conversationsHeld.clear();
    for (const row of rows) {
      const tk = `${row.installation.id}\u0000${row.targetKey}`;
      const waitUntil =
        deferred.get(tk) ??
        (opensConversation(row.target.kind) ? this.conversationsHeld.get(row.installation.id) : undefined);
      if (waitUntil) {
        await this.queue.release(row.id, this.workerId, waitUntil, null);
        continue;
      }
      if (this.stopping || this.clock.now().getTime() >= sendDeadline) {
        // Not tried: hand it back at once instead of letting the lease run out.
        await this.queue.release(row.id, this.workerId, this.clock.now(), null);
        continue;
      }
      const outcome = await this.handle(row);
      if (outcome.kind === 'retry' || outcome.kind === 'held') {
        deferred.set(tk, outcome.at);
      }
    }
    return rows.length;
  }

  private async handle(row: ClaimedRow): Promise<{ kind: Outcome; at: Date }> {
    const now = this.clock.now();
    const platformName = row.installation.platform;
    const log = { rowId: row.id, installationId: row.installation.id, target: row.target.kind, attempt: row.attempts };

    if (row.problem) return this.dead(row, row.problem, log);
    if (row.attempts > this.maxAttempts) return this.dead(row, 'too_many_attempts', log);

    const platform = this.platforms[platformName];
    if (!platform) {
      // Claims filter by platform, so this only happens if the platforms map changed under us.
      if (!this.missingLogged.has(platformName)) {
        this.missingLogged.add(platformName);
        this.logger.warn({ ...log, platform: platformName }, 'no adapter for this platform: outbox row left pending');
      }
      await this.queue.release(row.id, this.workerId, new Date(now.getTime() + this.leaseMs), null);
      return { kind: 'released', at: now };
    }

    let ref: MessageRef | null;
    try {
      ref = await this.send(platform, row);
    } catch (err) {
      return this.fail(row, err, log);
    }

    // A throw here is a "process death" between accept and record: propagate, record nothing.
    if (this.hooks.afterPlatformAccept) await this.hooks.afterPlatformAccept(row.id);

    const recorded = await this.record(row.id, ref, log);
    this.metrics.outboxSent.inc({ platform: platformName });
    if (recorded) this.logger.debug(log, 'outbox row sent');
    else this.logger.warn(log, 'outbox row sent but its lease was lost before recording: it may go out again');
    return { kind: 'sent', at: now };
  }

  /**
   * Records a send the platform accepted. While the database does not answer, tries again (250 ms
   * doubling to 5 s, for at most one lease, or until stopped): giving up at once would leave the
   * row claimed, and when its lease ran out it would be sent a second time.
   */
  private async record(rowId: string, ref: MessageRef | null, log: object): Promise<boolean> {
    const deadline = Date.now() + this.leaseMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.queue.markSent(rowId, this.workerId, ref);
      } catch (err) {
        if (this.stopping || Date.now() >= deadline) throw err;
        if (attempt === 1) this.logger.warn(log, 'outbox row sent but not yet recorded: retrying the record');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(5_000, 250 * 2 ** Math.min(attempt - 1, 5)));
          timer.unref();
        });
      }
    }
  }

  private async send(platform: ChatPlatform, row: ClaimedRow): Promise<MessageRef | null> {
    const inst = row.installation;
    const target = row.target;
    switch (target.kind) {
      case 'channel':
        return platform.postToChannel(inst, target.channelId, row.message);
      case 'user': {
        const userId = row.userIds?.[0];
        if (!userId) throw new PlatformError('user_not_found', 'member has no platform user');
        return platform.postToUser(inst, userId, row.message);
      }
      case 'group': {
        if (!row.userIds || row.userIds.length === 0) throw new PlatformError('user_not_found', 'group has no users');
        return platform.postToGroup(inst, row.userIds, row.message);
      }
      case 'update': {
        const message = target.live ? await this.renderLive(row, target.live) : row.message;
        // Nothing to show any more (the poll is gone or finalized, whose own update says so).
        if (message) await platform.updateMessage(inst, target.ref, message);
        return target.ref;
      }
    }
  }

  /** A live update's message as the store has it now (a database failure retries the row). */
  private async renderLive(row: ClaimedRow, source: LiveSource) {
    if (!this.live) throw new PlatformError('permanent', 'no_live_renderer');
    try {
      return await this.live.render(row.installation.id, source);
    } catch (err) {
      if (err instanceof PlatformError) throw err;
      throw new PlatformError('transient', 'live_render_failed');
    }
  }

  private async fail(row: ClaimedRow, err: unknown, log: object): Promise<{ kind: Outcome; at: Date }> {
    const now = this.clock.now();
    const platform = row.installation.platform;
    if (err instanceof PlatformError && err.code === 'rate_limited') {
      const waitMs =
        err.retryAfterMs !== undefined && err.retryAfterMs >= 0 ? err.retryAfterMs : DEFAULT_RETRY_AFTER_MS;
      const at = new Date(now.getTime() + waitMs);
      await this.queue.holdTarget(row.installation.id, row.targetKey, at);
      if (err.scope === 'new-conversations') {
        await this.queue.holdTarget(row.installation.id, NEW_CONVERSATIONS_HOLD, at);
        this.conversationsHeld.set(row.installation.id, at);
      }
      await this.queue.release(row.id, this.workerId, at, 'rate_limited');
      this.metrics.outboxRetries.inc({ platform, reason: 'rate_limited' });
      this.logger.info({ ...log, code: err.code, retryAfterMs: waitMs }, 'outbox target rate limited: held');
      return { kind: 'held', at };
    }
    if (err instanceof PlatformError && err.code === 'transient') {
      if (row.attempts >= this.maxAttempts) return this.dead(row, 'too_many_attempts', log);
      const at = new Date(now.getTime() + this.backoff(row.attempts));
      await this.queue.markRetry(row.id, this.workerId, at, 'transient');
      this.metrics.outboxRetries.inc({ platform, reason: 'transient' });
      this.logger.info({ ...log, code: err.code, retryAt: at.toISOString() }, 'outbox send failed: retrying');
      return { kind: 'retry', at };
    }
    const reason = err instanceof KlikError ? err.code : 'unexpected_error';
    const errorName = err instanceof Error ? err.name : typeof err;
    return this.dead(row, reason, { ...log, errorName });
  }

  private async dead(row: ClaimedRow, reason: string, log: object): Promise<{ kind: Outcome; at: Date }> {
    await this.queue.markDead(row.id, this.workerId, reason);
    this.metrics.outboxDeadLetters.inc({ platform: row.installation.platform, reason });
    this.logger.warn({ ...log, code: reason }, 'outbox row dead-lettered');
    return { kind: 'dead', at: this.clock.now() };
  }

  /** Polls every `intervalMs` (at once again while batches come back full). */
  start(intervalMs = 1_000): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    this.intervalMs = intervalMs;
    this.schedule(0);
  }

  /** Asks for a run soon (after a write), without waiting for the next poll. */
  kick(): void {
    if (!this.running || this.stopping) return;
    if (this.inFlight) {
      this.kicked = true;
      return;
    }
    this.schedule(0);
  }

  /**
   * Stops polling and waits for the batch in flight. Rows of that batch not yet started are
   * handed back (pending) so another process takes them without waiting for the lease.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight?.catch(() => {});
    this.stopping = false;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick();
    }, delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    let claimed = 0;
    let failed = false;
    const run = this.runOnce();
    this.inFlight = run;
    try {
      claimed = await run;
    } catch (err) {
      failed = true;
      this.logger.error({ errorName: err instanceof Error ? err.name : typeof err }, 'outbox run failed');
    } finally {
      this.inFlight = null;
    }
    const again = !failed && (this.kicked || claimed >= this.batchSize);
    this.kicked = false;
    this.schedule(again ? 0 : this.intervalMs);
  }
}
