/**
 * What Klik does with each Slack delivery once it has been acknowledged: find the installation
 * (a workspace Klik does not serve is refused), recognise a delivery seen before, translate the
 * payload for the core, and show the core's reply.
 */
import type { ProcessedEventRepo } from '../../db/repositories/processed-events.js';
import type { Klik } from '../../src/core/app.js';
import type { Actor, Reply } from '../../src/core/inputs.js';
import { memberOverview } from '../../src/core/members/overview.js';
import type { Clock, Logger, Store } from '../../src/core/ports.js';
import type { Locale } from '../../src/core/types.js';
import { msg } from '../../src/messages/model.js';
import { wrapFormState } from './form-state.js';
import { HOME_COMMANDS, homeView } from './home.js';
import type { ActiveSlackInstallation, SlackInstallations } from './installations.js';
import {
  actionKey,
  clickedMessageRef,
  commandTeams,
  eventKey,
  eventTeams,
  formSubmission,
  interactionTeams,
  parseAction,
  parseCommand,
  parseEvent,
  parseViewSubmission,
  textAfterMention,
  triggerOf,
  viewKey,
} from './payloads.js';
import type { SlackPlatform } from './platform.js';
import { renderSlackModal } from './render.js';
import { type ReplyTarget, type Respond, showReply } from './replies.js';
import type { StoreRetry } from './store-retry.js';
import { bilingual } from './texts.js';

export interface SlackHandlerDeps {
  klik: () => Klik;
  store: Store;
  events: ProcessedEventRepo;
  installations: SlackInstallations;
  platform: SlackPlatform;
  clock: Clock;
  logger: Logger;
  defaultLocale: Locale;
  /** Waits out a database outage (within a bound) instead of losing an acknowledged request. */
  retry?: StoreRetry;
}

/** Calls the core; a reply saying the database did not answer is retried once it answers. */
const core = (deps: SlackHandlerDeps, call: () => Promise<Reply>): Promise<Reply> =>
  deps.retry ? deps.retry.reply(call) : call();

const toLocale = (value: string | null | undefined): Locale | undefined => {
  const lang = value?.slice(0, 2).toLowerCase();
  return lang === 'nl' || lang === 'en' ? lang : undefined;
};

/** Who acted, from Slack's profile (cached): name, language and time zone for the core. */
async function actorFor(deps: SlackHandlerDeps, inst: ActiveSlackInstallation, userId: string): Promise<Actor> {
  const user = await deps.platform.getUser(inst.ref, userId).catch(() => null);
  if (!user) return { platformUserId: userId };
  return {
    platformUserId: userId,
    displayName: user.displayName,
    ...(user.locale ? { locale: user.locale } : {}),
    ...(user.timezone ? { timezone: user.timezone } : {}),
  };
}

const localeOf = (deps: SlackHandlerDeps, actor: Actor): Locale => toLocale(actor.locale) ?? deps.defaultLocale;

/** True the first time a delivery key is seen (processed_events), false for a repeat. */
function firstDelivery(deps: SlackHandlerDeps, key: string, inst: ActiveSlackInstallation): Promise<boolean> {
  return deps.events.markProcessed(key, inst.installationId, deps.clock.now());
}

async function refuse(deps: SlackHandlerDeps, respond: Respond | undefined, what: string): Promise<void> {
  deps.logger.info({ what }, 'slack request from a workspace Klik does not serve: refused');
  if (respond) {
    await respond({ response_type: 'ephemeral', replace_original: false, text: bilingual('notInstalled') }).catch(
      () => {},
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Slash commands

export async function onCommand(deps: SlackHandlerDeps, body: unknown, respond?: Respond): Promise<void> {
  const command = parseCommand(body);
  if (!command) return;
  const inst = await deps.installations.firstActive(commandTeams(body));
  if (!inst) return refuse(deps, respond, 'command');
  const actor = await actorFor(deps, inst, command.userId);
  const trigger = triggerOf(command.userId, command.triggerId, command.channelId);
  const reply = await core(deps, () =>
    deps.klik().handleCommand({
      installation: inst.key,
      channelId: command.channelId,
      ...(command.channelName ? { channelName: command.channelName } : {}),
      isDirect: command.isDirect,
      actor,
      text: command.text,
      ...(trigger ? { trigger } : {}),
    }),
  );
  await showReply(reply, {
    inst,
    platform: deps.platform,
    logger: deps.logger,
    locale: localeOf(deps, actor),
    userId: command.userId,
    channelId: command.channelId,
    ...(respond ? { respond } : {}),
    ...(trigger ? { trigger } : {}),
  });
}

// ---------------------------------------------------------------------------------------------
// Clicks (buttons, selects, date pickers)

export async function onAction(
  deps: SlackHandlerDeps,
  body: unknown,
  rawAction: unknown,
  respond?: Respond,
): Promise<void> {
  const action = parseAction(body, rawAction);
  if (!action) return;
  const inst = await deps.installations.firstActive(interactionTeams(body));
  if (!inst) return refuse(deps, respond, 'action');
  if (!(await firstDelivery(deps, actionKey(action), inst))) {
    deps.logger.debug({ kind: 'action' }, 'slack delivery seen before: dropped');
    return;
  }
  const actor = await actorFor(deps, inst, action.userId);
  const homeCommand = HOME_COMMANDS[action.actionId];
  if (action.container.kind === 'view' && action.container.viewType === 'home' && homeCommand) {
    return onHomeAction(deps, inst, actor, action.value, homeCommand);
  }
  const trigger = triggerOf(action.userId, action.triggerId, action.channelId);
  const clicked = clickedMessageRef(action);
  const reply = await core(deps, () =>
    deps.klik().handleAction({
      installation: inst.key,
      channelId: action.channelId ?? '',
      actor,
      actionId: action.actionId,
      value: action.value,
      ...(clicked ? { messageRef: clicked } : {}),
      ...(trigger ? { trigger } : {}),
    }),
  );
  await showReply(reply, {
    inst,
    platform: deps.platform,
    logger: deps.logger,
    locale: localeOf(deps, actor),
    userId: action.userId,
    ...(action.channelId ? { channelId: action.channelId } : {}),
    ...(respond ? { respond } : {}),
    ...(trigger ? { trigger } : {}),
    ...(clicked ? { clicked } : {}),
    fromClick: action.container.kind === 'message',
  });
}

// ---------------------------------------------------------------------------------------------
// Form submissions: the one place where the ack carries the answer (`response_action`)

export interface ViewOutcome {
  /** The body of the ack: field errors, a replacement view, or nothing (the modal closes). */
  ack?: Record<string, unknown>;
  /** What to show once the modal has closed. */
  after?: () => Promise<void>;
  /** The same answer, for when the ack could not wait for it. */
  late?: () => Promise<void>;
}

export async function onViewSubmission(deps: SlackHandlerDeps, body: unknown): Promise<ViewOutcome> {
  const submission = parseViewSubmission(body);
  if (!submission) return {};
  const inst = await deps.installations.firstActive(interactionTeams(body));
  if (!inst) {
    await refuse(deps, undefined, 'view_submission');
    return {};
  }
  const key = viewKey(submission);
  if (key && !(await firstDelivery(deps, key, inst))) return {};
  const actor = await actorFor(deps, inst, submission.userId);
  const reply: Reply = await core(deps, () => deps.klik().handleForm(formSubmission(inst.key, actor, submission)));
  const target: ReplyTarget = {
    inst,
    platform: deps.platform,
    logger: deps.logger,
    locale: localeOf(deps, actor),
    userId: submission.userId,
    ...(submission.channelId ? { channelId: submission.channelId } : {}),
  };
  switch (reply.kind) {
    case 'form-errors': {
      const lines = Object.entries(reply.errors).map(([field, error]) => `• ${field}: ${error}`);
      return {
        ack: { response_action: 'errors', errors: reply.errors },
        late: () => showReply({ kind: 'message', message: msg(lines.join('\n')) }, target),
      };
    }
    case 'form': {
      const view = renderSlackModal(reply.form);
      view.private_metadata = wrapFormState(reply.form.state, submission.channelId);
      const trigger = triggerOf(submission.userId, submission.triggerId, submission.channelId);
      return {
        ack: { response_action: 'update', view },
        late: () => showReply(reply, { ...target, ...(trigger ? { trigger } : {}) }),
      };
    }
    case 'none':
      return {};
    default:
      return { after: () => showReply(reply, target), late: () => showReply(reply, target) };
  }
}

// ---------------------------------------------------------------------------------------------
// Events

async function eventInstallation(deps: SlackHandlerDeps, body: unknown): Promise<ActiveSlackInstallation | null> {
  const inst = await deps.installations.firstActive(eventTeams(body));
  if (!inst) deps.logger.debug({ kind: 'event' }, 'slack event for a workspace Klik does not serve: ignored');
  return inst;
}

/**
 * A member joined or left a channel. In a channel shared by two workspaces the event may come
 * through either installation: only the one that holds the channel's network handles it, once.
 */
export async function onMemberEvent(deps: SlackHandlerDeps, body: unknown, kind: 'joined' | 'left'): Promise<void> {
  const event = parseEvent(body);
  if (!event?.channelId || !event.userId) return;
  const inst = await eventInstallation(deps, body);
  if (!inst) return;
  if (event.userId === inst.botUserId) return;
  const channelId = event.channelId;
  const network = await deps.store.transaction((tx) => tx.networks.findByChannel(inst.installationId, channelId));
  if (!network) return;
  if (!(await firstDelivery(deps, eventKey(body), inst))) return;
  await deps.klik().handleMemberEvent({
    installation: inst.key,
    channelId,
    platformUserId: event.userId,
    kind,
  });
}

/** `@Klik help` in a channel, or a direct message to Klik: the text is a command. */
export async function onMessageCommand(deps: SlackHandlerDeps, body: unknown): Promise<void> {
  const event = parseEvent(body);
  if (!event?.channelId || !event.userId) return;
  if (event.type === 'message') {
    // Only people's own messages in a direct conversation with Klik; never a bot's (Klik's own!).
    if (event.channelType !== 'im' || event.subtype || event.botId) return;
  }
  const inst = await eventInstallation(deps, body);
  if (!inst || event.userId === inst.botUserId) return;
  if (!(await firstDelivery(deps, eventKey(body), inst))) return;
  const actor = await actorFor(deps, inst, event.userId);
  const channelId = event.channelId;
  const isDirect = event.channelType === 'im' || channelId.startsWith('D');
  const reply = await core(deps, () =>
    deps.klik().handleCommand({
      installation: inst.key,
      channelId,
      isDirect,
      actor,
      text: textAfterMention(event.text, event.botUserId ?? inst.botUserId, event.type === 'app_mention'),
    }),
  );
  await showReply(reply, {
    inst,
    platform: deps.platform,
    logger: deps.logger,
    locale: localeOf(deps, actor),
    userId: event.userId,
    channelId: event.channelId,
  });
}

// ---------------------------------------------------------------------------------------------
// App Home

export async function publishHome(
  deps: SlackHandlerDeps,
  inst: ActiveSlackInstallation,
  actor: Actor,
  notice?: string,
): Promise<void> {
  const overview = await memberOverview(deps.store, inst.key, actor.platformUserId, deps.clock.now());
  const locale = overview.member?.locale ?? localeOf(deps, actor);
  await deps.platform.publishHome(inst.ref, actor.platformUserId, homeView(overview, locale, notice));
}

export async function onHomeOpened(deps: SlackHandlerDeps, body: unknown): Promise<void> {
  const event = parseEvent(body);
  if (!event?.userId || (event.tab && event.tab !== 'home')) return;
  const inst = await eventInstallation(deps, body);
  if (!inst) return;
  await publishHome(deps, inst, await actorFor(deps, inst, event.userId));
}

/** A pause / resume / join button on the home tab: the same command, run in the network's channel. */
async function onHomeAction(
  deps: SlackHandlerDeps,
  inst: ActiveSlackInstallation,
  actor: Actor,
  channelId: string,
  text: string,
): Promise<void> {
  const reply = await core(deps, () =>
    deps.klik().handleCommand({ installation: inst.key, channelId, isDirect: false, actor, text }),
  );
  const notice = reply.kind === 'message' || reply.kind === 'update' ? reply.message.text : undefined;
  await publishHome(deps, inst, actor, notice);
}

// ---------------------------------------------------------------------------------------------
// Uninstalls and channels that go away

export async function onUninstalled(deps: SlackHandlerDeps, body: unknown): Promise<void> {
  const b = (body ?? {}) as { team_id?: unknown; event?: { type?: unknown; tokens?: { bot?: unknown } } };
  const teamId = typeof b.team_id === 'string' ? b.team_id : eventTeams(body)[0];
  if (!teamId) return;
  if (b.event?.type === 'tokens_revoked') {
    const bots = b.event.tokens?.bot;
    // Only user tokens revoked: the bot keeps working.
    if (!Array.isArray(bots) || bots.length === 0) return;
  }
  const record = await deps.installations.find(teamId);
  const revoked = await deps.installations.revoke(teamId);
  if (record) deps.platform.forgetInstallation(record.installationId);
  deps.logger.info({ teamId, event: String(b.event?.type ?? ''), revoked }, 'slack tokens deleted');
}

export async function onChannelGone(deps: SlackHandlerDeps, body: unknown): Promise<void> {
  const event = parseEvent(body);
  if (!event?.channelId) return;
  const inst = await eventInstallation(deps, body);
  if (!inst) return;
  if (!(await firstDelivery(deps, eventKey(body), inst))) return;
  deps.logger.info({ event: event.type, channelId: event.channelId }, 'slack channel state changed');
  await deps.klik().handleChannelState({
    installation: inst.key,
    channelId: event.channelId,
    state:
      event.type === 'channel_unarchive' ? 'unarchived' : event.type === 'channel_deleted' ? 'deleted' : 'archived',
  });
}
