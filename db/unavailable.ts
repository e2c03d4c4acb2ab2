/**
 * Tells a database that did not answer (refused, dropped or timed-out connections, a server
 * shutting down) from every other failure, so the store can report it as StoreUnavailableError
 * and adapters can retry the work once the database answers again.
 */
import { StoreUnavailableError } from '../src/core/errors.js';

const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
/** SQLSTATE class 08 (connection exception), admin/crash shutdown, cannot connect now. */
const SQLSTATES = /^(08...|57P01|57P02|57P03)$/;
const MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error/i,
  /connection error/i,
  /cannot use a pool after calling end/i,
  /database closed/i,
];

/** True when `err` (or any error in its cause chain) says the database could not be reached. */
export function isConnectionFailure(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 6 && e && typeof e === 'object'; depth++) {
    if (e instanceof StoreUnavailableError) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || SQLSTATES.test(code))) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && MESSAGES.some((m) => m.test(message))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Rethrows a connection failure as StoreUnavailableError; any other error unchanged. */
export function storeError(err: unknown): unknown {
  if (err instanceof StoreUnavailableError) return err;
  return isConnectionFailure(err) ? new StoreUnavailableError({ cause: err }) : err;
}
