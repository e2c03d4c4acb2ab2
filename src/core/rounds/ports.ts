/** What pairing rounds need from the store. */

export type RoundTrigger = 'scheduled' | 'manual';
export type CheckInAnswer = 'yes' | 'not_yet' | 'skipped';

export interface RoundRecord {
  id: string;
  networkId: string;
  number: number;
  trigger: RoundTrigger;
  /** The scheduler's slot key; null for `pair now`. */
  slot: string | null;
  startedAt: Date;
  checkInAt: Date;
  endsAt: Date;
}

/** Why a group was matched, kept as data so texts can be rendered in any language. */
export interface GroupReason {
  crossOrganisation: boolean;
  sharedTopics: string[];
  starter: string;
}

export interface GroupMemberRecord {
  memberId: string;
  /** Left the round early (their partners were re-matched). */
  leftAt: Date | null;
  checkIn: CheckInAnswer | null;
  note: string | null;
  shareNote: boolean;
}

export interface GroupRecord {
  id: string;
  roundId: string;
  networkId: string;
  reason: GroupReason;
  members: GroupMemberRecord[];
}

export interface NewRound {
  installationId: string;
  networkId: string;
  trigger: RoundTrigger;
  slot: string | null;
  startedAt: Date;
  checkInAt: Date;
  endsAt: Date;
  report: Record<string, unknown>;
}

export interface PairingRepo {
  /** Null when this slot already has a round (a second process, a retry). */
  createRound(input: NewRound): Promise<RoundRecord | null>;
  addGroup(installationId: string, round: RoundRecord, memberIds: string[], reason: GroupReason): Promise<GroupRecord>;
  latestRound(installationId: string, networkId: string): Promise<RoundRecord | null>;
  /** Adds a member to an existing group (a re-match mid-round). */
  addToGroup(installationId: string, groupId: string, memberId: string): Promise<void>;
  /** Records that a member left the group mid-round. */
  markLeft(installationId: string, groupId: string, memberId: string, at: Date): Promise<void>;
  roundBySlot(installationId: string, networkId: string, slot: string): Promise<RoundRecord | null>;
  groupsOfRound(installationId: string, roundId: string): Promise<GroupRecord[]>;
  group(installationId: string, groupId: string): Promise<(GroupRecord & { round: RoundRecord }) | null>;
  /** Every past group of the network, with its round number: the history repeat-avoidance needs. */
  history(installationId: string, networkId: string): Promise<Array<{ round: number; memberIds: string[] }>>;
  /** Returns false when the member is not in that group. */
  recordCheckIn(
    installationId: string,
    groupId: string,
    memberId: string,
    answer: CheckInAnswer,
    at: Date,
  ): Promise<boolean>;
  saveNote(installationId: string, groupId: string, memberId: string, note: string, share: boolean): Promise<boolean>;
  /**
   * The member's last `count` check-in answers in this network, newest first (null = no answer),
   * counting only rounds whose check-in was due before `before`.
   */
  recentCheckIns(
    installationId: string,
    networkId: string,
    memberId: string,
    count: number,
    before: Date,
  ): Promise<Array<CheckInAnswer | null>>;
  /** Notes members allowed to share and that were not posted yet. */
  unsharedNotes(
    installationId: string,
    networkId: string,
  ): Promise<Array<{ groupId: string; memberId: string; note: string }>>;
  markNotesShared(installationId: string, networkId: string, at: Date): Promise<void>;
  /** A member's confidential "don't pair me with" list. */
  addExclusion(installationId: string, networkId: string, memberId: string, excludedId: string): Promise<boolean>;
  removeExclusion(installationId: string, networkId: string, memberId: string, excludedId: string): Promise<boolean>;
  exclusionsOf(installationId: string, networkId: string, memberId: string): Promise<string[]>;
  /** Pairs that must not be grouped (a member's confidential list, both directions). */
  exclusions(installationId: string, networkId: string): Promise<Array<[string, string]>>;
  /** Conversation starters used in this network's recent rounds, newest first. */
  recentStarters(installationId: string, networkId: string, rounds: number): Promise<string[]>;
}
