/**
 * A modal's `private_metadata`: the core's form state plus the conversation the form was opened
 * from, so the answer to a submission can be shown there. Anything else in private_metadata (an
 * older format, another app's) is taken as the core's state as it is.
 */
import { SLACK_LIMITS } from './render.js';

const TAG = 'klik1';

export function wrapFormState(state: string, channelId: string | undefined): string {
  if (!channelId) return state;
  const wrapped = JSON.stringify({ k: TAG, s: state, c: channelId });
  return wrapped.length <= SLACK_LIMITS.privateMetadata ? wrapped : state;
}

export function unwrapFormState(privateMetadata: string | undefined): { state: string; channelId?: string } {
  const raw = privateMetadata ?? '';
  if (raw.startsWith('{')) {
    try {
      const parsed = JSON.parse(raw) as { k?: unknown; s?: unknown; c?: unknown };
      if (parsed.k === TAG && typeof parsed.s === 'string') {
        return { state: parsed.s, ...(typeof parsed.c === 'string' && parsed.c ? { channelId: parsed.c } : {}) };
      }
    } catch {
      // not ours: the whole string is the state
    }
  }
  return { state: raw };
}
