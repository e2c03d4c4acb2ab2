/**
 * The work Klik does after acknowledging a platform: tracked (so shutdown and tests can wait for
 * it) and, per key, in order: one person's clicks are applied in the order they were made, so a
 * member who clicks yes, no, yes ends on yes. Different keys run side by side.
 *
 * Acks come first. A job starts on a later turn of the event loop than the request that handed it
 * in, and at most `concurrency` jobs run at once; the rest wait their turn in arrival order. In a
 * burst (200 people voting in the same second) every request is still acknowledged at once, well
 * within Slack's 3 seconds, and the work follows at the pace the process can do it, instead of
 * every half-done job competing with the acks for the one thread.
 */
/**
 * Four jobs keep the database busy (a job spends most of its time waiting for it) while a turn of
 * the event loop stays short; measured with `npm run bench ack` against 2, 8 and 16.
 */
export const DEFAULT_WORK_CONCURRENCY = 4;

export class WorkQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly pending = new Set<Promise<void>>();
  private readonly waiting: Array<() => void> = [];
  private running = 0;
  private pumping = false;

  constructor(
    private readonly onError: (err: unknown) => void,
    private readonly concurrency = DEFAULT_WORK_CONCURRENCY,
  ) {
    if (!(concurrency >= 1)) throw new RangeError('concurrency must be at least 1');
  }

  /** Runs `fn` after the earlier work of the same key; never rejects (errors go to onError). */
  run(key: string | null, fn: () => Promise<void>): Promise<void> {
    const previous = key ? this.tails.get(key) : undefined;
    const job = (previous ?? Promise.resolve())
      .then(() => this.slot())
      .then(async () => {
        try {
          await fn();
        } finally {
          this.release();
        }
      })
      .catch((err: unknown) => this.onError(err));
    if (key) this.tails.set(key, job);
    this.track(job);
    void job.finally(() => {
      if (key && this.tails.get(key) === job) this.tails.delete(key);
    });
    return job;
  }

  /** Counts work that runs outside the queue (a whole delivery) until it settles, for `idle`. */
  track(work: Promise<unknown>): void {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(settled);
    void settled.finally(() => this.pending.delete(settled));
  }

  /** Jobs waiting for a free slot (not counting those waiting for the same person's earlier work). */
  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves when all work handed in so far (and any it queued) has finished. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Resolves on a later turn of the event loop, once fewer than `concurrency` jobs run. */
  private slot(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.pump();
    });
  }

  private release(): void {
    this.running--;
    this.pump();
  }

  /** Starts waiting jobs in the check phase, after the I/O (new requests) of the current turn. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    setImmediate(() => {
      this.pumping = false;
      while (this.running < this.concurrency && this.waiting.length > 0) {
        this.running++;
        this.waiting.shift()?.();
      }
    });
  }
}
