/**
 * The work Klik does after acknowledging Slack: tracked (so shutdown and tests can wait for it)
 * and, per key, in order: one person's clicks are applied in the order they were made, so a
 * member who clicks yes, no, yes ends on yes. Different keys run side by side.
 */
export class WorkQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly onError: (err: unknown) => void) {}

  /** Runs `fn` after the earlier work of the same key; never rejects (errors go to onError). */
  run(key: string | null, fn: () => Promise<void>): Promise<void> {
    const previous = key ? this.tails.get(key) : undefined;
    const job = (previous ?? Promise.resolve()).then(fn).catch((err: unknown) => this.onError(err));
    this.pending.add(job);
    if (key) this.tails.set(key, job);
    void job.finally(() => {
      this.pending.delete(job);
      if (key && this.tails.get(key) === job) this.tails.delete(key);
    });
    return job;
  }

  /** Resolves when all work handed in so far (and any it queued) has finished. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
