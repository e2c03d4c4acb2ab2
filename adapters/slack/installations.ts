/**
 * Which Slack workspaces Klik serves, and their bot tokens, read from the `installations` table
 * through a short cache. A workspace whose tokens were deleted (uninstall, revocation) is not
 * served: its requests are refused. In single-workspace mode (SLACK_BOT_TOKEN) only that
 * workspace is served at all.
 */
import type { Db } from '../../db/client.js';
import {
  type NewSlackInstallation,
  type SlackInstallationRecord,
  type SlackInstallationRepo,
  slackInstallationRepo,
} from '../../db/repositories/slack-installations.js';
import { PlatformError } from '../../src/core/errors.js';
import type { InstallationKey } from '../../src/core/inputs.js';
import type { Clock, InstallationRef, Logger } from '../../src/core/ports.js';
import type { SecretBox } from '../../src/security/crypto.js';
import { TtlCache } from '../../src/ttl-cache.js';

/** How long a looked-up installation is trusted before the table is read again. */
export const INSTALLATION_CACHE_MS = 30_000;

/** How long after a failed `auth.test` (single-workspace mode) Klik asks again. */
export const SINGLE_RETRY_MS = 30_000;

/** Single-workspace mode: the token from SLACK_BOT_TOKEN, and who it belongs to (`auth.test`). */
export interface SingleWorkspace {
  token: string;
  identify(token: string): Promise<{ teamId: string; teamName?: string; botUserId: string; botId?: string }>;
}

export interface ActiveSlackInstallation {
  installationId: string;
  teamId: string;
  teamName: string;
  botToken: string;
  botUserId: string | null;
  ref: InstallationRef;
  key: InstallationKey;
}

export class SlackInstallations {
  private readonly repo: SlackInstallationRepo;
  private readonly byTeam: TtlCache<SlackInstallationRecord | null>;
  private readonly byId: TtlCache<SlackInstallationRecord | null>;
  /** Single-workspace mode: the one team served, once `auth.test` said which. */
  private onlyTeam: string | null = null;
  private identifying: Promise<boolean> | null = null;
  private lastFailure = Number.NEGATIVE_INFINITY;

  constructor(
    db: Db,
    box: SecretBox,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly single?: SingleWorkspace,
  ) {
    this.repo = slackInstallationRepo(db, box);
    this.byTeam = new TtlCache(5_000, INSTALLATION_CACHE_MS, Date.now);
    this.byId = new TtlCache(5_000, INSTALLATION_CACHE_MS, Date.now);
  }

  /**
   * Single-workspace mode: asks Slack whose SLACK_BOT_TOKEN this is and keeps that installation
   * (token sealed). Until it succeeds no workspace is served; a failure is retried after 30 s.
   */
  ensureSingle(): Promise<boolean> {
    const single = this.single;
    if (!single) return Promise.resolve(true);
    if (this.onlyTeam) return Promise.resolve(true);
    if (this.identifying) return this.identifying;
    if (Date.now() - this.lastFailure < SINGLE_RETRY_MS) return Promise.resolve(false);
    this.identifying = (async () => {
      try {
        const who = await single.identify(single.token);
        await this.save({
          teamId: who.teamId,
          ...(who.teamName ? { teamName: who.teamName } : {}),
          botToken: single.token,
          botUserId: who.botUserId,
          ...(who.botId ? { botId: who.botId } : {}),
        });
        this.onlyTeam = who.teamId;
        this.logger.info({ teamId: who.teamId }, 'slack workspace ready (SLACK_BOT_TOKEN)');
        return true;
      } catch (err) {
        this.lastFailure = Date.now();
        this.logger.error(
          { code: (err as { code?: string }).code ?? (err as Error)?.name },
          'slack auth.test failed for SLACK_BOT_TOKEN: Slack requests are refused until it succeeds',
        );
        return false;
      } finally {
        this.identifying = null;
      }
    })();
    return this.identifying;
  }

  private remember(record: SlackInstallationRecord): void {
    this.byTeam.set(record.teamId, record);
    this.byId.set(record.installationId, record);
  }

  private forget(teamId: string): void {
    const known = this.byTeam.get(teamId);
    if (known) this.byId.delete(known.installationId);
    this.byTeam.delete(teamId);
  }

  private async recordOfTeam(teamId: string): Promise<SlackInstallationRecord | null> {
    const cached = this.byTeam.get(teamId);
    if (cached !== undefined) return cached;
    const record = await this.repo.findByTeam(teamId);
    if (record) this.remember(record);
    else this.byTeam.set(teamId, null);
    return record;
  }

  private async recordOfId(installationId: string): Promise<SlackInstallationRecord | null> {
    const cached = this.byId.get(installationId);
    if (cached !== undefined) return cached;
    const record = await this.repo.findById(installationId);
    if (record) this.remember(record);
    return record;
  }

  /** The installation serving this team, or null when Klik must refuse the team's requests. */
  async active(teamId: string | undefined): Promise<ActiveSlackInstallation | null> {
    if (!teamId) return null;
    if (this.single && !(await this.ensureSingle())) return null;
    if (this.onlyTeam !== null && teamId !== this.onlyTeam) return null;
    const record = await this.recordOfTeam(teamId);
    if (!record?.botToken) return null;
    return {
      installationId: record.installationId,
      teamId: record.teamId,
      teamName: record.teamName,
      botToken: record.botToken,
      botUserId: record.botUserId,
      ref: { id: record.installationId, platform: 'slack', externalId: record.teamId },
      key: { platform: 'slack', externalId: record.teamId, ...(record.teamName ? { name: record.teamName } : {}) },
    };
  }

  /** The first of these teams that Klik serves (payloads name a team in several places). */
  async firstActive(teamIds: Array<string | undefined>): Promise<ActiveSlackInstallation | null> {
    const seen = new Set<string>();
    for (const id of teamIds) {
      if (!id || seen.has(id)) continue;
      seen.add(id);
      const found = await this.active(id);
      if (found) return found;
    }
    return null;
  }

  /** The bot token for sending; `invalid_auth` once the workspace uninstalled Klik. */
  async botToken(ref: InstallationRef): Promise<string> {
    const record = await this.recordOfId(ref.id);
    if (!record?.botToken) throw new PlatformError('invalid_auth', 'no_token');
    return record.botToken;
  }

  async botUserId(ref: InstallationRef): Promise<string | null> {
    return (await this.recordOfId(ref.id))?.botUserId ?? null;
  }

  async save(input: NewSlackInstallation): Promise<SlackInstallationRecord> {
    const record = await this.repo.save(input);
    this.forget(record.teamId);
    this.remember(record);
    return record;
  }

  async find(teamId: string): Promise<SlackInstallationRecord | null> {
    return this.repo.findByTeam(teamId);
  }

  /** Deletes the team's tokens at once; later requests from the team are refused. */
  async revoke(teamId: string): Promise<boolean> {
    this.forget(teamId);
    const done = await this.repo.revoke(teamId, this.clock.now());
    this.forget(teamId);
    return done;
  }
}
