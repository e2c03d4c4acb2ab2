/** Poll options and the suggested winner: pure functions, no database. */
import { describe, expect, it } from 'vitest';
import { checkTitle, MAX_OPTIONS, optionLabel, optionStart, parseOptions } from '../../src/core/polls/options.js';
import type { Choice, PollOptionRecord, PollVote } from '../../src/core/polls/ports.js';
import { deadlineLabel } from '../../src/core/polls/render.js';
import { suggestWinner, tallies } from '../../src/core/polls/winner.js';

const TZ = 'Europe/Amsterdam';
const today = { year: 2026, month: 3, day: 3 };
const now = new Date('2026-03-03T09:00:00Z'); // 10:00 in Amsterdam

describe('parseOptions', () => {
  it('parses dates and dates with times in the network zone, sorted, all-day first on a day', () => {
    const r = parseOptions(['17-3-2026T14:00', '2026-03-17', '10 maart', 'di 24 mrt 9u30'], today, now, TZ);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.options.map((o) => [o.position, o.date, o.time])).toEqual([
      [0, '2026-03-10', null],
      [1, '2026-03-17', null],
      [2, '2026-03-17', '14:00'],
      [3, '2026-03-24', '09:30'],
    ]);
    // 14:00 in Amsterdam in March (CET) is 13:00 UTC; 24 March is still CET; all day starts at local midnight.
    expect(r.options[2]?.startsAt.toISOString()).toBe('2026-03-17T13:00:00.000Z');
    expect(r.options[0]?.startsAt.toISOString()).toBe('2026-03-09T23:00:00.000Z');
  });

  it('uses summer time after the DST change (30 March 2026 is CEST)', () => {
    const r = parseOptions(['30-3-2026 14:00'], today, now, TZ);
    expect(r.ok && r.options[0]?.startsAt.toISOString()).toBe('2026-03-30T12:00:00.000Z');
    expect(optionStart({ year: 2026, month: 3, day: 30, hour: 14, minute: 0 }, 'America/New_York').toISOString()).toBe(
      '2026-03-30T18:00:00.000Z',
    );
  });

  it('names the problem: impossible, past, duplicate, too many, none', () => {
    expect(parseOptions(['31-02-2027'], today, now, TZ)).toEqual({
      ok: false,
      problem: { kind: 'badDate', input: '31-02-2027' },
    });
    expect(parseOptions(['morgen'], today, now, TZ)).toMatchObject({ problem: { kind: 'badDate' } });
    expect(parseOptions(['2-3-2026'], today, now, TZ)).toMatchObject({ problem: { kind: 'pastDate' } });
    // Today all day is fine; today at a time already passed is not.
    expect(parseOptions(['3-3-2026'], today, now, TZ).ok).toBe(true);
    expect(parseOptions(['3-3-2026 09:30'], today, now, TZ)).toMatchObject({ problem: { kind: 'pastDate' } });
    expect(parseOptions(['3-3-2026 11:00'], today, now, TZ).ok).toBe(true);
    expect(parseOptions(['16 maart', '2026-03-16'], today, now, TZ)).toMatchObject({
      problem: { kind: 'duplicate', input: '2026-03-16' },
    });
    expect(parseOptions(['16 maart', '16 maart 14:00'], today, now, TZ).ok).toBe(true);
    const many = Array.from({ length: MAX_OPTIONS + 1 }, (_, i) => `2026-04-${String(i + 1).padStart(2, '0')}`);
    expect(parseOptions(many, today, now, TZ)).toEqual({ ok: false, problem: { kind: 'tooMany', count: 21, max: 20 } });
    expect(parseOptions(many.slice(0, 20), today, now, TZ).ok).toBe(true);
    expect(parseOptions(['', '  '], today, now, TZ)).toEqual({ ok: false, problem: { kind: 'noOptions' } });
  });

  it('checks the title', () => {
    expect(checkTitle('  Bedrijfs   bezoek ')).toEqual({ ok: true, title: 'Bedrijfs bezoek' });
    expect(checkTitle('')).toMatchObject({ ok: false, problem: { kind: 'noTitle' } });
    expect(checkTitle(undefined)).toMatchObject({ ok: false, problem: { kind: 'noTitle' } });
    expect(checkTitle('x'.repeat(151))).toMatchObject({ ok: false, problem: { kind: 'titleTooLong' } });
  });

  it('labels options in the locale, with the year only when it is not this year', () => {
    expect(optionLabel({ date: '2026-03-02', time: null }, 'nl', 2026)).toBe('ma 2 mrt');
    expect(optionLabel({ date: '2027-03-02', time: '14:00' }, 'nl', 2026)).toBe('di 2 mrt 2027 14:00');
    expect(optionLabel({ date: '2027-03-02', time: null }, 'en', 2027)).toBe('Tue 2 Mar');
    expect(deadlineLabel(new Date('2026-03-05T23:00:00Z'), 'nl', TZ)).toBe('do 5 mrt 23:59');
  });
});

describe('suggestWinner', () => {
  const opt = (i: number, day: number): PollOptionRecord => ({
    id: `o${i}`,
    position: i,
    date: `2026-04-${String(day).padStart(2, '0')}`,
    time: null,
    startsAt: new Date(Date.UTC(2026, 3, day)),
  });
  const options = [opt(0, 10), opt(1, 5), opt(2, 20)];
  const v = (memberId: string, optionId: string, choice: Choice): PollVote => ({
    memberId,
    optionId,
    choice,
  });

  it('most yes + if need be wins', () => {
    const votes = [v('a', 'o0', 'yes'), v('b', 'o0', 'if_need_be'), v('a', 'o1', 'yes'), v('b', 'o1', 'no')];
    expect(suggestWinner(options, votes, null)?.option.id).toBe('o0');
    expect(tallies(options, votes).get('o1')).toEqual({ yes: 1, ifNeedBe: 0, no: 1 });
  });

  it('ties: most yes, then the earliest', () => {
    const byYes = [
      v('a', 'o0', 'if_need_be'),
      v('b', 'o0', 'if_need_be'),
      v('a', 'o2', 'yes'),
      v('b', 'o2', 'if_need_be'),
    ];
    expect(suggestWinner(options, byYes, null)?.option.id).toBe('o2');
    const equal = [v('a', 'o0', 'yes'), v('a', 'o1', 'yes'), v('a', 'o2', 'yes')];
    expect(suggestWinner(options, equal, null)?.option.id).toBe('o1'); // 5 April is earliest
  });

  it('warns when the creator or more than half of the voters said no', () => {
    const votes = [
      v('creator', 'o0', 'no'),
      v('a', 'o0', 'yes'),
      v('b', 'o0', 'yes'),
      v('c', 'o0', 'no'),
      v('d', 'o0', 'no'),
      v('e', 'o1', 'yes'),
    ];
    const s = suggestWinner(options, votes, 'creator');
    expect(s?.option.id).toBe('o0');
    expect(s?.creatorSaidNo).toBe(true);
    // 3 of 6 voters said no: not more than half.
    expect(s?.mostSaidNo).toBe(false);
    const more = suggestWinner(options, [...votes, v('f', 'o0', 'no')], 'other');
    expect(more?.creatorSaidNo).toBe(false);
    expect(more?.mostSaidNo).toBe(true);
  });

  it('no suggestion when nobody can make any date', () => {
    expect(suggestWinner(options, [v('a', 'o0', 'no')], null)).toBeNull();
    expect(suggestWinner(options, [], null)).toBeNull();
  });
});
