/** SLACK_RATE_LIMIT_WINDOW_MS: Slack's rate-limit minute, shortened for tests and the bench. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/core/errors.js';

const slackEnv = {
  KLIK_SECRET_KEY: 'k'.repeat(40),
  SLACK_SIGNING_SECRET: 's',
  SLACK_BOT_TOKEN: 'xoxb-1',
};

function failure(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected loadConfig to fail');
}

describe('SLACK_RATE_LIMIT_WINDOW_MS', () => {
  it('is carried to the Slack configuration when set, and absent (Slack’s 60 s) when not', () => {
    expect(loadConfig({ ...slackEnv, SLACK_RATE_LIMIT_WINDOW_MS: '1000' }).slack?.rateLimitWindowMs).toBe(1_000);
    expect(loadConfig({ ...slackEnv, SLACK_RATE_LIMIT_WINDOW_MS: ' ' }).slack).not.toHaveProperty('rateLimitWindowMs');
    expect(loadConfig(slackEnv).slack).not.toHaveProperty('rateLimitWindowMs');
  });

  it('refuses what is not a whole number of milliseconds from 10 to 60000, in one line naming the variable', () => {
    for (const bad of ['abc', '1.5', '0', '5', '60001']) {
      const message = failure({ ...slackEnv, SLACK_RATE_LIMIT_WINDOW_MS: bad });
      expect(message).toMatch(/^SLACK_RATE_LIMIT_WINDOW_MS must be /);
      expect(message).toContain(`(got "${bad}")`);
      expect(message.split('\n')).toHaveLength(1);
    }
    expect(failure({ ...slackEnv, SLACK_RATE_LIMIT_WINDOW_MS: '60001' })).toContain('10 to 60000');
  });
});
