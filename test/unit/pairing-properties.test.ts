/**
 * Properties of the pairing planner for every group size: nobody lost or doubled, sizes as
 * product.md says, exclusions never violated, the trio rule, tags and the met index.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildMetIndex,
  groupSizes,
  type PairingMember,
  type PastGroup,
  type PlanRoundInput,
  planRound,
  type RoundPlan,
  topicTags,
} from '../../src/core/pairing/index.js';

const key = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

function prng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const TAGS = ['valpreventie', 'dementie', 'mantelzorg', 'wondzorg', 'medicatie', 'leefstijl'];

function randomInput(n: number, size: number, seed: number): PlanRoundInput {
  const rnd = prng(seed);
  const pick = () => TAGS.filter(() => rnd() < 0.25);
  const members: PairingMember[] = Array.from({ length: n }, (_, i) => ({
    id: `id-${String(i).padStart(3, '0')}`,
    organisationId: rnd() < 0.1 ? null : `org-${Math.floor(rnd() * 4)}`,
    canShare: pick(),
    wantsToLearn: pick(),
    isNewcomer: rnd() < 0.2,
  }));
  const ids = members.map((m) => m.id);
  const history: PastGroup[] = [];
  const rounds = Math.floor(rnd() * 8);
  for (let r = 1; r <= rounds; r++) {
    const present = ids.filter(() => rnd() < 0.85).sort(() => rnd() - 0.5);
    for (let i = 0; i < present.length; i += size) history.push({ round: r, memberIds: present.slice(i, i + size) });
  }
  const exclusions: Array<[string, string]> = [];
  const e = Math.floor(rnd() * 4);
  for (let k = 0; k < e && n > 1; k++) {
    const a = ids[Math.floor(rnd() * n)] as string;
    const b = ids[Math.floor(rnd() * n)] as string;
    if (a !== b) exclusions.push([a, b]);
  }
  const previousOversized = ids.filter(() => rnd() < 0.15);
  return { members, history, groupSize: size, exclusions, previousOversized, seed: Math.floor(rnd() * 1e6) };
}

/** Checks every invariant that holds for any input. */
function checkInvariants(input: PlanRoundInput, plan: RoundPlan): void {
  const ids = input.members.map((m) => m.id);
  const placed = plan.groups.flatMap((g) => g.memberIds);
  // nobody lost or doubled
  expect([...placed, ...plan.unpaired].sort()).toEqual([...ids].sort());
  // unpaired only when fewer than two members, or left out by exclusions
  const leftOut = plan.notices.flatMap((x) => (x.kind === 'left-out-by-exclusions' ? x.memberIds : []));
  if (ids.length >= 2) expect([...plan.unpaired].sort()).toEqual([...leftOut].sort());
  else expect(plan.notices.some((x) => x.kind === 'too-few-members')).toBe(true);
  // sizes as the rule says for those placed
  const sizes = plan.groups.map((g) => g.memberIds.length).sort((a, b) => b - a);
  expect(sizes).toEqual(groupSizes(placed.length, input.groupSize));
  // exclusions never violated
  const excluded = new Set(input.exclusions.map(([a, b]) => key(a, b)));
  for (const g of plan.groups)
    for (const a of g.memberIds)
      for (const b of g.memberIds) {
        if (a !== b) expect(excluded.has(key(a, b))).toBe(false);
      }
  // repeats and reasons are what the groups say
  const met = buildMetIndex(input.history);
  const repeats = plan.groups.flatMap((g) =>
    g.memberIds.flatMap((a, i) =>
      g.memberIds.slice(i + 1).flatMap((b) => {
        const r = met.lastMet(a, b);
        return r === undefined ? [] : [`${key(a, b)}@${r}`];
      }),
    ),
  );
  expect(plan.repeats.map((r) => `${key(r.a, r.b)}@${r.lastRound}`).sort()).toEqual(repeats.sort());
  const byId = new Map(input.members.map((m) => [m.id, m]));
  let cross = 0;
  for (const g of plan.groups) {
    const ms = g.memberIds.map((id) => byId.get(id) as PairingMember);
    const orgs = new Set(ms.map((m) => m.organisationId).filter((o) => o !== null));
    expect(g.reasons.crossOrganisation).toBe(orgs.size >= 2);
    if (orgs.size >= 2) cross++;
    const shared = new Set<string>();
    for (const x of ms)
      for (const y of ms) if (x !== y) for (const t of x.wantsToLearn) if (y.canShare.includes(t)) shared.add(t);
    expect(g.reasons.sharedTopics).toEqual([...shared].sort());
    expect(g.reasons.newcomers).toEqual(ms.filter((m) => m.isNewcomer).map((m) => m.id));
  }
  expect(plan.crossOrganisationShare).toBeCloseTo(plan.groups.length === 0 ? 0 : cross / plan.groups.length, 10);
}

/** Every partition of `ids` into groups of the given sizes (small n only). */
function* partitions(ids: string[], sizes: number[]): Generator<string[][]> {
  if (ids.length === 0) {
    yield [];
    return;
  }
  const [first, ...rest] = ids as [string, ...string[]];
  for (const s of [...new Set(sizes)]) {
    const left = [...sizes];
    left.splice(left.indexOf(s), 1);
    const choose = function* (from: number, picked: string[]): Generator<string[]> {
      if (picked.length === s - 1) {
        yield picked;
        return;
      }
      for (let i = from; i < rest.length; i++) yield* choose(i + 1, [...picked, rest[i] as string]);
    };
    for (const mates of choose(0, [])) {
      const others = rest.filter((x) => !mates.includes(x));
      for (const p of partitions(others, left)) yield [[first, ...mates], ...p];
    }
  }
}

describe('group sizes (product.md: remainder spread one extra per group, never a group of one)', () => {
  it('follows the rule for every n and size', () => {
    for (let size = 2; size <= 6; size++) {
      for (let n = 0; n <= 120; n++) {
        const sizes = groupSizes(n, size);
        expect(sizes.reduce((a, b) => a + b, 0)).toBe(n < 2 ? 0 : n);
        if (n < 2) {
          expect(sizes).toEqual([]);
          continue;
        }
        expect(Math.min(...sizes)).toBeGreaterThanOrEqual(2);
        const groups = Math.floor(n / size);
        const rest = n % size;
        if (groups === 0) expect(sizes).toEqual([n]);
        else if (rest <= groups) {
          expect(sizes.length).toBe(groups);
          expect(sizes.filter((s) => s === size + 1).length).toBe(rest);
          expect(sizes.every((s) => s === size || s === size + 1)).toBe(true);
        } else {
          expect(sizes.length).toBe(groups + 1);
          expect(Math.max(...sizes)).toBeLessThanOrEqual(size);
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        }
      }
    }
    expect(groupSizes(7, 2)).toEqual([3, 2, 2]);
    expect(groupSizes(8, 3)).toEqual([4, 4]);
    expect(groupSizes(11, 6)).toEqual([6, 5]);
    expect(groupSizes(3, 4)).toEqual([3]);
    expect(groupSizes(1, 2)).toEqual([]);
    for (const bad of [1, 7, 2.5, Number.NaN]) expect(() => groupSizes(10, bad)).toThrow(RangeError);
  });
});

describe('planRound invariants', () => {
  it('nobody lost or doubled, sizes as set, exclusions kept, reasons and repeats truthful (all sizes)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        (n, size, seed) => {
          const input = randomInput(n, size, seed);
          checkInvariants(input, planRound(input));
        },
      ),
      { seed: 4242, numRuns: 250 },
    );
  });

  it('the same for the scalable paths (no enumeration)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 60 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        (n, size, seed) => {
          const input = { ...randomInput(n, size, seed), tuning: { exhaustiveLimit: 0 } };
          checkInvariants(input, planRound(input));
        },
      ),
      { seed: 4343, numRuns: 150 },
    );
  });

  it('is deterministic for a seed and does not depend on the order of members', () => {
    for (const [n, size] of [
      [9, 2],
      [40, 2],
      [450, 2],
      [31, 3],
      [26, 4],
    ] as const) {
      const input = randomInput(n, size, n * 7 + size);
      const a = planRound(input);
      const b = planRound({ ...input, members: [...input.members].reverse() });
      expect(b).toEqual(a);
      expect(planRound(input)).toEqual(a);
    }
  });
});

describe('exclusions ("don\'t pair me with") are a hard constraint', () => {
  it('nobody is left out when a grouping without excluded pairs exists (brute force, n ≤ 8)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 2, max: 3 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.boolean(),
        (n, size, seed, scalable) => {
          const rnd = prng(seed);
          const input = randomInput(n, size, seed);
          const ids = input.members.map((m) => m.id);
          // many exclusions, so that some instances are infeasible
          const exclusions: Array<[string, string]> = [];
          for (const a of ids) for (const b of ids) if (a < b && rnd() < 0.35) exclusions.push([a, b]);
          const excluded = new Set(exclusions.map(([a, b]) => key(a, b)));
          let feasible = false;
          for (const p of partitions(ids, groupSizes(n, size))) {
            if (p.every((g) => g.every((a) => g.every((b) => a === b || !excluded.has(key(a, b)))))) {
              feasible = true;
              break;
            }
          }
          const full = { ...input, exclusions, tuning: scalable ? { exhaustiveLimit: 0 } : undefined };
          const plan = planRound(full);
          checkInvariants(full, plan);
          if (feasible) expect(plan.unpaired).toEqual([]);
          else expect(plan.unpaired.length).toBeGreaterThan(0);
        },
      ),
      { seed: 777, numRuns: 300 },
    );
  });

  it('three members who exclude each other: reported, never grouped', () => {
    const members = ['a', 'b', 'c'].map((id) => ({
      id,
      organisationId: null,
      canShare: [],
      wantsToLearn: [],
      isNewcomer: true,
    }));
    const plan = planRound({
      members,
      history: [],
      groupSize: 2,
      exclusions: [
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'a'],
      ],
      seed: 1,
    });
    expect(plan.groups).toEqual([]);
    expect([...plan.unpaired].sort()).toEqual(['a', 'b', 'c']);
    expect(plan.notices).toContainEqual({ kind: 'left-out-by-exclusions', memberIds: expect.any(Array) });
  });

  it('one member who excludes everyone sits out; the others still meet', () => {
    const members = ['a', 'b', 'c', 'd'].map((id) => ({
      id,
      organisationId: null,
      canShare: [],
      wantsToLearn: [],
      isNewcomer: false,
    }));
    const plan = planRound({
      members,
      history: [],
      groupSize: 2,
      exclusions: [
        ['a', 'b'],
        ['a', 'c'],
        ['a', 'd'],
      ],
      seed: 3,
    });
    expect(plan.unpaired).toEqual(['a']);
    expect(plan.groups.map((g) => g.memberIds)).toEqual([['b', 'c', 'd']]);
  });

  it('a network of one makes no group and says so', () => {
    const plan = planRound({
      members: [{ id: 'solo', organisationId: 'x', canShare: [], wantsToLearn: [], isNewcomer: true }],
      history: [],
      groupSize: 2,
      exclusions: [],
      seed: 1,
    });
    expect(plan.groups).toEqual([]);
    expect(plan.unpaired).toEqual(['solo']);
    expect(plan.notices).toEqual([{ kind: 'too-few-members' }]);
  });
});

describe('not the same person in an oversized group twice in a row', () => {
  it('when avoidable without a repeat (brute force, n ≤ 9, sizes 2 and 3)', () => {
    let tested = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 9 }),
        fc.integer({ min: 2, max: 3 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        (n, size, seed) => {
          const input = { ...randomInput(n, size, seed), exclusions: [], tuning: { lookahead: false } };
          const sizes = groupSizes(n, size);
          if (!sizes.some((s) => s > size)) return;
          tested++;
          const met = buildMetIndex(input.history);
          const prev = new Set(input.previousOversized);
          let best: [number, number] | null = null;
          for (const p of partitions(
            input.members.map((m) => m.id),
            sizes,
          )) {
            let repeats = 0;
            let again = 0;
            for (const g of p) {
              for (const a of g) for (const b of g) if (a < b && met.lastMet(a, b) !== undefined) repeats++;
              if (g.length > size) again += g.filter((x) => prev.has(x)).length;
            }
            if (!best || repeats < best[0] || (repeats === best[0] && again < best[1])) best = [repeats, again];
          }
          const plan = planRound(input);
          const again = plan.groups
            .filter((g) => g.memberIds.length > size)
            .reduce((s, g) => s + g.memberIds.filter((x) => prev.has(x)).length, 0);
          expect([plan.repeats.length, again]).toEqual(best);
          expect(plan.notices.some((x) => x.kind === 'oversized-again')).toBe(again > 0);
        },
      ),
      { seed: 99, numRuns: 200 },
    );
    expect(tested).toBeGreaterThan(50);
  });

  it("in large rounds too (last round's trio members are never in this round's oversized groups)", () => {
    for (const [n, size] of [
      [31, 2],
      [51, 2],
      [301, 2],
      [32, 3],
      [58, 4],
      [1001, 2],
    ] as const) {
      const input = randomInput(n, size, n);
      const prev = input.members.slice(0, 10).map((m) => m.id);
      const plan = planRound({ ...input, history: [], exclusions: [], previousOversized: prev });
      const oversized = plan.groups.filter((g) => g.memberIds.length > size).flatMap((g) => g.memberIds);
      expect(oversized.length).toBeGreaterThan(0);
      expect(oversized.filter((id) => prev.includes(id))).toEqual([]);
    }
  });
});

describe('newcomers', () => {
  it('are grouped with experienced members who can share (all else equal)', () => {
    for (const scalable of [false, true]) {
      const members: PairingMember[] = [];
      for (let i = 0; i < 4; i++)
        members.push({ id: `new-${i}`, organisationId: 'o', canShare: [], wantsToLearn: [], isNewcomer: true });
      for (let i = 0; i < 4; i++)
        members.push({
          id: `sharer-${i}`,
          organisationId: 'o',
          canShare: [`t${i}`],
          wantsToLearn: [],
          isNewcomer: false,
        });
      for (let i = 0; i < 4; i++)
        members.push({ id: `quiet-${i}`, organisationId: 'o', canShare: [], wantsToLearn: [], isNewcomer: false });
      const plan = planRound({
        members,
        history: [],
        groupSize: 2,
        exclusions: [],
        seed: 8,
        tuning: scalable ? { exhaustiveLimit: 0 } : undefined,
      });
      for (const g of plan.groups) {
        if (g.reasons.newcomers.length > 0) {
          expect(g.memberIds.some((id) => id.startsWith('sharer-'))).toBe(true);
        }
      }
    }
  });
});

describe('rule 1 at scale: the sparse candidate graph is checked against the full unmet graph', () => {
  /** n members who have met everyone except a hidden partner (and for odd n, a hidden trio). */
  function hidden(n: number): PlanRoundInput {
    const ids = Array.from({ length: n }, (_, i) => `h${String(i).padStart(4, '0')}`);
    const rnd = prng(n);
    const order = [...ids].sort(() => rnd() - 0.5);
    const unmet = new Set<string>();
    let i = 0;
    if (n % 2 === 1) {
      const [a, b, c] = order as [string, string, string];
      unmet.add(key(a, b)).add(key(a, c)).add(key(b, c));
      i = 3;
    }
    for (; i + 1 < n; i += 2) unmet.add(key(order[i] as string, order[i + 1] as string));
    const history: PastGroup[] = [];
    for (let x = 0; x < n; x++) {
      for (let y = x + 1; y < n; y++) {
        const a = ids[x] as string;
        const b = ids[y] as string;
        if (!unmet.has(key(a, b))) history.push({ round: 1 + ((x + y) % 40), memberIds: [a, b] });
      }
    }
    const members = ids.map((id, k) => ({
      id,
      organisationId: `o${k % 5}`,
      canShare: [],
      wantsToLearn: [],
      isNewcomer: false,
    }));
    return { members, history, groupSize: 2, exclusions: [], seed: 5 };
  }

  it('finds the one repeat-free grouping among 600 members (even) and 451 (odd)', () => {
    for (const n of [600, 451]) {
      const input = hidden(n);
      const plan = planRound(input);
      expect(plan.repeats).toEqual([]);
      expect(plan.groups.length).toBe(Math.floor(n / 2));
    }
  });

  it('when none exists, repeats only as many as needed and says it was proven', () => {
    const input = hidden(600);
    // one more meeting: the hidden partners of the first two members met too
    const order = input.members.map((m) => m.id);
    const met = buildMetIndex(input.history);
    const first = order[0] as string;
    const partner = order.find((id) => id !== first && met.lastMet(first, id) === undefined) as string;
    const plan = planRound({ ...input, history: [...input.history, { round: 99, memberIds: [first, partner] }] });
    expect(plan.repeats.length).toBe(1);
    expect(plan.notices).toContainEqual({ kind: 'repeats', count: 1, proven: true });
    expect(plan.diagnostics.fullGraphChecked).toBe(true);
  });
});

describe('topicTags', () => {
  it('splits free text into normalised tags', () => {
    expect(topicTags('valpreventie, dementie en #mantelzorg')).toEqual(['valpreventie', 'dementie', 'mantelzorg']);
    expect(topicTags('Valpreventie; DEMENTIE and Mantelzorg, valpreventie')).toEqual([
      'valpreventie',
      'dementie',
      'mantelzorg',
    ]);
    expect(topicTags('  Cliëntveiligheid ,  Zorg   op afstand. ')).toEqual(['cliëntveiligheid', 'zorg op afstand']);
    expect(topicTags('tenen en benen')).toEqual(['tenen', 'benen']);
    expect(topicTags('dementie')).toEqual(['dementie']);
    expect(topicTags('#wondzorg#medicatie')).toEqual(['wondzorg', 'medicatie']);
    expect(topicTags('')).toEqual([]);
    expect(topicTags(' , ; # en ')).toEqual([]);
  });

  it('is idempotent and yields lower-case, trimmed, unique, non-empty tags', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const tags = topicTags(text);
        expect(new Set(tags).size).toBe(tags.length);
        for (const t of tags) {
          expect(t).not.toBe('');
          expect(t).toBe(t.trim());
          expect(t).toBe(t.toLocaleLowerCase('nl'));
          expect(t).not.toMatch(/[,;#]/);
        }
        expect(topicTags(tags.join(', '))).toEqual(tags);
      }),
      { seed: 11, numRuns: 500 },
    );
  });
});

describe('buildMetIndex', () => {
  it('matches a naive scan: symmetric, most recent round, distinct pairs, only present members', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            round: fc.integer({ min: 1, max: 30 }),
            memberIds: fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { maxLength: 4 }),
          }),
          { maxLength: 25 },
        ),
        (history) => {
          const naive = new Map<string, number>();
          for (const g of history)
            for (const a of g.memberIds)
              for (const b of g.memberIds) {
                if (a < b) naive.set(key(a, b), Math.max(naive.get(key(a, b)) ?? -1, g.round));
              }
          const index = buildMetIndex(history);
          expect(index.pairCount).toBe(naive.size);
          for (const a of 'abcdef')
            for (const b of 'abcdef') {
              if (a === b) continue;
              expect(index.lastMet(a, b)).toBe(naive.get(key(a, b)));
              expect(index.partners(a).get(b)).toBe(naive.get(key(a, b)));
            }
          const only = buildMetIndex(history, new Set(['a', 'b', 'c']));
          expect(only.lastMet('a', 'd')).toBeUndefined();
          expect(only.lastMet('a', 'b')).toBe(naive.get(key('a', 'b')));
        },
      ),
      { seed: 5, numRuns: 200 },
    );
  });
});
