/** What nudges need to know from the database: facts about a network's meetings, polls and people. */
import type { Locale, Network } from '../types.js';

export interface NextMeeting {
  id: string;
  title: string;
  startsAt: Date;
  place: string | null;
}

/** An active, unpaused member of an active network, with what the quiet-member nudge needs. */
export interface QuietCandidate {
  installationId: string;
  networkId: string;
  memberId: string;
  /** The member's own zone and language, when the platform gave them. */
  timezone: string | null;
  locale: Locale | null;
  /** The latest of: joined, a pairing answer, a vote, an RSVP, a tip, the end of a pause. */
  lastActivity: Date;
  /** When the member was last sent a quiet-member DM in this network. */
  lastNudgedAt: Date | null;
}

/** A network whose `pause network` date has passed and was not announced yet. */
export interface EndedPause {
  network: Network;
  pausedUntil: Date;
}

export interface NudgeRepo {
  /** A scheduled (not cancelled) meeting starting in (from, to]. */
  meetingPlanned(installationId: string, networkId: string, from: Date, to: Date): Promise<boolean>;
  /** Starts of scheduled meetings in (from, to], ascending. */
  meetingStarts(installationId: string, networkId: string, from: Date, to: Date): Promise<Date[]>;
  hasOpenPoll(installationId: string, networkId: string): Promise<boolean>;
  nextMeeting(installationId: string, networkId: string, after: Date): Promise<NextMeeting | null>;
  /** Distinct pairs of members who were ever in one pairing group. */
  connectionsMade(installationId: string, networkId: string): Promise<number>;
  /**
   * Unscoped sweep (like `NetworkRepo.listActive`): members whose quiet-member nudge may be due by
   * `quietBefore` (last activity at or before it, no such DM in the 30 days before `now`), in active,
   * unpaused networks with the nudge on. Without `quietBefore`, every such member.
   */
  quietCandidates(now: Date, quietBefore?: Date): Promise<QuietCandidate[]>;
  /** Unscoped sweep: active networks without a coordinator (the last one left or was forgotten). */
  withoutCoordinator(): Promise<Network[]>;
  /** Unscoped sweep: active networks with a dated pause that ended at or before `now`. */
  endedPauses(now: Date): Promise<EndedPause[]>;
  /**
   * `pause network`: scheduled messages of the network not yet tried and due in (from, until) — a
   * check-in, a welcome waiting for office hours — are withdrawn (status `withdrawn`); returns how many.
   */
  withdrawScheduled(installationId: string, networkId: string, from: Date, until: Date): Promise<number>;
  /** Unscoped: the earliest dated pause end after `after` (for fake-clock jumps). */
  nextPauseEnd(after: Date): Promise<Date | null>;
}
