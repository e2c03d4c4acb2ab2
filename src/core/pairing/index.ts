/** Pairing: who meets whom in a round. Pure; see planner.ts for the algorithm. */
export { buildMetIndex, type MetIndex } from './history.js';
export { planRound } from './planner.js';
export { groupSizes, MAX_GROUP_SIZE, MIN_GROUP_SIZE } from './sizes.js';
export { normaliseTag, topicTags } from './tags.js';
export type {
  GroupReasons,
  PairingMember,
  PairRepeat,
  PastGroup,
  PlanDiagnostics,
  PlanNotice,
  PlannedGroup,
  PlannerTuning,
  PlanRoundInput,
  RoundPlan,
} from './types.js';
