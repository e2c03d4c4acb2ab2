/**
 * Slack Web API failures → PlatformError, so the outbox knows whether to wait, retry or give up.
 * - 429 (the client rejects rate-limited calls) → `rate_limited` with Retry-After;
 * - HTTP 5xx, network failures, timeouts, an HTML or otherwise unparsable body → `transient`;
 * - `not_in_channel`, `channel_not_found`, `user_not_found` and the dead-token errors → their codes;
 * - every other Slack error → `permanent`.
 * Messages carry the Slack error code only, never a payload or a token.
 */
import { ErrorCode } from '@slack/web-api';
import { PlatformError } from '../../src/core/errors.js';

const INVALID_AUTH = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'team_access_not_granted',
  'app_uninstalled',
  'ekm_access_denied',
]);
const TRANSIENT = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'timeout',
  'team_added_to_org',
]);
const USER_NOT_FOUND = new Set(['user_not_found', 'users_not_found', 'user_not_visible']);

/** A Slack error code looks like `snake_case`; anything else (HTML, a stack) came from a proxy. */
const SLACK_CODE = /^[a-z][a-z0-9_]{1,80}$/;

export function platformErrorFromCode(code: string): PlatformError {
  if (code === 'ratelimited' || code === 'rate_limited') return new PlatformError('rate_limited', code);
  if (code === 'not_in_channel') return new PlatformError('not_in_channel', code);
  if (code === 'channel_not_found' || code === 'is_archived') {
    return new PlatformError(code === 'is_archived' ? 'permanent' : 'channel_not_found', code);
  }
  if (USER_NOT_FOUND.has(code)) return new PlatformError('user_not_found', code);
  if (INVALID_AUTH.has(code)) return new PlatformError('invalid_auth', code);
  if (TRANSIENT.has(code)) return new PlatformError('transient', code);
  if (!SLACK_CODE.test(code)) return new PlatformError('transient', 'unparsable_response');
  return new PlatformError('permanent', code);
}

interface SlackishError {
  code?: unknown;
  retryAfter?: unknown;
  statusCode?: unknown;
  data?: { error?: unknown };
  message?: unknown;
  original?: unknown;
}

/** Maps anything the Slack clients throw; errors of our own code pass through unchanged. */
export function toPlatformError(err: unknown): unknown {
  if (err instanceof PlatformError) return err;
  if (!err || typeof err !== 'object') return err;
  const e = err as SlackishError;
  switch (e.code) {
    case ErrorCode.RateLimitedError: {
      const seconds = typeof e.retryAfter === 'number' && e.retryAfter >= 0 ? e.retryAfter : undefined;
      return new PlatformError('rate_limited', 'ratelimited', seconds === undefined ? undefined : seconds * 1000);
    }
    case ErrorCode.HTTPError: {
      const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
      if (status === 429) return new PlatformError('rate_limited', 'http_429');
      if (status >= 500 || status === 408 || status === 0) return new PlatformError('transient', `http_${status}`);
      return new PlatformError('permanent', `http_${status}`);
    }
    case ErrorCode.RequestError:
      return new PlatformError('transient', 'request_failed');
    case ErrorCode.PlatformError: {
      const code = typeof e.data?.error === 'string' ? e.data.error : '';
      return platformErrorFromCode(code);
    }
    default:
      break;
  }
  const message = typeof e.message === 'string' ? e.message : '';
  // @slack/web-api throws plain errors for a 429 whose Retry-After it cannot read.
  if (/rate limit/i.test(message)) return new PlatformError('rate_limited', 'ratelimited');
  const name = (err as Error).name;
  if (name === 'AbortError' || name === 'TimeoutError') return new PlatformError('transient', 'timeout');
  return err;
}

/** Runs a Slack call and rethrows its failure as a PlatformError. */
export async function mapSlackErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toPlatformError(err);
  }
}
