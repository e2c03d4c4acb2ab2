/**
 * Paces `chat.postMessage` per channel (Slack allows about one message a second per channel)
 * without ever waiting: a send that comes too soon after the previous one to the same channel is
 * refused as `rate_limited` with the time left, so the outbox holds only that target and goes on
 * with every other channel. In-process: each Klik process paces its own sends.
 */
import { PlatformError } from '../../src/core/errors.js';
import type { Clock } from '../../src/core/ports.js';

export const DEFAULT_PACE_MS = 1_000;
const MAX_TRACKED = 10_000;

export class ChannelPacer {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number = DEFAULT_PACE_MS,
  ) {}

  /** Claims the channel's next slot now, or throws `rate_limited` with how long to wait. */
  take(key: string): void {
    if (this.intervalMs <= 0) return;
    const now = this.clock.now().getTime();
    const previous = this.last.get(key);
    if (previous !== undefined && now - previous < this.intervalMs) {
      throw new PlatformError('rate_limited', 'paced', this.intervalMs - (now - previous));
    }
    this.last.delete(key);
    this.last.set(key, now);
    if (this.last.size > MAX_TRACKED) {
      const oldest = this.last.keys().next().value;
      if (oldest !== undefined) this.last.delete(oldest);
    }
  }
}
