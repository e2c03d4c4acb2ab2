/**
 * Wires Klik together: database, store, core, platforms, outbox dispatcher, scheduler, HTTP.
 * `startKlik` is what `npm start` runs; tests and the bench start it in-process too.
 */

import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Router } from 'express';
import { LocalAdapter } from '../adapters/local/adapter.js';
import { seedDemo, setupDemoNetwork } from '../adapters/local/demo.js';
import { LocalPlatform } from '../adapters/local/platform.js';
import { LocalWorkspace } from '../adapters/local/workspace.js';
import { createSlackAdapter, type SlackAdapter } from '../adapters/slack/adapter.js';
import type { StoreRetryOptions } from '../adapters/slack/store-retry.js';
import { type Database, openDatabase } from '../db/client.js';
import { outboxQueue } from '../db/repositories/outbox-queue.js';
import { platformIdHasher } from '../db/repositories/privacy.js';
import { createStore } from '../db/store.js';
import type { Config } from './config.js';
import { createKlik, errorSummary, type Klik } from './core/app.js';
import { pollLiveMessages } from './core/polls/live.js';
import { pollSweep } from './core/polls/sweep.js';
import { type ChatPlatform, type Clock, type Logger, systemClock } from './core/ports.js';
import { JOB_DEFINITIONS } from './core/schedule/jobs.js';
import type { Platform } from './core/types.js';
import { calendarLinks, calendarRouter } from './http/calendar.js';
import { dashboardRouter, statsAccess } from './http/dashboard.js';
import { exportLinks, exportRouter } from './http/export.js';
import { createMetrics, type Metrics } from './http/metrics.js';
import { myDataLinks, myDataRouter } from './http/my-data.js';
import { playgroundRouter } from './http/playground.js';
import { closeServer, createHttpApp, listen } from './http/server.js';
import { statsApiRouter } from './http/stats-api.js';
import { startCron } from './scheduler/cron.js';
import { digestHandler } from './scheduler/digest-handler.js';
import { meetingSweeps } from './scheduler/meeting-sweeps.js';
import { nudgeHandlers, nudgeSweeps } from './scheduler/nudges-handler.js';
import { OutboxDispatcher } from './scheduler/outbox-dispatcher.js';
import { pairingHandler } from './scheduler/pairing-handler.js';
import { privacyPurgeSweep } from './scheduler/privacy-purge.js';
import { type JobHandler, Scheduler, type Sweep } from './scheduler/scheduler.js';
import { createSecretBox } from './security/crypto.js';

export interface KlikProcess {
  server: Server;
  port: number;
  database: Database;
  klik: Klik;
  metrics: Metrics;
  dispatcher: OutboxDispatcher;
  scheduler: Scheduler;
  playground?: { workspace: LocalWorkspace; adapter: LocalAdapter };
  /** The Slack adapter, when Slack is configured (tests wait on its `idle()`). */
  slack?: SlackAdapter;
  /** Graceful stop: no new work, in-flight sends finished, database closed. */
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  /** Outbox polling interval; tests drive the dispatcher by hand with 0. */
  dispatchIntervalMs?: number;
  /** Whether node-cron ticks the scheduler every minute. */
  cron?: boolean;
  host?: string;
  /** How acknowledged Slack work waits out a database outage (tests shorten it). */
  databaseRetry?: StoreRetryOptions;
}

export async function startKlik(config: Config, logger: Logger, options: StartOptions = {}): Promise<KlikProcess> {
  const clock = options.clock ?? systemClock;
  const workerId = `klik-${randomUUID().slice(0, 8)}`;
  const started = Date.now();

  const database = await openDatabase(
    config.database.kind === 'postgres' ? config.database : { kind: 'pglite', dataDir: config.database.dataDir },
  );
  await database.migrate();
  logger.info({ database: database.kind, ms: Date.now() - started }, 'database ready');

  const secretBox = createSecretBox(config.secretKey);
  const store = createStore(database.db, clock, { hashPlatformId: platformIdHasher(secretBox) });
  const metrics = createMetrics({ defaultMetrics: true });
  const platforms: Partial<Record<Platform, ChatPlatform>> = {};
  const routers: Array<{ path: string; router: Router }> = [];

  const slack = config.slack
    ? createSlackAdapter({
        config: config.slack,
        database,
        store,
        klik: () => klik,
        clock,
        logger,
        secretKey: config.secretKey,
        publicUrl: config.publicUrl,
        defaultLocale: config.defaultLocale,
        ...(options.databaseRetry ? { databaseRetry: options.databaseRetry } : {}),
      })
    : undefined;
  if (slack) {
    platforms.slack = slack.platform;
    routers.push({ path: '/slack', router: slack.router });
  }
  // Loaded only when configured: botbuilder alone is twice Bolt's heap, carried by every Slack-only process.
  const teams = config.teams
    ? (await import('../adapters/teams/adapter.js')).createTeamsAdapter({
        config: config.teams,
        database,
        store,
        klik: () => klik,
        clock,
        logger,
      })
    : undefined;
  if (teams) {
    platforms.teams = teams.platform;
    routers.push({ path: '/api/messages', router: teams.router });
  }

  let workspace: LocalWorkspace | undefined;
  if (config.playground) {
    workspace = new LocalWorkspace();
    platforms.local = new LocalPlatform(workspace);
  }

  // Feature handlers for scheduled jobs; a kind without a handler is not scheduled at all.
  const jobHandlers = new Map<string, JobHandler>([
    ['pairing', pairingHandler(platforms, logger)],
    ['digest', digestHandler(logger)],
    ...nudgeHandlers(logger, workerId),
  ]);
  const scheduledJobs = JOB_DEFINITIONS.filter((j) => jobHandlers.has(j.kind));
  const calendar = calendarLinks(secretBox, config.publicUrl);
  // Per-item work (poll deadlines, meeting re-confirmations, purges): run on every scheduler tick.
  const sweeps: Sweep[] = [
    pollSweep(),
    ...nudgeSweeps,
    privacyPurgeSweep({ retentionMonths: config.retentionMonths, logger }),
    ...meetingSweeps(calendar),
  ];
  const klik = createKlik({
    store,
    platforms,
    clock,
    logger,
    defaults: { locale: config.defaultLocale, timezone: config.defaultTimezone, calendar },
    scheduledJobs,
    exportLinks: exportLinks(secretBox, config.publicUrl),
    statsAccess: statsAccess(secretBox, config.publicUrl),
    myDataLinks: myDataLinks(secretBox, config.publicUrl),
  });
  routers.push({ path: '/my-data', router: myDataRouter({ store, box: secretBox, clock, logger }) });
  routers.push({ path: '/export', router: exportRouter({ store, box: secretBox, clock, logger }) });
  routers.push({ path: '/dashboard', router: dashboardRouter({ store, box: secretBox, clock, logger }) });
  routers.push({ path: '/api/networks', router: statsApiRouter({ store, box: secretBox, clock, logger }) });
  routers.push({ path: '/calendar', router: calendarRouter({ store, box: secretBox, clock, logger }) });

  const dispatcher = new OutboxDispatcher({
    queue: outboxQueue(database.db, clock),
    platforms,
    clock,
    logger,
    metrics,
    workerId,
    live: pollLiveMessages(store, clock),
  });
  const scheduler = new Scheduler({
    store,
    clock,
    logger,
    metrics,
    workerId,
    jobs: scheduledJobs,
    handlers: jobHandlers,
    sweeps,
  });

  let playground: KlikProcess['playground'];
  if (workspace && platforms.local) {
    const adapter = new LocalAdapter(klik, workspace);
    seedDemo(workspace);
    try {
      await setupDemoNetwork(adapter);
    } catch (err) {
      logger.warn({ err: errorSummary(err) }, 'demo network could not be set up');
    }
    routers.push({ path: '/', router: playgroundRouter({ adapter, workspace }) });
    playground = { workspace, adapter };
  }

  const app = createHttpApp({
    metrics,
    logger,
    ping: () => database.ping(),
    ...(config.metricsToken ? { metricsToken: config.metricsToken } : {}),
    routers,
  });
  const server = await listen(app, config.port, options.host);
  const port = (server.address() as AddressInfo).port;

  await slack?.start();
  await teams?.start();

  const interval = options.dispatchIntervalMs ?? 500;
  if (interval > 0) dispatcher.start(interval);
  const cron = options.cron === false ? null : startCron(scheduler, logger);

  logger.info(
    { port, playground: Boolean(playground), ms: Date.now() - started, publicUrl: config.publicUrl },
    'klik is listening',
  );

  let stopping: Promise<void> | null = null;
  return {
    server,
    port,
    database,
    klik,
    metrics,
    dispatcher,
    scheduler,
    ...(playground ? { playground } : {}),
    ...(slack ? { slack } : {}),
    stop() {
      stopping ??= (async () => {
        await cron?.stop();
        await slack?.stop();
        await teams?.stop();
        await closeServer(server);
        await dispatcher.stop();
        await database.close();
      })();
      return stopping;
    },
  };
}
