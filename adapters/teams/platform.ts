/**
 * The ChatPlatform port on Microsoft Teams: what the outbox and the core send and ask.
 * - channel posts continue the channel's stored conversation reference;
 * - `postToUser` uses the person's stored 1:1 reference, else creates the 1:1 chat in the tenant;
 * - `postToGroup`: Teams bots cannot create group chats, so each member gets a 1:1 intro with a
 *   deep link opening a group chat with all of them (UPNs from the roster, kept in memory only);
 *   the first member's message is the one returned; members already sent this message are skipped
 *   when the outbox retries after a partial failure;
 * - Teams has no ephemeral messages: `postEphemeral` sends a 1:1 message;
 * - sends are paced per conversation (pacer.ts); a member whose chat refuses writes
 *   (403 MessageWritesBlocked) is marked unreachable and not tried again by this process.
 */
import { createHash } from 'node:crypto';
import type { TeamsConversationRef } from '../../db/repositories/teams-conversations.js';
import { PlatformError } from '../../src/core/errors.js';
import type { ChatPlatform, Clock, FormTrigger, InstallationRef, Logger, MessageRef } from '../../src/core/ports.js';
import type { PlatformUser } from '../../src/core/types.js';
import type { Form, Message } from '../../src/messages/model.js';
import { TtlCache } from '../../src/ttl-cache.js';
import { formActivity, groupChatLink, introMessage, messageActivity } from './cards.js';
import type { TeamsConnector } from './connector.js';
import { convKey, personalKey, type TeamsConversations } from './conversations.js';
import { TEAMS_BLOCKED } from './errors.js';
import { ConversationPacer, type PaceLimit, TEAMS_LIMITS } from './pacer.js';
import { personFromRoster, type TeamsPeople, toPlatformUser } from './users.js';

export const GROUP_CHAT_LABEL = 'Groepschat openen · Open group chat';
const SENT_CACHE_MS = 6 * 60 * 60_000;

export interface TeamsPlatformOptions {
  conversations: TeamsConversations;
  connector: TeamsConnector;
  people: TeamsPeople;
  clock: Clock;
  logger: Logger;
  paceLimits?: readonly PaceLimit[];
}

export class TeamsPlatform implements ChatPlatform {
  readonly platform = 'teams' as const;
  private readonly conversations: TeamsConversations;
  private readonly connector: TeamsConnector;
  readonly people: TeamsPeople;
  private readonly pacer: ConversationPacer;
  private readonly logger: Logger;
  /** Group intros already delivered to a member (message hash + member → ref), for outbox retries. */
  private readonly groupSent: TtlCache<MessageRef>;

  constructor(options: TeamsPlatformOptions) {
    this.conversations = options.conversations;
    this.connector = options.connector;
    this.people = options.people;
    this.logger = options.logger;
    this.pacer = new ConversationPacer(options.clock, options.paceLimits ?? TEAMS_LIMITS);
    this.groupSent = new TtlCache(50_000, SENT_CACHE_MS, () => options.clock.now().getTime());
  }

  private async channelRef(inst: InstallationRef, channelId: string): Promise<TeamsConversationRef> {
    const ref = await this.conversations.get(inst.id, convKey(channelId));
    if (!ref) throw new PlatformError('not_in_channel', 'no_conversation_reference');
    return ref;
  }

  /** The person's 1:1 chat with Klik: stored, else created in the tenant and stored. */
  async personalRef(inst: InstallationRef, userId: string): Promise<TeamsConversationRef> {
    const stored = await this.conversations.get(inst.id, personalKey(userId));
    if (stored) return stored;
    const base = await this.conversations.any(inst.id);
    if (!base) throw new PlatformError('permanent', 'teams_no_service_url');
    const person = this.people.get(inst.id, userId);
    // Teams accepts the AAD object id as a member id when the Bot Framework id is not known.
    const ref = await this.connector.createPersonal(
      { serviceUrl: base.serviceUrl, tenantId: inst.externalId, ...(base.botId ? { botId: base.botId } : {}) },
      person?.teamsId ?? userId,
    );
    await this.conversations.learn(inst.externalId, inst.id, personalKey(userId), ref);
    return ref;
  }

  private async sendTo(ref: TeamsConversationRef, activity: ReturnType<typeof messageActivity>): Promise<string> {
    this.pacer.take(ref.conversationId);
    return this.connector.send(ref, activity);
  }

  /** A send to one person; a refusal of writes marks them unreachable. */
  private async sendToUser(inst: InstallationRef, userId: string, activity: ReturnType<typeof messageActivity>) {
    if (this.people.isBlocked(inst.id, userId)) throw new PlatformError('permanent', TEAMS_BLOCKED);
    const ref = await this.personalRef(inst, userId);
    try {
      const messageId = await this.sendTo(ref, activity);
      return { channelId: ref.conversationId, messageId };
    } catch (err) {
      if (err instanceof PlatformError && err.message === TEAMS_BLOCKED) {
        this.people.markBlocked(inst.id, userId);
        this.logger.warn({ installationId: inst.id }, 'teams refused writes to a member: marked unreachable');
      }
      throw err;
    }
  }

  async postToChannel(inst: InstallationRef, channelId: string, message: Message): Promise<MessageRef> {
    const ref = await this.channelRef(inst, channelId);
    const messageId = await this.sendTo(ref, messageActivity(message));
    return { channelId, messageId };
  }

  async postToUser(inst: InstallationRef, userId: string, message: Message): Promise<MessageRef> {
    return this.sendToUser(inst, userId, messageActivity(message));
  }

  async postToGroup(inst: InstallationRef, userIds: string[], message: Message): Promise<MessageRef> {
    const unique = [...new Set(userIds)];
    if (unique.length === 0) throw new PlatformError('user_not_found', 'no_users');
    const upns = unique.map((id) => this.people.get(inst.id, id)?.upn).filter((u): u is string => Boolean(u));
    const link = upns.length === unique.length ? groupChatLink(upns) : null;
    if (!link)
      this.logger.warn({ installationId: inst.id }, 'teams group intro without a group-chat link: UPNs unknown');
    const intro = messageActivity(introMessage(message, link, GROUP_CHAT_LABEL));
    const hash = createHash('sha256')
      .update(JSON.stringify([message, [...unique].sort()]))
      .digest('hex')
      .slice(0, 32);
    let first: MessageRef | undefined;
    for (const userId of unique) {
      const key = `${inst.id}:${hash}:${userId}`;
      let ref = this.groupSent.get(key);
      if (!ref) {
        ref = await this.sendToUser(inst, userId, intro);
        this.groupSent.set(key, ref);
      }
      first ??= ref;
    }
    return first as MessageRef;
  }

  /** Teams has no ephemeral messages: the person gets it in their 1:1 chat with Klik. */
  async postEphemeral(inst: InstallationRef, _channelId: string, userId: string, message: Message): Promise<void> {
    await this.postToUser(inst, userId, message);
  }

  async updateMessage(inst: InstallationRef, ref: MessageRef, message: Message): Promise<void> {
    const conversation =
      (await this.conversations.get(inst.id, convKey(ref.channelId))) ??
      (await this.conversations.byConversationId(inst.id, ref.channelId));
    if (!conversation) throw new PlatformError('channel_not_found', 'no_conversation_reference');
    await this.connector.update(conversation, ref.messageId, messageActivity(message));
  }

  /** A form is a card in the person's 1:1 chat (Teams opens no modal for a plain message). */
  async openForm(inst: InstallationRef, trigger: FormTrigger, form: Form): Promise<void> {
    await this.sendToUser(inst, trigger.userId, formActivity(form));
  }

  async getUser(inst: InstallationRef, userId: string): Promise<PlatformUser | null> {
    const person = this.people.get(inst.id, userId);
    return person ? toPlatformUser(person) : null;
  }

  /** The team's roster for a channel, the chat's members for a group chat. Guests count; bots are flagged. */
  async listChannelMembers(inst: InstallationRef, channelId: string): Promise<PlatformUser[]> {
    const ref = await this.channelRef(inst, channelId);
    const accounts = await this.connector.roster(ref);
    const users: PlatformUser[] = [];
    for (const account of accounts) {
      const person = personFromRoster(account);
      if (!person) continue;
      users.push(toPlatformUser(this.people.remember(inst.id, person)));
    }
    return users;
  }

  /** Looks a person up by Bot Framework id in a conversation (for mentions of people not seen yet). */
  async lookUp(inst: InstallationRef, conversation: TeamsConversationRef, teamsId: string) {
    const account = await this.connector.member(conversation, teamsId).catch(() => null);
    const person = account ? personFromRoster(account) : null;
    return person ? this.people.remember(inst.id, person) : null;
  }
}
