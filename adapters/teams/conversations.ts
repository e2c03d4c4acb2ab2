/**
 * Which Teams conversations Klik may post in, per tenant (one installation per tenant), through a
 * short cache over `installations.details.teams` (db/repositories/teams-conversations.ts).
 * Keys: `conv:<Klik channel id>` for a team channel or a group chat, `personal:<user id>` for a
 * person's 1:1 chat with Klik.
 */
import type {
  TeamsConversationRef,
  TeamsConversationRepo,
  TeamsInstallationRecord,
} from '../../db/repositories/teams-conversations.js';
import type { Clock } from '../../src/core/ports.js';
import { TtlCache } from '../../src/ttl-cache.js';

export const convKey = (channelId: string): string => `conv:${channelId}`;
export const personalKey = (userId: string): string => `personal:${userId}`;

const CACHE_MS = 30_000;

const sameRef = (a: TeamsConversationRef | undefined, b: TeamsConversationRef): boolean =>
  a !== undefined && JSON.stringify(a) === JSON.stringify(b);

export class TeamsConversations {
  private readonly installations = new Map<string, string>();
  private readonly records: TtlCache<TeamsInstallationRecord>;

  constructor(
    private readonly repo: TeamsConversationRepo,
    clock: Clock,
  ) {
    this.records = new TtlCache(10_000, CACHE_MS, () => clock.now().getTime());
  }

  /** The tenant's installation id (its row is created on first sight). */
  async installationId(tenantId: string): Promise<string> {
    const known = this.installations.get(tenantId);
    if (known) return known;
    const id = await this.repo.ensure(tenantId);
    this.installations.set(tenantId, id);
    return id;
  }

  async record(installationId: string): Promise<TeamsInstallationRecord | null> {
    const cached = this.records.get(installationId);
    if (cached) return cached;
    const record = await this.repo.findById(installationId);
    if (record) this.records.set(installationId, record);
    return record;
  }

  async get(installationId: string, key: string): Promise<TeamsConversationRef | undefined> {
    return (await this.record(installationId))?.conversations[key];
  }

  /** A reference to the conversation with this id, whatever its key. */
  async byConversationId(installationId: string, conversationId: string): Promise<TeamsConversationRef | undefined> {
    const record = await this.record(installationId);
    return Object.values(record?.conversations ?? {}).find((r) => r.conversationId === conversationId);
  }

  /** Any reference of the installation: its serviceUrl and bot id serve to open new chats. */
  async any(installationId: string): Promise<TeamsConversationRef | undefined> {
    const record = await this.record(installationId);
    return Object.values(record?.conversations ?? {})[0];
  }

  /** Stores a reference learned from a validated activity (written only when it changed). */
  async learn(tenantId: string, installationId: string, key: string, ref: TeamsConversationRef): Promise<void> {
    const record = await this.record(installationId);
    if (sameRef(record?.conversations[key], ref)) return;
    await this.repo.save(tenantId, key, ref);
    if (record) this.records.set(installationId, { ...record, conversations: { ...record.conversations, [key]: ref } });
    else this.records.delete(installationId);
  }

  async remove(tenantId: string, installationId: string, keys: string[], at?: Date): Promise<void> {
    await this.repo.remove(tenantId, keys, at);
    this.records.delete(installationId);
  }
}
