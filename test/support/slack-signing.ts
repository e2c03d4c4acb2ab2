/**
 * Signed Slack requests, as Slack sends them: a slash command (form body), an interaction
 * (`payload=` form body) and an Events API callback (JSON). The timestamp is a parameter, so tests
 * can sign a request that is six minutes old.
 */
import { slackSignature } from '../../adapters/slack/signature.js';

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

export interface SignOptions {
  signingSecret: string;
  /** Unix seconds; now by default. */
  timestamp?: number;
  /** Sets X-Slack-Retry-Num (and a reason), as Slack does when it redelivers an event. */
  retryNum?: number;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

function sign(body: string, contentType: string, options: SignOptions): SignedRequest {
  const timestamp = String(options.timestamp ?? nowSeconds());
  return {
    body,
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': slackSignature(options.signingSecret, timestamp, body),
      ...(options.retryNum !== undefined
        ? { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': 'http_timeout' }
        : {}),
    },
  };
}

export function signedCommand(fields: Record<string, string>, options: SignOptions): SignedRequest {
  return sign(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', options);
}

export function signedInteraction(payload: unknown, options: SignOptions): SignedRequest {
  return sign(
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    'application/x-www-form-urlencoded',
    options,
  );
}

export function signedEvent(payload: unknown, options: SignOptions): SignedRequest {
  return sign(JSON.stringify(payload), 'application/json', options);
}

/** POSTs a signed request; resolves with the status and the answer's body. */
export async function post(url: string, request: SignedRequest): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { method: 'POST', headers: request.headers, body: request.body });
  return { status: res.status, body: await res.text() };
}
