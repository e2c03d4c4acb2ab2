/**
 * What network health needs from the store: plain facts of one network, scoped by installation.
 * The figures themselves are computed in the core (compute.ts), so the same facts serve the
 * `stats` message, the dashboard and the JSON API.
 */
import type { MembershipStatus } from '../types.js';

/** A member's row in the network (network_members joined with members). */
export interface MemberFact {
  memberId: string;
  displayName: string;
  organisationId: string | null;
  status: MembershipStatus;
  joinedAt: Date;
  leftAt: Date | null;
  /** Asked to be forgotten: counted in history, never named. */
  forgotten: boolean;
}

/** One join or leave, recorded when membership changes. */
export interface MembershipEventFact {
  memberId: string;
  kind: 'join' | 'leave';
  at: Date;
}

export interface RoundFact {
  id: string;
  number: number;
  startedAt: Date;
  checkInAt: Date;
}

/** One member's row in one group of a round. */
export interface GroupMemberFact {
  roundId: string;
  groupId: string;
  memberId: string;
  /** yes | not_yet | skipped, or null before an answer. */
  checkIn: string | null;
  /** Left the group mid-round (re-matched elsewhere). */
  leftAt: Date | null;
}

/** Someone's most recent action of a kind (check-in answer, vote, RSVP, tip). */
export interface ActivityFact {
  memberId: string;
  at: Date;
}

/** A meeting that has started, with its RSVP and attendance counts. */
export interface MeetingFact {
  id: string;
  title: string;
  startsAt: Date;
  /** Whether the host took attendance. */
  attendanceTaken: boolean;
  going: number;
  attended: number;
  noShow: number;
  lateCancellations: number;
}

export interface StatsFacts {
  members: MemberFact[];
  events: MembershipEventFact[];
  rounds: RoundFact[];
  groupMembers: GroupMemberFact[];
  /** Each member's activities, one row per source (the latest of each). */
  activity: ActivityFact[];
  /** Meetings that started before `until`, not cancelled. */
  meetings: MeetingFact[];
  /** Creation times of the tips since `since`. */
  tipTimes: Date[];
  organisations: Array<{ id: string; name: string }>;
}

export interface StatsRepo {
  /** Everything the figures are made of; tips from `since`, meetings until `until`. */
  facts(installationId: string, networkId: string, since: Date, until: Date): Promise<StatsFacts>;
}

/** A coordinator's API token for `GET /api/networks/:id/stats`: only its hash is stored. */
export interface ApiTokenRecord {
  id: string;
  installationId: string;
  networkId: string;
}

export interface ApiTokenRepo {
  /** Stores a new token's hash and revokes the network's earlier tokens; returns how many it revoked. */
  issue(input: {
    installationId: string;
    networkId: string;
    tokenHash: string;
    createdBy: string;
    at: Date;
  }): Promise<number>;
  /** Revokes every live token of the network; returns how many. */
  revokeAll(installationId: string, networkId: string, at: Date): Promise<number>;
  /** The live (not revoked) token with this hash, and marks it used. */
  use(tokenHash: string, at: Date): Promise<ApiTokenRecord | null>;
}

/** Single-use links: the first use of a link id wins. */
export interface UsedLinkRepo {
  /** True when this call used the link first; false when it had been used already. */
  claim(input: { linkId: string; installationId: string; kind: string; at: Date; expiresAt: Date }): Promise<boolean>;
}
