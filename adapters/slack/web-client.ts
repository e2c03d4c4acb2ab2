/**
 * Web API clients for sending: one per bot token, reused. The outbox owns retries, so a client
 * never retries nor queues behind a 429 (`retries: 0`, `rejectRateLimitedCalls`); a call that
 * hangs is cut off and counts as transient.
 */
import { WebClient } from '@slack/web-api';
import type { Logger } from '../../src/core/ports.js';
import { TtlCache } from '../../src/ttl-cache.js';
import { slackLogger } from './log.js';

export const DEFAULT_CALL_TIMEOUT_MS = 10_000;

export interface SlackClientOptions {
  /** Base URL of the Web API ("https://slack.com/api/"), with its trailing slash. */
  apiUrl?: string;
  logger: Logger;
  timeoutMs?: number;
}

export type SlackClientFactory = (token: string) => WebClient;

export function slackClientOptions(options: SlackClientOptions) {
  return {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
    logger: slackLogger(options.logger),
  };
}

export function slackClientFactory(options: SlackClientOptions): SlackClientFactory {
  const clients = new TtlCache<WebClient>(1_000, 60 * 60_000, Date.now);
  const clientOptions = slackClientOptions(options);
  return (token) => {
    let client = clients.get(token);
    if (!client) {
      client = new WebClient(token, clientOptions);
      clients.set(token, client);
    }
    return client;
  };
}
