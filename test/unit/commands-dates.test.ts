import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatLocalDate,
  parseDuration,
  parseLocalDate,
  parseUntil,
  splitDateOptions,
} from '../../src/core/commands/dates.js';
import type { LocalDate } from '../../src/core/commands/types.js';

/** Monday 15 June 2026. */
const TODAY: LocalDate = { year: 2026, month: 6, day: 15 };

const d = (year: number, month: number, day: number, hour?: number, minute?: number): LocalDate =>
  hour === undefined ? { year, month, day } : { year, month, day, hour, minute: minute ?? 0 };

/** Days in a month, computed independently of the code under test. */
const monthLength = (year: number, month: number) =>
  month === 2
    ? (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
      ? 29
      : 28
    : new Date(Date.UTC(2001, month, 0)).getUTCDate();

const MONTH_NAMES: Record<number, string[]> = {
  1: ['jan', 'januari', 'january'],
  2: ['feb', 'februari', 'february'],
  3: ['mrt', 'maa', 'maart', 'mar', 'march'],
  4: ['apr', 'april'],
  5: ['mei', 'may'],
  6: ['jun', 'juni', 'june'],
  7: ['jul', 'juli', 'july'],
  8: ['aug', 'augustus', 'august'],
  9: ['sep', 'sept', 'september'],
  10: ['okt', 'oktober', 'oct', 'october'],
  11: ['nov', 'november'],
  12: ['dec', 'december'],
};

const validDate = fc
  .date({ min: new Date(Date.UTC(1000, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true })
  .map((dt) => d(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate()));

const pad = (n: number) => String(n).padStart(2, '0');

const randomCase = (s: string, flips: boolean[]) =>
  [...s].map((c, i) => (flips[i % Math.max(1, flips.length)] ? c.toUpperCase() : c.toLowerCase())).join('');

describe('parseLocalDate: numeric forms', () => {
  it.each([
    ['2026-12-31', d(2026, 12, 31)],
    ['2027-3-9', d(2027, 3, 9)],
    ['31-12-2026', d(2026, 12, 31)],
    ['31/12/2026', d(2026, 12, 31)],
    ['31.12.2026', d(2026, 12, 31)],
    ['9-3-2027', d(2027, 3, 9)],
    ['09-03-2027', d(2027, 3, 9)],
    ['31-12-26', d(2026, 12, 31)],
    ['  31-12-2026  ', d(2026, 12, 31)],
    ['29-02-2028', d(2028, 2, 29)],
    ['29-02-2000', d(2000, 2, 29)],
  ])('%s', (text, expected) => {
    expect(parseLocalDate(text, TODAY)).toEqual(expected);
  });

  it('reads dd-mm as the next occurrence on or after today', () => {
    expect(parseLocalDate('31-12', TODAY)).toEqual(d(2026, 12, 31));
    expect(parseLocalDate('31/12', TODAY)).toEqual(d(2026, 12, 31));
    expect(parseLocalDate('15-06', TODAY)).toEqual(d(2026, 6, 15)); // today itself
    expect(parseLocalDate('14-06', TODAY)).toEqual(d(2027, 6, 14)); // yesterday → next year
    expect(parseLocalDate('1-1', TODAY)).toEqual(d(2027, 1, 1));
  });

  it.each([
    '31-02-2027',
    '30-02-2028',
    '29-02-2027',
    '29-02-1900',
    '31-04-2027',
    '1-13-2027',
    '0-1-2027',
    '1-0-2027',
    '32-1-2027',
    '2027-13-01',
    '2027-02-30',
    '0999-01-01',
    '31-02',
    '31-11',
    '29-02', // 2027 (next 29 Feb after 15 June 2026) is no leap year
  ])('rejects the impossible date %s', (text) => {
    expect(parseLocalDate(text, TODAY)).toBeNull();
  });

  it('accepts 29-02 without a year when the resolved year is a leap year', () => {
    expect(parseLocalDate('29-02', d(2027, 6, 1))).toEqual(d(2028, 2, 29));
  });

  it.each([
    '',
    '   ',
    'morgen',
    'hello world',
    '14:00',
    '2026',
    '31',
    '12-2026',
    '31-12-2026-1',
    '31--12-2026',
    '1/2/3',
  ])('is not a date: %j', (text) => {
    expect(parseLocalDate(text, TODAY)).toBeNull();
  });
});

describe('parseLocalDate: month names', () => {
  it.each([
    ['31 dec', d(2026, 12, 31)],
    ['31 dec.', d(2026, 12, 31)],
    ['31 Dec', d(2026, 12, 31)],
    ['31 DECEMBER', d(2026, 12, 31)],
    ['31 december', d(2026, 12, 31)],
    ['31 dec 2026', d(2026, 12, 31)],
    ['31 dec. 2026', d(2026, 12, 31)],
    ['31dec', d(2026, 12, 31)],
    ['31-dec-2026', d(2026, 12, 31)],
    ['16 maart', d(2027, 3, 16)],
    ['16 mrt', d(2027, 3, 16)],
    ['16 maa', d(2027, 3, 16)],
    ['16 mar', d(2027, 3, 16)],
    ['16 march', d(2027, 3, 16)],
    ['march 16', d(2027, 3, 16)],
    ['March 16, 2028', d(2028, 3, 16)],
    ['mrt 16 2028', d(2028, 3, 16)],
    ['1 mei', d(2027, 5, 1)],
    ['1e mei', d(2027, 5, 1)],
    ['1st may', d(2027, 5, 1)],
    ['3 oct', d(2026, 10, 3)],
    ['3 okt', d(2026, 10, 3)],
    ['3 october', d(2026, 10, 3)],
    ['12 sept', d(2026, 9, 12)],
    ['15 jun', d(2026, 6, 15)],
    ['14 juni', d(2027, 6, 14)],
  ])('%s', (text, expected) => {
    expect(parseLocalDate(text, TODAY)).toEqual(expected);
  });

  it('knows every Dutch and English month name and abbreviation', () => {
    for (const [month, names] of Object.entries(MONTH_NAMES)) {
      for (const name of names) {
        expect(parseLocalDate(`1 ${name} 2030`, TODAY), name).toEqual(d(2030, Number(month), 1));
      }
    }
  });

  it.each(['31 foo', '30 feb 2027', '31 april', '32 dec', '0 dec', 'dec', '31 dec 26', '16 maart 14'])(
    'rejects %j',
    (text) => {
      expect(parseLocalDate(text, TODAY)).toBeNull();
    },
  );

  it('accepts a weekday prefix only when it matches the date', () => {
    // 16 March 2027 is a Tuesday.
    expect(parseLocalDate('di 16 maart 2027', TODAY)).toEqual(d(2027, 3, 16));
    expect(parseLocalDate('dinsdag 16 maart', TODAY)).toEqual(d(2027, 3, 16));
    expect(parseLocalDate('Tuesday, 16 March 2027', TODAY)).toEqual(d(2027, 3, 16));
    expect(parseLocalDate('wo 16 maart 2027', TODAY)).toBeNull();
    expect(parseLocalDate('foo 16 maart 2027', TODAY)).toBeNull();
  });
});

describe('parseLocalDate: times', () => {
  it.each([
    ['2027-03-09T14:00', d(2027, 3, 9, 14, 0)],
    ['2027-03-09t09:05', d(2027, 3, 9, 9, 5)],
    ['9-3-2027T14:00', d(2027, 3, 9, 14, 0)],
    ['9-3-2027 14:00', d(2027, 3, 9, 14, 0)],
    ['16 maart 14:00', d(2027, 3, 16, 14, 0)],
    ['16 maart 2027 14:00', d(2027, 3, 16, 14, 0)],
    ['16 maart 14.30', d(2027, 3, 16, 14, 30)],
    ['16 maart 14u30', d(2027, 3, 16, 14, 30)],
    ['16 maart 14u', d(2027, 3, 16, 14, 0)],
    ['16 maart 14:00u', d(2027, 3, 16, 14, 0)],
    ['16 maart 14 uur', d(2027, 3, 16, 14, 0)],
    ['16 maart om 14:00', d(2027, 3, 16, 14, 0)],
    ['16 march at 9:15', d(2027, 3, 16, 9, 15)],
    ['16 march, 14h30', d(2027, 3, 16, 14, 30)],
    ['31-12 0:00', d(2026, 12, 31, 0, 0)],
    ['31-12-2026 23:59', d(2026, 12, 31, 23, 59)],
  ])('%s', (text, expected) => {
    expect(parseLocalDate(text, TODAY)).toEqual(expected);
  });

  it.each(['9-3-2027 25:00', '9-3-2027 24:00', '9-3-2027 14:60', '16 maart 99u', '31-02-2027 14:00', '2027-03-09T'])(
    'rejects %j',
    (text) => {
      expect(parseLocalDate(text, TODAY)).toBeNull();
    },
  );

  it('a date without a time carries no hour or minute', () => {
    const parsed = parseLocalDate('9-3-2027', TODAY);
    expect(parsed).not.toBeNull();
    expect(parsed && 'hour' in parsed).toBe(false);
    expect(parsed && 'minute' in parsed).toBe(false);
  });
});

describe('parseLocalDate: properties', () => {
  it('any valid date written dd-mm-yyyy parses back to itself', () => {
    fc.assert(
      fc.property(validDate, (date) => {
        expect(parseLocalDate(`${pad(date.day)}-${pad(date.month)}-${date.year}`, TODAY)).toEqual(date);
      }),
    );
  });

  it('any valid date in any supported spelling parses back to itself', () => {
    fc.assert(
      fc.property(
        validDate,
        fc.nat(),
        fc.constantFrom('-', '/', '.'),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }),
        (date, pick, sep, flips) => {
          const names = MONTH_NAMES[date.month] ?? [];
          const name = randomCase(names[pick % names.length] ?? '', flips);
          const spellings = [
            `${date.year}-${pad(date.month)}-${pad(date.day)}`,
            `${date.day}${sep}${date.month}${sep}${date.year}`,
            `${date.day} ${name} ${date.year}`,
            `${name} ${date.day}, ${date.year}`,
          ];
          for (const text of spellings) expect(parseLocalDate(text, TODAY), text).toEqual(date);
        },
      ),
    );
  });

  it('any day past the end of its month is rejected', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.nat(),
        (year, month, extra) => {
          const length = monthLength(year, month);
          const day = length + 1 + (extra % (32 - length));
          expect(parseLocalDate(`${day}-${month}-${year}`, TODAY)).toBeNull();
        },
      ),
    );
  });

  it('any valid time of day round-trips in every time style', () => {
    fc.assert(
      fc.property(validDate, fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), (date, hour, minute) => {
        const base = `${date.day}-${date.month}-${date.year}`;
        const expected = { ...date, hour, minute };
        for (const text of [
          `${base} ${hour}:${pad(minute)}`,
          `${base}T${pad(hour)}:${pad(minute)}`,
          `${base} ${hour}.${pad(minute)}`,
          `${base} ${hour}u${pad(minute)}`,
        ]) {
          expect(parseLocalDate(text, TODAY), text).toEqual(expected);
        }
      }),
    );
  });

  it('any hour from 24 up is rejected', () => {
    fc.assert(
      fc.property(fc.integer({ min: 24, max: 99 }), (hour) => {
        expect(parseLocalDate(`9-3-2027 ${hour}:00`, TODAY)).toBeNull();
      }),
    );
  });

  it('a date without a year is on or after today and less than a year away', () => {
    fc.assert(
      fc.property(
        validDate.filter((x) => x.year < 9999),
        validDate,
        (today, target) => {
          fc.pre(!(target.month === 2 && target.day === 29));
          const parsed = parseLocalDate(`${target.day}-${target.month}`, today);
          expect(parsed).not.toBeNull();
          if (!parsed) return;
          expect([parsed.month, parsed.day]).toEqual([target.month, target.day]);
          const key = (x: LocalDate) => x.year * 10000 + x.month * 100 + x.day;
          expect(key(parsed)).toBeGreaterThanOrEqual(key(today));
          expect(key(parsed)).toBeLessThan(key({ ...today, year: today.year + 1 }));
        },
      ),
    );
  });

  it('never throws on any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (text) => {
        const parsed = parseLocalDate(text, TODAY);
        expect(parsed === null || typeof parsed.year === 'number').toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('formatLocalDate output parses back', () => {
    fc.assert(
      fc.property(validDate, (date) => {
        expect(formatLocalDate(date)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(parseLocalDate(formatLocalDate(date), TODAY)).toEqual(date);
        const timed = { ...date, hour: 7, minute: 5 };
        expect(formatLocalDate(timed)).toMatch(/T07:05$/);
        expect(parseLocalDate(formatLocalDate(timed), TODAY)).toEqual(timed);
      }),
    );
  });
});

describe('parseDuration', () => {
  it.each([
    ['2w', 14],
    ['2 w', 14],
    ['2W', 14],
    ['2wk', 14],
    ['2 wk', 14],
    ['2 weken', 14],
    ['2 Weken', 14],
    ['1 week', 7],
    ['2 weeks', 14],
    ['3 dagen', 3],
    ['1 dag', 1],
    ['3d', 3],
    ['3 d', 3],
    ['3 days', 3],
    ['1 day', 1],
    ['1 maand', 30],
    ['2 maanden', 60],
    ['1 month', 30],
    ['2 months', 60],
    ['2 mnd', 60],
    ['12 maanden', 360],
    ['52 weken', 364],
    ['366 dagen', 366],
    ['  2   weken  ', 14],
    ['2 weken.', 14],
    ['twee weken', 14],
    ['een week', 7],
    ['a month', 30],
  ])('%s → %i days', (text, days) => {
    expect(parseDuration(text)).toBe(days);
  });

  it.each([
    '0d',
    '0 weken',
    '-2w',
    '-1 dag',
    '367 dagen',
    '53 weken',
    '13 maanden',
    '99999999 dagen',
    '2',
    'w',
    'week',
    '2m',
    '2 jaar',
    '2,5 week',
    'twee',
    '',
    'zeventien weken',
    '2 weken extra',
  ])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });

  it('any number of days from 1 to 366 round-trips; beyond is rejected', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }),
        fc.constantFrom('d', ' dag', ' dagen', ' days', 'D'),
        (n, unit) => {
          expect(parseDuration(`${n}${unit}`)).toBe(n <= 366 ? n : null);
        },
      ),
    );
  });

  it('any number of weeks and months multiplies by 7 and 30 within the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), (n) => {
        expect(parseDuration(`${n} weken`)).toBe(n * 7 <= 366 ? n * 7 : null);
        expect(parseDuration(`${n}w`)).toBe(n * 7 <= 366 ? n * 7 : null);
        expect(parseDuration(`${n} maanden`)).toBe(n * 30 <= 366 ? n * 30 : null);
      }),
    );
  });

  it('never throws and only returns days in 1..366', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        const days = parseDuration(text);
        expect(days === null || (Number.isInteger(days) && days >= 1 && days <= 366)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseUntil', () => {
  it('reads a duration', () => {
    expect(parseUntil('2w', TODAY)).toEqual({ kind: 'duration', days: 14 });
    expect(parseUntil('2 weken', TODAY)).toEqual({ kind: 'duration', days: 14 });
    expect(parseUntil('voor 3 dagen', TODAY)).toEqual({ kind: 'duration', days: 3 });
    expect(parseUntil('for 1 month', TODAY)).toEqual({ kind: 'duration', days: 30 });
  });

  it('reads a date', () => {
    expect(parseUntil('2026-12-31', TODAY)).toEqual({ kind: 'date', date: d(2026, 12, 31) });
    expect(parseUntil('31-12-2026', TODAY)).toEqual({ kind: 'date', date: d(2026, 12, 31) });
    expect(parseUntil('31 dec', TODAY)).toEqual({ kind: 'date', date: d(2026, 12, 31) });
    expect(parseUntil('tot 1 sept', TODAY)).toEqual({ kind: 'date', date: d(2026, 9, 1) });
    expect(parseUntil('until 1 september 2026', TODAY)).toEqual({ kind: 'date', date: d(2026, 9, 1) });
    expect(parseUntil('t/m 31-12', TODAY)).toEqual({ kind: 'date', date: d(2026, 12, 31) });
  });

  it('tries a duration first: "3d" is three days, not a date', () => {
    expect(parseUntil('3d', TODAY)).toEqual({ kind: 'duration', days: 3 });
  });

  it.each(['', 'soon', '31-02-2027', '0w', '400 dagen', 'tot'])('rejects %j', (text) => {
    expect(parseUntil(text, TODAY)).toBeNull();
  });
});

describe('splitDateOptions', () => {
  const split = (text: string) => splitDateOptions(text.split(' '), TODAY);

  it('joins multi-token dates into one option each', () => {
    expect(split('16 maart 16 maart 14:00 31 dec 2026 9-3-2027 14:00 2027-03-10')).toEqual([
      '16 maart',
      '16 maart 14:00',
      '31 dec 2026',
      '9-3-2027 14:00',
      '2027-03-10',
    ]);
  });

  it('keeps single-token dates and strays as their own options', () => {
    expect(split('31-12 foo 1-1 14:00 bar')).toEqual(['31-12', 'foo', '1-1 14:00', 'bar']);
    expect(split('16 foo maart')).toEqual(['16', 'foo', 'maart']);
    expect(split('31-02-2027 1-3-2027')).toEqual(['31-02-2027', '1-3-2027']);
  });

  it('keeps a weekday with its date and a time written with "om"', () => {
    expect(split('di 16 maart 2027 om 14:00 wo 17 maart')).toEqual(['di 16 maart 2027 om 14:00', 'wo 17 maart']);
  });

  it('accepts tokens that already hold a whole date (quoted options)', () => {
    expect(splitDateOptions(['16 maart 14:00', '17 maart'], TODAY)).toEqual(['16 maart 14:00', '17 maart']);
  });

  it('returns nothing for no tokens and drops empty tokens', () => {
    expect(splitDateOptions([], TODAY)).toEqual([]);
    expect(splitDateOptions(['', '  ', '31-12'], TODAY)).toEqual(['31-12']);
  });

  it('any list of dates in mixed spellings splits back into those dates', () => {
    const option = fc
      .tuple(
        validDate.filter((x) => x.year >= 2000 && x.year <= 2100),
        fc.constantFrom('iso', 'dmy', 'dm', 'name', 'name-year', 'month-day'),
        fc.option(fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))),
      )
      .map(([date, style, time]) => {
        const name = MONTH_NAMES[date.month]?.[0] ?? '';
        const text = {
          iso: `${date.year}-${pad(date.month)}-${pad(date.day)}`,
          dmy: `${date.day}-${date.month}-${date.year}`,
          dm: `${date.day}-${date.month}`,
          name: `${date.day} ${name}`,
          'name-year': `${date.day} ${name} ${date.year}`,
          'month-day': `${name} ${date.day}`,
        }[style];
        return time ? `${text} ${time[0]}:${pad(time[1])}` : text;
      })
      .filter((text) => parseLocalDate(text, TODAY) !== null); // drops 29-02 without a year in a non-leap year

    fc.assert(
      fc.property(fc.array(option, { maxLength: 6 }), (options) => {
        const tokens = options.join(' ').split(' ').filter(Boolean);
        expect(splitDateOptions(tokens, TODAY)).toEqual(options);
      }),
    );
  });

  it('never loses or reorders a token', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constantFrom('16', 'maart', '14:00', 'dec', '2026', '31-12', 'di', 'om', '1-1-2027'),
            fc.string({ minLength: 1, maxLength: 6 }).filter((s) => !/\s/.test(s)),
          ),
        ),
        (tokens) => {
          expect(splitDateOptions(tokens, TODAY).join(' ')).toBe(tokens.join(' '));
        },
      ),
    );
  });
});
