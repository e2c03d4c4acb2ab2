/**
 * Configuration: every variable of the public contract, parsed and validated with zod at start.
 * A wrong value stops start-up with one line naming the variable and what is allowed.
 */

import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { ConfigError } from './core/errors.js';
import type { Locale } from './core/types.js';

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], { message: 'must be 1 or 0' })
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const url = (what: string) => z.url({ message: `must be a URL (${what})` }).transform((v) => v.replace(/\/+$/, ''));

const nonEmpty = z.string().trim().min(1, { message: 'must not be empty' });

const envSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'], { message: 'must be development, production or test' })
    .default('development'),
  PORT: z.coerce
    .number({ message: 'must be a port number' })
    .int({ message: 'must be a whole number' })
    .min(0, { message: 'must be 0 to 65535' })
    .max(65535, { message: 'must be 0 to 65535' })
    .default(3000),
  PUBLIC_URL: url('e.g. https://klik.example.org').optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: 'must start with postgres:// or postgresql://' })
    .optional(),
  KLIK_DATA_DIR: nonEmpty.default('./data'),
  KLIK_SECRET_KEY: z
    .string()
    .min(32, { message: 'must be at least 32 characters (e.g. `openssl rand -base64 32`)' })
    .optional(),
  KLIK_RETENTION_MONTHS: z.coerce
    .number({ message: 'must be a number of months' })
    .int({ message: 'must be a whole number of months' })
    .min(1, { message: 'must be 1 to 120' })
    .max(120, { message: 'must be 1 to 120' })
    .default(24),
  KLIK_PLAYGROUND: flag.optional(),
  SLACK_SIGNING_SECRET: nonEmpty.optional(),
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xoxb-/, { message: 'must be a bot token starting with xoxb-' })
    .optional(),
  SLACK_CLIENT_ID: nonEmpty.optional(),
  SLACK_CLIENT_SECRET: nonEmpty.optional(),
  SLACK_STATE_SECRET: nonEmpty.optional(),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, { message: 'must be an app-level token starting with xapp-' })
    .optional(),
  SLACK_API_URL: url('the Slack Web API base, e.g. https://slack.com/api/').optional(),
  SLACK_RATE_LIMIT_WINDOW_MS: z.coerce
    .number({ message: "must be a number of milliseconds (Slack's rate-limit minute, default 60000)" })
    .int({ message: 'must be a whole number of milliseconds' })
    .min(10, { message: 'must be 10 to 60000 milliseconds (default 60000; shorter only for tests and the bench)' })
    .max(60_000, { message: 'must be 10 to 60000 milliseconds (default 60000; shorter only for tests and the bench)' })
    .optional(),
  MICROSOFT_APP_ID: nonEmpty.optional(),
  MICROSOFT_APP_PASSWORD: nonEmpty.optional(),
  MICROSOFT_APP_TENANT_ID: nonEmpty.optional(),
  MICROSOFT_APP_TYPE: z
    .enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI'], {
      message: 'must be SingleTenant, MultiTenant or UserAssignedMSI',
    })
    .optional(),
  TEAMS_ENABLED: flag.optional(),
  METRICS_TOKEN: nonEmpty.optional(),
  KLIK_DEFAULT_LOCALE: z.enum(['nl', 'en'], { message: 'must be nl or en' }).default('nl'),
  KLIK_DEFAULT_TIMEZONE: z
    .string()
    .refine((v) => IANAZone.isValidZone(v), { message: 'must be an IANA time zone such as Europe/Amsterdam' })
    .default('Europe/Amsterdam'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
});

type Env = z.infer<typeof envSchema>;

export interface SlackConfig {
  signingSecret: string;
  botToken?: string;
  oauth?: { clientId: string; clientSecret: string; stateSecret: string };
  appToken?: string;
  apiUrl?: string;
  /** SLACK_RATE_LIMIT_WINDOW_MS: Slack's rate-limit minute (default 60000), shorter for tests and the bench. */
  rateLimitWindowMs?: number;
}

export interface TeamsConfig {
  appId?: string;
  appPassword?: string;
  tenantId?: string;
  appType: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';
}

export interface Config {
  env: Env['NODE_ENV'];
  production: boolean;
  port: number;
  publicUrl: string;
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };
  dataDir: string;
  secretKey: string;
  /** True when the key was generated for development and kept in the data folder. */
  secretKeyGenerated: boolean;
  retentionMonths: number;
  playground: boolean;
  slack?: SlackConfig;
  teams?: TeamsConfig;
  metricsToken?: string;
  defaultLocale: Locale;
  defaultTimezone: string;
  logLevel: Env['LOG_LEVEL'];
}

/** Treats empty strings as unset, as shells and compose files often pass them. */
function clean(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v.trim() !== '') out[k] = v;
  return out;
}

function describeValue(env: Record<string, string>, key: string): string {
  const secret = /SECRET|TOKEN|PASSWORD|KEY/.test(key);
  const v = env[key];
  if (v === undefined) return '';
  return secret ? ' (value hidden)' : ` (got "${v.slice(0, 60)}")`;
}

/** Parses the environment; throws ConfigError with one clear line on the first problem. */
export function loadConfig(rawEnv: NodeJS.ProcessEnv = process.env): Config {
  const env = clean(rawEnv);
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(`${key} ${issue?.message ?? 'is invalid'}${describeValue(env, key)}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';

  const slack = slackConfig(e);
  const teams = teamsConfig(e, production);

  if (e.KLIK_PLAYGROUND === true && production) {
    throw new ConfigError(
      'KLIK_PLAYGROUND cannot be 1 when NODE_ENV=production: the playground is for development only',
    );
  }
  const playground = e.KLIK_PLAYGROUND ?? (!slack && !teams && !production);

  const dataDir = resolve(e.KLIK_DATA_DIR);
  let secretKey = e.KLIK_SECRET_KEY;
  let secretKeyGenerated = false;
  if (!secretKey) {
    if (production) {
      throw new ConfigError(
        'KLIK_SECRET_KEY is required when NODE_ENV=production (at least 32 characters, e.g. `openssl rand -base64 32`)',
      );
    }
    secretKey = developmentSecretKey(dataDir);
    secretKeyGenerated = true;
  }

  return {
    env: e.NODE_ENV,
    production,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'pglite', dataDir: join(dataDir, 'pglite') },
    dataDir,
    secretKey,
    secretKeyGenerated,
    retentionMonths: e.KLIK_RETENTION_MONTHS,
    playground,
    ...(slack ? { slack } : {}),
    ...(teams ? { teams } : {}),
    ...(e.METRICS_TOKEN ? { metricsToken: e.METRICS_TOKEN } : {}),
    defaultLocale: e.KLIK_DEFAULT_LOCALE,
    defaultTimezone: e.KLIK_DEFAULT_TIMEZONE,
    logLevel: e.LOG_LEVEL,
  };
}

function slackConfig(e: Env): SlackConfig | undefined {
  const oauthParts = [e.SLACK_CLIENT_ID, e.SLACK_CLIENT_SECRET, e.SLACK_STATE_SECRET];
  const anyOauth = oauthParts.some(Boolean);
  const anySlack = anyOauth || e.SLACK_BOT_TOKEN || e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN;
  if (!anySlack) return undefined;
  if (!e.SLACK_SIGNING_SECRET) {
    throw new ConfigError("SLACK_SIGNING_SECRET is required to enable Slack (from your app's Basic Information page)");
  }
  if (anyOauth && !oauthParts.every(Boolean)) {
    const missing = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'].filter((_, i) => !oauthParts[i]);
    throw new ConfigError(
      `${missing[0]} is required with the other Slack OAuth variables (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET)`,
    );
  }
  if (!anyOauth && !e.SLACK_BOT_TOKEN) {
    throw new ConfigError(
      'SLACK_BOT_TOKEN is required with SLACK_SIGNING_SECRET (or set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET for OAuth installs)',
    );
  }
  return {
    signingSecret: e.SLACK_SIGNING_SECRET,
    ...(e.SLACK_BOT_TOKEN && !anyOauth ? { botToken: e.SLACK_BOT_TOKEN } : {}),
    ...(anyOauth
      ? {
          oauth: {
            clientId: e.SLACK_CLIENT_ID!,
            clientSecret: e.SLACK_CLIENT_SECRET!,
            stateSecret: e.SLACK_STATE_SECRET!,
          },
        }
      : {}),
    ...(e.SLACK_APP_TOKEN ? { appToken: e.SLACK_APP_TOKEN } : {}),
    ...(e.SLACK_API_URL ? { apiUrl: `${e.SLACK_API_URL}/` } : {}),
    ...(e.SLACK_RATE_LIMIT_WINDOW_MS !== undefined ? { rateLimitWindowMs: e.SLACK_RATE_LIMIT_WINDOW_MS } : {}),
  };
}

function teamsConfig(e: Env, production: boolean): TeamsConfig | undefined {
  if (e.MICROSOFT_APP_ID) {
    if (!e.MICROSOFT_APP_PASSWORD && e.MICROSOFT_APP_TYPE !== 'UserAssignedMSI') {
      throw new ConfigError("MICROSOFT_APP_PASSWORD is required with MICROSOFT_APP_ID (the bot's client secret)");
    }
    const appType = e.MICROSOFT_APP_TYPE ?? 'SingleTenant';
    if (appType !== 'MultiTenant' && !e.MICROSOFT_APP_TENANT_ID) {
      throw new ConfigError(`MICROSOFT_APP_TENANT_ID is required when MICROSOFT_APP_TYPE is ${appType}`);
    }
    return {
      appId: e.MICROSOFT_APP_ID,
      ...(e.MICROSOFT_APP_PASSWORD ? { appPassword: e.MICROSOFT_APP_PASSWORD } : {}),
      ...(e.MICROSOFT_APP_TENANT_ID ? { tenantId: e.MICROSOFT_APP_TENANT_ID } : {}),
      appType,
    };
  }
  if (e.TEAMS_ENABLED) {
    if (production) {
      throw new ConfigError(
        'TEAMS_ENABLED=1 without MICROSOFT_APP_ID runs Teams unauthenticated and is refused when NODE_ENV=production',
      );
    }
    return { appType: e.MICROSOFT_APP_TYPE ?? 'SingleTenant' };
  }
  return undefined;
}

/** Development only: a key generated once and kept in the data folder (mode 600). */
function developmentSecretKey(dataDir: string): string {
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) {
    const key = readFileSync(file, 'utf8').trim();
    if (key.length >= 32) return key;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64url');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}
