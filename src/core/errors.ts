/** Errors as classes with a stable code. A user never sees these; the core maps them to a message. */

export class KlikError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Codes a platform adapter reports; the outbox decides on retry or dead letter from them. */
export type PlatformErrorCode =
  | 'rate_limited'
  | 'transient'
  | 'not_in_channel'
  | 'channel_not_found'
  | 'user_not_found'
  | 'invalid_auth'
  | 'permanent';

/**
 * What a rate limit covers: only the message's target (a channel's posting limit), or every
 * message that needs a new conversation opened in that installation (Slack's `conversations.open`
 * is limited per workspace, so one 429 there means the next DMs would get one too).
 */
export type RateLimitScope = 'target' | 'new-conversations';

export class PlatformError extends KlikError {
  constructor(
    override readonly code: PlatformErrorCode,
    message: string,
    /** For `rate_limited`: how long the platform asked us to wait. */
    readonly retryAfterMs?: number,
    /** For `rate_limited`: what the limit covers (default: the target). */
    readonly scope: RateLimitScope = 'target',
  ) {
    super(code, message);
  }

  get retryable(): boolean {
    return this.code === 'rate_limited' || this.code === 'transient';
  }
}

export class ConfigError extends KlikError {
  constructor(message: string) {
    super('config_invalid', message);
  }
}

export class NotFoundError extends KlikError {
  constructor(what: string) {
    super('not_found', `${what} not found`);
  }
}

/**
 * The database did not answer (connection refused, dropped or timed out): nothing was done, and
 * the same work may succeed once it answers again. Adapters retry such work within a bound.
 */
export class StoreUnavailableError extends KlikError {
  constructor(options?: { cause?: unknown }) {
    super('store_unavailable', 'the database did not answer');
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}
