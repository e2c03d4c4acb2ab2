/** Public types of the pairing planner. Plain data; ids are Klik's internal member ids. */

export interface PairingMember {
  id: string;
  /** The member's organisation (an id from the network's list), or null when unknown. */
  organisationId: string | null;
  /** Topic tags this member can share (see `topicTags`); compared after normalisation. */
  canShare: string[];
  /** Topic tags this member wants to learn about. */
  wantsToLearn: string[];
  /** Has had no group yet in this network. */
  isNewcomer: boolean;
}

/** One group of an earlier round. Round numbers increase: a larger round is more recent. */
export interface PastGroup {
  round: number;
  memberIds: string[];
}

/** Optional knobs, for tests and the bench; the defaults are what production uses. */
export interface PlannerTuning {
  /**
   * Enumerate every grouping (and so find the exact optimum of every rule) when there are at
   * most this many groupings. Default 20,000 (pairs up to 12 members). 0 turns it off.
   */
  exhaustiveLimit?: number;
  /** Plan ahead (rule 2) in the endgame of small networks. Default true. */
  lookahead?: boolean;
  /** Candidate partners kept per member when the candidate graph is sparse. Default 24. */
  candidatesPerMember?: number;
  /** Up to this many members the candidate graph is the whole unmet graph. Default 400. */
  completeCandidatesUpTo?: number;
  /** Node budget of one lookahead search (deterministic, not a clock). Default 60,000. */
  lookaheadBudget?: number;
}

export interface PlanRoundInput {
  /** Everyone to place this round (present: not paused, not left). */
  members: PairingMember[];
  /** Earlier groups; groups of members not present are ignored. */
  history: PastGroup[];
  /** The network's group size, 2 to 6. */
  groupSize: number;
  /** "Don't pair me with": unordered pairs that must never share a group (hard constraint). */
  exclusions: Array<[string, string]>;
  /** Members of last round's oversized groups (larger than the group size), e.g. last trio. */
  previousOversized?: string[];
  /** Seeds every random choice: the same input and seed give the same plan. */
  seed: number;
  tuning?: PlannerTuning;
}

export interface GroupReasons {
  /** At least two different (known) organisations in the group. */
  crossOrganisation: boolean;
  /** Tags where one member wants to learn what another member can share, sorted. */
  sharedTopics: string[];
  /** Newcomers in the group (they have had no group yet). */
  newcomers: string[];
}

export interface PlannedGroup {
  memberIds: string[];
  reasons: GroupReasons;
}

export interface PairRepeat {
  a: string;
  b: string;
  /** The most recent round in which they shared a group. */
  lastRound: number;
}

export type PlanNotice =
  /** Fewer than two members: no group this round. */
  | { kind: 'too-few-members' }
  /** No grouping keeps every "don't pair me with" wish: these members sit this round out. */
  | { kind: 'left-out-by-exclusions'; memberIds: string[] }
  /** Placed in an oversized group two rounds in a row because nothing else was possible. */
  | { kind: 'oversized-again'; memberIds: string[] }
  /**
   * Repeated pairs. `proven`: no repeat-free grouping exists (checked exactly); false when the
   * planner found none but did not prove it (groups of 3+, or a search budget ran out).
   */
  | { kind: 'repeats'; count: number; proven: boolean };

export interface PlanDiagnostics {
  /** exhaustive: every grouping compared; matching: pairs by matching; local-search: groups of 3+. */
  method: 'exhaustive' | 'matching' | 'local-search' | 'none';
  /** Edges of the candidate graph (unmet pairs considered). */
  candidateEdges: number;
  /** The full unmet graph was searched because the candidate graph was not enough. */
  fullGraphChecked: boolean;
  /** Endgame planning: rounds after this one found repeat-free (null when not run). */
  lookahead: { horizon: number; bound: number; candidates: number } | null;
}

export interface RoundPlan {
  groups: PlannedGroup[];
  /** Pairs in this plan that met before, most recent first. */
  repeats: PairRepeat[];
  /** Share of groups that are cross-organisation (0 when there are no groups). */
  crossOrganisationShare: number;
  /** Members in no group: only when fewer than 2 members, or left out by exclusions. */
  unpaired: string[];
  notices: PlanNotice[];
  diagnostics: PlanDiagnostics;
}
