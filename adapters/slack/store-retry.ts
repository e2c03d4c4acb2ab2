/**
 * Slack work that meets a database outage waits for it, within a bound. Klik acknowledges Slack
 * before touching the database, so by then the request is accepted: losing it would lose a
 * person's tip or vote. When the core reports that the database did not answer (nothing was
 * done), or a step before it throws a connection failure, this waits until the database answers
 * a ping again (backing off, 250 ms doubling to 5 s) and runs the work once more; after
 * `budgetMs` (default 2 minutes) it gives up and the person sees the generic error.
 */
import { isConnectionFailure } from '../../db/unavailable.js';
import type { Reply } from '../../src/core/inputs.js';
import type { Logger } from '../../src/core/ports.js';

export interface StoreRetryOptions {
  /** How long one piece of work may wait for the database in all (default 120 s). */
  budgetMs?: number;
  /** Wait before the n-th ping (1-based); default 250 ms doubling to 5 s. */
  delayMs?: (attempt: number) => number;
  /** How long one ping may take (default 5 s). */
  pingTimeoutMs?: number;
  /** Waits; real timers by default (tests pass one that moves a fake clock). */
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds for the budget; Date.now by default. */
  now?: () => number;
}

export const DEFAULT_STORE_RETRY_BUDGET_MS = 120_000;

const defaultDelay = (attempt: number) => Math.min(5_000, 250 * 2 ** Math.min(attempt - 1, 10));
const realSleep = (ms: number) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref?.();
  });

function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('ping timeout')), ms);
    p.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

export class StoreRetry {
  private readonly budgetMs: number;
  private readonly delayMs: (attempt: number) => number;
  private readonly pingTimeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(
    private readonly ping: (() => Promise<void>) | undefined,
    private readonly logger: Logger,
    options: StoreRetryOptions = {},
  ) {
    this.budgetMs = options.budgetMs ?? DEFAULT_STORE_RETRY_BUDGET_MS;
    this.delayMs = options.delayMs ?? defaultDelay;
    this.pingTimeoutMs = options.pingTimeoutMs ?? 5_000;
    this.sleep = options.sleep ?? realSleep;
    this.now = options.now ?? Date.now;
  }

  /** Waits until the database answers; false when the budget ran out first. */
  private async waitForDatabase(deadline: number, attempt: { n: number }): Promise<boolean> {
    for (;;) {
      if (this.now() >= deadline) return false;
      attempt.n += 1;
      await this.sleep(this.delayMs(attempt.n));
      if (!this.ping) return true;
      try {
        await withTimeout(this.ping(), this.pingTimeoutMs);
        return true;
      } catch {
        // still down
      }
    }
  }

  /** Runs `work`; while it throws a connection failure, waits for the database and runs it again. */
  async run(work: () => Promise<void>): Promise<void> {
    const deadline = this.now() + this.budgetMs;
    const attempt = { n: 0 };
    for (;;) {
      try {
        return await work();
      } catch (err) {
        if (!isConnectionFailure(err)) throw err;
        this.logger.warn({ attempt: attempt.n }, 'slack work waits for the database');
        if (!(await this.waitForDatabase(deadline, attempt))) throw err;
      }
    }
  }

  /** Runs a core call; while its reply says the database did not answer, waits and calls again. */
  async reply(call: () => Promise<Reply>): Promise<Reply> {
    const deadline = this.now() + this.budgetMs;
    const attempt = { n: 0 };
    for (;;) {
      const reply = await call();
      if (reply.kind !== 'message' || !reply.unavailable) return reply;
      this.logger.warn({ attempt: attempt.n }, 'slack request waits for the database');
      if (!(await this.waitForDatabase(deadline, attempt))) return reply;
    }
  }
}
