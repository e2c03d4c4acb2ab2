/**
 * Local search over groupings of any sizes: swap two members of different groups when that raises
 * the scalar objective (repeats first, then oversized-again, recency, organisations, topics,
 * newcomers). Candidate partners come from the candidate graph, plus a few random members.
 * Sizes never change and a swap that puts an excluded pair together is never better.
 */
import { groupValue, type Problem } from './model.js';
import { type Rng, shuffle } from './random.js';

const EPS = 0.25;

export function improve(
  p: Problem,
  groups: number[][],
  lists: Int32Array[],
  rng: Rng,
  opts: { passes: number; perMember: number; randomTries: number },
): number {
  const n = p.n;
  const groupOf = new Int32Array(n).fill(-1);
  groups.forEach((g, gi) => {
    for (const x of g) groupOf[x] = gi;
  });
  const value = groups.map((g) => groupValue(p, g));
  const members: number[] = [];
  for (let i = 0; i < n; i++) if (groupOf[i] !== -1) members.push(i);
  if (groups.length < 2) return 0;
  let swaps = 0;
  const tryPair = (x: number, y: number): boolean => {
    const gx = groupOf[x] as number;
    const gy = groupOf[y] as number;
    if (gx === gy || gy === -1) return false;
    const A = groups[gx] as number[];
    const B = groups[gy] as number[];
    const base = (value[gx] as number) + (value[gy] as number);
    let bestDelta = EPS;
    let bestA: number[] | null = null;
    let bestB: number[] | null = null;
    // z (in A, not x) and y trade places: x and y end up together in A
    for (const z of A) {
      if (z === x) continue;
      const nA = A.map((w) => (w === z ? y : w));
      const nB = B.map((w) => (w === y ? z : w));
      const d = groupValue(p, nA) + groupValue(p, nB) - base;
      if (d > bestDelta) {
        bestDelta = d;
        bestA = nA;
        bestB = nB;
      }
    }
    // x and y trade places: x joins the rest of B (for two pairs, the same move as above, mirrored)
    if (A.length > 2 || B.length > 2) {
      const nA = A.map((w) => (w === x ? y : w));
      const nB = B.map((w) => (w === y ? x : w));
      const d = groupValue(p, nA) + groupValue(p, nB) - base;
      if (d > bestDelta) {
        bestDelta = d;
        bestA = nA;
        bestB = nB;
      }
    }
    if (!bestA || !bestB) return false;
    groups[gx] = bestA;
    groups[gy] = bestB;
    for (const w of bestA) groupOf[w] = gx;
    for (const w of bestB) groupOf[w] = gy;
    value[gx] = groupValue(p, bestA);
    value[gy] = groupValue(p, bestB);
    swaps++;
    return true;
  };
  for (let pass = 0; pass < opts.passes; pass++) {
    let improved = false;
    for (const x of shuffle(members, rng)) {
      const list = lists[x] as Int32Array;
      const limit = Math.min(list.length, opts.perMember);
      let done = false;
      for (let i = 0; i < limit && !done; i++) done = tryPair(x, list[i] as number);
      for (let r = 0; r < opts.randomTries && !done; r++) {
        done = tryPair(x, members[rng.int(members.length)] as number);
      }
      if (done) improved = true;
    }
    if (!improved) break;
  }
  return swaps;
}
