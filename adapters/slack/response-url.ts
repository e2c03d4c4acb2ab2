/**
 * Answers through a payload's `response_url` (what Bolt's `respond` does) with Node's own HTTP
 * client. Bolt posts with `fetch`, whose WHATWG streams cost several times the CPU of a plain
 * request, and Klik answers nearly every command and many clicks this way: under a burst that CPU
 * is taken from the acks of the requests still arriving. Keep-alive connections, a bounded wait,
 * and a status other than 2xx is an error (the caller then posts another way).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Respond } from './replies.js';

export const RESPONSE_URL_TIMEOUT_MS = 10_000;

export class ResponseUrlError extends Error {
  readonly code = 'slack_response_url';
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'ResponseUrlError';
  }
}

const agents = {
  'http:': new HttpAgent({ keepAlive: true }),
  'https:': new HttpsAgent({ keepAlive: true }),
};

/** Posts `body` as JSON to `url`; resolves on a 2xx answer. */
export function postToResponseUrl(
  url: URL,
  body: Record<string, unknown>,
  timeoutMs = RESPONSE_URL_TIMEOUT_MS,
): Promise<void> {
  const payload = Buffer.from(JSON.stringify(body));
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        agent: agents[url.protocol as keyof typeof agents],
        headers: { 'content-type': 'application/json', 'content-length': payload.length },
        timeout: timeoutMs,
      },
      (res: IncomingMessage) => {
        // The answer's body means nothing to Klik; read it so the connection can be reused.
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else reject(new ResponseUrlError(`response_url answered ${status}`, status));
        });
        res.on('error', (err) => reject(new ResponseUrlError(err.message, res.statusCode ?? null)));
      },
    );
    req.on('timeout', () => req.destroy(new ResponseUrlError('response_url did not answer in time', null)));
    req.on('error', (err) => reject(err instanceof ResponseUrlError ? err : new ResponseUrlError(err.message, null)));
    req.end(payload);
  });
}

/** The way to answer a delivery through its `response_url`, when it carries a usable one. */
export function respondVia(body: unknown): Respond | undefined {
  const raw = (body as { response_url?: unknown } | null)?.response_url;
  if (typeof raw !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  return (message) => postToResponseUrl(url, message);
}
