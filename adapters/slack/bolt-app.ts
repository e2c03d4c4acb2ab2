/**
 * The Bolt app that receives Slack: over HTTP on the shared server (an express Router whose
 * `POST /events` takes events, the slash command and interactivity) or over Socket Mode.
 *
 * Every listener acknowledges first and works after: the ack never waits for the database. The
 * one exception is a form submission, whose field errors can only travel in the ack: it waits
 * for the core at most `viewDeadlineMs` and otherwise closes the form and answers afterwards.
 * Bolt's own `authorize` is a no-op here (no database lookup before the ack): the handlers find
 * the installation, and refuse workspaces Klik does not serve, after acknowledging.
 */

import { App, type AuthorizeResult, ExpressReceiver, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { Router } from 'express';
import type { Logger } from '../../src/core/ports.js';
import { slackEnvelopeGuard } from './envelope.js';
import {
  onAction,
  onChannelGone,
  onCommand,
  onHomeOpened,
  onMemberEvent,
  onMessageCommand,
  onUninstalled,
  onViewSubmission,
  type SlackHandlerDeps,
  type ViewOutcome,
} from './handlers.js';
import { slackLogger } from './log.js';
import { respondVia } from './response-url.js';
import { slackSignatureMiddleware } from './signature.js';
import { slackClientOptions } from './web-client.js';
import type { WorkQueue } from './work-queue.js';

/** Slack gives a form submission 3 s; this leaves room for the network. */
export const DEFAULT_VIEW_DEADLINE_MS = 2_500;

export interface BoltAppOptions {
  deps: SlackHandlerDeps;
  queue: WorkQueue;
  logger: Logger;
  signingSecret: string;
  apiUrl?: string;
  /** HTTP mode: the router the `/events` route is added to. */
  router?: Router;
  /** Socket Mode instead of HTTP. */
  appToken?: string;
  /** Unix ms for signature timestamps (the system clock by default). */
  signatureNow?: () => number;
  /** Holds the HTTP answer until listeners finish (tests only; risks Slack's 3 s in production). */
  processBeforeResponse?: boolean;
  viewDeadlineMs?: number;
}

type Obj = Record<string, unknown>;

/** Whose work this is: one person's requests run in order. */
function personKey(body: unknown): string | null {
  const b = (body ?? {}) as Obj;
  const user = typeof b.user_id === 'string' ? b.user_id : (b.user as Obj | undefined)?.id;
  const team = typeof b.team_id === 'string' ? b.team_id : (b.team as Obj | undefined)?.id;
  return typeof user === 'string' ? `${String(team ?? '')}:${user}` : null;
}

const TIMEOUT = Symbol('timeout');

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMEOUT> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(TIMEOUT), ms);
    work.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

function receiverFor(options: BoltAppOptions): Receiver {
  const logger = slackLogger(options.logger);
  if (options.appToken) {
    return new SocketModeReceiver({
      appToken: options.appToken,
      logger,
      installerOptions: { clientOptions: options.apiUrl ? { slackApiUrl: options.apiUrl } : {} },
    });
  }
  if (!options.router) throw new Error('the Slack adapter needs a router in HTTP mode');
  options.router.post(
    '/events',
    slackSignatureMiddleware({
      signingSecret: options.signingSecret,
      ...(options.signatureNow ? { now: options.signatureNow } : {}),
      onRefused: (reason) => options.logger.warn({ reason }, 'slack request refused: signature'),
    }),
    slackEnvelopeGuard(() => options.logger.warn({}, 'slack request refused: not an object')),
  );
  return new ExpressReceiver({
    signingSecret: options.signingSecret,
    // Verified above, with both edges of the five-minute window.
    signatureVerification: false,
    router: options.router,
    endpoints: '/events',
    processBeforeResponse: options.processBeforeResponse ?? false,
    logger,
    processEventErrorHandler: async ({ error, response }) => {
      // Klik's listeners acknowledge first, so a failure before the answer is Bolt failing on a
      // payload of a shape Slack does not send (a null user, a null channel): refused, not a 5xx
      // (Slack would retry it).
      const before = !response.headersSent;
      options.logger.warn({ errorName: (error as Error)?.name, beforeAck: before }, 'slack request failed');
      if (before) {
        response.statusCode = 400;
        response.end();
      }
      return false;
    },
  });
}

export function createBoltApp(options: BoltAppOptions): App {
  const { deps, queue } = options;
  const app = new App({
    receiver: receiverFor(options),
    // Klik keeps no conversation state in Bolt: skip its store lookup on every delivery.
    convoStore: false,
    authorize: async (source): Promise<AuthorizeResult> => ({
      ...(source.teamId ? { teamId: source.teamId } : {}),
      ...(source.enterpriseId ? { enterpriseId: source.enterpriseId } : {}),
    }),
    logger: slackLogger(options.logger),
    clientOptions: slackClientOptions({
      ...(options.apiUrl ? { apiUrl: options.apiUrl } : {}),
      logger: options.logger,
    }),
    ignoreSelf: false,
    tokenVerificationEnabled: false,
  });

  // Every delivery is tracked from the moment it arrives, so shutdown and tests can wait for it.
  const processEvent = app.processEvent.bind(app);
  app.processEvent = (event) => {
    const done = processEvent(event);
    queue.track(done);
    return done;
  };

  app.error(async (error) => {
    options.logger.error({ errorName: error?.name, code: (error as { code?: string })?.code }, 'slack listener failed');
  });

  /** A step that meets a database outage is run again once the database answers (bounded). */
  const retrying = (work: () => Promise<void>) => () => (deps.retry ? deps.retry.run(work) : work());

  app.command(/.*/, async ({ ack, body }) => {
    await ack();
    const r = respondVia(body);
    await queue.run(
      personKey(body),
      retrying(() => onCommand(deps, body, r)),
    );
  });

  app.action(/.*/, async ({ ack, body, action }) => {
    await ack();
    const r = respondVia(body);
    await queue.run(
      personKey(body),
      retrying(() => onAction(deps, body, action, r)),
    );
  });

  app.view({ type: 'view_closed', callback_id: /.*/ }, async ({ ack }) => {
    await ack();
  });

  app.view(/.*/, async ({ ack, body }) => {
    const deadline = options.viewDeadlineMs ?? DEFAULT_VIEW_DEADLINE_MS;
    const work = onViewSubmission(deps, body).catch((err: unknown): ViewOutcome => {
      options.logger.error({ errorName: (err as Error)?.name }, 'slack form submission failed');
      return {};
    });
    const outcome = await withDeadline(work, deadline);
    if (outcome === TIMEOUT) {
      await ack();
      options.logger.warn({ deadlineMs: deadline }, 'slack form answered after its ack');
      await queue.run(personKey(body), async () => (await work).late?.());
      return;
    }
    await ack(outcome.ack as never);
    if (outcome.after) await queue.run(personKey(body), outcome.after);
  });

  app.shortcut(/.*/, async ({ ack }) => {
    await ack();
  });
  app.options(/.*/, async ({ ack }) => {
    await ack({ options: [] });
  });

  // Events are acknowledged by Bolt before any listener runs. One listener for all of them: Bolt
  // runs every listener's matchers on every delivery, so ten listeners would cost each click ten.
  const onEvent: Record<string, (body: unknown) => Promise<void>> = {
    member_joined_channel: (body) => onMemberEvent(deps, body, 'joined'),
    member_left_channel: (body) => onMemberEvent(deps, body, 'left'),
    app_mention: (body) => onMessageCommand(deps, body),
    message: (body) => onMessageCommand(deps, body),
    app_home_opened: (body) => onHomeOpened(deps, body),
    app_uninstalled: (body) => onUninstalled(deps, body),
    tokens_revoked: (body) => onUninstalled(deps, body),
    channel_archive: (body) => onChannelGone(deps, body),
    channel_deleted: (body) => onChannelGone(deps, body),
    channel_unarchive: (body) => onChannelGone(deps, body),
  };
  app.event(/.*/, async ({ body, event }) => {
    const run = Object.hasOwn(onEvent, event.type) ? onEvent[event.type] : undefined;
    if (!run) return;
    await queue.run(
      null,
      retrying(() => run(body)),
    );
  });

  return app;
}
