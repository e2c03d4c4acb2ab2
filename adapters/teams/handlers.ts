/**
 * What Klik does with each authenticated Teams activity once it has been acknowledged: learn the
 * conversation reference and the sender, drop a delivery seen before, then a command (a message
 * to Klik), a card submission (button or form), or an installation / membership change.
 */
import type { ProcessedEventRepo } from '../../db/repositories/processed-events.js';
import type { Klik } from '../../src/core/app.js';
import type { Actor, InstallationKey } from '../../src/core/inputs.js';
import type { Clock, InstallationRef, Logger, Store } from '../../src/core/ports.js';
import { commandText, conversationRefOf, dedupeKey, type ParsedActivity, type TeamsMention } from './activities.js';
import type { TeamsConnector } from './connector.js';
import { convKey, personalKey, type TeamsConversations } from './conversations.js';
import type { TeamsPlatform } from './platform.js';
import { readTeamsSubmit } from './render.js';
import { type FormMemory, showTeamsReply, type TeamsReplyTarget } from './replies.js';
import { isBotId } from './users.js';

export interface TeamsHandlerDeps {
  klik: () => Klik;
  store: Store;
  events: ProcessedEventRepo;
  conversations: TeamsConversations;
  platform: TeamsPlatform;
  connector: TeamsConnector;
  forms: FormMemory;
  clock: Clock;
  logger: Logger;
}

interface Turn {
  p: ParsedActivity;
  inst: InstallationRef;
  key: InstallationKey;
  actor: Actor;
}

function actorOf(p: ParsedActivity): Actor {
  return {
    platformUserId: p.from.id,
    ...(p.from.name ? { displayName: p.from.name } : {}),
    ...(p.locale ? { locale: p.locale } : {}),
    ...(p.timezone ? { timezone: p.timezone } : {}),
  };
}

/** Stores where Klik can reach this conversation and this person (only from validated activities). */
async function learn(deps: TeamsHandlerDeps, t: Turn): Promise<void> {
  const { p, inst } = t;
  if (!isBotId(p.from.teamsId)) {
    deps.platform.people.remember(inst.id, {
      id: p.from.id,
      teamsId: p.from.teamsId,
      name: p.from.name ?? p.from.id,
      isBot: false,
    });
    if (p.type === 'message') deps.platform.people.unblock(inst.id, p.from.id);
  }
  const removal = p.type === 'installationUpdate' && p.action?.startsWith('remove');
  const botRemoved = p.membersRemoved.some((m) => m.id === p.botId);
  if (removal || botRemoved) return;
  const ref = conversationRefOf(p);
  const key = p.kind === 'personal' ? personalKey(p.from.id) : convKey(p.channelId);
  await deps.conversations.learn(p.tenantId, inst.id, key, ref);
  if (p.kind === 'channel' && p.teamId && p.teamId !== p.channelId) {
    // The team's General channel has the team's id: Klik can post there too.
    await deps.conversations.learn(p.tenantId, inst.id, convKey(p.teamId), { ...ref, conversationId: p.teamId });
  }
}

async function resolveMention(deps: TeamsHandlerDeps, t: Turn, m: TeamsMention): Promise<string> {
  if (m.aadObjectId) return m.aadObjectId;
  const known = deps.platform.people.idOf(t.inst.id, m.teamsId);
  if (known) return known;
  const person = await deps.platform.lookUp(t.inst, conversationRefOf(t.p), m.teamsId);
  return person?.id ?? m.teamsId;
}

function replyTarget(deps: TeamsHandlerDeps, t: Turn): TeamsReplyTarget {
  return {
    inst: t.inst,
    activity: t.p,
    userId: t.actor.platformUserId,
    platform: deps.platform,
    connector: deps.connector,
    conversations: deps.conversations,
    forms: deps.forms,
    logger: deps.logger,
  };
}

async function onCommand(deps: TeamsHandlerDeps, t: Turn): Promise<void> {
  const resolved = new Map<string, string>();
  for (const m of t.p.mentions) {
    if (m.teamsId !== t.p.botId) resolved.set(m.teamsId, await resolveMention(deps, t, m));
  }
  const text = commandText(t.p, (m) => resolved.get(m.teamsId) ?? m.teamsId);
  const reply = await deps.klik().handleCommand({
    installation: t.key,
    channelId: t.p.channelId,
    ...(t.p.channelName ? { channelName: t.p.channelName } : {}),
    isDirect: t.p.kind === 'personal',
    actor: t.actor,
    text,
    trigger: { triggerId: t.p.id ?? '', userId: t.actor.platformUserId, channelId: t.p.channelId },
  });
  await showTeamsReply(reply, replyTarget(deps, t));
}

async function onSubmit(deps: TeamsHandlerDeps, t: Turn): Promise<boolean> {
  const submit = readTeamsSubmit(t.p.value);
  if (!submit) return false;
  if (submit.kind === 'action') {
    const reply = await deps.klik().handleAction({
      installation: t.key,
      channelId: t.p.channelId,
      actor: t.actor,
      actionId: submit.actionId,
      value: submit.value,
      ...(t.p.replyToId ? { messageRef: { channelId: t.p.conversationId, messageId: t.p.replyToId } } : {}),
      trigger: { triggerId: t.p.id ?? '', userId: t.actor.platformUserId, channelId: t.p.channelId },
    });
    await showTeamsReply(reply, replyTarget(deps, t));
    return true;
  }
  const reply = await deps.klik().handleForm({
    installation: t.key,
    actor: t.actor,
    formId: submit.formId,
    state: submit.state,
    values: submit.values,
  });
  await showTeamsReply(reply, { ...replyTarget(deps, t), submitted: { formId: submit.formId, values: submit.values } });
  return true;
}

/** Klik removed from a team, chat or personal scope: forget where it could post. */
async function onRemoved(deps: TeamsHandlerDeps, t: Turn): Promise<void> {
  const { p, inst } = t;
  const record = await deps.conversations.record(inst.id);
  const keys = Object.entries(record?.conversations ?? {})
    .filter(([key, ref]) =>
      p.kind === 'personal'
        ? key === personalKey(p.from.id)
        : (p.teamId !== undefined && ref.teamId === p.teamId) || key === convKey(p.channelId),
    )
    .map(([key]) => key);
  // Klik gone from the tenant's last conversation: uninstalled (Teams keeps no token with Klik to delete).
  await deps.conversations.remove(p.tenantId, inst.id, keys, deps.clock.now());
  deps.logger.info(
    { installationId: inst.id, kind: p.kind, removed: keys.length },
    'teams: Klik removed, references deleted',
  );
}

/** People joining or leaving a network's team or chat. */
async function onMembers(deps: TeamsHandlerDeps, t: Turn): Promise<void> {
  const { p, inst } = t;
  const network = await deps.store.transaction((tx) => tx.networks.findByChannel(inst.id, p.channelId));
  if (!network) return;
  const changes = [
    ...p.membersAdded.map((m) => ({ m, kind: 'joined' as const })),
    ...p.membersRemoved.map((m) => ({ m, kind: 'left' as const })),
  ];
  for (const { m, kind } of changes) {
    if (isBotId(m.id)) continue;
    await deps.klik().handleMemberEvent({
      installation: t.key,
      channelId: p.channelId,
      platformUserId: m.aadObjectId ?? deps.platform.people.idOf(inst.id, m.id) ?? m.id,
      kind,
    });
  }
}

export async function onActivity(deps: TeamsHandlerDeps, p: ParsedActivity): Promise<void> {
  const installationId = await deps.conversations.installationId(p.tenantId);
  const t: Turn = {
    p,
    inst: { id: installationId, platform: 'teams', externalId: p.tenantId },
    key: { platform: 'teams', externalId: p.tenantId },
    actor: actorOf(p),
  };
  await learn(deps, t);
  const key = dedupeKey(p);
  if (key && !(await deps.events.markProcessed(key, installationId, deps.clock.now()))) {
    deps.logger.debug({ kind: p.type }, 'teams activity seen before: dropped');
    return;
  }
  switch (p.type) {
    case 'message':
      if (p.value !== undefined && (await onSubmit(deps, t))) return;
      if (isBotId(p.from.teamsId)) return;
      if (p.text.trim() || p.mentions.length > 0) await onCommand(deps, t);
      return;
    case 'installationUpdate':
      if (p.action?.startsWith('remove')) await onRemoved(deps, t);
      return;
    case 'conversationUpdate':
      if (p.membersRemoved.some((m) => m.id === p.botId)) return onRemoved(deps, t);
      if (p.membersAdded.some((m) => m.id === p.botId)) return;
      return onMembers(deps, t);
    default:
      return;
  }
}
