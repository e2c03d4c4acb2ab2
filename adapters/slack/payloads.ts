/**
 * Slack payloads → the core's inputs, and the keys that recognise a delivery seen before.
 * Pure functions over loosely typed JSON: recorded payloads lack fields now and then (no
 * `event_id`, no `value`, no `team` on the event), and none of that may throw.
 */
import type { Actor, FormSubmission, InstallationKey } from '../../src/core/inputs.js';
import type { FormTrigger, MessageRef } from '../../src/core/ports.js';
import { unwrapFormState } from './form-state.js';
import { parseSlackActionId, readSlackViewValues } from './render.js';

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

// ---------------------------------------------------------------------------------------------
// Teams: a payload names its workspace in several places; the first one Klik serves is used.

export function commandTeams(body: unknown): string[] {
  const b = obj(body);
  return [str(b.team_id), str(b.context_team_id), str(b.user_team)].filter((t): t is string => !!t);
}

export function interactionTeams(body: unknown): string[] {
  const b = obj(body);
  const view = obj(b.view);
  return [str(view.app_installed_team_id), str(obj(b.team).id), str(obj(b.user).team_id), str(view.team_id)].filter(
    (t): t is string => !!t,
  );
}

export function eventTeams(body: unknown): string[] {
  const b = obj(body);
  const auths = Array.isArray(b.authorizations) ? b.authorizations.map((a) => str(obj(a).team_id)) : [];
  const event = obj(b.event);
  return [...auths, str(b.team_id), str(b.context_team_id), str(event.team)].filter((t): t is string => !!t);
}

// ---------------------------------------------------------------------------------------------
// Text

/**
 * Slack's text → the core's: `<@U123|anna>` → `<@U123>` (mentions normalised), and the three
 * characters Slack escapes (`&amp;`, `&lt;`, `&gt;`) back to what the person typed. Other tokens
 * (`<#C1|name>`, links) stay as they are.
 */
export function normaliseMentions(text: string): string {
  return text
    .replace(/<@([UW][A-Z0-9]+)\|[^>]*>/g, '<@$1>')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * The text after a leading mention of the bot (`<@UBOT> help` → `help`). With `anyLeading` (an
 * `app_mention`, which exists because Klik was mentioned) a leading mention is taken to be Klik
 * whatever its id: in a channel shared between workspaces Klik's bot user differs per workspace.
 */
export function textAfterMention(text: string, botUserId?: string | null, anyLeading = false): string {
  let rest = text.trim();
  const lead = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>[\s,:]*/;
  const m = lead.exec(rest);
  if (m && (anyLeading || !botUserId || m[1] === botUserId)) rest = rest.slice(m[0].length);
  return normaliseMentions(rest.trim());
}

// ---------------------------------------------------------------------------------------------
// Slash commands

export interface SlackCommand {
  teamId?: string;
  channelId: string;
  channelName?: string;
  userId: string;
  text: string;
  isDirect: boolean;
  triggerId?: string;
  responseUrl?: string;
}

export function parseCommand(body: unknown): SlackCommand | null {
  const b = obj(body);
  const channelId = str(b.channel_id);
  const userId = str(b.user_id);
  if (!channelId || !userId) return null;
  const name = str(b.channel_name);
  const isDirect = channelId.startsWith('D') || name === 'directmessage';
  return {
    ...(str(b.team_id) ? { teamId: str(b.team_id) } : {}),
    channelId,
    ...(name && name !== 'directmessage' && name !== 'privategroup' ? { channelName: name } : {}),
    userId,
    text: normaliseMentions(typeof b.text === 'string' ? b.text : ''),
    isDirect,
    ...(str(b.trigger_id) ? { triggerId: str(b.trigger_id) } : {}),
    ...(str(b.response_url) ? { responseUrl: str(b.response_url) } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Block actions

export interface SlackAction {
  userId: string;
  /** The core's action id (the `::n` suffix for repeated ids stripped). */
  actionId: string;
  /** As Slack sent it, for the delivery key. */
  rawActionId: string;
  value: string;
  actionTs: string;
  channelId?: string;
  /** Where the clicked element sits: a message (ephemeral or not), or a view (modal, App Home). */
  container:
    | { kind: 'message'; ts?: string; ephemeral: boolean }
    | { kind: 'view'; viewType?: string; viewId?: string };
  triggerId?: string;
  responseUrl?: string;
}

/** The value an element hands back: a button's value, a select's option, a picked date. */
export function actionValue(action: unknown): string {
  const a = obj(action);
  if (typeof a.value === 'string') return a.value;
  const option = obj(a.selected_option);
  if (typeof option.value === 'string') return option.value;
  if (typeof a.selected_date === 'string') return a.selected_date;
  if (typeof a.selected_user === 'string') return a.selected_user;
  if (typeof a.selected_conversation === 'string') return a.selected_conversation;
  if (typeof a.selected_channel === 'string') return a.selected_channel;
  return '';
}

export function parseAction(body: unknown, action?: unknown): SlackAction | null {
  const b = obj(body);
  const first = action ?? (Array.isArray(b.actions) ? b.actions[0] : undefined);
  const a = obj(first);
  const userId = str(obj(b.user).id);
  const rawActionId = str(a.action_id);
  if (!userId || !rawActionId) return null;
  const container = obj(b.container);
  const view = obj(b.view);
  const channelId = str(obj(b.channel).id) ?? str(container.channel_id);
  const responseUrl = str(b.response_url);
  return {
    userId,
    actionId: parseSlackActionId(rawActionId),
    rawActionId,
    value: actionValue(a),
    actionTs: str(a.action_ts) ?? str(b.trigger_id) ?? '',
    ...(channelId ? { channelId } : {}),
    container:
      container.type === 'view' || (!container.type && b.view)
        ? {
            kind: 'view',
            ...(str(view.type) ? { viewType: str(view.type) } : {}),
            ...(str(view.id) ? { viewId: str(view.id) } : {}),
          }
        : {
            kind: 'message',
            ...(str(container.message_ts) ? { ts: str(container.message_ts) } : {}),
            ephemeral: container.is_ephemeral === true,
          },
    ...(str(b.trigger_id) ? { triggerId: str(b.trigger_id) } : {}),
    ...(responseUrl ? { responseUrl } : {}),
  };
}

/** The clicked message, for `chat.update`: only a message that was posted (ephemerals have none). */
export function clickedMessageRef(action: SlackAction): MessageRef | undefined {
  if (action.container.kind !== 'message' || action.container.ephemeral || !action.container.ts) return undefined;
  return action.channelId ? { channelId: action.channelId, messageId: action.container.ts } : undefined;
}

// ---------------------------------------------------------------------------------------------
// View submissions

export interface SlackViewSubmission {
  userId: string;
  formId: string;
  state: string;
  /** The conversation the form was opened from, when Klik opened it. */
  channelId?: string;
  values: Record<string, string>;
  viewId?: string;
  triggerId?: string;
}

export function parseViewSubmission(body: unknown): SlackViewSubmission | null {
  const b = obj(body);
  const view = obj(b.view);
  const userId = str(obj(b.user).id);
  const formId = str(view.callback_id);
  if (!userId || !formId) return null;
  const { state, channelId } = unwrapFormState(typeof view.private_metadata === 'string' ? view.private_metadata : '');
  const values = readSlackViewValues(obj(view.state) as { values: Record<string, Record<string, unknown>> });
  return {
    userId,
    formId,
    state,
    ...(channelId ? { channelId } : {}),
    values,
    ...(str(view.id) ? { viewId: str(view.id) } : {}),
    ...(str(b.trigger_id) ? { triggerId: str(b.trigger_id) } : {}),
  };
}

export function formSubmission(installation: InstallationKey, actor: Actor, s: SlackViewSubmission): FormSubmission {
  return { installation, actor, formId: s.formId, state: s.state, values: s.values };
}

// ---------------------------------------------------------------------------------------------
// Events

export interface SlackEvent {
  type: string;
  subtype?: string;
  eventId?: string;
  userId?: string;
  channelId?: string;
  channelType?: string;
  text: string;
  botId?: string;
  tab?: string;
  ts?: string;
  threadTs?: string;
  /** The bot user the delivery was addressed to, when the payload says. */
  botUserId?: string;
}

export function parseEvent(body: unknown): SlackEvent | null {
  const b = obj(body);
  const e = obj(b.event);
  const type = str(e.type);
  if (!type) return null;
  const channel = e.channel;
  const channelId = typeof channel === 'string' ? channel : str(obj(channel).id);
  const auth = Array.isArray(b.authorizations) ? obj(b.authorizations[0]) : {};
  const user = typeof e.user === 'string' ? e.user : str(obj(e.user).id);
  return {
    type,
    ...(str(e.subtype) ? { subtype: str(e.subtype) } : {}),
    ...(str(b.event_id) ? { eventId: str(b.event_id) } : {}),
    ...(user ? { userId: user } : {}),
    ...(channelId ? { channelId } : {}),
    ...(str(e.channel_type) ? { channelType: str(e.channel_type) } : {}),
    text: typeof e.text === 'string' ? e.text : '',
    ...(str(e.bot_id) ? { botId: str(e.bot_id) } : {}),
    ...(str(e.tab) ? { tab: str(e.tab) } : {}),
    ...(str(e.ts) ? { ts: str(e.ts) } : {}),
    ...(str(e.thread_ts) ? { threadTs: str(e.thread_ts) } : {}),
    ...(auth.is_bot === true && str(auth.user_id) ? { botUserId: str(auth.user_id) } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Delivery keys (processed_events)

/**
 * An event's key is its `event_id` alone: a retry carries the same id, and so does a shared
 * channel's event arriving through a second installation. Old payloads without an id fall back
 * to what identifies the event itself.
 */
export function eventKey(body: unknown): string {
  const b = obj(body);
  const id = str(b.event_id);
  if (id) return `slack:event:${id}`;
  const e = obj(b.event);
  const parts = [e.type, e.channel, e.user, e.event_ts ?? e.ts].map((p) => (typeof p === 'string' ? p : ''));
  return `slack:event:${parts.join(':')}`;
}

/** A click's own identity: who, when (Slack's `action_ts`), on what. */
export function actionKey(action: SlackAction): string {
  return `slack:action:${action.userId}:${action.actionTs}:${action.rawActionId}`;
}

export function viewKey(s: SlackViewSubmission): string | null {
  return s.triggerId ? `slack:view:${s.userId}:${s.triggerId}` : null;
}

export function triggerOf(userId: string, triggerId: string | undefined, channelId?: string): FormTrigger | undefined {
  return triggerId ? { triggerId, userId, ...(channelId ? { channelId } : {}) } : undefined;
}
