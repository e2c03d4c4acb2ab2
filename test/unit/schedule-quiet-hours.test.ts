import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  isAllowed,
  nextAllowedMinute,
  previousWeekdayAllowed,
  resolveLocal,
  sendableFrom,
} from '../../src/core/schedule/quiet-hours.js';
import type { QuietHours } from '../../src/core/types.js';

const AMS = 'Europe/Amsterdam';
const OFFICE: QuietHours = { start: '08:00', end: '18:00' };
const MINUTE = 60_000;

const local = (iso: string, zone = AMS) => DateTime.fromISO(iso, { zone }).toJSDate();
const wall = (d: Date, zone = AMS) => DateTime.fromJSDate(d, { zone }).toFormat('ccc yyyy-MM-dd HH:mm');

/** Zones with DST on weekdays (Jerusalem: Friday; Cairo: Thursday/Friday midnight), half hours, none. */
const ZONES = [
  'Europe/Amsterdam',
  'America/New_York',
  'Asia/Jerusalem',
  'Africa/Cairo',
  'Australia/Lord_Howe',
  'America/Santiago',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'UTC',
];

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

const arbQuiet: fc.Arbitrary<QuietHours> = fc
  .tuple(fc.integer({ min: 0, max: 1438 }), fc.integer({ min: 1, max: 1439 }))
  .filter(([a, b]) => a < b)
  .map(([a, b]) => ({ start: hhmm(a), end: hhmm(b) }));

/** Instants between 2024 and 2028, with extra weight just around DST changes. */
const DST_CHANGES = [
  '2026-03-27T00:00:00Z', // Jerusalem, Friday
  '2026-03-29T01:00:00Z', // EU
  '2026-04-24T00:00:00Z', // Cairo, Friday
  '2026-10-25T01:00:00Z', // EU
  '2026-10-29T21:00:00Z', // Cairo, Thursday
  '2026-03-08T07:00:00Z', // New York
].map((s) => Date.parse(s));
const arbInstant: fc.Arbitrary<Date> = fc.oneof(
  fc
    .integer({ min: Date.parse('2024-01-01T00:00:00Z'), max: Date.parse('2028-12-31T00:00:00Z') })
    .map((t) => new Date(t)),
  fc
    .tuple(fc.constantFrom(...DST_CHANGES), fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 }))
    .map(([t, d]) => new Date(t + d)),
);

describe('nextAllowedMinute', () => {
  it('leaves an allowed minute alone', () => {
    const at = local('2026-01-05T09:00');
    expect(nextAllowedMinute(at, AMS, OFFICE)).toEqual(at);
  });

  it('moves an early morning to the window start, an evening to the next morning', () => {
    expect(wall(nextAllowedMinute(local('2026-01-05T07:00'), AMS, OFFICE))).toBe('Mon 2026-01-05 08:00');
    expect(wall(nextAllowedMinute(local('2026-01-05T18:00'), AMS, OFFICE))).toBe('Tue 2026-01-06 08:00');
    expect(wall(nextAllowedMinute(local('2026-01-05T17:59:30'), AMS, OFFICE))).toBe('Tue 2026-01-06 08:00');
  });

  it('moves a weekend to Monday morning, also across the spring DST change', () => {
    expect(wall(nextAllowedMinute(local('2026-01-09T19:00'), AMS, OFFICE))).toBe('Mon 2026-01-12 08:00');
    expect(wall(nextAllowedMinute(local('2026-01-10T12:00'), AMS, OFFICE))).toBe('Mon 2026-01-12 08:00');
    const monday = nextAllowedMinute(local('2026-03-28T12:00'), AMS, OFFICE);
    expect(monday.toISOString()).toBe('2026-03-30T06:00:00.000Z');
  });

  it('never lands in a DST gap: the first minute after it', () => {
    // Jerusalem springs forward on Friday 2026-03-27 at 02:00 → 03:00; a window opening at 02:30.
    const r = nextAllowedMinute(new Date('2026-03-26T22:00:00Z'), 'Asia/Jerusalem', { start: '02:30', end: '10:00' });
    expect(DateTime.fromJSDate(r, { zone: 'Asia/Jerusalem' }).toISO()).toBe('2026-03-27T03:00:00.000+03:00');
  });

  it('takes the first occurrence of a repeated local time', () => {
    // Cairo falls back on Thursday 2026-10-29 at 24:00 → 23:00: 23:30 happens twice.
    const r = nextAllowedMinute(new Date('2026-10-29T10:00:00Z'), 'Africa/Cairo', { start: '23:30', end: '23:59' });
    expect(r.toISOString()).toBe('2026-10-29T20:30:00.000Z');
  });

  it('finds an allowed stretch that a fall-back repeats', () => {
    // Cairo, Thursday 2026-10-29: 23:55 (+03:00) is past a 23:30–23:50 window, but at 24:00 the
    // clock returns to 23:00 (+02:00), and 23:30 comes round again the same evening.
    const r = nextAllowedMinute(new Date('2026-10-29T20:55:00Z'), 'Africa/Cairo', { start: '23:30', end: '23:50' });
    expect(r.toISOString()).toBe('2026-10-29T21:30:00.000Z');
  });

  it('property: minimal right around weekday DST changes (Jerusalem Friday 02:00, Cairo Thursday 24:00)', () => {
    const around: Array<[string, number]> = [
      ['Asia/Jerusalem', Date.parse('2026-03-27T00:00:00Z')],
      ['Asia/Jerusalem', Date.parse('2026-10-24T23:00:00Z')],
      ['Africa/Cairo', Date.parse('2026-04-23T22:00:00Z')],
      ['Africa/Cairo', Date.parse('2026-10-29T21:00:00Z')],
    ];
    const minutesNear = fc.oneof(fc.integer({ min: 20 * 60, max: 1439 }), fc.integer({ min: 0, max: 5 * 60 }));
    fc.assert(
      fc.property(
        fc.constantFrom(...around),
        fc.integer({ min: -8 * 60, max: 8 * 60 }),
        minutesNear,
        minutesNear,
        ([zone, change], delta, a, b) => {
          fc.pre(a !== b);
          const quiet = { start: hhmm(Math.min(a, b)), end: hhmm(Math.max(a, b)) };
          const at = new Date(change + delta * MINUTE);
          const r = nextAllowedMinute(at, zone, quiet);
          expect(isAllowed(r, zone, quiet)).toBe(true);
          expect(r.getTime()).toBeGreaterThanOrEqual(at.getTime());
          for (let t = at.getTime(); t < r.getTime(); t += MINUTE) {
            if (isAllowed(new Date(t), zone, quiet))
              throw new Error(`${new Date(t).toISOString()} is allowed, before ${r.toISOString()}`);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('property: allowed, not before the input, whole minutes, and the first such minute', () => {
    fc.assert(
      fc.property(arbInstant, fc.constantFrom(...ZONES), arbQuiet, (at, zone, quiet) => {
        const r = nextAllowedMinute(at, zone, quiet);
        expect(isAllowed(r, zone, quiet)).toBe(true);
        expect(r.getTime()).toBeGreaterThanOrEqual(at.getTime());
        expect(r.getTime() % MINUTE).toBe(0);
        // Minimal: no allowed whole minute in [at, r).
        for (let t = Math.ceil(at.getTime() / MINUTE) * MINUTE; t < r.getTime(); t += MINUTE) {
          if (isAllowed(new Date(t), zone, quiet)) {
            throw new Error(`${new Date(t).toISOString()} is allowed and before ${r.toISOString()}`);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('property: the office window in Amsterdam gives a weekday between 08:00 and 17:59', () => {
    fc.assert(
      fc.property(arbInstant, (at) => {
        const dt = DateTime.fromJSDate(nextAllowedMinute(at, AMS, OFFICE), { zone: AMS });
        expect(dt.weekday).toBeLessThanOrEqual(5);
        expect(dt.hour).toBeGreaterThanOrEqual(8);
        expect(dt.hour).toBeLessThan(18);
      }),
      { numRuns: 300 },
    );
  });
});

describe('isAllowed', () => {
  it('is true on weekdays within [start, end) only', () => {
    expect(isAllowed(local('2026-01-05T08:00'), AMS, OFFICE)).toBe(true);
    expect(isAllowed(local('2026-01-05T17:59'), AMS, OFFICE)).toBe(true);
    expect(isAllowed(local('2026-01-05T18:00'), AMS, OFFICE)).toBe(false);
    expect(isAllowed(local('2026-01-05T07:59'), AMS, OFFICE)).toBe(false);
    expect(isAllowed(local('2026-01-10T12:00'), AMS, OFFICE)).toBe(false);
    expect(isAllowed(local('2026-01-11T12:00'), AMS, OFFICE)).toBe(false);
  });

  it('reads the wall clock of the given zone', () => {
    // 07:30 UTC is 08:30 in Amsterdam (winter) and 02:30 in New York.
    const at = new Date('2026-01-05T07:30:00Z');
    expect(isAllowed(at, AMS, OFFICE)).toBe(true);
    expect(isAllowed(at, 'America/New_York', OFFICE)).toBe(false);
  });
});

describe('previousWeekdayAllowed', () => {
  it('keeps an allowed weekday time', () => {
    const at = local('2026-01-07T10:00');
    expect(previousWeekdayAllowed(at, AMS, OFFICE)).toEqual(at);
  });

  it('moves a weekend to the Friday before at the same local time', () => {
    expect(wall(previousWeekdayAllowed(local('2026-01-10T10:00'), AMS, OFFICE))).toBe('Fri 2026-01-09 10:00');
    expect(wall(previousWeekdayAllowed(local('2026-01-11T14:30'), AMS, OFFICE))).toBe('Fri 2026-01-09 14:30');
    // Across the spring DST change: Sunday 29 March 10:00 CEST → Friday 27 March 10:00 CET.
    expect(previousWeekdayAllowed(local('2026-03-29T10:00'), AMS, OFFICE).toISOString()).toBe(
      '2026-03-27T09:00:00.000Z',
    );
  });

  it('clamps into the window', () => {
    expect(wall(previousWeekdayAllowed(local('2026-01-11T20:00'), AMS, OFFICE))).toBe('Fri 2026-01-09 17:59');
    expect(wall(previousWeekdayAllowed(local('2026-01-10T06:00'), AMS, OFFICE))).toBe('Fri 2026-01-09 08:00');
    expect(wall(previousWeekdayAllowed(local('2026-01-07T19:00'), AMS, OFFICE))).toBe('Wed 2026-01-07 17:59');
  });

  it('property: allowed, on the same weekday or the Friday before, never on a later day', () => {
    fc.assert(
      fc.property(arbInstant, fc.constantFrom(...ZONES), arbQuiet, (at, zone, quiet) => {
        const r = previousWeekdayAllowed(at, zone, quiet);
        expect(isAllowed(r, zone, quiet)).toBe(true);
        const a = DateTime.fromJSDate(at, { zone });
        const b = DateTime.fromJSDate(r, { zone });
        const expected = a.weekday > 5 ? a.minus({ days: a.weekday - 5 }) : a;
        // A DST change right at a window edge may push to the next allowed minute; nothing else does.
        if (b.toISODate() !== expected.toISODate()) {
          expect(Math.abs(b.toMillis() - a.toMillis())).toBeLessThan(4 * 86_400_000);
        } else {
          expect(b.weekday).toBeLessThanOrEqual(5);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('property (Amsterdam office hours): exactly the same day or the Friday before, time clamped', () => {
    fc.assert(
      fc.property(arbInstant, (at) => {
        const a = DateTime.fromJSDate(at, { zone: AMS });
        const b = DateTime.fromJSDate(previousWeekdayAllowed(at, AMS, OFFICE), { zone: AMS });
        const expected = a.weekday > 5 ? a.minus({ days: a.weekday - 5 }) : a;
        expect(b.toISODate()).toBe(expected.toISODate());
        const minutes = Math.min(Math.max(a.hour * 60 + a.minute, 8 * 60), 18 * 60 - 1);
        expect(b.hour * 60 + b.minute).toBe(minutes);
      }),
      { numRuns: 300 },
    );
  });
});

describe('resolveLocal', () => {
  it('gives the wall-clock time in winter and summer', () => {
    expect(resolveLocal(AMS, { year: 2026, month: 1, day: 5 }, 9 * 60).toISOString()).toBe('2026-01-05T08:00:00.000Z');
    expect(resolveLocal(AMS, { year: 2026, month: 7, day: 6 }, 9 * 60).toISOString()).toBe('2026-07-06T07:00:00.000Z');
  });

  it('maps a time in the gap to the first minute after it, and an overlap to its first occurrence', () => {
    expect(resolveLocal(AMS, { year: 2026, month: 3, day: 29 }, 2 * 60 + 30).toISOString()).toBe(
      '2026-03-29T01:00:00.000Z',
    );
    expect(resolveLocal(AMS, { year: 2026, month: 10, day: 25 }, 2 * 60 + 30).toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
  });
});

describe('sendableFrom (messages a person’s act causes)', () => {
  const quiet = { start: '08:00', end: '18:00' };
  it('is now, to the millisecond, inside the allowed hours', () => {
    const now = new Date('2026-03-03T09:00:03.300Z'); // Tuesday 10:00:03 Amsterdam
    expect(sendableFrom(now, 'Europe/Amsterdam', quiet)).toEqual(now);
  });
  it('waits for the next allowed minute outside them', () => {
    const evening = new Date('2026-03-03T20:15:00Z'); // Tuesday 21:15 Amsterdam
    expect(sendableFrom(evening, 'Europe/Amsterdam', quiet).toISOString()).toBe('2026-03-04T07:00:00.000Z');
    const saturday = new Date('2026-03-07T10:00:00Z');
    expect(sendableFrom(saturday, 'Europe/Amsterdam', quiet).toISOString()).toBe('2026-03-09T07:00:00.000Z');
  });
});
