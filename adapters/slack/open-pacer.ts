/**
 * Paces `conversations.open` per installation. Slack allows it 50 times a minute per workspace
 * (Tier 3), in bursts; past that it answers 429 with a whole-second Retry-After, which costs more
 * than waiting for the exact moment. This keeps a sliding window of the calls made (and the slots
 * promised to callers still waiting), counted as a little longer than Slack's so calls that reach
 * Slack later than we timed them still fit.
 *
 * A call whose slot comes within `maxWaitMs` waits for it (the outbox sends one row at a time
 * anyway); a later slot is refused at once as `rate_limited` with the time left and the
 * `new-conversations` scope, so the outbox holds every DM of the workspace as for Slack's own 429.
 * Callers that wait each take their own slot, in the order they came. In-process only.
 */
import { PlatformError } from '../../src/core/errors.js';
import type { Clock } from '../../src/core/ports.js';

/** Slack's rate-limit "minute". */
export const DEFAULT_RATE_LIMIT_WINDOW_MS = 60_000;
/** conversations.open, Tier 3. */
export const OPEN_PER_WINDOW = 50;
/** The window is counted this much longer than Slack's (network delay, clock skew). */
export const OPEN_WINDOW_MARGIN = 0.02;
/**
 * The longest a call waits for its slot. It holds up the sequential outbox (other workspaces too),
 * and that cost is real time, so it is not scaled with the window.
 */
export const DEFAULT_MAX_WAIT_MS = 2_000;
const MAX_TRACKED = 10_000;

export type Sleep = (ms: number) => Promise<void>;

export const timerSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface OpenPacerOptions {
  /** Calls allowed per window (default 50). */
  perWindow?: number;
  /** Slack's window (default 60 s); the pacer counts it `margin` longer. */
  windowMs?: number;
  /** Fraction added to the window (default 0.02). */
  margin?: number;
  /** Waits at most this long for a slot, else refuses (default 2 s). */
  maxWaitMs?: number;
  sleep?: Sleep;
}

export class OpenPacer {
  /** Per key: when each call of the window went (or will go), ascending. */
  private readonly slots = new Map<string, number[]>();
  private readonly perWindow: number;
  private readonly windowMs: number;
  private readonly maxWaitMs: number;
  private readonly sleep: Sleep;

  constructor(
    private readonly clock: Clock,
    options: OpenPacerOptions = {},
  ) {
    this.perWindow = options.perWindow ?? OPEN_PER_WINDOW;
    this.windowMs = Math.ceil(
      (options.windowMs ?? DEFAULT_RATE_LIMIT_WINDOW_MS) * (1 + (options.margin ?? OPEN_WINDOW_MARGIN)),
    );
    this.maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    this.sleep = options.sleep ?? timerSleep;
    if (!(this.perWindow >= 1) || !(this.windowMs > 0) || !(this.maxWaitMs >= 0)) {
      throw new Error('OpenPacer: perWindow, windowMs and maxWaitMs must be positive');
    }
  }

  /**
   * Resolves when the key's next call may go (at once, or after a short wait), having claimed that
   * slot; throws `rate_limited` (scope `new-conversations`) with the wait when it is too long.
   */
  async take(key: string): Promise<void> {
    const now = this.clock.now().getTime();
    const slots = this.slots.get(key) ?? [];
    while (slots.length > 0 && (slots[0] as number) <= now - this.windowMs) slots.shift();
    const at =
      slots.length < this.perWindow
        ? now
        : Math.max(now, (slots[slots.length - this.perWindow] as number) + this.windowMs);
    const waitMs = at - now;
    if (waitMs > this.maxWaitMs) {
      throw new PlatformError('rate_limited', 'paced', waitMs, 'new-conversations');
    }
    slots.push(at);
    this.track(key, slots);
    if (waitMs > 0) await this.sleep(waitMs);
  }

  private track(key: string, slots: number[]): void {
    this.slots.delete(key);
    this.slots.set(key, slots);
    if (this.slots.size > MAX_TRACKED) {
      const oldest = this.slots.keys().next().value;
      if (oldest !== undefined) this.slots.delete(oldest);
    }
  }
}
