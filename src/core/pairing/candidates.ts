/**
 * The candidate graph: for every member, the unmet (and not excluded) partners worth considering,
 * best first. Small networks use every unmet pair; large ones a sparse sample of about k partners
 * a member: random members, members of other organisations, sharers of what the member wants to
 * learn, learners of what they can share. O(n·k) pair evaluations instead of n²/2.
 */
import { isBlocked, type Problem, pairWeight } from './model.js';
import type { Rng } from './random.js';

export interface CandidateGraph {
  /** Per member: candidate partners, best first. */
  lists: Int32Array[];
  /** Undirected edges u < v, with weights (plus a seeded jitter below every tier). */
  us: Int32Array;
  vs: Int32Array;
  weights: Float64Array;
  m: number;
  complete: boolean;
}

export function buildCandidates(p: Problem, rng: Rng, k: number, completeUpTo: number): CandidateGraph {
  const n = p.n;
  const lists: Int32Array[] = [];
  const complete = n <= completeUpTo;
  const stamp = new Int32Array(n).fill(-1);
  const pool: number[] = [];
  const scored: Array<[number, number]> = [];

  // indices for targeted sampling
  const byOrg = new Map<number, number[]>();
  const sharersOf = new Map<number, number[]>();
  const learnersOf = new Map<number, number[]>();
  if (!complete) {
    const add = (map: Map<number, number[]>, k: number, v: number) => {
      const list = map.get(k);
      if (list) list.push(v);
      else map.set(k, [v]);
    };
    for (let i = 0; i < n; i++) {
      add(byOrg, p.org[i] as number, i);
      for (const t of p.shares[i] as Int32Array) add(sharersOf, t, i);
      for (const t of p.wants[i] as Int32Array) add(learnersOf, t, i);
    }
  }
  const orgOrder = [...byOrg.keys()];
  const pick = (list: number[] | undefined, count: number) => {
    if (!list || list.length === 0) return;
    for (let c = 0; c < count; c++) pool.push(list[rng.int(list.length)] as number);
  };

  for (let u = 0; u < n; u++) {
    pool.length = 0;
    if (complete) {
      for (let v = 0; v < n; v++) pool.push(v);
    } else {
      for (let c = 0; c < 2 * k; c++) pool.push(rng.int(n));
      const own = p.org[u] as number;
      if (orgOrder.length > 1) {
        for (let c = 0; c < k; c++) {
          const o = orgOrder[rng.int(orgOrder.length)] as number;
          if (o === own && own >= 0) continue;
          pick(byOrg.get(o), 1);
        }
      }
      for (const t of p.wants[u] as Int32Array) pick(sharersOf.get(t), 3);
      for (const t of p.shares[u] as Int32Array) pick(learnersOf.get(t), 3);
    }
    scored.length = 0;
    for (const v of pool) {
      if (v === u || stamp[v] === u || isBlocked(p, u, v)) continue;
      stamp[v] = u;
      scored.push([pairWeight(p, u, v) + rng.next() * 0.5, v]);
    }
    scored.sort((a, b) => b[0] - a[0]);
    const keep = complete ? scored.length : Math.min(k, scored.length);
    const list = new Int32Array(keep);
    for (let i = 0; i < keep; i++) list[i] = (scored[i] as [number, number])[1];
    lists.push(list);
  }

  // undirected edge list, deduplicated
  const seen = new Set<number>();
  const us: number[] = [];
  const vs: number[] = [];
  const ws: number[] = [];
  for (let u = 0; u < n; u++) {
    for (const v of lists[u] as Int32Array) {
      const a = Math.min(u, v);
      const b = Math.max(u, v);
      const key = a * n + b;
      if (seen.has(key)) continue;
      seen.add(key);
      us.push(a);
      vs.push(b);
      ws.push(pairWeight(p, a, b) + rng.next() * 0.5);
    }
  }
  return {
    lists,
    us: Int32Array.from(us),
    vs: Int32Array.from(vs),
    weights: Float64Array.from(ws),
    m: us.length,
    complete,
  };
}
