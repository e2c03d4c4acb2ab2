/** Who met whom, and when last: the index every pairing rule reads. */
import type { PastGroup } from './types.js';

/** Pairs that shared a group, with the most recent round they did. Symmetric. */
export interface MetIndex {
  /** The most recent round `a` and `b` shared a group, or undefined if never. */
  lastMet(a: string, b: string): number | undefined;
  /** Everyone `a` met, with the most recent round. */
  partners(a: string): ReadonlyMap<string, number>;
  /** Number of distinct pairs that met. */
  readonly pairCount: number;
}

const EMPTY: ReadonlyMap<string, number> = new Map();

/**
 * Builds the met-pairs index in one pass: O(Σ k²) for groups of k members (a round of pairs is
 * linear in its size). Rounds may come in any order; the largest round per pair wins. When
 * `only` is given, pairs with a member outside it are skipped (members who left).
 */
export function buildMetIndex(history: Iterable<PastGroup>, only?: ReadonlySet<string>): MetIndex {
  const byMember = new Map<string, Map<string, number>>();
  let pairCount = 0;
  const note = (a: string, b: string, round: number) => {
    let row = byMember.get(a);
    if (!row) {
      row = new Map();
      byMember.set(a, row);
    }
    const prev = row.get(b);
    if (prev === undefined) {
      row.set(b, round);
      return true;
    }
    if (round > prev) row.set(b, round);
    return false;
  };
  for (const group of history) {
    const ids = only ? group.memberIds.filter((id) => only.has(id)) : group.memberIds;
    for (let i = 0; i < ids.length; i++) {
      const a = ids[i] as string;
      for (let j = i + 1; j < ids.length; j++) {
        const b = ids[j] as string;
        if (a === b) continue;
        if (note(a, b, group.round)) pairCount++;
        note(b, a, group.round);
      }
    }
  }
  return {
    lastMet: (a, b) => byMember.get(a)?.get(b),
    partners: (a) => byMember.get(a) ?? EMPTY,
    pairCount,
  };
}
