/**
 * The Teams adapter, assembled: the ChatPlatform for the outbox and the core, and the express
 * Router that `src/app.ts` mounts at `/api/messages`.
 *
 * Each request: JSON body parsed (on this route only); the SDK validates the activity's JWT
 * (auth.ts) and anything that fails gets 401 before Klik touches anything; then 200 at once and
 * the work runs after (ack first, like Slack), in order per person, inside the CloudAdapter's turn.
 */
import { type Activity, CloudAdapter } from 'botbuilder';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import type { Database } from '../../db/client.js';
import { processedEventRepo } from '../../db/repositories/processed-events.js';
import { teamsConversationRepo } from '../../db/repositories/teams-conversations.js';
import type { TeamsConfig } from '../../src/config.js';
import type { Klik } from '../../src/core/app.js';
import type { Clock, Logger, Store } from '../../src/core/ports.js';
import { WorkQueue } from '../slack/work-queue.js';
import { parseActivity } from './activities.js';
import { authenticateActivity, createTeamsAuthentication, type TeamsAuthOptions } from './auth.js';
import { TeamsConnector } from './connector.js';
import { TeamsConversations } from './conversations.js';
import { onActivity, type TeamsHandlerDeps } from './handlers.js';
import type { PaceLimit } from './pacer.js';
import { TeamsPlatform } from './platform.js';
import { FormMemory } from './replies.js';
import { TeamsPeople } from './users.js';

/** Delivery keys older than this are forgotten (Teams retries for minutes, not days). */
export const TEAMS_EVENT_RETENTION_MS = 48 * 60 * 60_000;
const PURGE_EVERY_MS = 6 * 60 * 60_000;
const STOP_GRACE_MS = 10_000;
/** Teams refuses activities over about 28 KB; a little room for the envelope. */
const BODY_LIMIT = '256kb';

export interface TeamsAdapterOptions extends TeamsAuthOptions {
  config: TeamsConfig;
  database: Pick<Database, 'db'>;
  store: Store;
  /** The core; a function because the core is created after the platforms it sends through. */
  klik: () => Klik;
  clock: Clock;
  logger: Logger;
  /** Per-conversation send limits (default Teams' 7 a second and 60 per 30 seconds). */
  paceLimits?: readonly PaceLimit[];
}

export interface TeamsAdapter {
  readonly platform: TeamsPlatform;
  /** Mount at `/api/messages`: `POST /`. */
  readonly router: Router;
  /** True when activities are not authenticated (TEAMS_ENABLED=1 without an app id). */
  readonly unauthenticated: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when every activity received so far has been fully handled. */
  idle(): Promise<void>;
}

/** The SDK's CloudAdapter, running a turn for an activity Klik has already authenticated. */
class KlikCloudAdapter extends CloudAdapter {
  runTurn(...args: Parameters<CloudAdapter['processActivity']>) {
    return this.processActivity(...args);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function createTeamsAdapter(options: TeamsAdapterOptions): TeamsAdapter {
  const { config, clock } = options;
  const logger = options.logger.child({ component: 'teams' });
  const auth = createTeamsAuthentication(config, options);
  const cloud = new KlikCloudAdapter(auth);
  const connector = new TeamsConnector(cloud, config.appId ?? '');
  const conversations = new TeamsConversations(teamsConversationRepo(options.database.db), clock);
  const people = new TeamsPeople();
  const platform = new TeamsPlatform({
    conversations,
    connector,
    people,
    clock,
    logger,
    ...(options.paceLimits ? { paceLimits: options.paceLimits } : {}),
  });
  const events = processedEventRepo(options.database.db);
  const deps: TeamsHandlerDeps = {
    klik: options.klik,
    store: options.store,
    events,
    conversations,
    platform,
    connector,
    forms: new FormMemory(),
    clock,
    logger,
  };
  const queue = new WorkQueue((err) =>
    logger.error({ errorName: (err as Error)?.name, code: (err as { code?: string })?.code }, 'teams work failed'),
  );

  const router = Router();
  router.post('/', express.json({ limit: BODY_LIMIT }), async (req: Request, res: Response) => {
    const body: unknown = req.body;
    if (!isObject(body) || typeof body.type !== 'string') {
      res.status(400).end();
      return;
    }
    const activity = body as unknown as Activity;
    const header = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
    const authenticated = await authenticateActivity(auth, activity, header);
    if (!authenticated) {
      logger.info({ type: activity.type.slice(0, 40) }, 'teams activity refused: authentication failed');
      res.status(401).end();
      return;
    }
    if (activity.type === 'invoke') res.status(200).json({});
    else res.status(200).end();
    const parsed = parseActivity(body);
    if (!parsed) return;
    void queue.run(`${parsed.tenantId}:${parsed.from.id}`, async () => {
      await cloud.runTurn(authenticated, activity, async () => onActivity(deps, parsed));
    });
  });
  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    res.status((err as { status?: number })?.status === 413 ? 413 : 400).end();
  });

  let purgeTimer: NodeJS.Timeout | null = null;
  const purge = () =>
    events
      .purge(new Date(clock.now().getTime() - TEAMS_EVENT_RETENTION_MS))
      .catch((err: unknown) => logger.warn({ errorName: (err as Error)?.name }, 'processed_events purge failed'));

  return {
    platform,
    router,
    unauthenticated: !config.appId,
    async start() {
      if (!config.appId) logger.warn({}, 'teams runs WITHOUT authentication (TEAMS_ENABLED=1): local use only');
      await purge();
      purgeTimer = setInterval(() => void purge(), PURGE_EVERY_MS);
      purgeTimer.unref();
    },
    async stop() {
      if (purgeTimer) clearInterval(purgeTimer);
      purgeTimer = null;
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
