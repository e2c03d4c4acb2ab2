/**
 * The Slack adapter, assembled: the ChatPlatform for the outbox and the core, the express Router
 * that `src/app.ts` mounts at `/slack` (events, OAuth), and Socket Mode when an app token is set.
 */
import type { App } from '@slack/bolt';
import { Router } from 'express';
import type { Database } from '../../db/client.js';
import { processedEventRepo } from '../../db/repositories/processed-events.js';
import type { SlackConfig } from '../../src/config.js';
import type { Klik } from '../../src/core/app.js';
import type { Clock, Logger, Store } from '../../src/core/ports.js';
import type { Locale } from '../../src/core/types.js';
import { createSecretBox } from '../../src/security/crypto.js';
import { createBoltApp } from './bolt-app.js';
import { mapSlackErrors } from './errors.js';
import { type SingleWorkspace, SlackInstallations } from './installations.js';
import { mountSlackOAuth } from './oauth.js';
import { SlackPlatform } from './platform.js';
import { StoreRetry, type StoreRetryOptions } from './store-retry.js';
import { slackClientFactory } from './web-client.js';
import { WorkQueue } from './work-queue.js';

/** Delivery keys older than this are forgotten (Slack retries for minutes, not days). */
export const PROCESSED_EVENT_RETENTION_MS = 48 * 60 * 60_000;
const PURGE_EVERY_MS = 6 * 60 * 60_000;
/** How long shutdown waits for Slack requests in flight. */
const STOP_GRACE_MS = 10_000;

export interface SlackAdapterOptions {
  config: SlackConfig;
  /** `ping` lets work that met a database outage wait until it answers again. */
  database: Pick<Database, 'db'> & Partial<Pick<Database, 'ping'>>;
  store: Store;
  /** The core; a function because the core is created after the platforms it sends through. */
  klik: () => Klik;
  clock: Clock;
  logger: Logger;
  /** KLIK_SECRET_KEY: seals tokens at rest. */
  secretKey: string;
  /** PUBLIC_URL, for the OAuth redirect. */
  publicUrl: string;
  defaultLocale: Locale;
  /** Per-channel pacing of posts (default 1 s, or SLACK_RATE_LIMIT_WINDOW_MS / 60). */
  paceMs?: number;
  /** Unix ms for signature timestamps (default the system clock). */
  signatureNow?: () => number;
  processBeforeResponse?: boolean;
  viewDeadlineMs?: number;
  /** How acknowledged work waits out a database outage (store-retry.ts). */
  databaseRetry?: StoreRetryOptions;
}

export interface SlackAdapter {
  readonly platform: SlackPlatform;
  /** Mount at `/slack`: `POST /events`, `GET /install`, `GET /oauth_redirect`. */
  readonly router: Router;
  readonly installations: SlackInstallations;
  readonly app: App;
  /** Single workspace: identifies SLACK_BOT_TOKEN's workspace; Socket Mode: connects. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when every delivery received so far has been fully handled. */
  idle(): Promise<void>;
}

export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { config, clock } = options;
  const logger = options.logger.child({ component: 'slack' });
  const box = createSecretBox(options.secretKey);
  const clients = slackClientFactory({ ...(config.apiUrl ? { apiUrl: config.apiUrl } : {}), logger });

  const single: SingleWorkspace | undefined = config.botToken
    ? {
        token: config.botToken,
        identify: async (token) => {
          const res = await mapSlackErrors(() => clients(token).auth.test());
          if (!res.team_id || !res.user_id) throw new Error('auth.test named no team');
          return {
            teamId: res.team_id,
            ...(res.team ? { teamName: res.team } : {}),
            botUserId: res.user_id,
            ...(res.bot_id ? { botId: res.bot_id } : {}),
          };
        },
      }
    : undefined;
  const installations = new SlackInstallations(options.database.db, box, clock, logger, single);
  const platform = new SlackPlatform({
    installations,
    clients,
    clock,
    ...(config.rateLimitWindowMs !== undefined ? { rateLimitWindowMs: config.rateLimitWindowMs } : {}),
    ...(options.paceMs !== undefined ? { paceMs: options.paceMs } : {}),
  });
  const events = processedEventRepo(options.database.db);
  const queue = new WorkQueue((err) =>
    logger.error({ errorName: (err as Error)?.name, code: (err as { code?: string })?.code }, 'slack work failed'),
  );

  const router = Router();
  if (config.oauth) {
    mountSlackOAuth(router, {
      ...config.oauth,
      redirectUri: `${options.publicUrl}/slack/oauth_redirect`,
      ...(config.apiUrl ? { apiUrl: config.apiUrl } : {}),
      installations,
      logger,
    });
  }
  const app = createBoltApp({
    deps: {
      klik: options.klik,
      store: options.store,
      events,
      installations,
      platform,
      clock,
      logger,
      defaultLocale: options.defaultLocale,
      retry: new StoreRetry(
        options.database.ping ? () => (options.database.ping as () => Promise<void>)() : undefined,
        logger,
        options.databaseRetry,
      ),
    },
    queue,
    logger,
    signingSecret: config.signingSecret,
    ...(config.apiUrl ? { apiUrl: config.apiUrl } : {}),
    ...(config.appToken ? { appToken: config.appToken } : { router }),
    ...(options.signatureNow ? { signatureNow: options.signatureNow } : {}),
    ...(options.processBeforeResponse !== undefined ? { processBeforeResponse: options.processBeforeResponse } : {}),
    ...(options.viewDeadlineMs !== undefined ? { viewDeadlineMs: options.viewDeadlineMs } : {}),
  });

  let purgeTimer: NodeJS.Timeout | null = null;
  const purge = () =>
    events
      .purge(new Date(clock.now().getTime() - PROCESSED_EVENT_RETENTION_MS))
      .catch((err: unknown) => logger.warn({ errorName: (err as Error)?.name }, 'processed_events purge failed'));

  return {
    platform,
    router,
    installations,
    app,
    async start() {
      if (single) await installations.ensureSingle();
      await purge();
      purgeTimer = setInterval(() => void purge(), PURGE_EVERY_MS);
      purgeTimer.unref();
      if (config.appToken) {
        await app.start();
        logger.info({}, 'slack socket mode connected');
      }
    },
    async stop() {
      if (purgeTimer) clearInterval(purgeTimer);
      purgeTimer = null;
      if (config.appToken) await app.stop().catch(() => {});
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, STOP_GRACE_MS);
        timer.unref();
      });
      await Promise.race([queue.idle(), grace]);
      clearTimeout(timer);
    },
    idle: () => queue.idle(),
  };
}
