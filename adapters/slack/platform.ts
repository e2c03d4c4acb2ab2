/**
 * The ChatPlatform port on Slack's Web API: what the outbox and the core send and ask.
 * Every call uses the installation's own bot token; failures become PlatformErrors (errors.ts).
 * `chat.postMessage` is paced per channel (pacer.ts), `conversations.open` per workspace
 * (open-pacer.ts); users are cached briefly.
 */
import type { WebClient } from '@slack/web-api';
import { PlatformError } from '../../src/core/errors.js';
import type { ChatPlatform, Clock, FormTrigger, InstallationRef, MessageRef } from '../../src/core/ports.js';
import type { PlatformUser } from '../../src/core/types.js';
import type { Attachment, Form, Message } from '../../src/messages/model.js';
import { TtlCache } from '../../src/ttl-cache.js';
import { mapSlackErrors } from './errors.js';
import { wrapFormState } from './form-state.js';
import type { SlackInstallations } from './installations.js';
import { DEFAULT_RATE_LIMIT_WINDOW_MS, OpenPacer, type Sleep } from './open-pacer.js';
import { ChannelPacer } from './pacer.js';
import { renderSlackMessage, renderSlackModal } from './render.js';
import { type SlackUser, toPlatformUser } from './users.js';
import type { SlackClientFactory } from './web-client.js';

export const USER_CACHE_MS = 5 * 60_000;
const USER_CACHE_SIZE = 5_000;
const MEMBERS_PAGE = 200;
const LOOKUP_CONCURRENCY = 8;
/** Slack's group conversations hold at most 8 people besides the bot. */
const MAX_GROUP = 8;

export interface SlackPlatformOptions {
  installations: SlackInstallations;
  clients: SlackClientFactory;
  clock: Clock;
  /**
   * Slack's rate-limit "minute" (default 60 s); shorter only for tests and the bench. Scales the
   * per-workspace pacing of conversations.open (50 a window) and the per-channel pace (window / 60).
   */
  rateLimitWindowMs?: number;
  /** Minimum time between two posts to one channel (default window / 60, 1 s; 0 turns pacing off). */
  paceMs?: number;
  /** How a conversations.open waits for its slot (default a timer). */
  sleep?: Sleep;
  userCacheMs?: number;
}

/** Runs `fn` over items with at most `limit` at a time, keeping the order of results. */
async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export class SlackPlatform implements ChatPlatform {
  readonly platform = 'slack' as const;
  private readonly installations: SlackInstallations;
  private readonly clients: SlackClientFactory;
  private readonly pacer: ChannelPacer;
  private readonly openPacer: OpenPacer;
  private readonly users: TtlCache<PlatformUser | null>;
  private readonly conversations: TtlCache<string>;

  constructor(options: SlackPlatformOptions) {
    this.installations = options.installations;
    this.clients = options.clients;
    const windowMs = options.rateLimitWindowMs ?? DEFAULT_RATE_LIMIT_WINDOW_MS;
    this.pacer = new ChannelPacer(options.clock, options.paceMs ?? Math.ceil(windowMs / 60));
    this.openPacer = new OpenPacer(options.clock, { windowMs, ...(options.sleep ? { sleep: options.sleep } : {}) });
    const now = () => options.clock.now().getTime();
    this.users = new TtlCache(USER_CACHE_SIZE, options.userCacheMs ?? USER_CACHE_MS, now);
    this.conversations = new TtlCache(USER_CACHE_SIZE, 60 * 60_000, now);
  }

  private async client(inst: InstallationRef): Promise<WebClient> {
    return this.clients(await this.installations.botToken(inst));
  }

  /** Forgets what was cached for an installation (after an uninstall). */
  forgetInstallation(installationId: string): void {
    this.users.deletePrefix(`${installationId}:`);
    this.conversations.deletePrefix(`${installationId}:`);
  }

  private async post(inst: InstallationRef, channel: string, message: Message): Promise<MessageRef> {
    this.pacer.take(`${inst.id}:${channel}`);
    const client = await this.client(inst);
    const rendered = renderSlackMessage(message);
    const res = await mapSlackErrors(() =>
      client.chat.postMessage({
        channel,
        text: rendered.text,
        blocks: rendered.blocks,
        unfurl_links: false,
        unfurl_media: false,
      }),
    );
    if (!res.ts) throw new PlatformError('transient', 'no_ts');
    const ref = { channelId: res.channel ?? channel, messageId: res.ts };
    if (message.file) await this.attach(client, ref, message.file);
    return ref;
  }

  /**
   * Shares a file in the message's thread (files.getUploadURLExternal, the upload, then
   * files.completeUploadExternal). The message is already posted: a failure here must not make the
   * outbox post it again, so it is swallowed (the message carries a link to the same file).
   */
  private async attach(client: WebClient, ref: MessageRef, file: Attachment): Promise<void> {
    try {
      const bytes = Buffer.from(file.content, 'utf8');
      const target = await client.files.getUploadURLExternal({ filename: file.filename, length: bytes.length });
      if (!target.upload_url || !target.file_id) return;
      const upload = await fetch(target.upload_url, {
        method: 'POST',
        headers: { 'content-type': file.mimeType },
        body: bytes,
        signal: AbortSignal.timeout(10_000),
      });
      if (!upload.ok) return;
      await client.files.completeUploadExternal({
        files: [{ id: target.file_id, title: file.title }],
        channel_id: ref.channelId,
        thread_ts: ref.messageId,
      });
    } catch {
      // Best effort: see above.
    }
  }

  /** The conversation with exactly these users (a DM for one, a group DM for several). */
  private async open(inst: InstallationRef, userIds: string[]): Promise<string> {
    const key = `${inst.id}:${[...userIds].sort().join(',')}`;
    const cached = this.conversations.get(key);
    if (cached) return cached;
    const client = await this.client(inst);
    await this.openPacer.take(inst.id);
    const res = await mapSlackErrors(() => client.conversations.open({ users: userIds.join(',') })).catch(
      (err: unknown) => {
        // conversations.open is limited per workspace: every DM still to be opened waits too.
        if (err instanceof PlatformError && err.code === 'rate_limited')
          throw new PlatformError('rate_limited', err.message, err.retryAfterMs, 'new-conversations');
        throw err;
      },
    );
    const id = res.channel?.id;
    if (!id) throw new PlatformError('transient', 'no_channel');
    this.conversations.set(key, id);
    return id;
  }

  async postToChannel(inst: InstallationRef, channelId: string, message: Message): Promise<MessageRef> {
    return this.post(inst, channelId, message);
  }

  async postToUser(inst: InstallationRef, userId: string, message: Message): Promise<MessageRef> {
    return this.post(inst, await this.open(inst, [userId]), message);
  }

  async postToGroup(inst: InstallationRef, userIds: string[], message: Message): Promise<MessageRef> {
    const unique = [...new Set(userIds)];
    if (unique.length === 0) throw new PlatformError('user_not_found', 'no_users');
    if (unique.length > MAX_GROUP) throw new PlatformError('permanent', 'too_many_users');
    return this.post(inst, await this.open(inst, unique), message);
  }

  async postEphemeral(inst: InstallationRef, channelId: string, userId: string, message: Message): Promise<void> {
    const client = await this.client(inst);
    const rendered = renderSlackMessage(message);
    await mapSlackErrors(() =>
      client.chat.postEphemeral({ channel: channelId, user: userId, text: rendered.text, blocks: rendered.blocks }),
    );
  }

  async updateMessage(inst: InstallationRef, ref: MessageRef, message: Message): Promise<void> {
    const client = await this.client(inst);
    const rendered = renderSlackMessage(message);
    await mapSlackErrors(() =>
      client.chat.update({ channel: ref.channelId, ts: ref.messageId, text: rendered.text, blocks: rendered.blocks }),
    );
  }

  async openForm(inst: InstallationRef, trigger: FormTrigger, form: Form): Promise<void> {
    const client = await this.client(inst);
    const view = renderSlackModal(form);
    view.private_metadata = wrapFormState(form.state, trigger.channelId);
    await mapSlackErrors(() => client.views.open({ trigger_id: trigger.triggerId, view }));
  }

  /** Publishes a user's App Home tab. */
  async publishHome(inst: InstallationRef, userId: string, view: Parameters<WebClient['views']['publish']>[0]['view']) {
    const client = await this.client(inst);
    await mapSlackErrors(() => client.views.publish({ user_id: userId, view }));
  }

  async getUser(inst: InstallationRef, userId: string): Promise<PlatformUser | null> {
    const key = `${inst.id}:${userId}`;
    const cached = this.users.get(key);
    if (cached !== undefined) return cached;
    const client = await this.client(inst);
    try {
      const res = await mapSlackErrors(() => client.users.info({ user: userId, include_locale: true }));
      const user = res.user ? toPlatformUser(res.user as SlackUser, userId) : null;
      this.users.set(key, user);
      return user;
    } catch (err) {
      if (err instanceof PlatformError && err.code === 'user_not_found') {
        this.users.set(key, null);
        return null;
      }
      throw err;
    }
  }

  /**
   * Every member of the channel. Slack lists a public channel's members to any app that may read
   * channels, so Klik checks its own bot is among them: the port promises `not_in_channel` when
   * Klik cannot post there.
   */
  async listChannelMembers(inst: InstallationRef, channelId: string): Promise<PlatformUser[]> {
    const client = await this.client(inst);
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 500; page++) {
      const res = await mapSlackErrors(() =>
        client.conversations.members({ channel: channelId, limit: MEMBERS_PAGE, ...(cursor ? { cursor } : {}) }),
      );
      ids.push(...(res.members ?? []));
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    const botUserId = await this.installations.botUserId(inst);
    if (botUserId && !ids.includes(botUserId)) throw new PlatformError('not_in_channel', 'not_in_channel');
    const users = await mapLimited([...new Set(ids)], LOOKUP_CONCURRENCY, (id) => this.getUser(inst, id));
    return users.filter((u): u is PlatformUser => u !== null);
  }
}
