/**
 * Maximum-cardinality matching in a general graph: Edmonds' blossom algorithm (BFS from one
 * exposed vertex at a time, blossoms contracted through a base array). O(V) per vertex scan and
 * O(V·E) overall; in practice a greedy start leaves few exposed vertices and each search stops at
 * the first augmenting path.
 *
 * Two graph shapes: a sparse one (CSR adjacency: the candidate graph) and a dense implicit one
 * (every pair except a short per-vertex blocked list: the unmet graph H or the allowed graph A),
 * which is never materialised: at 5,000 members it would have 12.5 million edges.
 */

export type MatchGraph =
  | { kind: 'sparse'; n: number; offsets: Int32Array; targets: Int32Array }
  | { kind: 'dense'; n: number; blocked: Int32Array[] };

/** Vertices to leave out (already grouped), or null. */
export type Removed = Uint8Array | null;

export class Matcher {
  private readonly n: number;
  private readonly base: Int32Array;
  private readonly parent: Int32Array;
  private readonly used: Uint8Array;
  private readonly blossom: Uint8Array;
  private readonly lcaMark: Uint8Array;
  private readonly queue: Int32Array;
  private readonly stamp: Int32Array;
  private stampId = 0;
  /** Edges scanned, for diagnostics. */
  scanned = 0;

  constructor(n: number) {
    this.n = n;
    this.base = new Int32Array(n);
    this.parent = new Int32Array(n);
    this.used = new Uint8Array(n);
    this.blossom = new Uint8Array(n);
    this.lcaMark = new Uint8Array(n);
    this.queue = new Int32Array(n);
    this.stamp = new Int32Array(n);
  }

  /**
   * Augments `mate` (mate[v] = partner or -1) to a maximum matching of `g` minus `removed`.
   * Returns the number of matched vertices.
   */
  maximise(g: MatchGraph, mate: Int32Array, removed: Removed = null, roots?: Iterable<number>): number {
    const n = this.n;
    for (const v of roots ?? range(n)) {
      if (mate[v] !== -1 || (removed && removed[v] === 1)) continue;
      this.augmentFrom(g, mate, removed, v);
    }
    let matched = 0;
    for (let v = 0; v < n; v++) if (mate[v] !== -1) matched++;
    return matched;
  }

  /** Searches an augmenting path from exposed `root`; flips it when found. */
  augmentFrom(g: MatchGraph, mate: Int32Array, removed: Removed, root: number): boolean {
    const { n, base, parent, used, queue } = this;
    if (mate[root] !== -1 || (removed && removed[root] === 1)) return false;
    used.fill(0);
    parent.fill(-1);
    for (let i = 0; i < n; i++) base[i] = i;
    used[root] = 1;
    let head = 0;
    let tail = 0;
    queue[tail++] = root;
    const stamp = this.stamp;
    while (head < tail) {
      const v = queue[head++] as number;
      let deg: number;
      let start = 0;
      let targets: Int32Array | null = null;
      if (g.kind === 'sparse') {
        start = g.offsets[v] as number;
        deg = (g.offsets[v + 1] as number) - start;
        targets = g.targets;
      } else {
        deg = n;
        const id = ++this.stampId;
        for (const b of g.blocked[v] as Int32Array) stamp[b] = id;
        stamp[v] = id;
      }
      const id = this.stampId;
      for (let k = 0; k < deg; k++) {
        let to: number;
        if (targets) to = targets[start + k] as number;
        else {
          to = k;
          if (stamp[to] === id) continue;
        }
        if (removed && removed[to] === 1) continue;
        this.scanned++;
        if (base[v] === base[to] || mate[v] === to) continue;
        if (to === root || (mate[to] !== -1 && parent[mate[to] as number] !== -1)) {
          const cur = this.lca(mate, v, to);
          this.blossom.fill(0);
          this.markPath(mate, v, cur, to);
          this.markPath(mate, to, cur, v);
          for (let i = 0; i < n; i++) {
            if (this.blossom[base[i] as number] === 1) {
              base[i] = cur;
              if (used[i] === 0) {
                used[i] = 1;
                queue[tail++] = i;
              }
            }
          }
        } else if (parent[to] === -1) {
          parent[to] = v;
          if (mate[to] === -1) {
            let x = to;
            while (x !== -1) {
              const px = parent[x] as number;
              const next = mate[px] as number;
              mate[x] = px;
              mate[px] = x;
              x = next;
            }
            return true;
          }
          const m = mate[to] as number;
          used[m] = 1;
          queue[tail++] = m;
        }
      }
    }
    return false;
  }

  private lca(mate: Int32Array, a0: number, b0: number): number {
    const { base, parent, lcaMark } = this;
    lcaMark.fill(0);
    let a = a0;
    for (;;) {
      a = base[a] as number;
      lcaMark[a] = 1;
      if (mate[a] === -1) break;
      a = parent[mate[a] as number] as number;
    }
    let b = b0;
    for (;;) {
      b = base[b] as number;
      if (lcaMark[b] === 1) return b;
      b = parent[mate[b] as number] as number;
    }
  }

  private markPath(mate: Int32Array, v0: number, b: number, child0: number): void {
    const { base, parent, blossom } = this;
    let v = v0;
    let child = child0;
    while (base[v] !== b) {
      blossom[base[v] as number] = 1;
      blossom[base[mate[v] as number] as number] = 1;
      parent[v] = child;
      child = mate[v] as number;
      v = parent[mate[v] as number] as number;
    }
  }
}

function* range(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}

/** CSR adjacency from an undirected edge list (both directions stored). */
export function sparseGraph(n: number, us: Int32Array, vs: Int32Array, m: number): MatchGraph {
  const offsets = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    const a = (us[e] as number) + 1;
    const b = (vs[e] as number) + 1;
    offsets[a] = (offsets[a] as number) + 1;
    offsets[b] = (offsets[b] as number) + 1;
  }
  for (let i = 0; i < n; i++) offsets[i + 1] = (offsets[i + 1] as number) + (offsets[i] as number);
  const fill = offsets.slice(0, n);
  const targets = new Int32Array(2 * m);
  for (let e = 0; e < m; e++) {
    const u = us[e] as number;
    const v = vs[e] as number;
    const fu = fill[u] as number;
    const fv = fill[v] as number;
    targets[fu] = v;
    fill[u] = fu + 1;
    targets[fv] = u;
    fill[v] = fv + 1;
  }
  return { kind: 'sparse', n, offsets, targets };
}
