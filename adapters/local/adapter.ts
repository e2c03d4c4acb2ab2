/**
 * The in-process adapter: the playground and the end-to-end tests drive Klik through it like a
 * person at a keyboard (type a command, click a button, submit a form), and it shows each Reply
 * the way Slack would: answers are ephemeral, `update` replaces the clicked message, forms open as
 * dialogs. Channel posts and DMs do not come from here: the core writes them to the outbox and the
 * dispatcher delivers them through LocalPlatform.
 */
import { randomUUID } from 'node:crypto';
import type { Klik } from '../../src/core/app.js';
import type { Actor, InstallationKey, Reply } from '../../src/core/inputs.js';
import { type Logger, type MessageRef, silentLogger } from '../../src/core/ports.js';
import { type Conversation, type LocalUser, type LocalWorkspace, LocalWorkspaceError } from './workspace.js';

export const LOCAL_INSTALLATION: InstallationKey = { platform: 'local', externalId: 'local', name: 'Playground' };

export interface LocalAdapterOptions {
  /** Where failures of member events are logged (never with message text). */
  logger?: Logger;
}

const KLIK_PREFIX = /^\s*\/klik(?:\s+|$)/i;

export class LocalAdapter {
  readonly klik: Klik;
  readonly workspace: LocalWorkspace;
  readonly installation: InstallationKey = LOCAL_INSTALLATION;
  private readonly logger: Logger;
  private pending = new Set<Promise<void>>();

  constructor(klik: Klik, workspace: LocalWorkspace, options: LocalAdapterOptions = {}) {
    this.klik = klik;
    this.workspace = workspace;
    this.logger = options.logger ?? silentLogger;
    this.workspace.onMemberEvent = (event) => {
      const run = this.klik
        .handleMemberEvent({
          installation: this.installation,
          channelId: event.channelId,
          platformUserId: event.userId,
          kind: event.kind,
        })
        .catch((err: unknown) => {
          this.logger.error(
            { err: { type: err instanceof Error ? err.name : typeof err } },
            'local member event failed',
          );
        })
        .finally(() => {
          this.pending.delete(run);
        });
      this.pending.add(run);
    };
  }

  /** Resolves when every member event handed to the core so far has been handled. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** `userId` types `text` (with or without a leading `/klik`) in a conversation. */
  async command(userId: string, channelId: string, text: string): Promise<Reply> {
    const user = this.user(userId);
    const conversation = this.conversation(userId, channelId);
    const typed = text.trim();
    const reply = await this.klik.handleCommand({
      installation: this.installation,
      channelId: conversation.id,
      ...(conversation.kind === 'channel' ? { channelName: conversation.name } : {}),
      isDirect: conversation.kind === 'dm',
      actor: actorOf(user),
      text: typed.replace(KLIK_PREFIX, '').trim(),
      trigger: { triggerId: randomUUID(), userId, channelId: conversation.id },
    });
    this.apply(reply, user.id, conversation.id, { command: KLIK_PREFIX.test(typed) ? typed : `/klik ${typed}`.trim() });
    return reply;
  }

  /** `userId` clicks a button (or picks an option) in a message they can see. */
  async click(userId: string, messageId: string, actionId: string, value: string): Promise<Reply> {
    const user = this.user(userId);
    const ephemeral = this.workspace.findEphemeral(userId, messageId);
    const posted = ephemeral ? undefined : this.workspace.findMessage(messageId);
    const found = ephemeral ?? posted;
    if (!found || !this.workspace.canView(userId, found.conversationId)) {
      throw new LocalWorkspaceError(`message ${messageId} not found`);
    }
    const messageRef: MessageRef = { channelId: found.conversationId, messageId: found.id };
    const reply = await this.klik.handleAction({
      installation: this.installation,
      channelId: found.conversationId,
      actor: actorOf(user),
      actionId,
      value,
      messageRef,
      trigger: { triggerId: randomUUID(), userId, channelId: found.conversationId },
    });
    this.apply(reply, user.id, found.conversationId, { clicked: { id: found.id, ephemeral: ephemeral !== undefined } });
    return reply;
  }

  /** `userId` submits a form with these values. */
  async submit(userId: string, formId: string, state: string, values: Record<string, string>): Promise<Reply> {
    const user = this.user(userId);
    const open = this.workspace.getOpenForm(userId);
    const reply = await this.klik.handleForm({
      installation: this.installation,
      actor: actorOf(user),
      formId,
      state,
      values: { ...values },
    });
    const channelId = open?.channelId ?? this.workspace.dmFor(userId).id;
    switch (reply.kind) {
      case 'form-errors':
        this.workspace.setFormErrors(userId, reply.errors);
        break;
      case 'form':
        this.workspace.openForm(userId, reply.form, {
          channelId: open?.channelId ?? null,
          triggerId: open?.triggerId ?? randomUUID(),
        });
        break;
      default:
        this.workspace.closeForm(userId);
        this.apply(reply, userId, channelId, {});
    }
    return reply;
  }

  /** `userId` closes their open form without submitting it. */
  cancelForm(userId: string): void {
    this.user(userId);
    this.workspace.closeForm(userId);
  }

  private apply(
    reply: Reply,
    userId: string,
    conversationId: string,
    origin: { command?: string; clicked?: { id: string; ephemeral: boolean } },
  ): void {
    switch (reply.kind) {
      case 'message':
        this.workspace.postEphemeral(conversationId, userId, reply.message, origin.command);
        return;
      case 'update': {
        const clicked = origin.clicked;
        const replaced = clicked
          ? clicked.ephemeral
            ? this.workspace.updateEphemeral(userId, clicked.id, reply.message)
            : this.workspace.updateMessage(conversationId, clicked.id, reply.message)
          : false;
        // Nothing to replace (an update in answer to a command): show it like a message.
        if (!replaced) this.workspace.postEphemeral(conversationId, userId, reply.message, origin.command);
        return;
      }
      case 'form': {
        const trigger = randomUUID();
        this.workspace.openForm(userId, reply.form, { channelId: conversationId, triggerId: trigger });
        return;
      }
      case 'form-errors':
        this.workspace.setFormErrors(userId, reply.errors);
        return;
      case 'none':
        return;
    }
  }

  private user(userId: string): LocalUser {
    const user = this.workspace.getUser(userId);
    if (!user || user.isBot || user.isDeleted) throw new LocalWorkspaceError(`unknown user ${userId}`);
    return user;
  }

  private conversation(userId: string, channelId: string): Conversation {
    const c = this.workspace.getConversation(channelId);
    if (!c || !this.workspace.canView(userId, c.id)) throw new LocalWorkspaceError(`unknown conversation ${channelId}`);
    return c;
  }
}

function actorOf(user: LocalUser): Actor {
  return {
    platformUserId: user.id,
    displayName: user.displayName,
    ...(user.locale ? { locale: user.locale } : {}),
    ...(user.timezone ? { timezone: user.timezone } : {}),
  };
}
