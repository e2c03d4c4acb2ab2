/**
 * Slack request signatures: `v0=` + hex HMAC-SHA256(signing secret, `v0:{timestamp}:{raw body}`),
 * with the timestamp at most five minutes off either way, compared in constant time.
 *
 * The middleware reads the raw body itself, so it must come before any body parser; on success it
 * leaves the bytes on `req.rawBody`, where Bolt's ExpressReceiver reads them. A failure answers
 * 401 with an empty body and nothing else runs.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

export const SIGNATURE_WINDOW_SECONDS = 5 * 60;
/** Slack's payloads are far smaller; a larger body is refused before it is hashed. */
export const MAX_BODY_BYTES = 1024 * 1024;

export type SignatureFailure = 'missing_headers' | 'bad_timestamp' | 'stale' | 'bad_signature';

export function slackSignature(signingSecret: string, timestamp: string | number, rawBody: string | Buffer): string {
  const mac = createHmac('sha256', signingSecret);
  mac.update(`v0:${timestamp}:`);
  mac.update(rawBody);
  return `v0=${mac.digest('hex')}`;
}

/** Null when the request is Slack's, else why not. `nowSeconds` is Unix time in seconds. */
export function checkSlackSignature(
  signingSecret: string,
  headers: { signature?: string | undefined; timestamp?: string | undefined },
  rawBody: string | Buffer,
  nowSeconds: number,
): SignatureFailure | null {
  const { signature, timestamp } = headers;
  if (!signature || !timestamp) return 'missing_headers';
  if (!/^\d{1,12}$/.test(timestamp)) return 'bad_timestamp';
  if (Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_WINDOW_SECONDS) return 'stale';
  const expected = Buffer.from(slackSignature(signingSecret, timestamp, rawBody), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad_signature';
  return null;
}

function readBody(req: NodeJS.ReadableStream, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        reject(Object.assign(new Error('body too large'), { status: 413 }));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (!done) reject(err);
    });
  });
}

export interface SignatureMiddlewareOptions {
  signingSecret: string;
  /** Unix time in milliseconds; the system clock by default. */
  now?: () => number;
  /** Told why a request was refused (never the body or the headers' values). */
  onRefused?: (reason: SignatureFailure | 'body_too_large' | 'unreadable') => void;
}

export function slackSignatureMiddleware(options: SignatureMiddlewareOptions): RequestHandler {
  const now = options.now ?? Date.now;
  return async (req, res, next) => {
    let raw: Buffer;
    try {
      raw = await readBody(req, MAX_BODY_BYTES);
    } catch (err) {
      const tooLarge = (err as { status?: number }).status === 413;
      options.onRefused?.(tooLarge ? 'body_too_large' : 'unreadable');
      res.status(tooLarge ? 413 : 400).end();
      return;
    }
    const failure = checkSlackSignature(
      options.signingSecret,
      { signature: req.get('x-slack-signature'), timestamp: req.get('x-slack-request-timestamp') },
      raw,
      Math.floor(now() / 1000),
    );
    if (failure) {
      options.onRefused?.(failure);
      res.status(401).end();
      return;
    }
    (req as unknown as { rawBody: Buffer }).rawBody = raw;
    next();
  };
}
