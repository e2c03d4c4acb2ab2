/** Resolves who and where a request is about: installation, member, network, language. */
import type { Catalog } from '../messages/catalog/en.js';
import { type Translator, translator } from '../messages/i18n.js';
import { type Message, msg } from '../messages/model.js';
import type { Actor, InstallationKey, Reply } from './inputs.js';
import type { CalendarLinks } from './meetings/links.js';
import type { ChatPlatform, InstallationRef, StoreTx } from './ports.js';
import type { Installation, Locale, Member, Network } from './types.js';

export interface KlikDefaults {
  locale: Locale;
  timezone: string;
  /** Signed calendar links (feed, `.ics` files); absent when no HTTP server serves them. */
  calendar?: CalendarLinks;
}

export interface RequestContext {
  tx: StoreTx;
  installation: Installation;
  ref: InstallationRef;
  member: Member;
  network: Network | null;
  /** The language of replies to this member: their own, else the network's, else the default. */
  locale: Locale;
  t: Translator;
  /** The network's language: for everything posted in the channel. */
  tChannel: Translator;
  translatorFor(locale: Locale): Translator;
  /** A one-section message in the member's language. */
  message: MessageFn;
  /** A private reply in the member's language. */
  reply: ReplyFn;
  platform: ChatPlatform | undefined;
  /** Signed calendar links, when the process serves them. */
  calendar?: CalendarLinks;
}

type Params<K extends keyof Catalog> = Catalog[K] extends (p: infer P) => string ? [P] : [];
export type MessageFn = <K extends keyof Catalog>(key: K, ...params: Params<K>) => Message;
export type ReplyFn = <K extends keyof Catalog>(key: K, ...params: Params<K>) => Reply;

export const installationRef = (i: Installation): InstallationRef => ({
  id: i.id,
  platform: i.platform,
  externalId: i.externalId,
});

export async function resolveContext(
  tx: StoreTx,
  key: InstallationKey,
  actor: Actor,
  channelId: string | null,
  platform: ChatPlatform | undefined,
  defaults: KlikDefaults,
): Promise<RequestContext> {
  const installation = await tx.installations.ensure(key.platform, key.externalId, key.name);
  const found = await tx.members.findWithNetwork(installation.id, actor.platformUserId, channelId);
  const member = await resolveMember(tx, installation, actor, platform, found.member);
  const network = found.network;
  const locale = member.locale ?? network?.locale ?? defaults.locale;
  const t = translator(locale);
  const message = ((key: keyof Catalog, ...params: unknown[]) =>
    msg((t as (k: keyof Catalog, ...p: unknown[]) => string)(key, ...params))) as MessageFn;
  return {
    tx,
    installation,
    ref: installationRef(installation),
    member,
    network,
    locale,
    t,
    tChannel: translator(network?.locale ?? defaults.locale),
    translatorFor: translator,
    message,
    reply: ((key: keyof Catalog, ...params: unknown[]) => ({
      kind: 'message',
      message: (message as (k: keyof Catalog, ...p: unknown[]) => Message)(key, ...params),
    })) as ReplyFn,
    platform,
    ...(defaults.calendar ? { calendar: defaults.calendar } : {}),
  };
}

/** Coordinators of the network, plus workspace admins when the platform says so. */
export async function isCoordinator(ctx: RequestContext, network: Network): Promise<boolean> {
  if (await ctx.tx.coordinators.isCoordinator(ctx.installation.id, network.id, ctx.member.id)) return true;
  if (!ctx.platform) return false;
  const user = await ctx.platform.getUser(ctx.ref, ctx.member.platformUserId).catch(() => null);
  return user?.isAdmin === true;
}

/** Keeps a known member's name when the payload carries none; asks the platform for a newcomer's. */
async function resolveMember(
  tx: StoreTx,
  installation: Installation,
  actor: Actor,
  platform: ChatPlatform | undefined,
  known: Member | null,
): Promise<Member> {
  if (!actor.displayName && known) return known;
  const looked =
    actor.displayName || !platform
      ? null
      : await platform.getUser(installationRef(installation), actor.platformUserId).catch(() => null);
  return tx.members.upsertFromPlatform(
    installation.id,
    {
      id: actor.platformUserId,
      displayName: actor.displayName ?? looked?.displayName ?? actor.platformUserId,
      isBot: false,
      isDeleted: false,
      isAdmin: false,
      ...((actor.timezone ?? looked?.timezone) ? { timezone: actor.timezone ?? looked?.timezone } : {}),
      ...((actor.locale ?? looked?.locale) ? { locale: actor.locale ?? looked?.locale } : {}),
    },
    known,
  );
}
