/**
 * Endgame planning (rule 2): how many more repeat-free rounds can the same members still have
 * after this one? A depth-first search over whole rounds on the remaining unmet graph, as bitsets:
 * each round is built vertex by vertex (the vertex with the fewest options first, its partners
 * fewest-options first), a finished round's edges are removed and the next round starts; a dead
 * end backtracks, into earlier rounds too. The search is deterministic (it depends only on the
 * graph, never on the seed), so a future the planner verified this round is found again, step
 * for step, next round: that is what carries a static even network through n−1 repeat-free rounds.
 *
 * For an even network the unmet graph of a static roster is regular, a round is a perfect matching
 * and "all remaining rounds" means a 1-factorisation of the remainder. Finding one is hard in
 * general (edge colouring), so the search has a node budget; by Chetwynd–Hilton, a D-regular graph
 * on n vertices (n even) with D ≥ 0.823·n is always 1-factorable, so the planner only searches
 * when the remainder is sparser than that.
 */

export interface LookaheadGraph {
  n: number;
  /** Words per bitset row. */
  words: number;
  /** Row-major adjacency bitsets: bit v of row u set when u–v is still unmet (and allowed). */
  adj: Uint32Array;
}

export interface LookaheadResult {
  /** Repeat-free rounds found (≤ target). */
  depth: number;
  /** The rounds of the deepest sequence found (groups of member indices). */
  rounds: number[][][];
  /** Nodes expanded. */
  nodes: number;
  exhausted: boolean;
}

export function emptyGraph(n: number): LookaheadGraph {
  const words = (n + 31) >>> 5;
  return { n, words, adj: new Uint32Array(n * words) };
}

function setBit(a: Uint32Array, i: number, bit: number): void {
  a[i] = (a[i] as number) | (1 << bit);
}

function clearBit(a: Uint32Array, i: number, bit: number): void {
  a[i] = (a[i] as number) & ~(1 << bit);
}

export function addEdge(g: LookaheadGraph, u: number, v: number): void {
  setBit(g.adj, u * g.words + (v >>> 5), v & 31);
  setBit(g.adj, v * g.words + (u >>> 5), u & 31);
}

export function removeEdge(g: LookaheadGraph, u: number, v: number): void {
  clearBit(g.adj, u * g.words + (v >>> 5), v & 31);
  clearBit(g.adj, v * g.words + (u >>> 5), u & 31);
}

export function hasEdge(g: LookaheadGraph, u: number, v: number): boolean {
  return ((g.adj[u * g.words + (v >>> 5)] as number) & (1 << (v & 31))) !== 0;
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

export function degree(g: LookaheadGraph, u: number): number {
  let d = 0;
  for (let w = 0; w < g.words; w++) d += popcount(g.adj[u * g.words + w] as number);
  return d;
}

export function edgeCount(g: LookaheadGraph): number {
  let e = 0;
  for (let u = 0; u < g.n; u++) e += degree(g, u);
  return e / 2;
}

/**
 * Upper bound on further repeat-free rounds: pairs only (even n) use one edge per member and
 * round, so the minimum degree; with a trio (odd n) also the edge count over (n + 3) / 2 edges a
 * round.
 */
export function roundsBound(g: LookaheadGraph): number {
  let min = Number.POSITIVE_INFINITY;
  for (let u = 0; u < g.n; u++) min = Math.min(min, degree(g, u));
  if (g.n < 2) return 0;
  if (g.n % 2 === 0) return min;
  return Math.min(min, Math.floor(edgeCount(g) / ((g.n + 3) / 2)));
}

/**
 * Depth-first search for `target` consecutive repeat-free rounds of pairs (plus one trio when n is
 * odd). Members of `avoidTrio` (last round's trio), and in later rounds the previous round's trio,
 * are tried in a trio only after everyone else: a preference, as in the planner, where repeats come
 * first (with a strict rule 7 members could not have even two repeat-free rounds). Restores the
 * graph before returning.
 */
export function searchRounds(
  g: LookaheadGraph,
  target: number,
  budget: number,
  avoidTrio: ReadonlyArray<number> = [],
  /** Tie-break between partners with as many options: higher weight first (deterministic). */
  weight: (u: number, v: number) => number = () => 0,
): LookaheadResult {
  const { n, words, adj } = g;
  if (target <= 0 || n < 2) return { depth: 0, rounds: [], nodes: 0, exhausted: false };
  const needTrio = n % 2 === 1;
  const uncovered = new Uint32Array(words);
  let forbid: Uint8Array = new Uint8Array(n);
  for (const x of avoidTrio) forbid[x] = 1;
  let nodes = 0;
  let exhausted = false;
  let best = 0;
  let bestRounds: number[][][] = [];
  const rounds: number[][][] = [];
  let current: number[][] = [];
  let trioUsed = false;
  let uncoveredCount = 0;

  const options = (u: number): number => {
    let c = 0;
    const row = u * words;
    for (let w = 0; w < words; w++) c += popcount((adj[row + w] as number) & (uncovered[w] as number));
    return c;
  };
  const cover = (u: number) => {
    clearBit(uncovered, u >>> 5, u & 31);
    uncoveredCount--;
  };
  const uncover = (u: number) => {
    setBit(uncovered, u >>> 5, u & 31);
    uncoveredCount++;
  };
  const neighbours = (u: number): number[] => {
    const out: number[] = [];
    const row = u * words;
    for (let w = 0; w < words; w++) {
      let bits = (adj[row + w] as number) & (uncovered[w] as number);
      while (bits !== 0) {
        const low = bits & -bits;
        out.push((w << 5) + (31 - Math.clz32(low)));
        bits ^= low;
      }
    }
    return out;
  };
  const eachEdge = (round: number[][], f: (a: number, b: number) => void) => {
    for (const gr of round)
      for (let i = 0; i < gr.length; i++) for (let j = i + 1; j < gr.length; j++) f(gr[i] as number, gr[j] as number);
  };

  /** The choices for the uncovered vertex with the fewest options, best first. */
  const choices = (): number[][] => {
    let v = -1;
    let vOpt = Number.POSITIVE_INFINITY;
    for (let w = 0; w < words && vOpt > 0; w++) {
      let bits = uncovered[w] as number;
      while (bits !== 0) {
        const low = bits & -bits;
        const u = (w << 5) + (31 - Math.clz32(low));
        bits ^= low;
        const o = options(u);
        if (o < vOpt) {
          vOpt = o;
          v = u;
          if (o === 0) break;
        }
      }
    }
    const out: number[][] = [];
    const nb = neighbours(v);
    const mustTrio = needTrio && !trioUsed && uncoveredCount === 3;
    if (!mustTrio) {
      const ranked = nb
        .map((u) => [options(u), -weight(v, u), u] as const)
        .sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
      for (const [, , u] of ranked) out.push([v, u]);
    }
    if (needTrio && !trioUsed) {
      // trios without last round's trio members first, then the others
      const trios: Array<[number, number, number]> = [];
      for (let i = 0; i < nb.length; i++) {
        const a = nb[i] as number;
        for (let j = i + 1; j < nb.length; j++) {
          const b = nb[j] as number;
          if (!hasEdge(g, a, b)) continue;
          trios.push([(forbid[v] as number) + (forbid[a] as number) + (forbid[b] as number), a, b]);
        }
      }
      trios.sort((x, y) => x[0] - y[0]);
      for (const [, a, b] of trios) out.push([v, a, b]);
    }
    return out;
  };

  // an explicit stack (deep searches would overflow the call stack): choice frames try their
  // options in order; a round frame marks a finished round whose edges were removed
  type Frame =
    | { kind: 'choice'; options: number[][]; next: number; applied: number[] | null }
    | { kind: 'round'; round: number[][]; savedForbid: Uint8Array; savedTrio: boolean };
  const stack: Frame[] = [];
  const undoChoice = (f: { applied: number[] | null }) => {
    const gr = f.applied;
    if (!gr) return;
    current.pop();
    if (gr.length === 3) trioUsed = false;
    for (const x of gr) uncover(x);
    f.applied = null;
  };
  const undoRound = (f: { round: number[][]; savedForbid: Uint8Array; savedTrio: boolean }) => {
    for (let u = 0; u < n; u++) cover(u);
    eachEdge(f.round, (a, b) => addEdge(g, a, b));
    forbid = f.savedForbid;
    current = f.round;
    trioUsed = f.savedTrio;
    rounds.pop();
  };

  for (let u = 0; u < n; u++) uncover(u);
  stack.push({ kind: 'choice', options: choices(), next: 0, applied: null });
  let success = false;
  while (stack.length > 0 && !success) {
    const top = stack[stack.length - 1] as Frame;
    if (top.kind === 'round') {
      undoRound(top);
      stack.pop();
      continue;
    }
    undoChoice(top);
    if (top.next >= top.options.length) {
      stack.pop();
      continue;
    }
    if (++nodes > budget) {
      exhausted = true;
      break;
    }
    const gr = top.options[top.next++] as number[];
    for (const x of gr) cover(x);
    if (gr.length === 3) trioUsed = true;
    current.push(gr);
    top.applied = gr;
    if (uncoveredCount > 0) {
      stack.push({ kind: 'choice', options: choices(), next: 0, applied: null });
      continue;
    }
    // a round is complete
    const round = current;
    rounds.push(round);
    if (rounds.length > best) {
      best = rounds.length;
      bestRounds = rounds.map((r) => r.map((x) => [...x]));
    }
    if (rounds.length >= target) {
      success = true;
      rounds.pop();
      break;
    }
    const savedForbid = forbid;
    forbid = new Uint8Array(n);
    for (const x of round) if (x.length === 3) for (const y of x) forbid[y] = 1;
    eachEdge(round, (a, b) => removeEdge(g, a, b));
    stack.push({ kind: 'round', round, savedForbid, savedTrio: trioUsed });
    current = [];
    trioUsed = false;
    for (let u = 0; u < n; u++) uncover(u);
    stack.push({ kind: 'choice', options: choices(), next: 0, applied: null });
  }
  // unwind: restore the graph
  while (stack.length > 0) {
    const top = stack.pop() as Frame;
    if (top.kind === 'round') undoRound(top);
    else undoChoice(top);
  }
  return { depth: best, rounds: bestRounds, nodes, exhausted };
}
