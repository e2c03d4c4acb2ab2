/**
 * Paces sends per Teams conversation within the Bot Connector's limits (7 a second and 60 per 30
 * seconds per conversation) without ever waiting: a send over either limit is refused as
 * `rate_limited` with the time until a slot frees up, so the outbox holds only that conversation.
 * In-process: each Klik process paces its own sends.
 */
import { PlatformError } from '../../src/core/errors.js';
import type { Clock } from '../../src/core/ports.js';

export interface PaceLimit {
  count: number;
  windowMs: number;
}

export const TEAMS_LIMITS: readonly PaceLimit[] = [
  { count: 7, windowMs: 1_000 },
  { count: 60, windowMs: 30_000 },
];
const MAX_TRACKED = 10_000;

export class ConversationPacer {
  private readonly sent = new Map<string, number[]>();
  private readonly longest: number;

  constructor(
    private readonly clock: Clock,
    private readonly limits: readonly PaceLimit[] = TEAMS_LIMITS,
  ) {
    this.longest = Math.max(0, ...limits.map((l) => l.windowMs));
  }

  /** Claims a slot in the conversation now, or throws `rate_limited` with how long to wait. */
  take(key: string): void {
    if (this.limits.length === 0) return;
    const now = this.clock.now().getTime();
    const times = (this.sent.get(key) ?? []).filter((t) => now - t < this.longest);
    let waitMs = 0;
    for (const limit of this.limits) {
      const inWindow = times.filter((t) => now - t < limit.windowMs);
      if (inWindow.length >= limit.count) {
        const oldest = inWindow[inWindow.length - limit.count] as number;
        waitMs = Math.max(waitMs, oldest + limit.windowMs - now);
      }
    }
    if (waitMs > 0) throw new PlatformError('rate_limited', 'paced', waitMs);
    times.push(now);
    this.sent.delete(key);
    this.sent.set(key, times);
    if (this.sent.size > MAX_TRACKED) {
      const oldest = this.sent.keys().next().value;
      if (oldest !== undefined) this.sent.delete(oldest);
    }
  }
}
