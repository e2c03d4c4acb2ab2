/**
 * What Klik knows of Teams people, in memory only: the Bot Framework id ("29:…") behind each AAD
 * object id (Klik's platform user id), display name, UPN (for group-chat deep links) and whether the
 * Bot Connector refused writes to them. Learned from the roster and from validated activities; UPNs
 * and e-mail addresses are never written to the database.
 */
import type { PlatformUser } from '../../src/core/types.js';

export interface TeamsPerson {
  /** Klik's platform user id: the AAD object id when Teams gives one, else the Bot Framework id. */
  id: string;
  /** The Bot Framework id ("29:…"), needed to open a 1:1 conversation. */
  teamsId: string;
  name: string;
  upn?: string;
  /** 'user', 'guest' (B2B guests are members like anyone) or 'anonymous'. */
  role?: string;
  isBot: boolean;
}

/** A roster entry (TeamsChannelAccount) as the Bot Connector returns it. */
export interface RosterAccount {
  id?: string;
  name?: string;
  aadObjectId?: string;
  userPrincipalName?: string;
  email?: string;
  userRole?: string;
}

/** Bots have "28:" ids in Teams. */
export const isBotId = (id: string): boolean => id.startsWith('28:');

export function personFromRoster(a: RosterAccount): TeamsPerson | null {
  const teamsId = typeof a.id === 'string' ? a.id : '';
  if (!teamsId) return null;
  const id = a.aadObjectId || teamsId;
  const upn = a.userPrincipalName || a.email;
  return {
    id,
    teamsId,
    name: a.name?.trim() || id,
    ...(upn ? { upn } : {}),
    ...(a.userRole ? { role: a.userRole } : {}),
    isBot: isBotId(teamsId),
  };
}

export function toPlatformUser(p: TeamsPerson): PlatformUser {
  return { id: p.id, displayName: p.name, isBot: p.isBot, isDeleted: false, isAdmin: false };
}

const MAX_PEOPLE = 50_000;

/** Per installation: AAD id → person; Bot Framework id → AAD id; members Teams refused writes to. */
export class TeamsPeople {
  private readonly people = new Map<string, TeamsPerson>();
  private readonly byTeamsId = new Map<string, string>();
  private readonly blocked = new Set<string>();

  private key = (installationId: string, id: string) => `${installationId}\u0000${id}`;

  remember(installationId: string, p: TeamsPerson): TeamsPerson {
    const k = this.key(installationId, p.id);
    const known = this.people.get(k);
    const merged: TeamsPerson = { ...known, ...p, ...(p.upn || !known?.upn ? {} : { upn: known.upn }) };
    this.people.delete(k);
    this.people.set(k, merged);
    this.byTeamsId.set(this.key(installationId, p.teamsId), p.id);
    if (this.people.size > MAX_PEOPLE) {
      const oldest = this.people.keys().next().value;
      if (oldest !== undefined) this.people.delete(oldest);
    }
    return merged;
  }

  get(installationId: string, id: string): TeamsPerson | undefined {
    return this.people.get(this.key(installationId, id));
  }

  /** Klik's id for a Bot Framework id ("29:…"), when that person was seen. */
  idOf(installationId: string, teamsId: string): string | undefined {
    return this.byTeamsId.get(this.key(installationId, teamsId));
  }

  markBlocked(installationId: string, id: string): void {
    this.blocked.add(this.key(installationId, id));
  }

  isBlocked(installationId: string, id: string): boolean {
    return this.blocked.has(this.key(installationId, id));
  }

  /** A message from the person proves writes work again. */
  unblock(installationId: string, id: string): void {
    this.blocked.delete(this.key(installationId, id));
  }

  forgetInstallation(installationId: string): void {
    const prefix = `${installationId}\u0000`;
    for (const m of [this.people, this.byTeamsId]) for (const k of [...m.keys()]) if (k.startsWith(prefix)) m.delete(k);
    for (const k of [...this.blocked]) if (k.startsWith(prefix)) this.blocked.delete(k);
  }
}
