/**
 * An exhaustive oracle for small networks (n ≤ 10, groups of two plus at most one trio): every
 * grouping is enumerated here, independently of the planner, and the planner must match the
 * oracle's optimum of rule 1 (and the group-size rule) over random histories.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PairingMember, type PastGroup, planRound, type RoundPlan } from '../../src/core/pairing/index.js';

type Grouping = string[][];

/** Every split of `ids` into pairs, plus one trio when the count is odd. */
function* groupings(ids: string[]): Generator<Grouping> {
  if (ids.length === 0) {
    yield [];
    return;
  }
  if (ids.length === 1) return;
  const [first, ...rest] = ids as [string, ...string[]];
  const trioAllowed = ids.length % 2 === 1;
  for (let i = 0; i < rest.length; i++) {
    const partner = rest[i] as string;
    const others = rest.filter((_, k) => k !== i);
    if (others.length % 2 === 1 && !trioAllowed) continue;
    for (const g of groupings(others)) {
      if (trioAllowed && others.length % 2 === 0 && g.some((x) => x.length === 3)) continue;
      yield [[first, partner], ...g];
    }
  }
  if (trioAllowed) {
    for (let i = 0; i < rest.length; i++) {
      for (let j = i + 1; j < rest.length; j++) {
        const others = rest.filter((_, k) => k !== i && k !== j);
        for (const g of pairsOnly(others)) yield [[first, rest[i] as string, rest[j] as string], ...g];
      }
    }
  }
}

function* pairsOnly(ids: string[]): Generator<Grouping> {
  if (ids.length === 0) {
    yield [];
    return;
  }
  const [first, ...rest] = ids as [string, ...string[]];
  for (let i = 0; i < rest.length; i++) {
    for (const g of pairsOnly(rest.filter((_, k) => k !== i))) yield [[first, rest[i] as string], ...g];
  }
}

const key = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

interface Oracle {
  repeatFreeExists: boolean;
  minRepeats: number;
  /** Best (repeats, oversized again, recency profile): profile = last rounds, most recent first. */
  best: { repeats: number; again: number; profile: number[] };
  feasible: boolean;
}

function oracle(ids: string[], history: PastGroup[], exclusions: Array<[string, string]>, prevTrio: string[]): Oracle {
  const last = new Map<string, number>();
  for (const g of history) {
    for (const a of g.memberIds)
      for (const b of g.memberIds) {
        if (a < b) last.set(key(a, b), Math.max(last.get(key(a, b)) ?? -Infinity, g.round));
      }
  }
  const excluded = new Set(exclusions.map(([a, b]) => key(a, b)));
  let best: Oracle['best'] | null = null;
  let minRepeats = Infinity;
  for (const grouping of groupings(ids)) {
    const profile: number[] = [];
    let bad = false;
    let again = 0;
    for (const g of grouping) {
      if (g.length === 3) again += g.filter((x) => prevTrio.includes(x)).length;
      for (let i = 0; i < g.length; i++)
        for (let j = i + 1; j < g.length; j++) {
          const k = key(g[i] as string, g[j] as string);
          if (excluded.has(k)) bad = true;
          const r = last.get(k);
          if (r !== undefined) profile.push(r);
        }
    }
    if (bad) continue;
    profile.sort((a, b) => b - a);
    minRepeats = Math.min(minRepeats, profile.length);
    const cand = { repeats: profile.length, again, profile };
    if (!best || better(cand, best)) best = cand;
  }
  return {
    repeatFreeExists: minRepeats === 0,
    minRepeats,
    best: best ?? { repeats: 0, again: 0, profile: [] },
    feasible: best !== null,
  };
}

function better(a: Oracle['best'], b: Oracle['best']): boolean {
  if (a.repeats !== b.repeats) return a.repeats < b.repeats;
  if (a.again !== b.again) return a.again < b.again;
  for (let i = 0; i < a.profile.length; i++)
    if (a.profile[i] !== b.profile[i]) return (a.profile[i] as number) < (b.profile[i] as number);
  return false;
}

/** A small deterministic PRNG for building histories from fast-check's integers. */
function prng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

interface Scenario {
  members: PairingMember[];
  history: PastGroup[];
  exclusions: Array<[string, string]>;
  prevTrio: string[];
}

function scenario(n: number, rounds: number, seed: number, withExclusions: boolean): Scenario {
  const rnd = prng(seed);
  const orgs = 1 + Math.floor(rnd() * 3);
  const members: PairingMember[] = Array.from({ length: n }, (_, i) => ({
    id: `m${i}`,
    organisationId: `o${Math.floor(rnd() * orgs)}`,
    canShare: [],
    wantsToLearn: [],
    isNewcomer: false,
  }));
  const history: PastGroup[] = [];
  // earlier rounds among a roster slightly larger than today's, with absences
  const roster = [...members.map((m) => m.id), 'gone-1', 'gone-2'];
  for (let r = 1; r <= rounds; r++) {
    const present = roster.filter(() => rnd() > 0.2).sort(() => rnd() - 0.5);
    for (let i = 0; i + 1 < present.length; i += 2) {
      const g = [present[i] as string, present[i + 1] as string];
      if (i + 3 === present.length) g.push(present[i + 2] as string);
      history.push({ round: r * 2, memberIds: g });
    }
  }
  const exclusions: Array<[string, string]> = [];
  if (withExclusions) {
    const count = Math.floor(rnd() * 3);
    for (let e = 0; e < count; e++) {
      const a = Math.floor(rnd() * n);
      const b = Math.floor(rnd() * n);
      if (a !== b) exclusions.push([`m${a}`, `m${b}`]);
    }
  }
  const lastTrio = history.filter((g) => g.round === rounds * 2 && g.memberIds.length === 3)[0]?.memberIds ?? [];
  return { members, history, exclusions, prevTrio: lastTrio.filter((id) => !id.startsWith('gone')) };
}

function profileOf(plan: RoundPlan): number[] {
  return plan.repeats.map((r) => r.lastRound).sort((a, b) => b - a);
}

function againOf(plan: RoundPlan, prevTrio: string[]): number {
  return plan.groups
    .filter((g) => g.memberIds.length > 2)
    .reduce((sum, g) => sum + g.memberIds.filter((id) => prevTrio.includes(id)).length, 0);
}

const arbitrary = fc.record({
  n: fc.integer({ min: 2, max: 10 }),
  rounds: fc.integer({ min: 0, max: 9 }),
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  exclusions: fc.boolean(),
  planSeed: fc.integer({ min: 0, max: 1000 }),
});

describe('pairing oracle (n ≤ 10, pairs plus at most one trio)', () => {
  it('enumerates every grouping once (the oracle itself)', () => {
    const counts = [2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => {
      const all = [...groupings(Array.from({ length: n }, (_, i) => `m${i}`))];
      expect(new Set(all.map((g) => JSON.stringify(g.map((x) => [...x].sort()).sort()))).size).toBe(all.length);
      return all.length;
    });
    // pairs: (n−1)!!; odd n: C(n,3) trios times (n−4)!! pairings of the rest
    expect(counts).toEqual([1, 1, 3, 10, 15, 105, 105, 1260, 945]);
  });

  it('the default planner reaches the oracle optimum: repeat-free when possible, else fewest repeats, oldest first', () => {
    let withRepeats = 0;
    let repeatFree = 0;
    fc.assert(
      fc.property(arbitrary, ({ n, rounds, seed, exclusions, planSeed }) => {
        const s = scenario(n, rounds, seed, exclusions);
        const o = oracle(
          s.members.map((m) => m.id),
          s.history,
          s.exclusions,
          s.prevTrio,
        );
        const input = {
          members: s.members,
          history: s.history,
          groupSize: 2,
          exclusions: s.exclusions,
          previousOversized: s.prevTrio,
          seed: planSeed,
        };
        const plan = planRound(input);
        if (!o.feasible) {
          expect(plan.unpaired.length).toBeGreaterThan(0);
          return;
        }
        expect(plan.unpaired).toEqual([]);
        if (o.repeatFreeExists) repeatFree++;
        else withRepeats++;
        expect(plan.repeats.length).toBe(o.minRepeats);
        expect(profileOf(plan)).toEqual(o.best.profile);
        // the trio rule comes right after the repeat count (without endgame planning, which may
        // trade it for a longer repeat-free future)
        const strict = planRound({ ...input, tuning: { lookahead: false } });
        expect(strict.repeats.length).toBe(o.minRepeats);
        expect(againOf(strict, s.prevTrio)).toBe(o.best.again);
      }),
      { seed: 20260101, numRuns: 400 },
    );
    // the generator covers both sides of rule 1
    expect(withRepeats).toBeGreaterThan(40);
    expect(repeatFree).toBeGreaterThan(40);
  });

  it('the scalable path (matching, no enumeration): repeat-free whenever possible, else the fewest repeats', () => {
    let repeatCases = 0;
    let oldestRepeats = 0;
    fc.assert(
      fc.property(arbitrary, ({ n, rounds, seed, exclusions, planSeed }) => {
        const s = scenario(n, rounds, seed, exclusions);
        const o = oracle(
          s.members.map((m) => m.id),
          s.history,
          s.exclusions,
          [],
        );
        const plan = planRound({
          members: s.members,
          history: s.history,
          groupSize: 2,
          exclusions: s.exclusions,
          seed: planSeed,
          tuning: { exhaustiveLimit: 0, lookahead: false },
        });
        if (!o.feasible) {
          expect(plan.unpaired.length).toBeGreaterThan(0);
          return;
        }
        expect(plan.diagnostics.method).toBe('matching');
        expect(plan.unpaired).toEqual([]);
        expect(plan.repeats.length === 0).toBe(o.repeatFreeExists);
        expect(plan.repeats.length).toBe(o.minRepeats);
        if (o.minRepeats > 0) {
          repeatCases++;
          if (JSON.stringify(profileOf(plan)) === JSON.stringify(o.best.profile)) oldestRepeats++;
        }
      }),
      { seed: 20260102, numRuns: 400 },
    );
    // which pairs repeat is heuristic on this path (local search): measured, not guaranteed
    expect(repeatCases).toBeGreaterThan(40);
    expect(oldestRepeats / repeatCases).toBeGreaterThanOrEqual(0.9);
  });
});
