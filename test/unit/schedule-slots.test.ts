import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { checkInJob, digestJob, effectiveAt, pairingJob } from '../../src/core/schedule/jobs.js';
import { checkInSlots, digestSlots, pairingSlots } from '../../src/core/schedule/slots.js';
import { upcomingSlots } from '../../src/core/schedule/upcoming.js';
import { CADENCES, type Cadence, defaultSettings, type Network, WEEKDAYS, type Weekday } from '../../src/core/types.js';

/** The round and digest jobs (the nudge kinds have their own tests in nudges-*.test.ts). */
const ROUND_JOBS = [pairingJob, checkInJob, digestJob];

const AMS = 'Europe/Amsterdam';
const DAY = 86_400_000;

function network(overrides: Partial<Network> = {}): Network {
  return {
    ...defaultSettings('nl', AMS, 'Test'),
    id: '00000000-0000-0000-0000-000000000001',
    installationId: '00000000-0000-0000-0000-000000000002',
    channelId: 'C1',
    state: 'active',
    pausedUntil: null,
    skipNextRound: false,
    createdAt: new Date('2025-12-01T10:00:00Z'),
    ...overrides,
  };
}

const dt = (d: Date, zone = AMS) => DateTime.fromJSDate(d, { zone });
const wall = (d: Date, zone = AMS) => dt(d, zone).toFormat('ccc yyyy-MM-dd HH:mm');
const isoWeekNumber = (d: DateTime) =>
  Math.round(d.startOf('week').startOf('day').setZone('UTC', { keepLocalTime: true }).toMillis() / DAY / 7);

const YEAR_FROM = new Date('2026-01-01T00:00:00Z');
const YEAR_TO = new Date('2026-12-31T23:59:00Z');

const arbTime = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45, 59))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`)
  // Times inside Amsterdam's DST gap (02:00–02:59) exist on no Sunday-to-Monday change, but keep them out of
  // the wall-clock property: a non-existent time cannot keep its wall clock.
  .filter((t) => !t.startsWith('02:'));
const arbDay = fc.constantFrom<Weekday>(...WEEKDAYS);
const arbCreated = fc
  .integer({ min: Date.parse('2025-06-01T00:00:00Z'), max: Date.parse('2026-06-01T00:00:00Z') })
  .map((t) => new Date(t));

describe('pairingSlots', () => {
  it('weekly: every Monday at 09:00 Amsterdam time, in winter and in summer', () => {
    const slots = pairingSlots(
      network({ cadence: 'weekly' }),
      new Date('2026-03-16T00:00:00Z'),
      new Date('2026-04-07T00:00:00Z'),
    );
    expect(slots.map((s) => wall(s))).toEqual([
      'Mon 2026-03-16 09:00',
      'Mon 2026-03-23 09:00',
      'Mon 2026-03-30 09:00',
      'Mon 2026-04-06 09:00',
    ]);
    expect(slots.map((s) => s.toISOString())).toEqual([
      '2026-03-16T08:00:00.000Z',
      '2026-03-23T08:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
      '2026-04-06T07:00:00.000Z',
    ]);
  });

  it('includes both ends of the range and nothing before setup', () => {
    const n = network({ cadence: 'weekly', createdAt: new Date('2026-01-07T12:00:00Z') });
    expect(pairingSlots(n, new Date('2026-01-12T08:00:00Z'), new Date('2026-01-19T08:00:00Z')).length).toBe(2);
    expect(pairingSlots(n, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-11T00:00:00Z'))).toEqual([]);
  });

  it('biweekly counts from the week of setup', () => {
    // Set up on Wednesday 7 January 2026 (ISO week 2): rounds in weeks 4, 6, 8, …
    const n = network({ createdAt: new Date('2026-01-07T12:00:00Z') });
    expect(pairingSlots(n, YEAR_FROM, new Date('2026-02-20T00:00:00Z')).map((s) => wall(s))).toEqual([
      'Mon 2026-01-19 09:00',
      'Mon 2026-02-02 09:00',
      'Mon 2026-02-16 09:00',
    ]);
    // Set up on a Monday before 09:00: that very morning is the first round.
    const early = network({ createdAt: new Date('2026-01-12T07:00:00Z') });
    expect(wall(pairingSlots(early, YEAR_FROM, YEAR_TO)[0] as Date)).toBe('Mon 2026-01-12 09:00');
  });

  it('monthly is the first chosen weekday of each month', () => {
    const n = network({ cadence: 'monthly', day: 'wed' });
    expect(pairingSlots(n, YEAR_FROM, new Date('2026-05-31T00:00:00Z')).map((s) => wall(s))).toEqual([
      'Wed 2026-01-07 09:00',
      'Wed 2026-02-04 09:00',
      'Wed 2026-03-04 09:00',
      'Wed 2026-04-01 09:00',
      'Wed 2026-05-06 09:00',
    ]);
  });

  it('off: none', () => {
    expect(pairingSlots(network({ cadence: 'off' }), YEAR_FROM, YEAR_TO)).toEqual([]);
    expect(checkInSlots(network({ cadence: 'off' }), YEAR_FROM, YEAR_TO)).toEqual([]);
  });

  it('property: slots keep their local day and time across DST, ascending, within the range', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Cadence>(...CADENCES),
        arbDay,
        arbTime,
        arbCreated,
        (cadence, day, time, createdAt) => {
          const n = network({ cadence, day, time, createdAt });
          const slots = pairingSlots(n, YEAR_FROM, YEAR_TO);
          if (cadence === 'off') {
            expect(slots).toEqual([]);
            return;
          }
          expect(slots.length).toBeGreaterThan(cadence === 'monthly' ? 5 : 12);
          for (const [i, s] of slots.entries()) {
            const local = dt(s);
            expect(local.toFormat('HH:mm')).toBe(time);
            expect(local.weekday).toBe(WEEKDAYS.indexOf(day) + 1);
            expect(s >= YEAR_FROM && s <= YEAR_TO && s >= createdAt).toBe(true);
            if (i > 0) expect(s > (slots[i - 1] as Date)).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('property: weekly and biweekly step 7 and 14 local days; biweekly in setup-week parity; monthly in the first 7 days', () => {
    fc.assert(
      fc.property(arbDay, arbTime, arbCreated, (day, time, createdAt) => {
        const weekly = pairingSlots(network({ cadence: 'weekly', day, time, createdAt }), YEAR_FROM, YEAR_TO);
        const biweekly = pairingSlots(network({ cadence: 'biweekly', day, time, createdAt }), YEAR_FROM, YEAR_TO);
        const monthly = pairingSlots(network({ cadence: 'monthly', day, time, createdAt }), YEAR_FROM, YEAR_TO);
        const gaps = (xs: Date[]) =>
          xs.slice(1).map(
            (s, i) =>
              dt(s)
                .startOf('day')
                .diff(dt(xs[i] as Date).startOf('day'), 'days').days,
          );
        expect(new Set(gaps(weekly))).toEqual(new Set([7]));
        expect(new Set(gaps(biweekly))).toEqual(new Set([14]));
        const setupWeek = isoWeekNumber(dt(createdAt));
        for (const s of biweekly) expect((isoWeekNumber(dt(s)) - setupWeek) % 2).toBe(0);
        // The first biweekly round is in the setup week (if still ahead) or two weeks later.
        const firstWeekly = weekly[0] as Date;
        if (createdAt > YEAR_FROM) {
          const first = biweekly[0] as Date;
          expect([0, 2]).toContain(isoWeekNumber(dt(first)) - setupWeek);
          expect(first >= firstWeekly).toBe(true);
        }
        for (const s of monthly) expect(dt(s).day).toBeLessThanOrEqual(7);
        const months = monthly.map((s) => dt(s).toFormat('yyyy-MM'));
        expect(new Set(months).size).toBe(months.length);
        // Every month after setup has its round.
        const firstMonth = DateTime.max(dt(createdAt), dt(YEAR_FROM)).plus({ months: 1 }).toFormat('yyyy-MM');
        for (let m = DateTime.fromISO(`${firstMonth}-01`); m.year === 2026; m = m.plus({ months: 1 })) {
          expect(months).toContain(m.toFormat('yyyy-MM'));
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('checkInSlots', () => {
  it('halfway through the round at the round time: weekly +3 days, biweekly +7, monthly half the days floored', () => {
    const from = new Date('2026-03-01T00:00:00Z');
    const to = new Date('2026-04-30T00:00:00Z');
    const weekly = network({ cadence: 'weekly', time: '10:30' });
    expect(checkInSlots(weekly, from, new Date('2026-03-20T00:00:00Z')).map((s) => wall(s))).toEqual([
      'Thu 2026-03-05 10:30',
      'Thu 2026-03-12 10:30',
      'Thu 2026-03-19 10:30',
    ]);
    const biweekly = network({ createdAt: new Date('2026-01-07T12:00:00Z') });
    expect(checkInSlots(biweekly, from, to).map((s) => wall(s))).toEqual([
      'Mon 2026-03-09 09:00',
      'Mon 2026-03-23 09:00',
      'Mon 2026-04-06 09:00',
      'Mon 2026-04-20 09:00',
    ]);
    // Monthly on Mondays: 2 March → 6 April is 35 days (+17), 6 April → 4 May is 28 days (+14).
    const monthly = network({ cadence: 'monthly' });
    expect(checkInSlots(monthly, from, to).map((s) => wall(s))).toEqual([
      'Thu 2026-03-19 09:00',
      'Mon 2026-04-20 09:00',
    ]);
  });

  it('includes the check-in of a round that started before the range', () => {
    const n = network({ cadence: 'weekly' });
    expect(
      checkInSlots(n, new Date('2026-03-03T00:00:00Z'), new Date('2026-03-06T00:00:00Z')).map((s) => wall(s)),
    ).toEqual(['Thu 2026-03-05 09:00']);
  });

  it('property: between its round start and the next, at the round time', () => {
    fc.assert(
      fc.property(fc.constantFrom<Cadence>('weekly', 'biweekly', 'monthly'), arbDay, arbTime, (cadence, day, time) => {
        const n = network({ cadence, day, time });
        const rounds = pairingSlots(n, YEAR_FROM, YEAR_TO);
        const checkIns = checkInSlots(n, YEAR_FROM, YEAR_TO);
        for (const c of checkIns) {
          expect(dt(c).toFormat('HH:mm')).toBe(time);
          const start = [...rounds].reverse().find((r) => r < c);
          if (!start) continue;
          const next = rounds.find((r) => r > start);
          const days = dt(c).startOf('day').diff(dt(start).startOf('day'), 'days').days;
          if (!next) continue;
          const length = dt(next).startOf('day').diff(dt(start).startOf('day'), 'days').days;
          expect(days).toBe(Math.floor(length / 2));
          expect(c < next).toBe(true);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('digestSlots', () => {
  it('weekly on the digest day at the network time; none when off', () => {
    const n = network({ digest: 'fri', time: '09:00' });
    expect(
      digestSlots(n, new Date('2026-03-20T00:00:00Z'), new Date('2026-04-04T00:00:00Z')).map((s) => wall(s)),
    ).toEqual(['Fri 2026-03-20 09:00', 'Fri 2026-03-27 09:00', 'Fri 2026-04-03 09:00']);
    expect(digestSlots(network({ digest: 'off' }), YEAR_FROM, YEAR_TO)).toEqual([]);
  });
});

describe('job definitions', () => {
  it('pairing goes stale when the next round goes out; a check-in at the end of its round; a digest after 2 days', () => {
    const n = network({ cadence: 'weekly' });
    const round = new Date('2026-03-02T08:00:00Z');
    expect(pairingJob.staleAt(n, round)?.toISOString()).toBe('2026-03-09T08:00:00.000Z');
    expect(checkInJob.staleAt(n, new Date('2026-03-05T08:00:00Z'))?.toISOString()).toBe('2026-03-09T08:00:00.000Z');
    expect(checkInJob.parent?.slot(n, new Date('2026-03-05T08:00:00Z'))?.toISOString()).toBe(round.toISOString());
    expect(digestJob.staleAt(n, new Date('2026-03-06T08:00:00Z'))?.toISOString()).toBe('2026-03-08T08:00:00.000Z');
    // A Friday-evening digest waits for Monday 08:00, then has two days.
    const late = network({ time: '19:00' });
    expect(digestJob.staleAt(late, new Date('2026-03-06T18:00:00Z'))?.toISOString()).toBe('2026-03-11T07:00:00.000Z');
  });

  it('effective times follow quiet hours in network time', () => {
    const n = network({ time: '07:00' });
    expect(wall(effectiveAt(pairingJob, n, new Date('2026-03-02T06:00:00Z')))).toBe('Mon 2026-03-02 08:00');
    expect(wall(effectiveAt({ adjust: 'previous-weekday' }, n, new Date('2026-03-07T09:00:00Z')))).toBe(
      'Fri 2026-03-06 10:00',
    );
  });
});

describe('upcomingSlots', () => {
  const from = new Date('2026-03-01T00:00:00Z');
  const base = network({ createdAt: new Date('2026-01-07T12:00:00Z') }); // biweekly: 2, 16, 30 March …

  it('merges the kinds, sorted by effective time, first `count`', () => {
    const up = upcomingSlots(base, ROUND_JOBS, from, 6);
    expect(up.map((u) => `${u.kind} ${wall(u.at)}`)).toEqual([
      'pairing Mon 2026-03-02 09:00',
      'digest Fri 2026-03-06 09:00',
      'check-in Mon 2026-03-09 09:00',
      'digest Fri 2026-03-13 09:00',
      'pairing Mon 2026-03-16 09:00',
      'digest Fri 2026-03-20 09:00',
    ]);
    expect(upcomingSlots(base, ROUND_JOBS, from, 0)).toEqual([]);
  });

  it('shows quiet-hours-adjusted times', () => {
    const up = upcomingSlots(network({ ...base, time: '07:00', digest: 'off' }), ROUND_JOBS, from, 2);
    expect(up.map((u) => `${u.kind} ${wall(u.at)} (${wall(u.slot)})`)).toEqual([
      'pairing Mon 2026-03-02 08:00 (Mon 2026-03-02 07:00)',
      'check-in Mon 2026-03-09 08:00 (Mon 2026-03-09 07:00)',
    ]);
  });

  it('skips the next round (and its check-in) when skipNextRound is set', () => {
    const up = upcomingSlots({ ...base, skipNextRound: true, digest: 'off' }, ROUND_JOBS, from, 3);
    expect(up.map((u) => `${u.kind} ${wall(u.at)}`)).toEqual([
      'pairing Mon 2026-03-16 09:00',
      'check-in Mon 2026-03-23 09:00',
      'pairing Mon 2026-03-30 09:00',
    ]);
  });

  it('leaves out paused slots and switched-off nudges', () => {
    const paused = { ...base, pausedUntil: new Date('2026-03-20T00:00:00Z') };
    const up = upcomingSlots(paused, ROUND_JOBS, from, 3);
    expect(up.map((u) => `${u.kind} ${wall(u.at)}`)).toEqual([
      'digest Fri 2026-03-20 09:00',
      'digest Fri 2026-03-27 09:00',
      'pairing Mon 2026-03-30 09:00',
    ]);
    const noDigest = { ...base, nudges: { ...base.nudges, digest: false } };
    expect(upcomingSlots(noDigest, ROUND_JOBS, from, 10).some((u) => u.kind === 'digest')).toBe(false);
  });

  it('finds rare slots far ahead', () => {
    const n = network({ cadence: 'monthly', digest: 'off', nudges: { ...base.nudges, 'check-in': false } });
    const up = upcomingSlots(n, ROUND_JOBS, from, 5);
    expect(up.map((u) => wall(u.at))).toEqual([
      'Mon 2026-03-02 09:00',
      'Mon 2026-04-06 09:00',
      'Mon 2026-05-04 09:00',
      'Mon 2026-06-01 09:00',
      'Mon 2026-07-06 09:00',
    ]);
  });
});
