/**
 * Reads Teams activities (untrusted JSON, already authenticated) into what Klik needs: tenant,
 * conversation (channel, group chat or 1:1), the Klik channel id, who acted, the command text with
 * mentions normalised, and the dedupe key. Tolerates every shape in the recorded payloads.
 */
import type { TeamsConversationKind, TeamsConversationRef } from '../../db/repositories/teams-conversations.js';

type Obj = Record<string, unknown>;

export interface TeamsMention {
  teamsId: string;
  name: string;
  /** The `<at>…</at>` text in the message. */
  text: string;
  aadObjectId?: string;
}

export interface ParsedActivity {
  type: string;
  id?: string;
  tenantId: string;
  serviceUrl: string;
  /** As Teams sent it (a channel thread has `;messageid=…`). */
  conversationId: string;
  kind: TeamsConversationKind;
  /** Klik's channel id: the team channel's id, else the chat's id. */
  channelId: string;
  channelName?: string;
  teamId?: string;
  from: { teamsId: string; id: string; name?: string };
  botId: string;
  text: string;
  mentions: TeamsMention[];
  value?: unknown;
  replyToId?: string;
  locale?: string;
  timezone?: string;
  action?: string;
  membersAdded: Array<{ id: string; aadObjectId?: string }>;
  membersRemoved: Array<{ id: string; aadObjectId?: string }>;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});

/** A channel thread's conversation id without its `;messageid=…`. */
export const baseConversationId = (id: string): string => id.split(';')[0] ?? id;

function kindOf(conversation: Obj, channelData: Obj, id: string): TeamsConversationKind {
  const type = str(conversation.conversationType);
  if (type === 'channel' || type === 'groupChat' || type === 'personal') return type;
  if (id.includes(';messageid=') || isObj(channelData.channel) || str(channelData.teamsChannelId)) return 'channel';
  if (conversation.isGroup === true) return 'groupChat';
  return 'personal';
}

function accounts(v: unknown): Array<{ id: string; aadObjectId?: string }> {
  if (!Array.isArray(v)) return [];
  return v.flatMap((a) => {
    const id = str(obj(a).id);
    const aad = str(obj(a).aadObjectId);
    return id ? [{ id, ...(aad ? { aadObjectId: aad } : {}) }] : [];
  });
}

function mentionsOf(entities: unknown): TeamsMention[] {
  if (!Array.isArray(entities)) return [];
  return entities.flatMap((e) => {
    const entity = obj(e);
    if (entity.type !== 'mention') return [];
    const mentioned = obj(entity.mentioned);
    const teamsId = str(mentioned.id);
    if (!teamsId) return [];
    const name = str(mentioned.name) ?? '';
    const aad = str(mentioned.aadObjectId);
    return [{ teamsId, name, text: str(entity.text) ?? `<at>${name}</at>`, ...(aad ? { aadObjectId: aad } : {}) }];
  });
}

function clientInfo(entities: unknown): Obj {
  if (!Array.isArray(entities)) return {};
  return obj(entities.find((e) => obj(e).type === 'clientInfo'));
}

export function parseActivity(raw: unknown): ParsedActivity | null {
  const a = obj(raw);
  const type = str(a.type);
  const serviceUrl = str(a.serviceUrl);
  const conversation = obj(a.conversation);
  const conversationId = str(conversation.id);
  const channelData = obj(a.channelData);
  const tenantId = str(conversation.tenantId) ?? str(obj(channelData.tenant).id);
  const from = obj(a.from);
  const fromId = str(from.id);
  if (!type || !serviceUrl || !conversationId || !tenantId || !fromId) return null;
  const kind = kindOf(conversation, channelData, conversationId);
  const teamId = str(obj(channelData.team).id) ?? str(channelData.teamsTeamId);
  const channelId =
    kind === 'channel'
      ? (str(obj(channelData.channel).id) ?? str(channelData.teamsChannelId) ?? baseConversationId(conversationId))
      : conversationId;
  const info = clientInfo(a.entities);
  const id = str(a.id);
  const name = str(from.name);
  const channelName = str(obj(channelData.channel).name) ?? str(conversation.name);
  const replyToId = str(a.replyToId);
  const locale = str(a.locale) ?? str(info.locale);
  const timezone = str(a.localTimezone) ?? str(info.timezone);
  const action = str(a.action);
  return {
    type,
    ...(id ? { id } : {}),
    tenantId,
    serviceUrl,
    conversationId,
    kind,
    channelId,
    ...(channelName ? { channelName } : {}),
    ...(teamId ? { teamId } : {}),
    from: { teamsId: fromId, id: str(from.aadObjectId) ?? fromId, ...(name ? { name } : {}) },
    botId: str(obj(a.recipient).id) ?? '',
    text: typeof a.text === 'string' ? a.text : '',
    mentions: mentionsOf(a.entities),
    ...(a.value !== undefined ? { value: a.value } : {}),
    ...(replyToId ? { replyToId } : {}),
    ...(locale ? { locale } : {}),
    ...(timezone ? { timezone } : {}),
    ...(action ? { action } : {}),
    membersAdded: accounts(a.membersAdded),
    membersRemoved: accounts(a.membersRemoved),
  };
}

const ENTITIES: Record<string, string> = {
  '&nbsp;': ' ',
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

/**
 * The command in a message: Klik's own `<at>…</at>` removed, other mentions turned into
 * `<@id|Name>` (id from `resolve`: the AAD object id when known), entities decoded, spaces trimmed.
 */
export function commandText(p: ParsedActivity, resolve: (m: TeamsMention) => string): string {
  let text = p.text;
  for (const m of p.mentions) {
    const isBot = m.teamsId === p.botId;
    const replacement = isBot ? ' ' : `<@${resolve(m)}|${m.name.replace(/[<>|]/g, '')}>`;
    text = text.split(m.text).join(replacement);
  }
  return text
    .replace(/<at>[^<]*<\/at>/g, ' ')
    .replace(/&(nbsp|amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? e)
    .replace(/\s+/g, ' ')
    .trim();
}

/** processed_events key: one per conversation and activity. */
export const dedupeKey = (p: ParsedActivity): string | null =>
  p.id ? `teams:activity:${p.conversationId}:${p.id}` : null;

/** The reference to store for the conversation the activity came from. */
export function conversationRefOf(p: ParsedActivity): TeamsConversationRef {
  return {
    kind: p.kind,
    conversationId: p.kind === 'channel' ? p.channelId : p.conversationId,
    serviceUrl: p.serviceUrl,
    tenantId: p.tenantId,
    ...(p.teamId ? { teamId: p.teamId } : {}),
    ...(p.botId ? { botId: p.botId } : {}),
    ...(p.kind === 'personal' ? { userTeamsId: p.from.teamsId } : {}),
  };
}

/** Where to answer in the conversation the activity came from (a channel: its thread). */
export function replyRefOf(p: ParsedActivity): TeamsConversationRef {
  return { ...conversationRefOf(p), conversationId: p.conversationId };
}
