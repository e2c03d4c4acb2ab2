/**
 * Pairing planner: who meets whom in a "meet someone new" round.
 *
 * WHAT IT OPTIMISES, in this order (a lexicographic objective):
 *  0. Hard: nobody shares a group with someone on their confidential "don't pair me with" list.
 *     When no grouping of everyone can honour the lists (three members who all exclude each
 *     other), members sit the round out one at a time (most exclusions first) and are reported in
 *     `unpaired` with a `left-out-by-exclusions` notice: an exclusion is never violated.
 *  Sizes: groups of `groupSize`, the remainder spread one extra per group, never a group of one
 *     (sizes.ts); nobody is left out otherwise; a network of one makes no group (`too-few-members`).
 *  1. Repeats: no pair that met before while a repeat-free grouping exists; otherwise as few
 *     repeated pairs as possible and, among those, the pairs that met longest ago (the most recent
 *     repeated meeting as old as possible, then the next one, ...).
 *  2. Plan ahead (pairs): keep the next rounds repeat-free. A per-round optimum gets stuck (6
 *     members, three rounds forming K3,3 leave two triangles: round four must repeat), so in the
 *     endgame every candidate is checked by a search for the remaining repeat-free rounds.
 *  -  Nobody in an oversized group (larger than the group size) two rounds in a row when that is
 *     avoidable without a repeat now or, in the endgame of pairs, later (a trio twice in a row is
 *     a smaller cost than a repeat; without the trio twice, 7 members cannot have 2 repeat-free
 *     rounds). Reported as `oversized-again` when it happens.
 *  3. Groups of different organisations.  4. Shared topics ("wants to learn" × "can share").
 *  5. Newcomers (no group yet) with experienced members who can share, on their topic if possible.
 *
 * HOW, AND WHAT IS OPTIMAL:
 *  - Small rosters (at most 20,000 groupings: pairs up to 12 members, groups of 3–6 up to about
 *    12-14): every grouping is enumerated (exhaustive.ts) and compared by the objective above.
 *    Exact for every rule except 2, which is the search below.
 *  - Pairs, larger rosters (pairs.ts). A candidate graph of unmet pairs, weighted by rules 3–5:
 *    every unmet pair up to 400 members, else about 24 sampled partners a member (random, other
 *    organisations, sharers of what they want to learn, learners of what they share): O(n·k)
 *    instead of n²/2 = 12.5 million pairs at 5,000. A greedy matching by weight is completed by
 *    Edmonds' blossom algorithm (maximum cardinality) on the candidate graph and, only when that
 *    falls short, on the full unmet graph H, implicit (a short blocked list per member), so rule 1
 *    is checked exactly before any repeat is accepted. EXACT: a repeat-free grouping whenever one
 *    exists (a perfect matching of H; for an odd count a triangle plus a perfect matching of the
 *    rest, by insertion, alternating swaps, then triangle by triangle; the `repeats` notice says
 *    whether impossibility was proven), and the minimum number of repeats (n/2 − ν(H) for even n;
 *    for odd n every triple is priced by repeats(T) + (n−3)/2 − ν(H−T) up to 5,000 triples, a
 *    sample beyond; with exclusions on top, heuristic). HEURISTIC: which pairs repeat (oldest
 *    first; the test oracle agrees in ~99% of cases), rules 3–5: a 2-swap local search over the
 *    candidate lists that never adds a repeat.
 *  - Groups of three to six, larger rosters (improve.ts): the social golfer problem, NP-hard in
 *    general. A random start and swap local search minimise repeats (reported, not guaranteed
 *    zero), then rules 3–5. Heuristic throughout; exclusions are checked and restarts tried.
 *  - Endgame of pairs (lookahead.ts; at most 160 members, and the unmet graph has vertices of
 *    degree below 0.823·n: by Chetwynd–Hilton a denser regular graph of even order always splits
 *    into perfect matchings): candidates, best first, are kept only if a deterministic depth-first
 *    search finds as many further repeat-free rounds as the degree bound allows (for irregular
 *    graphs, from absences or a trio, 8 rounds are enough); failing that, the first round of the
 *    search's own plan for the unmet graph. The search never depends on the seed, so next round
 *    finds again, step by step, the future verified now: a static even roster gets n−1
 *    repeat-free rounds (tested at 6, 8, 12, 50 with organisations that trap a greedy planner).
 *    Heuristic in one respect: the search has a node budget, and proving 1-factorability is hard.
 *
 * COST: met index O(Σ k²) over the history's groups of k; candidates O(n·k) pair evaluations;
 * greedy O(nk log nk); an augmenting search O(E) on the candidate graph, O(n²) on H (only for
 * members the candidate graph could not match); local search O(passes · n · k); endgame search
 * budgeted by nodes (not by the clock) and only for n ≤ 160. Measured at 5,000 members and 52
 * rounds of history: under a second for pairs, 1.5 s for trios (bench/sections/pairing.ts).
 *
 * Pure: no I/O, no clock, no Math.random; the same input and seed give the same plan, whatever
 * the order of the members.
 */
import { buildCandidates } from './candidates.js';
import { allGroupings, compareScored, countGroupings } from './exhaustive.js';
import { improve } from './improve.js';
import {
  addEdge,
  degree,
  emptyGraph,
  type LookaheadGraph,
  removeEdge,
  roundsBound,
  searchRounds,
} from './lookahead.js';
import { buildProblem, evaluateGroup, isBlocked, type Problem, pairWeight } from './model.js';
import { solvePairs } from './pairs.js';
import { createRng, type Rng, shuffle } from './random.js';
import { groupSizes } from './sizes.js';
import type {
  PairingMember,
  PairRepeat,
  PlanDiagnostics,
  PlanNotice,
  PlannedGroup,
  PlannerTuning,
  PlanRoundInput,
  RoundPlan,
} from './types.js';

const DEFAULTS: Required<PlannerTuning> = {
  exhaustiveLimit: 20_000,
  lookahead: true,
  candidatesPerMember: 24,
  completeCandidatesUpTo: 400,
  lookaheadBudget: 60_000,
};

/** Endgame planning applies up to this many members (n−1 rounds is years of rounds beyond). */
const LOOKAHEAD_MAX_MEMBERS = 160;
/** Chetwynd–Hilton: a D-regular graph of even order n with D ≥ (√7−1)/2·n is 1-factorable. */
const FACTORABLE_DENSITY = (Math.sqrt(7) - 1) / 2;
/** Rounds ahead that count when the unmet graph is not regular (odd counts, changing rosters). */
const IRREGULAR_HORIZON = 8;
/** Candidates (best first) checked by the endgame search before falling back to its own round. */
const LOOKAHEAD_CANDIDATES = 6;

interface Solved {
  /** Candidates in objective order; the first is the plan unless the endgame search says otherwise. */
  candidates: number[][][];
  feasible: boolean;
  method: PlanDiagnostics['method'];
  candidateEdges: number;
  fullGraphChecked: boolean;
  /** A repeat-free grouping was proven impossible. */
  proven: boolean;
}

export function planRound(input: PlanRoundInput): RoundPlan {
  const tuning = { ...DEFAULTS, ...input.tuning };
  groupSizes(0, input.groupSize); // validates the group size
  const rng = createRng(input.seed);
  const seen = new Set<string>();
  let members: PairingMember[] = [];
  for (const m of input.members) {
    if (seen.has(m.id)) continue;
    seen.add(m.id);
    members.push(m);
  }
  members.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const leftOut: string[] = [];
  const notices: PlanNotice[] = [];

  for (;;) {
    if (members.length < 2) {
      const unpaired = [...members.map((m) => m.id), ...leftOut];
      // with exclusions, whoever is left alone is left out by them too
      if (leftOut.length > 0) notices.push({ kind: 'left-out-by-exclusions', memberIds: unpaired });
      else notices.push({ kind: 'too-few-members' });
      return {
        groups: [],
        repeats: [],
        crossOrganisationShare: 0,
        unpaired,
        notices,
        diagnostics: { method: 'none', candidateEdges: 0, fullGraphChecked: false, lookahead: null },
      };
    }
    const sizes = groupSizes(members.length, input.groupSize);
    const p = buildProblem(
      members,
      input.history,
      input.exclusions,
      input.previousOversized ?? [],
      input.groupSize,
      sizes,
    );
    const solved = solve(p, rng, tuning);
    if (!solved.feasible) {
      const drop = memberToLeaveOut(p, rng);
      leftOut.push(p.ids[drop] as string);
      members = members.filter((_, i) => i !== drop);
      continue;
    }
    let chosen = solved.candidates[0] as number[][];
    let lookahead: PlanDiagnostics['lookahead'] = null;
    if (tuning.lookahead && input.groupSize === 2 && p.n <= LOOKAHEAD_MAX_MEMBERS) {
      const ahead = planAhead(p, solved.candidates, tuning.lookaheadBudget);
      if (ahead) {
        chosen = ahead.groups;
        lookahead = ahead.info;
      }
    }
    if (leftOut.length > 0) notices.push({ kind: 'left-out-by-exclusions', memberIds: [...leftOut] });
    return report(
      p,
      chosen,
      leftOut,
      notices,
      {
        method: solved.method,
        candidateEdges: solved.candidateEdges,
        fullGraphChecked: solved.fullGraphChecked,
        lookahead,
      },
      solved.proven,
    );
  }
}

function solve(p: Problem, rng: Rng, tuning: Required<PlannerTuning>): Solved {
  const count = countGroupings(p.sizes);
  const all = Array.from({ length: p.n }, (_, i) => i);
  if (count <= tuning.exhaustiveLimit) {
    const scored = allGroupings(p, all, p.sizes, rng);
    if (scored.length === 0) {
      return {
        candidates: [],
        feasible: false,
        method: 'exhaustive',
        candidateEdges: 0,
        fullGraphChecked: true,
        proven: true,
      };
    }
    scored.sort(compareScored);
    const best = scored[0] as (typeof scored)[number];
    const sameTier = scored.filter((s) => s.repeats === best.repeats && s.oversizedAgain === best.oversizedAgain);
    return {
      candidates: sameTier.slice(0, LOOKAHEAD_CANDIDATES).map((s) => s.groups),
      feasible: true,
      method: 'exhaustive',
      candidateEdges: 0,
      fullGraphChecked: true,
      proven: best.repeats > 0,
    };
  }
  const cand = buildCandidates(p, rng, tuning.candidatesPerMember, tuning.completeCandidatesUpTo);
  const large = p.n > tuning.completeCandidatesUpTo;
  if (p.size === 2) {
    const res = solvePairs(p, cand, () => rng.next() * 0.5, p.n <= 200 ? 20_000 : 200, 5_000);
    if (!res.feasible) {
      return {
        candidates: [],
        feasible: false,
        method: 'matching',
        candidateEdges: cand.m,
        fullGraphChecked: true,
        proven: false,
      };
    }
    improve(p, res.groups, cand.lists, rng, { passes: large ? 2 : 12, perMember: 16, randomTries: 2 });
    return {
      candidates: [res.groups],
      feasible: true,
      method: 'matching',
      candidateEdges: cand.m,
      fullGraphChecked: res.fullGraphChecked,
      proven: res.proven,
    };
  }
  // groups of three or more: the social golfer problem, by local search
  // restarts only matter when exclusions make a feasible grouping hard to reach by swaps
  const attempts = large ? 2 : 8;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const order = shuffle([...all], rng);
    const groups: number[][] = [];
    let at = 0;
    for (const s of p.sizes) {
      groups.push(order.slice(at, at + s));
      at += s;
    }
    improve(p, groups, cand.lists, rng, {
      passes: large ? 4 : 16,
      perMember: large ? 8 : 16,
      randomTries: large ? 3 : 6,
    });
    if (groups.every((g) => evaluateGroup(p, g).excluded === 0)) {
      return {
        candidates: [groups],
        feasible: true,
        method: 'local-search',
        candidateEdges: cand.m,
        fullGraphChecked: false,
        proven: false,
      };
    }
  }
  return {
    candidates: [],
    feasible: false,
    method: 'local-search',
    candidateEdges: cand.m,
    fullGraphChecked: false,
    proven: false,
  };
}

/** The member whose exclusions block the most: most exclusions among those present, then seeded. */
function memberToLeaveOut(p: Problem, rng: Rng): number {
  let best = 0;
  let bestKey = -1;
  for (let i = 0; i < p.n; i++) {
    const key = (p.excluded[i] as Set<number>).size + rng.next() * 0.5;
    if (key > bestKey) {
      bestKey = key;
      best = i;
    }
  }
  return best;
}

/** The unmet graph H among present members, as bitsets. */
function unmetGraph(p: Problem): LookaheadGraph {
  const g = emptyGraph(p.n);
  for (let u = 0; u < p.n; u++) for (let v = u + 1; v < p.n; v++) if (!isBlocked(p, u, v)) addEdge(g, u, v);
  return g;
}

const edgesOf = (groups: number[][]): Array<[number, number]> =>
  groups.flatMap((gr) => gr.flatMap((a, i) => gr.slice(i + 1).map((b) => [a, b] as [number, number])));

/**
 * Rule 2: in the endgame, prefer the best candidate that leaves as many further repeat-free rounds
 * as the degree bound allows; failing that the first round of a decomposition of H found by the
 * same search; failing that the candidate with the longest verified future.
 */
function planAhead(
  p: Problem,
  candidates: number[][][],
  budget: number,
): { groups: number[][]; info: NonNullable<PlanDiagnostics['lookahead']> } | null {
  const first = candidates[0];
  if (!first || first.some((gr) => evaluateGroup(p, gr).repeats > 0)) return null;
  const H = unmetGraph(p);
  let minDegree = Number.POSITIVE_INFINITY;
  for (let u = 0; u < p.n; u++) minDegree = Math.min(minDegree, degree(H, u));
  if (minDegree - 1 >= FACTORABLE_DENSITY * p.n) return null;
  const weight = (u: number, v: number) => pairWeight(p, u, v);
  const trioOf = (groups: number[][]) => groups.filter((gr) => gr.length > 2).flat();
  const future = (groups: number[][]) => {
    const edges = edgesOf(groups);
    for (const [a, b] of edges) removeEdge(H, a, b);
    const bound = roundsBound(H);
    const res = searchRounds(H, bound, budget, trioOf(groups), weight);
    for (const [a, b] of edges) addEdge(H, a, b);
    return { depth: res.depth, bound };
  };
  // no candidate can have a longer future than this; when the unmet graph is not regular (absences,
  // joins, a trio), what matters is the next few rounds: the roster will change anyway
  let regular = true;
  for (let u = 1; u < p.n && regular; u++) regular = degree(H, u) === degree(H, 0);
  const horizon = regular && p.n % 2 === 0 ? Number.POSITIVE_INFINITY : IRREGULAR_HORIZON;
  const cap = Math.min(roundsBound(H) - 1, horizon);
  // preference: a longer future (rule 2), then fewer members oversized again now, then the
  // objective (candidates come best first). Rule 2 goes before the trio rule: a trio twice in a
  // row is a smaller cost than a repeat a few rounds later.
  let best: { groups: number[][]; depth: number; bound: number; again: number } | null = null;
  let evaluated = 0;
  const againOf = (groups: number[][]) =>
    groups.reduce((sum, gr) => sum + (gr.length > p.size ? gr.filter((x) => p.prevOversized[x] === 1).length : 0), 0);
  const consider = (groups: number[][]) => {
    evaluated++;
    const again = againOf(groups);
    const f = future(groups);
    f.depth = Math.min(f.depth, horizon);
    if (!best || f.depth > best.depth || (f.depth === best.depth && again < best.again)) best = { groups, again, ...f };
    return f.depth >= cap && again === 0;
  };
  let done = false;
  for (const c of candidates) {
    if (c.some((gr) => evaluateGroup(p, gr).repeats > 0)) break;
    if (consider(c)) {
      done = true;
      break;
    }
  }
  if (!done) {
    const prevTrio: number[] = [];
    for (let i = 0; i < p.n; i++) if (p.prevOversized[i] === 1) prevTrio.push(i);
    const own = searchRounds(H, roundsBound(H), budget, prevTrio, weight);
    const round = own.rounds[0];
    if (round) consider(round);
  }
  const chosen = best as { groups: number[][]; depth: number; bound: number } | null;
  if (!chosen) return null;
  return { groups: chosen.groups, info: { horizon: chosen.depth, bound: Math.max(cap, 0), candidates: evaluated } };
}

function report(
  p: Problem,
  groupsIdx: number[][],
  leftOut: string[],
  notices: PlanNotice[],
  diagnostics: PlanDiagnostics,
  proven: boolean,
): RoundPlan {
  const groups: PlannedGroup[] = [];
  const repeats: PairRepeat[] = [];
  const oversizedAgain: string[] = [];
  let cross = 0;
  const sorted = groupsIdx.map((g) => [...g].sort((a, b) => a - b)).sort((a, b) => (a[0] as number) - (b[0] as number));
  for (const g of sorted) {
    const e = evaluateGroup(p, g);
    if (e.cross) cross++;
    if (g.length > p.size) for (const x of g) if (p.prevOversized[x] === 1) oversizedAgain.push(p.ids[x] as string);
    for (let i = 0; i < g.length; i++) {
      for (let j = i + 1; j < g.length; j++) {
        const r = p.met[g[i] as number]?.get(g[j] as number);
        if (r !== undefined)
          repeats.push({ a: p.ids[g[i] as number] as string, b: p.ids[g[j] as number] as string, lastRound: r });
      }
    }
    groups.push({
      memberIds: g.map((x) => p.ids[x] as string),
      reasons: {
        crossOrganisation: e.cross,
        sharedTopics: e.topics.map((t) => p.tagNames[t] as string).sort(),
        newcomers: g.filter((x) => p.isNew[x] === 1).map((x) => p.ids[x] as string),
      },
    });
  }
  repeats.sort((a, b) => b.lastRound - a.lastRound);
  if (oversizedAgain.length > 0) notices.push({ kind: 'oversized-again', memberIds: oversizedAgain });
  if (repeats.length > 0) notices.push({ kind: 'repeats', count: repeats.length, proven });
  return {
    groups,
    repeats,
    crossOrganisationShare: groups.length === 0 ? 0 : cross / groups.length,
    unpaired: [...leftOut],
    notices,
    diagnostics,
  };
}
