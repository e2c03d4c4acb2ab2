/**
 * Bot Connector failures → PlatformError, so the outbox knows whether to wait, retry or give up.
 * - 429 → `rate_limited` with Retry-After (seconds or an HTTP date);
 * - 412, 502, 503, 504, 500, 408, network failures, an HTML body → `transient` (503 with Retry-After: `rate_limited`);
 * - 403 `MessageWritesBlocked` / `ConversationBlockedByUser` → `permanent` with that code (the member is unreachable);
 * - 403 `BotNotInConversationRoster`, 404 → `not_in_channel`; 401 → `invalid_auth`; the rest → `permanent`.
 * Messages carry a status and an error code only, never a payload or a token.
 */
import { PlatformError } from '../../src/core/errors.js';

/** Codes Klik gives a member who cannot be written to (blocked the bot, writes blocked). */
export const BLOCKED_CODES: ReadonlySet<string> = new Set(['MessageWritesBlocked', 'ConversationBlockedByUser']);
export const TEAMS_BLOCKED = 'teams_message_writes_blocked';

interface RestishError {
  statusCode?: unknown;
  status?: unknown;
  code?: unknown;
  response?: { headers?: { get?(name: string): string | undefined | null }; bodyAsText?: unknown; status?: unknown };
  details?: unknown;
  body?: unknown;
  name?: unknown;
}

/** Milliseconds from a Retry-After header (delta seconds or an HTTP date). */
export function retryAfterMs(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The `error.code` of a Bot Connector error body, when the body is JSON that has one. */
export function connectorErrorCode(body: unknown): string | undefined {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const code = (parsed as { error?: { code?: unknown } } | null)?.error?.code;
  return typeof code === 'string' && /^[A-Za-z][\w.-]{0,80}$/.test(code) ? code : undefined;
}

const SYSTEM_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/** Maps anything the Bot Framework client throws; errors of our own code pass through unchanged. */
export function toTeamsPlatformError(err: unknown): unknown {
  if (err instanceof PlatformError) return err;
  if (!err || typeof err !== 'object') return err;
  const e = err as RestishError;
  const statusRaw = e.statusCode ?? e.response?.status ?? e.status;
  const status = typeof statusRaw === 'number' ? statusRaw : 0;
  const header = e.response?.headers?.get?.('retry-after') ?? undefined;
  const code =
    connectorErrorCode(e.response?.bodyAsText) ??
    connectorErrorCode(e.details) ??
    connectorErrorCode(e.body) ??
    (typeof e.code === 'string' && /^[A-Z][A-Za-z]+$/.test(e.code) ? e.code : undefined);
  if (status === 0) {
    if (typeof e.code === 'string' && SYSTEM_ERRORS.has(e.code)) return new PlatformError('transient', 'network');
    if (e.name === 'AbortError' || e.name === 'TimeoutError') return new PlatformError('transient', 'timeout');
    if (e.name === 'RestError') return new PlatformError('transient', 'request_failed');
    return err;
  }
  if (status === 429) return new PlatformError('rate_limited', 'http_429', retryAfterMs(header));
  if (status === 503 && header) return new PlatformError('rate_limited', 'http_503', retryAfterMs(header));
  if (status === 412 || status === 408 || status >= 500) return new PlatformError('transient', `http_${status}`);
  if (status === 403 && code && BLOCKED_CODES.has(code)) return new PlatformError('permanent', TEAMS_BLOCKED);
  if (status === 403 && code === 'BotNotInConversationRoster') return new PlatformError('not_in_channel', code);
  if (status === 404) return new PlatformError('not_in_channel', code ?? 'http_404');
  if (status === 401) return new PlatformError('invalid_auth', 'http_401');
  return new PlatformError('permanent', code ? `http_${status}_${code}` : `http_${status}`);
}

/** Runs a Bot Connector call and rethrows its failure as a PlatformError. */
export async function mapTeamsErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toTeamsPlatformError(err);
  }
}
