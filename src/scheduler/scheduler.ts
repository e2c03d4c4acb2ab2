/**
 * The scheduler. Due jobs come from the database and the calendar, never from timers: each tick
 * looks, per active network and handled job, at the latest slot whose effective time has come, and
 * claims it by inserting a `job_claims` row. The claim and the handler's writes (outbox rows)
 * commit in one transaction, so a slot runs once however many processes tick, and a handler that
 * throws leaves nothing behind and is tried again on the next tick.
 */

import type { Clock, JobOutcome, Logger, Store, StoreTx } from '../core/ports.js';
import { effectiveAt, type JobDefinition } from '../core/schedule/jobs.js';
import type { Network } from '../core/types.js';
import type { Metrics } from '../http/metrics.js';

export interface JobContext {
  network: Network;
  /** The nominal slot. */
  slot: Date;
  /** The nominal slot's ISO string: use it in outbox keys. */
  slotKey: string;
  now: Date;
  /** Write only through this: it commits with the claim or not at all. */
  tx: StoreTx;
}

export type JobHandler = (ctx: JobContext) => Promise<void>;

/**
 * Work that is due per item rather than per network slot (a poll's deadline, a meeting's
 * re-confirmation, a daily purge). Each tick runs every sweep once; a sweep finds what is due in the
 * database and makes each item once across processes, typically by claiming
 * `(network, kind, item key)` with `tx.jobClaims.claim` in the same transaction as its outbox writes.
 */
export interface Sweep {
  name: string;
  /** Returns how many items it handled (for logs and tests). */
  run(ctx: { now: Date; store: Store; workerId: string }): Promise<number>;
  /** The earliest moment after `after` this sweep will have work, when it can tell (fake-clock tests jump there). */
  nextDueAt?(after: Date, store: Store): Promise<Date | null>;
}

export interface SchedulerOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  metrics?: Pick<Metrics, 'schedulerRuns'>;
  /** Recorded in claims (`claimed_by`): a process or host id. */
  workerId: string;
  jobs: readonly JobDefinition[];
  handlers: Map<string, JobHandler>;
  /** Per-item work run on every tick, after the slots. */
  sweeps?: readonly Sweep[];
  /** How far back a due slot is looked for (default 62 days). */
  lookbackDays?: number;
  /** Handler failures on one slot before it is recorded as 'failed' (default 5). */
  maxAttempts?: number;
}

/** What one tick did with a slot. 'error': the handler threw and the slot will be retried. */
export interface SlotResult {
  networkId: string;
  installationId: string;
  kind: string;
  slot: Date;
  slotKey: string;
  /** When it was due (quiet hours applied). */
  at: Date;
  outcome: JobOutcome | 'error';
  /** Why it was skipped or dropped. */
  reason?: SkipReason;
}

export type SkipReason = 'stale' | 'paused' | 'nudge-off' | 'parent-not-run' | 'skip-next-round';

export interface TickResult {
  now: Date;
  /** Slots this process decided (claims it won) and handler errors; empty when nothing was due. */
  results: SlotResult[];
  /** Items each sweep handled in this tick (sweeps that handled none are left out). */
  swept: Record<string, number>;
}

const DAY = 86_400_000;
/** Effective times stay within a few days of their nominal slot (a weekend, a long quiet night). */
const ADJUST_MARGIN_DAYS = 5;
const NEXT_DUE_HORIZONS_DAYS = [45, 400];

interface Due {
  slot: Date;
  at: Date;
}

class HandlerError extends Error {
  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : String(original));
  }
}

export class Scheduler {
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly metrics: Pick<Metrics, 'schedulerRuns'> | undefined;
  private readonly workerId: string;
  private readonly jobs: readonly JobDefinition[];
  private readonly handlers: Map<string, JobHandler>;
  private readonly sweeps: readonly Sweep[];
  private readonly lookbackMs: number;
  private readonly maxAttempts: number;
  /** network|kind → the slot key known to be claimed (claims are never undone). */
  private readonly claimed = new Map<string, string>();
  /** network|kind|slot → handler failures so far. */
  private readonly failures = new Map<string, number>();

  constructor(options: SchedulerOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.logger = options.logger.child({ component: 'scheduler', workerId: options.workerId });
    this.metrics = options.metrics;
    this.workerId = options.workerId;
    this.jobs = options.jobs;
    this.handlers = options.handlers;
    this.sweeps = options.sweeps ?? [];
    this.lookbackMs = (options.lookbackDays ?? 62) * DAY;
    this.maxAttempts = options.maxAttempts ?? 5;
  }

  /** Only kinds with a handler are scheduled. */
  private handledJobs(): JobDefinition[] {
    return this.jobs.filter((job) => this.handlers.has(job.kind));
  }

  /** The latest slot whose effective time is ≤ now, within the look-back window. */
  private latestDue(network: Network, job: JobDefinition, now: Date): Due | null {
    const slots = job.slots(
      network,
      new Date(now.getTime() - this.lookbackMs),
      new Date(now.getTime() + ADJUST_MARGIN_DAYS * DAY),
    );
    let best: Due | null = null;
    for (const slot of slots) {
      const at = effectiveAt(job, network, slot);
      if (at > now) continue;
      if (!best || at > best.at || (at.getTime() === best.at.getTime() && slot > best.slot)) best = { slot, at };
    }
    return best;
  }

  async tick(): Promise<TickResult> {
    const now = this.clock.now();
    const jobs = this.handledJobs();
    const results: SlotResult[] = [];
    if (jobs.length === 0) return { now, results, swept: await this.runSweeps(now) };
    const networks = await this.store.transaction((tx) => tx.networks.listActive());
    const live = new Set<string>();
    for (const network of networks) {
      for (const job of jobs) {
        let due: Due | null;
        try {
          due = this.latestDue(network, job, now);
        } catch (err) {
          // A broken setting (an unknown time zone) must not stop the other networks.
          this.logger.error({ err, networkId: network.id, kind: job.kind }, 'scheduler: cannot compute slots');
          continue;
        }
        if (!due) continue;
        const slotKey = due.slot.toISOString();
        const cacheKey = `${network.id}|${job.kind}`;
        if (this.claimed.get(cacheKey) === slotKey) continue;
        const failureKey = `${cacheKey}|${slotKey}`;
        live.add(failureKey);
        const result = await this.runSlot(network, job, due, slotKey, now, failureKey);
        if (result) results.push(result);
      }
    }
    for (const key of this.failures.keys()) if (!live.has(key)) this.failures.delete(key);
    return { now, results, swept: await this.runSweeps(now) };
  }

  /** Runs every sweep once; one failing sweep never stops the others (it is tried again next tick). */
  private async runSweeps(now: Date): Promise<Record<string, number>> {
    const swept: Record<string, number> = {};
    for (const sweep of this.sweeps) {
      try {
        const n = await sweep.run({ now, store: this.store, workerId: this.workerId });
        if (n > 0) swept[sweep.name] = n;
      } catch (err) {
        this.logger.error({ err, sweep: sweep.name }, 'scheduler: sweep failed');
      }
    }
    return swept;
  }

  private async runSlot(
    listed: Network,
    job: JobDefinition,
    due: Due,
    slotKey: string,
    now: Date,
    failureKey: string,
  ): Promise<SlotResult | null> {
    const base = {
      networkId: listed.id,
      installationId: listed.installationId,
      kind: job.kind,
      slot: due.slot,
      slotKey,
      at: due.at,
    };
    const cacheKey = `${listed.id}|${job.kind}`;
    const handler = this.handlers.get(job.kind);
    if (!handler) return null;
    try {
      const decided = await this.store.transaction(async (tx) => {
        if (await tx.jobClaims.get(listed.id, job.kind, slotKey)) return 'claimed' as const;
        // Decide on fresh settings: another process may have cleared skipNextRound or paused.
        const network = await tx.networks.get(listed.installationId, listed.id);
        if (network?.state !== 'active') return 'inactive' as const;
        const { outcome, reason } = await this.decide(tx, network, job, due, now);
        const won = await tx.jobClaims.claim({
          installationId: network.installationId,
          networkId: network.id,
          kind: job.kind,
          slot: slotKey,
          outcome,
          claimedBy: this.workerId,
          at: now,
        });
        if (!won) return 'claimed' as const;
        if (reason === 'skip-next-round') await tx.networks.setSkipNextRound(network.installationId, network.id, false);
        if (outcome === 'run') {
          try {
            await handler({ network, slot: due.slot, slotKey, now, tx });
          } catch (err) {
            throw new HandlerError(err);
          }
        }
        return { outcome, reason };
      });
      this.failures.delete(failureKey);
      if (decided === 'inactive') return null;
      this.claimed.set(cacheKey, slotKey);
      if (decided === 'claimed') return null;
      this.metrics?.schedulerRuns.inc({ kind: job.kind, outcome: decided.outcome });
      this.logger.info(
        { networkId: listed.id, kind: job.kind, slot: slotKey, outcome: decided.outcome, reason: decided.reason },
        'scheduler: slot decided',
      );
      return decided.reason
        ? { ...base, outcome: decided.outcome, reason: decided.reason }
        : { ...base, outcome: decided.outcome };
    } catch (err) {
      if (!(err instanceof HandlerError)) {
        this.logger.error({ err, networkId: listed.id, kind: job.kind, slot: slotKey }, 'scheduler: slot not decided');
        return { ...base, outcome: 'error' };
      }
      const attempts = (this.failures.get(failureKey) ?? 0) + 1;
      this.failures.set(failureKey, attempts);
      this.logger.error(
        { err: err.original, networkId: listed.id, kind: job.kind, slot: slotKey, attempts },
        'scheduler: handler failed, rolled back',
      );
      if (attempts < this.maxAttempts) return { ...base, outcome: 'error' };
      return this.recordFailed(listed, job, base, slotKey, now, failureKey);
    }
  }

  /** Gives up on a slot whose handler keeps failing, so one broken slot never loops forever. */
  private async recordFailed(
    network: Network,
    job: JobDefinition,
    base: Omit<SlotResult, 'outcome'>,
    slotKey: string,
    now: Date,
    failureKey: string,
  ): Promise<SlotResult> {
    try {
      const won = await this.store.transaction((tx) =>
        tx.jobClaims.claim({
          installationId: network.installationId,
          networkId: network.id,
          kind: job.kind,
          slot: slotKey,
          outcome: 'failed',
          claimedBy: this.workerId,
          at: now,
        }),
      );
      this.claimed.set(`${network.id}|${job.kind}`, slotKey);
      this.failures.delete(failureKey);
      if (won) this.metrics?.schedulerRuns.inc({ kind: job.kind, outcome: 'failed' });
      this.logger.error({ networkId: network.id, kind: job.kind, slot: slotKey }, 'scheduler: slot given up');
      return { ...base, outcome: won ? 'failed' : 'error' };
    } catch (err) {
      this.logger.error(
        { err, networkId: network.id, kind: job.kind, slot: slotKey },
        'scheduler: cannot record failure',
      );
      return { ...base, outcome: 'error' };
    }
  }

  /** The rules, in order; each outcome is recorded as a claim so it is decided once. */
  private async decide(
    tx: StoreTx,
    network: Network,
    job: JobDefinition,
    due: Due,
    now: Date,
  ): Promise<{ outcome: JobOutcome; reason?: SkipReason }> {
    const stale = job.staleAt(network, due.slot);
    if (stale && stale <= now) return { outcome: 'dropped', reason: 'stale' };
    if (network.pausedUntil && network.pausedUntil > due.at) return { outcome: 'skipped', reason: 'paused' };
    if (network.nudges[job.nudge] === false) return { outcome: 'skipped', reason: 'nudge-off' };
    if (job.parent && this.handlers.has(job.parent.kind)) {
      const parentSlot = job.parent.slot(network, due.slot);
      if (parentSlot) {
        const parent = await tx.jobClaims.get(network.id, job.parent.kind, parentSlot.toISOString());
        if (parent?.outcome !== 'run') return { outcome: 'skipped', reason: 'parent-not-run' };
      }
    }
    if (job.honoursSkipNextRound && network.skipNextRound) return { outcome: 'skipped', reason: 'skip-next-round' };
    return { outcome: 'run' };
  }

  /**
   * The earliest effective slot time after `after` over all active networks and handled jobs
   * (whatever the scheduler will then decide for it); null when there is none within a year.
   */
  async nextDueAt(after: Date): Promise<Date | null> {
    let best = await this.nextSweepAt(after);
    const jobs = this.handledJobs();
    if (jobs.length === 0) return best;
    const networks = await this.store.transaction((tx) => tx.networks.listActive());
    for (const network of networks) {
      for (const job of jobs) {
        for (const days of NEXT_DUE_HORIZONS_DAYS) {
          let found: Date | null = null;
          try {
            const slots = job.slots(
              network,
              new Date(after.getTime() - ADJUST_MARGIN_DAYS * DAY),
              new Date(after.getTime() + days * DAY),
            );
            for (const slot of slots) {
              const at = effectiveAt(job, network, slot);
              if (at > after && (!found || at < found)) found = at;
            }
          } catch {
            break;
          }
          if (found) {
            if (!best || found < best) best = found;
            break;
          }
        }
      }
    }
    return best;
  }

  private async nextSweepAt(after: Date): Promise<Date | null> {
    let best: Date | null = null;
    for (const sweep of this.sweeps) {
      const at = sweep.nextDueAt ? await sweep.nextDueAt(after, this.store) : null;
      if (at && at > after && (!best || at < best)) best = at;
    }
    return best;
  }
}
