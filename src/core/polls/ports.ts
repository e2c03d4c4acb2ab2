/** What polls need from the store. Every call is scoped by installation. */

export const CHOICES = ['yes', 'if_need_be', 'no'] as const;
export type Choice = (typeof CHOICES)[number];

export type PollState = 'open' | 'closed' | 'finalized';

export interface PollOptionRecord {
  id: string;
  position: number;
  /** Local date in network time, YYYY-MM-DD. */
  date: string;
  /** Local time HH:MM, or null for an all-day option. */
  time: string | null;
  startsAt: Date;
}

export interface PollRecord {
  id: string;
  installationId: string;
  networkId: string;
  createdBy: string | null;
  title: string;
  channelId: string;
  deadline: Date | null;
  hideVotes: boolean;
  state: PollState;
  version: number;
  remindedAt: Date | null;
  closedAt: Date | null;
  finalizedAt: Date | null;
  meetingId: string | null;
  createdAt: Date;
}

/** A vote as the poll shows it. */
export interface PollVote {
  optionId: string;
  memberId: string;
  choice: Choice;
}

export interface NewVote extends PollVote {
  updatedAt: Date;
}

export interface NewPoll {
  installationId: string;
  networkId: string;
  createdBy: string;
  title: string;
  channelId: string;
  deadline: Date | null;
  hideVotes: boolean;
  createdAt: Date;
  options: Array<Omit<PollOptionRecord, 'id'>>;
}

/** A poll a sweep must look at (any installation): its ids are all the sweep needs to lock it. */
export interface DuePoll {
  installationId: string;
  id: string;
}

export interface PollRepo {
  create(input: NewPoll): Promise<PollRecord>;
  get(installationId: string, pollId: string): Promise<PollRecord | null>;
  /** Reads the poll and locks its row until the transaction ends: votes on one poll are serialised. */
  lock(installationId: string, pollId: string): Promise<PollRecord | null>;
  /** Like `lock`, but null at once when another transaction holds the row (SKIP LOCKED). */
  tryLock(installationId: string, pollId: string): Promise<PollRecord | null>;
  options(installationId: string, pollId: string): Promise<PollOptionRecord[]>;
  /** The poll and its option at `position` (null when it has none there) in one read; null without the poll. */
  withOption(
    installationId: string,
    pollId: string,
    position: number,
  ): Promise<{ poll: PollRecord; option: PollOptionRecord | null } | null>;
  /** Per option and answer, in the order the votes were last changed. */
  votes(installationId: string, pollId: string): Promise<PollVote[]>;
  /** Inserts or changes one member's vote on one option (the primary key is poll, option, member). */
  upsertVote(installationId: string, pollId: string, vote: NewVote): Promise<void>;
  /**
   * Adds one to the version of a poll that still takes votes (open, before its deadline) and
   * returns it; the update holds the poll's row lock until the transaction ends. Null otherwise.
   */
  bumpOpen(installationId: string, pollId: string, now: Date): Promise<PollRecord | null>;
  close(installationId: string, pollId: string, at: Date): Promise<void>;
  finalize(installationId: string, pollId: string, meetingId: string | null, at: Date): Promise<void>;
  markReminded(installationId: string, pollId: string, at: Date): Promise<void>;
  /** Open polls whose deadline has passed. */
  dueToClose(now: Date, limit: number): Promise<DuePoll[]>;
  /** Open polls not yet reminded whose reminder moment (a day before the deadline, or 3 days after creation) has come. */
  dueToRemind(now: Date, remindAfterMs: number, beforeDeadlineMs: number, limit: number): Promise<DuePoll[]>;
  /** The earliest deadline or reminder moment after `after` among open polls. */
  nextDueAt(after: Date, remindAfterMs: number, beforeDeadlineMs: number): Promise<Date | null>;
}
