/**
 * The planner's working model: members as indices 0..n-1 (sorted by id, so the same roster always
 * gets the same indices), met and excluded pairs as per-member tables, and the objective.
 */
import { normaliseTag } from './tags.js';
import type { PairingMember, PastGroup } from './types.js';

/** Weights of the scalar objective (higher is better), one tier per rule, largest first. */
export const W = {
  /** A pair in a group that excludes it ("don't pair me with"): never accepted in a plan. */
  excluded: 1e15,
  /** A pair that met before (rule 1: count first). */
  repeat: 1e13,
  /** A member in an oversized group two rounds in a row. */
  oversizedAgain: 1e11,
  /** A repeat's recency, times a weight in (0, 1]: the most recent meeting costs most. */
  recency: 1e9,
  /** A group with two or more organisations (rule 3). */
  cross: 1e6,
  /** One shared topic: someone wants to learn what another can share (rule 4), capped at 9. */
  topic: 1e3,
  /** A newcomer with an experienced member who can share (rule 5): 1, or 2 on their topic. */
  newcomer: 10,
  /** Each distinct organisation in a group (a small nudge towards diversity in bigger groups). */
  diversity: 1,
} as const;

const TOPIC_CAP = 9;

export interface Problem {
  n: number;
  ids: string[];
  /** Group size setting. */
  size: number;
  /** Sizes of this round's groups, largest first. */
  sizes: number[];
  org: Int32Array;
  isNew: Uint8Array;
  wants: Int32Array[];
  shares: Int32Array[];
  tagNames: string[];
  /** Per member: partner index → most recent round they met. */
  met: Map<number, number>[];
  /** Per member: partners met, as a list (for scans). */
  metList: Int32Array[];
  excluded: Set<number>[];
  /** Per member: partners met or excluded: the pairs not in the unmet graph H. */
  blocked: Int32Array[];
  /** Per member: excluded partners only: the pairs not in the allowed graph A. */
  excludedList: Int32Array[];
  prevOversized: Uint8Array;
  /** round → weight in (0, 1]; the most recent round weighs 1, each older one half as much. */
  recencyWeight: Map<number, number>;
}

export function buildProblem(
  members: PairingMember[],
  history: PastGroup[],
  exclusions: Array<[string, string]>,
  previousOversized: string[],
  size: number,
  sizes: number[],
): Problem {
  const n = members.length;
  const ids = members.map((m) => m.id);
  const index = new Map(ids.map((id, i) => [id, i]));
  const orgIds = new Map<string, number>();
  const org = new Int32Array(n);
  const tagIds = new Map<string, number>();
  const tagNames: string[] = [];
  const tagList = (tags: string[]) => {
    const out = new Set<number>();
    for (const raw of tags) {
      const tag = normaliseTag(raw);
      if (tag === '') continue;
      let id = tagIds.get(tag);
      if (id === undefined) {
        id = tagNames.length;
        tagIds.set(tag, id);
        tagNames.push(tag);
      }
      out.add(id);
    }
    return Int32Array.from([...out].sort((a, b) => a - b));
  };
  const wants: Int32Array[] = [];
  const shares: Int32Array[] = [];
  const isNew = new Uint8Array(n);
  members.forEach((m, i) => {
    if (m.organisationId === null) org[i] = -1;
    else {
      let o = orgIds.get(m.organisationId);
      if (o === undefined) {
        o = orgIds.size;
        orgIds.set(m.organisationId, o);
      }
      org[i] = o;
    }
    isNew[i] = m.isNewcomer ? 1 : 0;
    wants.push(tagList(m.wantsToLearn));
    shares.push(tagList(m.canShare));
  });

  const met: Map<number, number>[] = Array.from({ length: n }, () => new Map<number, number>());
  const rounds = new Set<number>();
  const idx: number[] = [];
  for (const group of history) {
    idx.length = 0;
    for (const id of group.memberIds) {
      const i = index.get(id);
      if (i !== undefined && !idx.includes(i)) idx.push(i);
    }
    if (idx.length < 2) continue;
    rounds.add(group.round);
    for (let a = 0; a < idx.length; a++) {
      const i = idx[a] as number;
      const row = met[i] as Map<number, number>;
      for (let b = 0; b < idx.length; b++) {
        if (a === b) continue;
        const j = idx[b] as number;
        const prev = row.get(j);
        if (prev === undefined || group.round > prev) row.set(j, group.round);
      }
    }
  }
  const sortedRounds = [...rounds].sort((a, b) => a - b);
  const recencyWeight = new Map<number, number>();
  const L = sortedRounds.length;
  sortedRounds.forEach((r, k) => {
    recencyWeight.set(r, 2 ** (k - (L - 1)));
  });

  const excluded: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  for (const [a, b] of exclusions) {
    const i = index.get(a);
    const j = index.get(b);
    if (i === undefined || j === undefined || i === j) continue;
    excluded[i]?.add(j);
    excluded[j]?.add(i);
  }
  const metList = met.map((row) => Int32Array.from(row.keys()));
  const excludedList = excluded.map((s) => Int32Array.from(s));
  const blocked = met.map((row, i) => {
    const all = new Set<number>(row.keys());
    for (const j of excluded[i] as Set<number>) all.add(j);
    return Int32Array.from(all);
  });
  const prevOversized = new Uint8Array(n);
  for (const id of previousOversized) {
    const i = index.get(id);
    if (i !== undefined) prevOversized[i] = 1;
  }
  return {
    n,
    ids,
    size,
    sizes,
    org,
    isNew,
    wants,
    shares,
    tagNames,
    met,
    metList,
    excluded,
    blocked,
    excludedList,
    prevOversized,
    recencyWeight,
  };
}

/** Sorted-array intersection size (tag lists are short). */
function overlaps(a: Int32Array, b: Int32Array, out: number[] | null): number {
  let i = 0;
  let j = 0;
  let count = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      count++;
      if (out && !out.includes(x)) out.push(x);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return count;
}

const scratch: number[] = [];

/** Pair value for unmet pairs, without the repeat tiers: the candidate graph's edge weight. */
export function pairWeight(p: Problem, u: number, v: number): number {
  let w = 0;
  const ou = p.org[u] as number;
  const ov = p.org[v] as number;
  if (ou >= 0 && ov >= 0 && ou !== ov) w += W.cross + 2 * W.diversity;
  else if (ou >= 0 || ov >= 0) w += W.diversity;
  const wu = p.wants[u] as Int32Array;
  const wv = p.wants[v] as Int32Array;
  const su = p.shares[u] as Int32Array;
  const sv = p.shares[v] as Int32Array;
  let topics = 0;
  const one = wu.length > 0 && sv.length > 0 ? overlaps(wu, sv, null) : 0;
  const two = wv.length > 0 && su.length > 0 ? overlaps(wv, su, null) : 0;
  topics = one + two;
  if (one > 0 && two > 0) {
    // a tag both can share and both want counts once
    scratch.length = 0;
    overlaps(wu, sv, scratch);
    overlaps(wv, su, scratch);
    topics = scratch.length;
  }
  w += Math.min(topics, TOPIC_CAP) * W.topic;
  const nu = p.isNew[u] === 1;
  const nv = p.isNew[v] === 1;
  if (nu !== nv) {
    const [fresh, old] = nu ? [u, v] : [v, u];
    const teaches = overlaps(p.wants[fresh] as Int32Array, p.shares[old] as Int32Array, null) > 0;
    if (teaches) w += 2 * W.newcomer;
    else if ((p.shares[old] as Int32Array).length > 0) w += W.newcomer;
  }
  return w;
}

/** Detailed evaluation of one group (for reasons, reports and the exact comparison). */
export interface GroupEval {
  excluded: number;
  repeats: number;
  /** Last rounds of the repeated pairs. */
  repeatRounds: number[];
  oversizedAgain: number;
  cross: boolean;
  orgs: number;
  topics: number[];
  newcomer: number;
}

export function evaluateGroup(p: Problem, g: ArrayLike<number>): GroupEval {
  let excluded = 0;
  let repeats = 0;
  const repeatRounds: number[] = [];
  const topics: number[] = [];
  const orgSet: number[] = [];
  for (let i = 0; i < g.length; i++) {
    const a = g[i] as number;
    const oa = p.org[a] as number;
    if (oa >= 0 && !orgSet.includes(oa)) orgSet.push(oa);
    for (let j = 0; j < g.length; j++) {
      if (i === j) continue;
      const b = g[j] as number;
      overlaps(p.wants[a] as Int32Array, p.shares[b] as Int32Array, topics);
      if (j < i) continue;
      if ((p.excluded[a] as Set<number>).has(b)) excluded++;
      const r = (p.met[a] as Map<number, number>).get(b);
      if (r !== undefined) {
        repeats++;
        repeatRounds.push(r);
      }
    }
  }
  let oversizedAgain = 0;
  if (g.length > p.size) for (let i = 0; i < g.length; i++) oversizedAgain += p.prevOversized[g[i] as number] as number;
  let newcomer = 0;
  for (let i = 0; i < g.length; i++) {
    const x = g[i] as number;
    if (p.isNew[x] !== 1) continue;
    let best = 0;
    for (let j = 0; j < g.length && best < 2; j++) {
      const e = g[j] as number;
      if (p.isNew[e] === 1) continue;
      if (overlaps(p.wants[x] as Int32Array, p.shares[e] as Int32Array, null) > 0) best = 2;
      else if ((p.shares[e] as Int32Array).length > 0) best = 1;
    }
    newcomer += best;
  }
  return {
    excluded,
    repeats,
    repeatRounds,
    oversizedAgain,
    cross: orgSet.length >= 2,
    orgs: orgSet.length,
    topics,
    newcomer,
  };
}

/** Scalar value of one group (higher is better). */
export function groupValue(p: Problem, g: ArrayLike<number>): number {
  if (g.length === 2) {
    const a = g[0] as number;
    const b = g[1] as number;
    let v = 0;
    if ((p.excluded[a] as Set<number>).has(b)) v -= W.excluded;
    const r = (p.met[a] as Map<number, number>).get(b);
    if (r !== undefined) v -= W.repeat + W.recency * (p.recencyWeight.get(r) ?? 1);
    return v + pairWeight(p, a, b);
  }
  return scalar(p, evaluateGroup(p, g));
}

export function scalar(p: Problem, e: GroupEval): number {
  let recency = 0;
  for (const r of e.repeatRounds) recency += p.recencyWeight.get(r) ?? 1;
  return (
    -W.excluded * e.excluded -
    W.repeat * e.repeats -
    W.oversizedAgain * e.oversizedAgain -
    W.recency * recency +
    (e.cross ? W.cross : 0) +
    W.topic * Math.min(e.topics.length, TOPIC_CAP) +
    W.newcomer * e.newcomer +
    W.diversity * e.orgs
  );
}

export const isMet = (p: Problem, a: number, b: number): boolean => (p.met[a] as Map<number, number>).has(b);
export const isExcluded = (p: Problem, a: number, b: number): boolean => (p.excluded[a] as Set<number>).has(b);
export const isBlocked = (p: Problem, a: number, b: number): boolean => isMet(p, a, b) || isExcluded(p, a, b);
