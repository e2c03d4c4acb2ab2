/**
 * Exact optimum for small networks: every grouping of the members into the round's group sizes
 * is compared by the full lexicographic objective. Used when there are at most `limit` groupings
 * (pairs up to 12 members: 10,395 groupings; 11 members, pairs and a trio: 17,325).
 */
import { evaluateGroup, type GroupEval, isExcluded, type Problem } from './model.js';
import type { Rng } from './random.js';

export interface ScoredGrouping {
  groups: number[][];
  repeats: number;
  oversizedAgain: number;
  /** Last rounds of the repeated pairs, most recent first. */
  profile: number[];
  cross: number;
  topics: number;
  newcomer: number;
  orgs: number;
  tie: number;
}

/** Number of ways to split sum(sizes) members into groups of these sizes. */
export function countGroupings(sizes: number[]): number {
  const n = sizes.reduce((a, b) => a + b, 0);
  let count = 1;
  // multinomial n! / Π size! / Π multiplicity!, computed incrementally to stay in range
  let left = n;
  for (const s of sizes) {
    count *= binomial(left, s);
    left -= s;
  }
  const mult = new Map<number, number>();
  for (const s of sizes) mult.set(s, (mult.get(s) ?? 0) + 1);
  for (const m of mult.values()) for (let k = 2; k <= m; k++) count /= k;
  return Math.round(count);
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** a better than b? (repeats, oversized again, recency profile, cross, topics, newcomers, orgs, tie) */
export function compareScored(a: ScoredGrouping, b: ScoredGrouping): number {
  if (a.repeats !== b.repeats) return a.repeats - b.repeats;
  if (a.oversizedAgain !== b.oversizedAgain) return a.oversizedAgain - b.oversizedAgain;
  const c = compareProfiles(a.profile, b.profile);
  if (c !== 0) return c;
  return b.cross - a.cross || b.topics - a.topics || b.newcomer - a.newcomer || b.orgs - a.orgs || a.tie - b.tie;
}

/** Profiles of equal length, most recent first: the one whose meetings are older is better. */
export function compareProfiles(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  }
  return a.length - b.length;
}

/** Every grouping without an excluded pair, scored; empty when exclusions make it impossible. */
export function allGroupings(p: Problem, members: number[], sizes: number[], rng: Rng): ScoredGrouping[] {
  const out: ScoredGrouping[] = [];
  const counts = new Map<number, number>();
  for (const s of sizes) counts.set(s, (counts.get(s) ?? 0) + 1);
  const distinct = [...counts.keys()].sort((a, b) => b - a);
  const free = new Set(members);
  const order = [...members].sort((a, b) => a - b);
  const stack: { g: number[]; e: GroupEval }[] = [];

  const leaf = () => {
    let repeats = 0;
    let oversizedAgain = 0;
    let cross = 0;
    let topics = 0;
    let newcomer = 0;
    let orgs = 0;
    const profile: number[] = [];
    for (const { e } of stack) {
      repeats += e.repeats;
      oversizedAgain += e.oversizedAgain;
      cross += e.cross ? 1 : 0;
      topics += e.topics.length;
      newcomer += e.newcomer;
      orgs += e.orgs;
      profile.push(...e.repeatRounds);
    }
    profile.sort((a, b) => b - a);
    out.push({
      groups: stack.map((s) => s.g),
      repeats,
      oversizedAgain,
      profile,
      cross,
      topics,
      newcomer,
      orgs,
      tie: rng.next(),
    });
  };

  const recurse = () => {
    let v = -1;
    for (const x of order) {
      if (free.has(x)) {
        v = x;
        break;
      }
    }
    if (v === -1) {
      leaf();
      return;
    }
    free.delete(v);
    const rest = order.filter((x) => x > v && free.has(x));
    for (const s of distinct) {
      const left = counts.get(s) as number;
      if (left === 0) continue;
      counts.set(s, left - 1);
      const pick: number[] = [v];
      const choose = (from: number) => {
        if (pick.length === s) {
          const g = [...pick];
          stack.push({ g, e: evaluateGroup(p, g) });
          for (const x of g) free.delete(x);
          recurse();
          for (const x of g) if (x !== v) free.add(x);
          stack.pop();
          return;
        }
        for (let i = from; i <= rest.length - (s - pick.length); i++) {
          const x = rest[i] as number;
          if (pick.some((y) => isExcluded(p, x, y))) continue;
          pick.push(x);
          choose(i + 1);
          pick.pop();
        }
      };
      choose(0);
      counts.set(s, left);
    }
    free.add(v);
  };
  recurse();
  return out;
}
