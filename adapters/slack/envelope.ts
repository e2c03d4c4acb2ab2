/**
 * After the signature holds: the body must be an envelope Slack sends (a command's fields, an
 * interaction's payload, an Events API callback). Anything else (`null`, an array, a payload that
 * is not JSON, an unknown type) is answered 400 at once, before Bolt, which would otherwise fail
 * on it with a 500 (Slack retries a 5xx) or leave it unanswered for 3 seconds.
 */
import { parse as parseQuery } from 'node:querystring';
import type { RequestHandler } from 'express';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const str = (v: unknown): boolean => typeof v === 'string' && v.length > 0;

/**
 * Interaction payloads Klik's listeners take (bolt-app.ts), by type: a listener must match, or
 * Bolt leaves the request unanswered for 3 seconds. Legacy attachments and dialogs are not used.
 */
function isInteraction(p: Record<string, unknown>): boolean {
  switch (p.type) {
    case 'block_actions':
      return (
        Array.isArray(p.actions) && p.actions.length > 0 && p.actions.every((a) => isObject(a) && str(a.action_id))
      );
    case 'block_suggestion':
      return str(p.action_id);
    case 'view_submission':
    case 'view_closed':
      return isObject(p.view) && str(p.view.callback_id);
    case 'shortcut':
    case 'message_action':
      return str(p.callback_id);
    default:
      return false;
  }
}
/** The Events API callback types Slack posts as JSON. */
const CALLBACKS = new Set(['event_callback', 'url_verification', 'app_rate_limited']);

/**
 * True when the body is one of the envelopes Slack sends over HTTP, parsed as Bolt parses it: a
 * slash command's fields, an interaction payload a listener takes, or an Events API callback.
 * Bolt gives anything else no listener and no answer for 3 seconds, or fails on it with a 500.
 */
export function isSlackEnvelope(raw: Buffer | string, contentType: string | undefined): boolean {
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  try {
    if (contentType === 'application/x-www-form-urlencoded') {
      const fields = parseQuery(text);
      if (typeof fields.payload === 'string') {
        const payload: unknown = JSON.parse(fields.payload);
        return isObject(payload) && isInteraction(payload);
      }
      // A slash command, or Slack's SSL check of the Request URL (Bolt answers it 200).
      return typeof fields.command === 'string' || fields.ssl_check !== undefined;
    }
    const body: unknown = JSON.parse(text);
    if (!isObject(body) || typeof body.type !== 'string' || !CALLBACKS.has(body.type)) return false;
    return body.type !== 'event_callback' || isObject(body.event);
  } catch {
    return false;
  }
}

export function slackEnvelopeGuard(onRefused?: () => void): RequestHandler {
  return (req, res, next) => {
    const raw = (req as unknown as { rawBody?: Buffer }).rawBody ?? Buffer.alloc(0);
    if (!isSlackEnvelope(raw, req.headers['content-type'])) {
      onRefused?.();
      res.status(400).end();
      return;
    }
    next();
  };
}
