/**
 * Groups of two (and one trio when the count is odd) by matching.
 *
 * Rule 1 is exact here: a repeat-free grouping of an even number of members is a perfect matching
 * of the unmet graph H, and Edmonds' algorithm finds one whenever one exists. The matching starts
 * greedy on the candidate graph (best weights first), is completed by augmenting paths on the
 * candidate graph, and only when that is not enough on the full, implicit H. For an odd number a
 * repeat-free grouping is a triangle of H plus a perfect matching of the rest: the exposed member
 * of a maximum matching joins a pair it has not met (or another member is exposed through a
 * short alternating path); failing that, triangles of H are tried one by one with a matching
 * check each. When H has no (near-)perfect matching, repeats are unavoidable and their number is
 * minimal for even n (n/2 − ν(H)); the leftover members are then paired preferring the pairs that
 * met longest ago, and local search trims recency further.
 */
import type { CandidateGraph } from './candidates.js';
import { Matcher, type MatchGraph, sparseGraph } from './matching.js';
import { groupValue, isBlocked, isExcluded, type Problem } from './model.js';

export interface PairsResult {
  groups: number[][];
  feasible: boolean;
  repeatFree: boolean;
  /** A repeat-free grouping was proven impossible (not merely not found). */
  proven: boolean;
  fullGraphChecked: boolean;
}

export function solvePairs(
  p: Problem,
  cand: CandidateGraph,
  jitter: () => number,
  triangleBudget: number,
  tripleBudget: number,
): PairsResult {
  const n = p.n;
  const matcher = new Matcher(n);
  const mate = new Int32Array(n).fill(-1);
  // greedy on the candidate graph, best weights first
  const order = Array.from({ length: cand.m }, (_, e) => e);
  const w = cand.weights;
  order.sort((a, b) => (w[b] as number) - (w[a] as number));
  for (const e of order) {
    const u = cand.us[e] as number;
    const v = cand.vs[e] as number;
    if (mate[u] === -1 && mate[v] === -1) {
      mate[u] = v;
      mate[v] = u;
    }
  }
  const target = n - (n % 2);
  let matched = matcher.maximise(sparseGraph(n, cand.us, cand.vs, cand.m), mate);
  let fullGraphChecked = false;
  const H: MatchGraph = { kind: 'dense', n, blocked: p.blocked };
  if (matched < target && !cand.complete) {
    matched = matcher.maximise(H, mate);
    fullGraphChecked = true;
  }
  const pairsOf = (m: Int32Array) => {
    const out: number[][] = [];
    for (let u = 0; u < n; u++) if ((m[u] as number) > u) out.push([u, m[u] as number]);
    return out;
  };
  if (n % 2 === 0) {
    if (matched === n)
      return { groups: pairsOf(mate), feasible: true, repeatFree: true, proven: false, fullGraphChecked };
    return { ...withRepeats(p, matcher, mate, tripleBudget), proven: true, fullGraphChecked: true };
  }
  if (matched < target) {
    // ν(H) < (n − 1) / 2: no triangle plus perfect matching can exist
    return { ...withRepeats(p, matcher, mate, tripleBudget), proven: true, fullGraphChecked: true };
  }
  const trio = placeTrio(p, matcher, mate, H, jitter, triangleBudget);
  if (trio.groups) {
    return {
      groups: trio.groups,
      feasible: true,
      repeatFree: true,
      proven: false,
      fullGraphChecked: fullGraphChecked || trio.searched,
    };
  }
  return { ...withRepeats(p, matcher, mate, tripleBudget), proven: trio.exhausted, fullGraphChecked: true };
}

interface TrioPick {
  cost: number;
  value: number;
  x: number;
  a: number;
  b: number;
}

/** Best pair (a, b) of `mate` that `x` can join without a repeat. */
function bestInsertion(p: Problem, mate: Int32Array, x: number, jitter: () => number): TrioPick | null {
  let best: TrioPick | null = null;
  const n = p.n;
  for (let a = 0; a < n; a++) {
    const b = mate[a] as number;
    if (b < a || a === x || isBlocked(p, x, a) || isBlocked(p, x, b)) continue;
    const cost = (p.prevOversized[x] as number) + (p.prevOversized[a] as number) + (p.prevOversized[b] as number);
    const value = groupValue(p, [x, a, b]) - groupValue(p, [a, b]) + jitter();
    if (!best || cost < best.cost || (cost === best.cost && value > best.value)) best = { cost, value, x, a, b };
  }
  return best;
}

function placeTrio(
  p: Problem,
  matcher: Matcher,
  mate: Int32Array,
  H: MatchGraph,
  jitter: () => number,
  triangleBudget: number,
): { groups: number[][] | null; searched: boolean; exhausted: boolean } {
  const n = p.n;
  let x = -1;
  for (let v = 0; v < n; v++) if (mate[v] === -1) x = v;
  const build = (m: Int32Array, pick: TrioPick) => {
    const groups: number[][] = [[pick.x, pick.a, pick.b]];
    for (let u = 0; u < n; u++) {
      const v = m[u] as number;
      if (v > u && u !== pick.a && u !== pick.b) groups.push([u, v]);
    }
    return groups;
  };
  // 1. the exposed member joins a pair it has not met
  let best = bestInsertion(p, mate, x, jitter);
  let bestMate = mate;
  if (best && best.cost === 0) return { groups: build(mate, best), searched: false, exhausted: false };
  // 2. expose someone else through an alternating path of length two (x–u matched, u's partner y freed)
  const tries = Math.min(n, 400);
  for (let u = 0, t = 0; u < n && t < tries; u++) {
    if (u === x || isBlocked(p, x, u)) continue;
    t++;
    const y = mate[u] as number;
    const m2 = mate.slice();
    m2[x] = u;
    m2[u] = x;
    m2[y] = -1;
    const pick = bestInsertion(p, m2, y, jitter);
    if (pick && (!best || pick.cost < best.cost)) {
      best = pick;
      bestMate = m2;
      if (pick.cost === 0) return { groups: build(m2, pick), searched: false, exhausted: false };
    }
  }
  // 3. triangles of H one by one: remove the three, is the rest perfectly matchable?
  let tested = 0;
  let exhausted = true;
  for (const allowOversized of [false, true]) {
    if (allowOversized && best) break; // a repeat-free grouping with someone oversized again
    for (let a = 0; a < n; a++) {
      if (!allowOversized && p.prevOversized[a] === 1) continue;
      for (let b = a + 1; b < n; b++) {
        if (isBlocked(p, a, b) || (!allowOversized && p.prevOversized[b] === 1)) continue;
        for (let c = b + 1; c < n; c++) {
          if (isBlocked(p, a, c) || isBlocked(p, b, c) || (!allowOversized && p.prevOversized[c] === 1)) continue;
          if (++tested > triangleBudget) {
            exhausted = false;
            break;
          }
          const removed = new Uint8Array(n);
          removed[a] = removed[b] = removed[c] = 1;
          const m2 = mate.slice();
          const roots: number[] = [];
          for (const t of [a, b, c]) {
            const partner = m2[t] as number;
            m2[t] = -1;
            if (partner !== -1 && removed[partner] === 0) {
              m2[partner] = -1;
              roots.push(partner);
            }
          }
          for (let v = 0; v < n; v++) if (m2[v] === -1 && removed[v] === 0 && !roots.includes(v)) roots.push(v);
          const matched = matcher.maximise(H, m2, removed, roots);
          if (matched === n - 3) {
            const groups: number[][] = [[a, b, c]];
            for (let u = 0; u < n; u++) {
              const v = m2[u] as number;
              if (v > u && removed[u] === 0) groups.push([u, v]);
            }
            return { groups, searched: true, exhausted: false };
          }
        }
        if (tested > triangleBudget) break;
      }
      if (tested > triangleBudget) break;
    }
  }
  if (best) return { groups: build(bestMate, best), searched: true, exhausted: false };
  return { groups: null, searched: true, exhausted };
}

/**
 * No repeat-free grouping found: keep a maximum matching of H (for even n its size fixes the
 * minimum number of repeats, n/2 − ν(H)), pair the rest preferring pairs that met longest ago,
 * then complete through the allowed graph A (everything but exclusions). For odd n the trio is
 * chosen among triples T by repeats(T) + (n−3)/2 − ν(H − T), the fewest repeats a grouping with
 * that trio can have (every triple while n is small, a budget beyond). Infeasible when exclusions
 * leave someone without any group.
 */
function withRepeats(
  p: Problem,
  matcher: Matcher,
  mateH: Int32Array,
  tripleBudget: number,
): Omit<PairsResult, 'proven' | 'fullGraphChecked'> {
  const n = p.n;
  if (n % 2 === 0) {
    const mate = mateH.slice();
    const ok = completeInAllowed(p, matcher, mate, null);
    return { groups: pairsFrom(mate, null), feasible: ok, repeatFree: false };
  }
  const H: MatchGraph = { kind: 'dense', n, blocked: p.blocked };
  const triples: Array<{ cost: number; t: [number, number, number] }> = [];
  const rep = (a: number, b: number) => (p.met[a]?.has(b) ? 1 : 0);
  const cost = (a: number, b: number, c: number): number => {
    const removed = new Uint8Array(n);
    removed[a] = removed[b] = removed[c] = 1;
    const mate = mateH.slice();
    const roots: number[] = [];
    for (const t of [a, b, c]) {
      const partner = mate[t] as number;
      mate[t] = -1;
      if (partner !== -1 && removed[partner] === 0) {
        mate[partner] = -1;
        roots.push(partner);
      }
    }
    let matched = 0;
    for (let v = 0; v < n; v++) if (mate[v] !== -1) matched++;
    for (const r of roots) if (matcher.augmentFrom(H, mate, removed, r)) matched += 2;
    return rep(a, b) + rep(a, c) + rep(b, c) + (n - 3) / 2 - matched / 2;
  };
  const exposed: number[] = [];
  for (let v = 0; v < n; v++) if (mateH[v] === -1) exposed.push(v);
  const consider = (a: number, b: number, c: number) => {
    if (isExcluded(p, a, b) || isExcluded(p, a, c) || isExcluded(p, b, c)) return;
    const t = [a, b, c].sort((x, y) => x - y) as [number, number, number];
    triples.push({ cost: cost(...t), t });
  };
  if ((n * (n - 1) * (n - 2)) / 6 <= tripleBudget) {
    for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) for (let c = b + 1; c < n; c++) consider(a, b, c);
  } else {
    // triples among the exposed members, and an exposed member with a matched pair
    let used = 0;
    for (let i = 0; i < exposed.length && used < tripleBudget; i++) {
      for (let j = i + 1; j < exposed.length && used < tripleBudget; j++) {
        for (let k = j + 1; k < exposed.length && used < tripleBudget; k++, used++) {
          consider(exposed[i] as number, exposed[j] as number, exposed[k] as number);
        }
      }
    }
    for (const x of exposed) {
      for (let a = 0; a < n && used < tripleBudget; a++) {
        const b = mateH[a] as number;
        if (b > a && a !== x && b !== x) {
          consider(x, a, b);
          used++;
        }
      }
    }
  }
  triples.sort((u, v) => u.cost - v.cost || u.t[0] - v.t[0] || u.t[1] - v.t[1] || u.t[2] - v.t[2]);
  // among the cheapest trios, the completed grouping with the best objective (older repeats)
  let best: { groups: number[][]; value: number; cost: number } | null = null;
  for (const { t, cost: c } of triples.slice(0, 50)) {
    if (best && c > best.cost) break;
    const removed = new Uint8Array(n);
    for (const x of t) removed[x] = 1;
    const mate = mateH.slice();
    for (const x of t) {
      const partner = mate[x] as number;
      mate[x] = -1;
      if (partner !== -1) mate[partner] = -1;
    }
    matcher.maximise(H, mate, removed);
    if (!completeInAllowed(p, matcher, mate, removed)) continue;
    const groups = [[...t], ...pairsFrom(mate, removed)];
    const value = groups.reduce((sum, g) => sum + groupValue(p, g), 0);
    if (!best || value > best.value) best = { groups, value, cost: c };
  }
  if (best) return { groups: best.groups, feasible: true, repeatFree: false };
  return { groups: [], feasible: false, repeatFree: false };
}

function pairsFrom(mate: Int32Array, removed: Uint8Array | null): number[][] {
  const out: number[][] = [];
  for (let u = 0; u < mate.length; u++) {
    if (removed && removed[u] === 1) continue;
    if ((mate[u] as number) > u) out.push([u, mate[u] as number]);
  }
  return out;
}

/** Pairs the members `mate` leaves single, oldest meetings first, then through A; all matched? */
function completeInAllowed(p: Problem, matcher: Matcher, mate: Int32Array, removed: Uint8Array | null): boolean {
  const n = p.n;
  const exposed: number[] = [];
  for (let v = 0; v < n; v++) if (mate[v] === -1 && !(removed && removed[v] === 1)) exposed.push(v);
  const options: Array<[number, number, number]> = [];
  for (let i = 0; i < exposed.length; i++) {
    for (let j = i + 1; j < exposed.length; j++) {
      const a = exposed[i] as number;
      const b = exposed[j] as number;
      if (isExcluded(p, a, b)) continue;
      const r = p.met[a]?.get(b);
      options.push([r === undefined ? 0 : (p.recencyWeight.get(r) ?? 1), a, b]);
    }
  }
  options.sort((x, y) => x[0] - y[0]);
  for (const [, a, b] of options) {
    if (mate[a] === -1 && mate[b] === -1) {
      mate[a] = b;
      mate[b] = a;
    }
  }
  const A: MatchGraph = { kind: 'dense', n, blocked: p.excludedList };
  matcher.maximise(A, mate, removed);
  for (let v = 0; v < n; v++) if (mate[v] === -1 && !(removed && removed[v] === 1)) return false;
  return true;
}
