/**
 * Time for code that waits (`sleep(ms)`), moved by the test: a sleep resolves only when the test
 * has advanced past its end. Lets a test hold an outage for "30 seconds" of Klik's waiting
 * without spending 30 real seconds, and without timing assertions.
 */
export class ManualTimers {
  private current = 0;
  private readonly timers: Array<{ at: number; resolve: () => void }> = [];
  private readonly waiters: Array<{ test: () => boolean; resolve: () => void }> = [];

  now = (): number => this.current;

  sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.timers.push({ at: this.current + ms, resolve });
      this.settle();
    });

  /** Sleeps not yet over. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time on; every sleep that ends by then resolves. */
  advance(ms: number): void {
    this.current += ms;
    for (let i = this.timers.length - 1; i >= 0; i--) {
      const t = this.timers[i];
      if (t && t.at <= this.current) {
        this.timers.splice(i, 1);
        t.resolve();
      }
    }
    this.settle();
  }

  /** Resolves once `test` holds (checked whenever a sleep starts or time moves). */
  waitFor(test: () => boolean): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  private settle(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i];
      if (w?.test()) {
        this.waiters.splice(i, 1);
        w.resolve();
      }
    }
  }
}
