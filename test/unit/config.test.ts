import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/core/errors.js';

const dataDir = () => mkdtempSync(join(tmpdir(), 'klik-config-'));
const base = () => ({ KLIK_DATA_DIR: dataDir() });

function failure(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    return message;
  }
  throw new Error('expected loadConfig to fail');
}

describe('config', () => {
  it('runs with no configuration: PGlite in the data folder, playground on, port 3000', () => {
    const env = base();
    const c = loadConfig(env);
    expect(c.port).toBe(3000);
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.database).toEqual({ kind: 'pglite', dataDir: join(env.KLIK_DATA_DIR, 'pglite') });
    expect(c.playground).toBe(true);
    expect(c.defaultLocale).toBe('nl');
    expect(c.defaultTimezone).toBe('Europe/Amsterdam');
    expect(c.retentionMonths).toBe(24);
    expect(c.logLevel).toBe('info');
  });

  it('generates a development secret key once, keeps it with mode 600 and reuses it', () => {
    const env = base();
    const first = loadConfig(env);
    expect(first.secretKeyGenerated).toBe(true);
    const file = join(env.KLIK_DATA_DIR, 'secret.key');
    expect(readFileSync(file, 'utf8').trim()).toBe(first.secretKey);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadConfig(env).secretKey).toBe(first.secretKey);
  });

  it('requires KLIK_SECRET_KEY in production and refuses a short one', () => {
    expect(failure({ ...base(), NODE_ENV: 'production' })).toMatch(/^KLIK_SECRET_KEY is required/);
    expect(failure({ ...base(), KLIK_SECRET_KEY: 'short' })).toMatch(/^KLIK_SECRET_KEY must be at least 32/);
    expect(failure({ ...base(), KLIK_SECRET_KEY: 'short' })).not.toContain('short"');
  });

  it.each([
    ['PORT', 'abc', /^PORT must be a port number \(got "abc"\)/],
    ['PORT', '70000', /^PORT must be 0 to 65535/],
    ['PUBLIC_URL', 'klik.example.org', /^PUBLIC_URL must be a URL/],
    ['DATABASE_URL', 'mysql://x', /^DATABASE_URL must start with postgres/],
    ['KLIK_RETENTION_MONTHS', '0', /^KLIK_RETENTION_MONTHS must be 1 to 120/],
    ['KLIK_PLAYGROUND', 'maybe', /^KLIK_PLAYGROUND must be 1 or 0/],
    ['KLIK_DEFAULT_LOCALE', 'de', /^KLIK_DEFAULT_LOCALE must be nl or en/],
    ['KLIK_DEFAULT_TIMEZONE', 'Mars/Olympus', /^KLIK_DEFAULT_TIMEZONE must be an IANA time zone/],
    ['LOG_LEVEL', 'loud', /^LOG_LEVEL must be one of/],
    ['SLACK_BOT_TOKEN', 'xoxp-user-token', /^SLACK_BOT_TOKEN must be a bot token/],
    ['MICROSOFT_APP_TYPE', 'Personal', /^MICROSOFT_APP_TYPE must be SingleTenant/],
  ])('%s=%s stops start-up with one clear line', (key, value, expected) => {
    expect(failure({ ...base(), [key]: value })).toMatch(expected);
  });

  it('hides secret values in the message', () => {
    const msg = failure({ ...base(), SLACK_BOT_TOKEN: 'xoxp-very-secret' });
    expect(msg).not.toContain('very-secret');
  });

  it('Slack: single workspace, OAuth, and incomplete combinations', () => {
    const single = loadConfig({
      ...base(),
      SLACK_SIGNING_SECRET: 's',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_API_URL: 'http://127.0.0.1:9/api',
    });
    expect(single.slack).toEqual({ signingSecret: 's', botToken: 'xoxb-1', apiUrl: 'http://127.0.0.1:9/api/' });
    expect(single.playground).toBe(false);
    const oauth = loadConfig({
      ...base(),
      SLACK_SIGNING_SECRET: 's',
      SLACK_CLIENT_ID: 'c',
      SLACK_CLIENT_SECRET: 'x',
      SLACK_STATE_SECRET: 'y',
    });
    expect(oauth.slack?.oauth).toEqual({ clientId: 'c', clientSecret: 'x', stateSecret: 'y' });
    expect(failure({ ...base(), SLACK_BOT_TOKEN: 'xoxb-1' })).toMatch(/^SLACK_SIGNING_SECRET is required/);
    expect(failure({ ...base(), SLACK_SIGNING_SECRET: 's' })).toMatch(/^SLACK_BOT_TOKEN is required/);
    expect(failure({ ...base(), SLACK_SIGNING_SECRET: 's', SLACK_CLIENT_ID: 'c' })).toMatch(
      /^SLACK_CLIENT_SECRET is required/,
    );
  });

  it('Teams: authenticated, local unauthenticated, refused unauthenticated in production', () => {
    const auth = loadConfig({
      ...base(),
      MICROSOFT_APP_ID: 'id',
      MICROSOFT_APP_PASSWORD: 'pw',
      MICROSOFT_APP_TENANT_ID: 't',
    });
    expect(auth.teams).toEqual({ appId: 'id', appPassword: 'pw', tenantId: 't', appType: 'SingleTenant' });
    expect(loadConfig({ ...base(), TEAMS_ENABLED: '1' }).teams).toEqual({ appType: 'SingleTenant' });
    expect(failure({ ...base(), TEAMS_ENABLED: '1', NODE_ENV: 'production', KLIK_SECRET_KEY: 'x'.repeat(32) })).toMatch(
      /^TEAMS_ENABLED=1 without MICROSOFT_APP_ID .* refused when NODE_ENV=production/,
    );
    expect(failure({ ...base(), MICROSOFT_APP_ID: 'id', MICROSOFT_APP_PASSWORD: 'pw' })).toMatch(
      /^MICROSOFT_APP_TENANT_ID is required/,
    );
  });

  it('the playground is never served in production', () => {
    const prod = loadConfig({ ...base(), NODE_ENV: 'production', KLIK_SECRET_KEY: 'k'.repeat(40) });
    expect(prod.playground).toBe(false);
    expect(
      failure({ ...base(), NODE_ENV: 'production', KLIK_SECRET_KEY: 'k'.repeat(40), KLIK_PLAYGROUND: '1' }),
    ).toMatch(/^KLIK_PLAYGROUND/);
    expect(loadConfig({ ...base(), KLIK_PLAYGROUND: '0' }).playground).toBe(false);
  });

  it('DATABASE_URL selects PostgreSQL; empty values count as unset', () => {
    expect(loadConfig({ ...base(), DATABASE_URL: 'postgres://u@h/db' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@h/db',
    });
    expect(loadConfig({ ...base(), DATABASE_URL: '', PORT: ' ' }).database.kind).toBe('pglite');
  });
});
