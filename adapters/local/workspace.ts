/**
 * An in-memory chat workspace for the playground and the end-to-end tests: users, channels, direct
 * messages with the Klik bot, group DMs, the messages the bot posted, ephemeral answers (visible to
 * one user in one conversation), and open forms. Nothing here is persisted: a restart starts empty.
 *
 * Every change bumps `version` and emits 'change' (the playground's live updates listen to it).
 * Joining and leaving a channel the bot is in reports a member event through `onMemberEvent`
 * (the adapter sets it and hands the event to the core), like Slack's member_joined_channel.
 */
import { EventEmitter } from 'node:events';
import type { Clock } from '../../src/core/ports.js';
import type { PlatformUser } from '../../src/core/types.js';
import type { Form, Message } from '../../src/messages/model.js';

/** The bot's own user: a channel member like Slack's bot user (the core filters bots out). */
export const KLIK_BOT_ID = 'U-klik';

export interface LocalUser extends PlatformUser {
  /** For the playground's people list only; the core learns organisations from members. */
  organisation?: string;
}

export type ConversationKind = 'channel' | 'dm' | 'group';

export interface Conversation {
  id: string;
  kind: ConversationKind;
  /** Channels: the name without '#'. DMs and groups: empty. */
  name: string;
  /** Human (and bot) members; for a DM the one user, for a group its users. */
  memberIds: string[];
  /** Channels: whether the Klik bot is a member. DMs and groups always have the bot. */
  botInChannel: boolean;
}

export interface PostedMessage {
  id: string;
  conversationId: string;
  message: Message;
  postedAt: Date;
  updatedAt: Date | null;
  /** Workspace-wide order of posting (clock times may tie). */
  seq: number;
}

export interface EphemeralMessage extends PostedMessage {
  /** The one user who sees it. */
  userId: string;
  /** The command the user typed, when this answers one (shown as context). */
  command?: string;
}

export interface OpenForm {
  form: Form;
  /** Where the form was opened from (answers to the submission go there). */
  channelId: string | null;
  triggerId: string;
  /** Field id → message, after a submission the core rejected. */
  errors: Record<string, string>;
  openedAt: Date;
}

export interface WorkspaceMemberEvent {
  channelId: string;
  userId: string;
  kind: 'joined' | 'left';
}

export interface LocalWorkspaceOptions {
  clock?: Clock;
}

export class LocalWorkspaceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalWorkspaceError';
  }
}

const slug = (s: string): string =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

export class LocalWorkspace {
  readonly events = new EventEmitter();
  /** Set by the adapter: called after a member joins or leaves a channel the bot is in. */
  onMemberEvent: ((event: WorkspaceMemberEvent) => void) | null = null;

  private readonly clock: Clock;
  private readonly users = new Map<string, LocalUser>();
  private readonly conversations = new Map<string, Conversation>();
  private readonly messages = new Map<string, PostedMessage[]>();
  private readonly ephemerals = new Map<string, EphemeralMessage[]>();
  private readonly forms = new Map<string, OpenForm>();
  private seq = 0;
  private nextId = 0;
  private changeCount = 0;

  constructor(options: LocalWorkspaceOptions = {}) {
    this.clock = options.clock ?? { now: () => new Date() };
    // Every open playground tab listens; the default cap of 10 would warn.
    this.events.setMaxListeners(200);
    this.users.set(KLIK_BOT_ID, {
      id: KLIK_BOT_ID,
      displayName: 'Klik',
      isBot: true,
      isDeleted: false,
      isAdmin: false,
    });
  }

  /** Increases with every change. */
  get version(): number {
    return this.changeCount;
  }

  private changed(): void {
    this.changeCount += 1;
    this.events.emit('change', this.changeCount);
  }

  private newId(prefix: string): string {
    this.nextId += 1;
    return `${prefix}${this.nextId}`;
  }

  // -------------------------------------------------------------------------------------------
  // Users

  /** Adds (or replaces) a user. The id defaults to `U-<first name>` ("U-anna"). */
  addUser(input: Omit<LocalUser, 'id' | 'isBot' | 'isDeleted' | 'isAdmin'> & Partial<LocalUser>): LocalUser {
    const id = input.id ?? `U-${slug(input.displayName.split(/\s+/)[0] ?? input.displayName) || 'user'}`;
    const user: LocalUser = {
      isBot: false,
      isDeleted: false,
      isAdmin: false,
      ...input,
      id,
    };
    this.users.set(id, user);
    this.changed();
    return user;
  }

  getUser(id: string): LocalUser | undefined {
    return this.users.get(id);
  }

  /** Every user, the bot included, in the order added. */
  listUsers(): LocalUser[] {
    return [...this.users.values()];
  }

  /** People (no bots, no deactivated accounts): who one can act as in the playground. */
  listHumans(): LocalUser[] {
    return this.listUsers().filter((u) => !u.isBot && !u.isDeleted);
  }

  // -------------------------------------------------------------------------------------------
  // Conversations

  /** Adds a channel; the id defaults to `C-<name>`. The bot is in it unless `botInChannel: false`. */
  addChannel(input: { name: string; id?: string; memberIds?: string[]; botInChannel?: boolean }): Conversation {
    const name = input.name.replace(/^#/, '');
    const id = input.id ?? `C-${slug(name)}`;
    if (this.conversations.has(id)) throw new LocalWorkspaceError(`conversation ${id} exists`);
    const botInChannel = input.botInChannel ?? true;
    const memberIds = [...new Set(input.memberIds ?? [])].filter((m) => m !== KLIK_BOT_ID);
    for (const m of memberIds) this.requireUser(m);
    const channel: Conversation = { id, kind: 'channel', name, memberIds, botInChannel };
    this.conversations.set(id, channel);
    this.messages.set(id, []);
    this.changed();
    return channel;
  }

  getConversation(id: string): Conversation | undefined {
    return this.conversations.get(id);
  }

  /** The channel with this name ("#koffiehoek" or "koffiehoek"). */
  findChannel(name: string): Conversation | undefined {
    const bare = name.replace(/^#/, '');
    return [...this.conversations.values()].find((c) => c.kind === 'channel' && c.name === bare);
  }

  listChannels(): Conversation[] {
    return [...this.conversations.values()].filter((c) => c.kind === 'channel');
  }

  /** The conversations a user can open: every channel, their DM with Klik, their group DMs. */
  listConversationsFor(userId: string): Conversation[] {
    return [...this.conversations.values()].filter((c) => this.canView(userId, c.id));
  }

  /** Channels are open to everyone (like public channels); DMs and groups only to their members. */
  canView(userId: string, conversationId: string): boolean {
    const c = this.conversations.get(conversationId);
    if (!c) return false;
    return c.kind === 'channel' || c.memberIds.includes(userId);
  }

  /** Channel members as the bot sees them: the people plus the bot itself when it is in. */
  channelMemberIds(conversationId: string): string[] {
    const c = this.requireConversation(conversationId);
    return c.kind === 'channel' && c.botInChannel ? [...c.memberIds, KLIK_BOT_ID] : [...c.memberIds];
  }

  /** The user's direct message with the bot, created on first use. */
  dmFor(userId: string): Conversation {
    this.requireUser(userId);
    const id = `D-${userId}`;
    let dm = this.conversations.get(id);
    if (!dm) {
      dm = { id, kind: 'dm', name: '', memberIds: [userId], botInChannel: true };
      this.conversations.set(id, dm);
      this.messages.set(id, []);
      this.changed();
    }
    return dm;
  }

  /** The group DM of these users with the bot (the same set gives the same conversation). */
  groupFor(userIds: string[]): Conversation {
    const ids = [...new Set(userIds)].sort();
    if (ids.length === 0) throw new LocalWorkspaceError('a group needs users');
    for (const u of ids) this.requireUser(u);
    const id = `G-${ids.join('+')}`;
    let group = this.conversations.get(id);
    if (!group) {
      group = { id, kind: 'group', name: '', memberIds: ids, botInChannel: true };
      this.conversations.set(id, group);
      this.messages.set(id, []);
      this.changed();
    }
    return group;
  }

  /** A user joins a channel. Reports a member event when the bot is in the channel. */
  join(channelId: string, userId: string): void {
    const c = this.requireChannel(channelId);
    this.requireUser(userId);
    if (userId === KLIK_BOT_ID) {
      this.setBotInChannel(channelId, true);
      return;
    }
    if (c.memberIds.includes(userId)) return;
    c.memberIds.push(userId);
    this.changed();
    if (c.botInChannel) this.onMemberEvent?.({ channelId, userId, kind: 'joined' });
  }

  /** A user leaves a channel. Reports a member event when the bot is in the channel. */
  leave(channelId: string, userId: string): void {
    const c = this.requireChannel(channelId);
    if (userId === KLIK_BOT_ID) {
      this.setBotInChannel(channelId, false);
      return;
    }
    if (!c.memberIds.includes(userId)) return;
    c.memberIds = c.memberIds.filter((m) => m !== userId);
    this.changed();
    if (c.botInChannel) this.onMemberEvent?.({ channelId, userId, kind: 'left' });
  }

  /** Adds Klik to a channel or removes it (`/invite @Klik`, `/remove @Klik`). */
  setBotInChannel(channelId: string, present: boolean): void {
    const c = this.requireChannel(channelId);
    if (c.botInChannel === present) return;
    c.botInChannel = present;
    this.changed();
  }

  // -------------------------------------------------------------------------------------------
  // Messages

  /** Posts a bot message in a conversation (no membership check: the platform does that). */
  post(conversationId: string, message: Message): PostedMessage {
    this.requireConversation(conversationId);
    const now = this.clock.now();
    this.seq += 1;
    const posted: PostedMessage = {
      id: this.newId('M'),
      conversationId,
      message,
      postedAt: now,
      updatedAt: null,
      seq: this.seq,
    };
    this.messages.get(conversationId)?.push(posted);
    this.changed();
    return posted;
  }

  /** Messages in a conversation, oldest first. */
  listMessages(conversationId: string): PostedMessage[] {
    return [...(this.messages.get(conversationId) ?? [])];
  }

  /** A posted message by id, wherever it is. */
  findMessage(messageId: string): PostedMessage | undefined {
    for (const list of this.messages.values()) {
      const found = list.find((m) => m.id === messageId);
      if (found) return found;
    }
    return undefined;
  }

  /** Replaces a posted message's content; false when there is no such message in that conversation. */
  updateMessage(conversationId: string, messageId: string, message: Message): boolean {
    const found = this.messages.get(conversationId)?.find((m) => m.id === messageId);
    if (!found) return false;
    found.message = message;
    found.updatedAt = this.clock.now();
    this.changed();
    return true;
  }

  private ephemeralKey(userId: string, conversationId: string): string {
    return `${userId}\u0000${conversationId}`;
  }

  /** A message only `userId` sees, in one conversation. */
  postEphemeral(conversationId: string, userId: string, message: Message, command?: string): EphemeralMessage {
    this.requireConversation(conversationId);
    this.requireUser(userId);
    const key = this.ephemeralKey(userId, conversationId);
    const list = this.ephemerals.get(key) ?? [];
    this.seq += 1;
    const eph: EphemeralMessage = {
      id: this.newId('E'),
      conversationId,
      userId,
      message,
      postedAt: this.clock.now(),
      updatedAt: null,
      seq: this.seq,
      ...(command !== undefined ? { command } : {}),
    };
    list.push(eph);
    this.ephemerals.set(key, list);
    this.changed();
    return eph;
  }

  /** The ephemeral messages `userId` sees in a conversation, oldest first. */
  listEphemerals(userId: string, conversationId: string): EphemeralMessage[] {
    return [...(this.ephemerals.get(this.ephemeralKey(userId, conversationId)) ?? [])];
  }

  /** One of `userId`'s ephemeral messages, by id. */
  findEphemeral(userId: string, messageId: string): EphemeralMessage | undefined {
    for (const [key, list] of this.ephemerals) {
      if (!key.startsWith(`${userId}\u0000`)) continue;
      const found = list.find((m) => m.id === messageId);
      if (found) return found;
    }
    return undefined;
  }

  updateEphemeral(userId: string, messageId: string, message: Message): boolean {
    const found = this.findEphemeral(userId, messageId);
    if (!found) return false;
    found.message = message;
    found.updatedAt = this.clock.now();
    this.changed();
    return true;
  }

  /** Forgets a user's ephemeral messages in a conversation (like reloading Slack). */
  clearEphemerals(userId: string, conversationId: string): void {
    if (this.ephemerals.delete(this.ephemeralKey(userId, conversationId))) this.changed();
  }

  // -------------------------------------------------------------------------------------------
  // Forms

  /** Opens a form for a user (a newer one replaces it, like a modal). */
  openForm(userId: string, form: Form, options: { channelId?: string | null; triggerId: string }): OpenForm {
    this.requireUser(userId);
    const open: OpenForm = {
      form,
      channelId: options.channelId ?? null,
      triggerId: options.triggerId,
      errors: {},
      openedAt: this.clock.now(),
    };
    this.forms.set(userId, open);
    this.changed();
    return open;
  }

  getOpenForm(userId: string): OpenForm | undefined {
    return this.forms.get(userId);
  }

  setFormErrors(userId: string, errors: Record<string, string>): void {
    const open = this.forms.get(userId);
    if (!open) return;
    open.errors = { ...errors };
    this.changed();
  }

  closeForm(userId: string): OpenForm | undefined {
    const open = this.forms.get(userId);
    if (open) {
      this.forms.delete(userId);
      this.changed();
    }
    return open;
  }

  // -------------------------------------------------------------------------------------------

  private requireUser(id: string): LocalUser {
    const u = this.users.get(id);
    if (!u) throw new LocalWorkspaceError(`unknown user ${id}`);
    return u;
  }

  private requireConversation(id: string): Conversation {
    const c = this.conversations.get(id);
    if (!c) throw new LocalWorkspaceError(`unknown conversation ${id}`);
    return c;
  }

  private requireChannel(id: string): Conversation {
    const c = this.requireConversation(id);
    if (c.kind !== 'channel') throw new LocalWorkspaceError(`${id} is not a channel`);
    return c;
  }
}
