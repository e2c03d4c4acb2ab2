/**
 * Slack installations in the `installations` table. Tokens are sealed with the SecretBox before
 * they reach the database and opened only on the way out: no caller can write one in clear.
 * An uninstalled workspace keeps its row (its networks and members stay) with the tokens removed.
 */
import { and, eq } from 'drizzle-orm';
import type { SecretBox } from '../../src/security/crypto.js';
import { installations } from '../schema.js';
import type { Executor } from './executor.js';

const PLATFORM = 'slack';

/** What Klik keeps of a Slack install besides the bot token (secrets in it are sealed). */
export interface SlackInstallDetails {
  appId?: string;
  botId?: string;
  botScopes?: string[];
  enterpriseId?: string;
  installerUserId?: string;
  /** Sealed with the SecretBox; present only when the install granted user scopes. */
  userTokenEnc?: string;
  userScopes?: string[];
  /** Sealed; token rotation is stored but not yet used. */
  botRefreshTokenEnc?: string;
  botExpiresAt?: number;
}

export interface NewSlackInstallation {
  teamId: string;
  teamName?: string;
  botToken: string;
  botUserId: string;
  botId?: string;
  appId?: string;
  botScopes?: string[];
  enterpriseId?: string;
  installerUserId?: string;
  userToken?: string;
  userScopes?: string[];
  botRefreshToken?: string;
  botExpiresAt?: number;
}

export interface SlackInstallationRecord {
  installationId: string;
  teamId: string;
  teamName: string;
  /** Null once uninstalled or revoked. */
  botToken: string | null;
  botUserId: string | null;
  details: SlackInstallDetails;
  uninstalledAt: Date | null;
}

export interface SlackInstallationRepo {
  /** Creates or refreshes the team's row with a new token; clears a previous uninstall. */
  save(input: NewSlackInstallation): Promise<SlackInstallationRecord>;
  findByTeam(teamId: string): Promise<SlackInstallationRecord | null>;
  findById(installationId: string): Promise<SlackInstallationRecord | null>;
  /** Deletes the team's tokens at once and marks it uninstalled; false when there was no row. */
  revoke(teamId: string, at: Date): Promise<boolean>;
}

type Row = typeof installations.$inferSelect;

function detailsOf(row: Row): SlackInstallDetails {
  const slack = (row.details as { slack?: unknown } | null)?.slack;
  return slack && typeof slack === 'object' ? (slack as SlackInstallDetails) : {};
}

export function slackInstallationRepo(db: Executor, box: SecretBox): SlackInstallationRepo {
  const open = (sealed: string | null): string | null => {
    if (!sealed) return null;
    try {
      return box.decrypt(sealed);
    } catch {
      // A token sealed with another key is as good as none: the team must reinstall.
      return null;
    }
  };

  const toRecord = (row: Row): SlackInstallationRecord => ({
    installationId: row.id,
    teamId: row.externalId,
    teamName: row.name,
    botToken: row.uninstalledAt ? null : open(row.botTokenEnc),
    botUserId: row.botUserId,
    details: detailsOf(row),
    uninstalledAt: row.uninstalledAt,
  });

  async function byTeam(teamId: string): Promise<Row | undefined> {
    const [row] = await db
      .select()
      .from(installations)
      .where(and(eq(installations.platform, PLATFORM), eq(installations.externalId, teamId)));
    return row;
  }

  return {
    async save(input) {
      const details: SlackInstallDetails = {
        ...(input.appId ? { appId: input.appId } : {}),
        ...(input.botId ? { botId: input.botId } : {}),
        ...(input.botScopes ? { botScopes: input.botScopes } : {}),
        ...(input.enterpriseId ? { enterpriseId: input.enterpriseId } : {}),
        ...(input.installerUserId ? { installerUserId: input.installerUserId } : {}),
        ...(input.userToken ? { userTokenEnc: box.encrypt(input.userToken) } : {}),
        ...(input.userScopes ? { userScopes: input.userScopes } : {}),
        ...(input.botRefreshToken ? { botRefreshTokenEnc: box.encrypt(input.botRefreshToken) } : {}),
        ...(input.botExpiresAt !== undefined ? { botExpiresAt: input.botExpiresAt } : {}),
      };
      const existing = await byTeam(input.teamId);
      const merged = { ...(existing?.details ?? {}), slack: details };
      const values = {
        name: input.teamName ?? existing?.name ?? '',
        botTokenEnc: box.encrypt(input.botToken),
        botUserId: input.botUserId,
        details: merged,
        uninstalledAt: null,
      };
      const [row] = await db
        .insert(installations)
        .values({ platform: PLATFORM, externalId: input.teamId, ...values })
        .onConflictDoUpdate({ target: [installations.platform, installations.externalId], set: values })
        .returning();
      if (!row) throw new Error('slack installation upsert returned nothing');
      return toRecord(row);
    },

    async findByTeam(teamId) {
      const row = await byTeam(teamId);
      return row ? toRecord(row) : null;
    },

    async findById(installationId) {
      const [row] = await db
        .select()
        .from(installations)
        .where(and(eq(installations.platform, PLATFORM), eq(installations.id, installationId)));
      return row ? toRecord(row) : null;
    },

    async revoke(teamId, at) {
      const row = await byTeam(teamId);
      if (!row) return false;
      const details = { ...detailsOf(row) };
      delete details.userTokenEnc;
      delete details.botRefreshTokenEnc;
      await db
        .update(installations)
        .set({ botTokenEnc: null, uninstalledAt: at, details: { ...(row.details ?? {}), slack: details } })
        .where(eq(installations.id, row.id));
      return true;
    },
  };
}
