/** What privacy (my-data, forget-me, purges) needs from the store. */

/** One network the member belongs to. */
export interface MyMembership {
  networkId: string;
  networkName: string;
  status: string;
  optedIn: boolean;
  pausedUntil: Date | null;
  joinedAt: Date;
  leftAt: Date | null;
  coordinator: boolean;
}

export interface MyPairing {
  networkName: string;
  round: number;
  startedAt: Date;
  /** Partners' display names; null for a partner who asked to be forgotten. */
  partners: Array<string | null>;
  checkIn: string | null;
  note: string | null;
  shareNote: boolean;
  leftAt: Date | null;
}

export interface MyVote {
  networkName: string;
  poll: string;
  date: string;
  time: string | null;
  choice: string;
  updatedAt: Date;
}

export interface MyRsvp {
  networkName: string;
  meeting: string;
  startsAt: Date;
  status: string;
  lateCancel: boolean;
  attendance: string | null;
  respondedAt: Date;
}

export interface MyTip {
  networkName: string;
  text: string;
  tags: string[];
  upvotes: number;
  createdAt: Date;
}

/** Everything Klik holds about one member of one installation. */
export interface MyData {
  member: {
    id: string;
    platformUserId: string;
    displayName: string;
    organisation: string | null;
    role: string | null;
    canShare: string | null;
    wantsToLearn: string | null;
    nickname: string | null;
    timezone: string | null;
    locale: string | null;
    createdAt: Date;
  };
  memberships: MyMembership[];
  pairings: MyPairing[];
  /** Display names of the people on the member's confidential "don't pair me with" list. */
  avoiding: Array<{ networkName: string; name: string | null }>;
  votes: MyVote[];
  rsvps: MyRsvp[];
  tips: MyTip[];
  /** Tips the member upvoted (text only). */
  upvoted: Array<{ networkName: string; text: string }>;
  questions: Array<{ networkName: string; text: string; createdAt: Date }>;
}

export interface ForgetResult {
  /** Pending messages cancelled; sent ones had their content erased. */
  cancelledMessages: number;
  redactedMessages: number;
}

export interface UsedLink {
  linkId: string;
  installationId: string;
  kind: string;
  usedAt: Date;
  expiresAt: Date;
}

/** What one day's purge removed in one installation. */
export interface PurgeCounts {
  installationDeleted: boolean;
  rounds: number;
  outbox: number;
  outboxHolds: number;
  processedEvents: number;
  usedLinks: number;
  jobClaims: number;
}

export interface PurgeLimits {
  /** Pairing rounds (and their notes) that ended before this are deleted. */
  retentionBefore: Date;
  /** An installation uninstalled before this is deleted with all its data. */
  uninstalledBefore: Date;
  /** Sent, dead and cancelled outbox rows created before this. */
  outboxBefore: Date;
  processedEventsBefore: Date;
  jobClaimsBefore: Date;
  now: Date;
}

export interface PrivacyRepo {
  collect(installationId: string, memberId: string): Promise<MyData | null>;
  /** The networks the member belongs to (any status). */
  networkIdsOf(installationId: string, memberId: string): Promise<string[]>;
  /** True when this platform id asked to be forgotten (a keyed hash is compared, never the id). */
  isForgotten(installationId: string, platformUserId: string): Promise<boolean>;
  /** The ids among these that asked to be forgotten. */
  forgottenAmong(installationId: string, platformUserIds: string[]): Promise<Set<string>>;
  /** The person starts fresh: their forgotten mark goes. True when there was one. */
  unforget(installationId: string, platformUserId: string): Promise<boolean>;
  /**
   * Turns the member into an anonymous tombstone and keeps the keyed hash of their platform id.
   * Null when the member is unknown or already forgotten.
   */
  forget(installationId: string, memberId: string, at: Date): Promise<ForgetResult | null>;
  /** Records a single-use link's first use; false when it was used before. */
  useLink(link: UsedLink): Promise<boolean>;
  /** Every installation id (maintenance only: each purge then runs scoped to one installation). */
  installationIds(): Promise<string[]>;
  /** Claims the day's purge of one installation; false when another process has it. */
  claimPurge(installationId: string, day: string, at: Date): Promise<boolean>;
  purge(installationId: string, limits: PurgeLimits): Promise<PurgeCounts>;
}
