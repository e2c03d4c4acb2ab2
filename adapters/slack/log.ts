/**
 * Bolt's and the Slack SDK's logger interface on Klik's logger. Their debug and info lines can hold
 * request bodies (message text), so they are dropped; warnings and errors pass on, cut short.
 */
import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../src/core/ports.js';

const MAX = 200;

function line(parts: unknown[]): string {
  return parts
    .map((p) => (p instanceof Error ? p.name : typeof p === 'string' ? p : typeof p))
    .join(' ')
    .slice(0, MAX);
}

export function slackLogger(logger: Logger): SlackLogger {
  let level: LogLevel = LogLevel.WARN;
  return {
    debug: () => {},
    info: () => {},
    warn: (...msg: unknown[]) => logger.warn({ source: 'slack-sdk', detail: line(msg) }, 'slack sdk warning'),
    error: (...msg: unknown[]) => logger.error({ source: 'slack-sdk', detail: line(msg) }, 'slack sdk error'),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
