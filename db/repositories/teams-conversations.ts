/**
 * Teams conversation references, kept in `installations.details.teams` of the tenant's row (one
 * installation per tenant): where Klik may post (a team's channels, group chats, people's 1:1
 * chats) and through which Bot Connector (`serviceUrl`, learned only from validated activities).
 * Updates are single SQL statements on the jsonb, so concurrent writers do not lose each other's keys.
 */
import { and, eq, sql } from 'drizzle-orm';
import { installations } from '../schema.js';
import type { Executor } from './executor.js';

const PLATFORM = 'teams';

export type TeamsConversationKind = 'channel' | 'groupChat' | 'personal';

/** A stored conversation reference: enough to continue the conversation proactively. */
export interface TeamsConversationRef {
  kind: TeamsConversationKind;
  conversationId: string;
  serviceUrl: string;
  tenantId: string;
  /** The team of a channel. */
  teamId?: string;
  /** The bot's own id in this conversation ("28:…"). */
  botId?: string;
  /** Personal chats: the person's Bot Framework id ("29:…"). */
  userTeamsId?: string;
}

export interface TeamsInstallationRecord {
  installationId: string;
  tenantId: string;
  conversations: Record<string, TeamsConversationRef>;
}

export interface TeamsConversationRepo {
  /** The tenant's installation row, created on first sight. */
  ensure(tenantId: string): Promise<string>;
  find(tenantId: string): Promise<TeamsInstallationRecord | null>;
  findById(installationId: string): Promise<TeamsInstallationRecord | null>;
  save(tenantId: string, key: string, ref: TeamsConversationRef): Promise<void>;
  /**
   * Forgets these references. With `at`, a tenant left with no conversation at all counts as
   * uninstalled from then (its data is purged 30 days later unless Klik is added again).
   */
  remove(tenantId: string, keys: string[], at?: Date): Promise<void>;
}

type Row = typeof installations.$inferSelect;

function toRecord(row: Row): TeamsInstallationRecord {
  const teams = (row.details as { teams?: { conversations?: unknown } } | null)?.teams;
  const conversations =
    teams?.conversations && typeof teams.conversations === 'object'
      ? (teams.conversations as Record<string, TeamsConversationRef>)
      : {};
  return { installationId: row.id, tenantId: row.externalId, conversations };
}

export function teamsConversationRepo(db: Executor): TeamsConversationRepo {
  const byTenant = and(eq(installations.platform, PLATFORM));
  return {
    async ensure(tenantId) {
      const [inserted] = await db
        .insert(installations)
        .values({ platform: PLATFORM, externalId: tenantId })
        .onConflictDoNothing()
        .returning({ id: installations.id });
      if (inserted) return inserted.id;
      const [row] = await db
        .select({ id: installations.id })
        .from(installations)
        .where(and(byTenant, eq(installations.externalId, tenantId)));
      if (!row) throw new Error('teams installation vanished');
      return row.id;
    },
    async find(tenantId) {
      const [row] = await db
        .select()
        .from(installations)
        .where(and(byTenant, eq(installations.externalId, tenantId)));
      return row ? toRecord(row) : null;
    },
    async findById(installationId) {
      const [row] = await db
        .select()
        .from(installations)
        .where(and(byTenant, eq(installations.id, installationId)));
      return row ? toRecord(row) : null;
    },
    async save(tenantId, key, ref) {
      await db
        .update(installations)
        .set({
          details: sql`${installations.details} || jsonb_build_object('teams',
            coalesce(${installations.details}->'teams', '{}'::jsonb) || jsonb_build_object('conversations',
              coalesce(${installations.details}->'teams'->'conversations', '{}'::jsonb)
                || jsonb_build_object(${key}::text, ${JSON.stringify(ref)}::jsonb)))`,
          uninstalledAt: null,
        })
        .where(and(byTenant, eq(installations.externalId, tenantId)));
    },
    async remove(tenantId, keys, at) {
      if (keys.length === 0) return;
      let expr = sql`${installations.details}`;
      for (const key of keys) expr = sql`(${expr} #- array['teams', 'conversations', ${key}::text])`;
      const uninstalledAt = at
        ? sql`case when coalesce(${expr}->'teams'->'conversations', '{}'::jsonb) = '{}'::jsonb
            then coalesce(${installations.uninstalledAt}, ${at.toISOString()}::timestamptz)
            else ${installations.uninstalledAt} end`
        : sql`${installations.uninstalledAt}`;
      await db
        .update(installations)
        .set({ details: expr, uninstalledAt })
        .where(and(byTenant, eq(installations.externalId, tenantId)));
    },
  };
}
