/**
 * The ChatPlatform port on the in-memory workspace (platform 'local'). It behaves like Slack where
 * it matters to the core: posting in or listing a channel the bot is not in fails with
 * `not_in_channel`, unknown channels and users fail with their own codes, and a message that does
 * not exist cannot be updated.
 */
import { PlatformError } from '../../src/core/errors.js';
import type { ChatPlatform, FormTrigger, InstallationRef, MessageRef } from '../../src/core/ports.js';
import type { PlatformUser } from '../../src/core/types.js';
import type { Form, Message } from '../../src/messages/model.js';
import type { LocalWorkspace } from './workspace.js';

export class LocalPlatform implements ChatPlatform {
  readonly platform = 'local' as const;

  constructor(readonly workspace: LocalWorkspace) {}

  private conversation(channelId: string) {
    const c = this.workspace.getConversation(channelId);
    if (!c) throw new PlatformError('channel_not_found', 'no such conversation');
    if (c.kind === 'channel' && !c.botInChannel)
      throw new PlatformError('not_in_channel', 'Klik is not in this channel');
    return c;
  }

  private user(userId: string): PlatformUser {
    const u = this.workspace.getUser(userId);
    if (!u || u.isDeleted) throw new PlatformError('user_not_found', 'no such user');
    return u;
  }

  async postToChannel(_inst: InstallationRef, channelId: string, message: Message): Promise<MessageRef> {
    const c = this.conversation(channelId);
    const posted = this.workspace.post(c.id, message);
    return { channelId: c.id, messageId: posted.id };
  }

  async postToUser(_inst: InstallationRef, userId: string, message: Message): Promise<MessageRef> {
    this.user(userId);
    const dm = this.workspace.dmFor(userId);
    const posted = this.workspace.post(dm.id, message);
    return { channelId: dm.id, messageId: posted.id };
  }

  async postToGroup(_inst: InstallationRef, userIds: string[], message: Message): Promise<MessageRef> {
    if (userIds.length === 0) throw new PlatformError('user_not_found', 'a group needs users');
    for (const id of userIds) this.user(id);
    const group = userIds.length === 1 ? this.workspace.dmFor(userIds[0] as string) : this.workspace.groupFor(userIds);
    const posted = this.workspace.post(group.id, message);
    return { channelId: group.id, messageId: posted.id };
  }

  async postEphemeral(_inst: InstallationRef, channelId: string, userId: string, message: Message): Promise<void> {
    const c = this.conversation(channelId);
    this.user(userId);
    this.workspace.postEphemeral(c.id, userId, message);
  }

  /** Replaces a posted message. Ephemeral messages cannot be updated by reference (as in Slack). */
  async updateMessage(_inst: InstallationRef, ref: MessageRef, message: Message): Promise<void> {
    if (!this.workspace.getConversation(ref.channelId))
      throw new PlatformError('channel_not_found', 'no such conversation');
    if (!this.workspace.updateMessage(ref.channelId, ref.messageId, message)) {
      throw new PlatformError('permanent', 'message_not_found');
    }
  }

  async openForm(_inst: InstallationRef, trigger: FormTrigger, form: Form): Promise<void> {
    this.user(trigger.userId);
    this.workspace.openForm(trigger.userId, form, {
      channelId: trigger.channelId ?? null,
      triggerId: trigger.triggerId,
    });
  }

  async getUser(_inst: InstallationRef, userId: string): Promise<PlatformUser | null> {
    const u = this.workspace.getUser(userId);
    return u ? toPlatformUser(u) : null;
  }

  async listChannelMembers(_inst: InstallationRef, channelId: string): Promise<PlatformUser[]> {
    const c = this.conversation(channelId);
    return this.workspace
      .channelMemberIds(c.id)
      .map((id) => this.workspace.getUser(id))
      .filter((u): u is NonNullable<typeof u> => u !== undefined)
      .map(toPlatformUser);
  }
}

/** Only the PlatformUser fields: the playground's extras (organisation) stay in the workspace. */
function toPlatformUser(u: PlatformUser): PlatformUser {
  return {
    id: u.id,
    displayName: u.displayName,
    isBot: u.isBot,
    isDeleted: u.isDeleted,
    isAdmin: u.isAdmin,
    ...(u.timezone ? { timezone: u.timezone } : {}),
    ...(u.locale ? { locale: u.locale } : {}),
  };
}
