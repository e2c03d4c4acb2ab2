/**
 * Forgiving date and duration parsing for commands (`pause 2 weken`, `poll "x" 16 maart 14:00`).
 * Pure functions: no clock, no I/O. "today" is passed in, in the network's time zone.
 *
 * Accepted dates (case-insensitive, Dutch and English):
 *   2026-12-31 · 31-12-2026 · 31/12/2026 · 31.12.2026 · 31-12-26 · 31-12 · 31/12
 *   31 dec · 31 dec. · 31 december 2026 · 16 maart · 16 march · march 16 · march 16, 2027 · 1e mei · 1st may
 *   optionally preceded by a weekday that must match (di 16 maart, tuesday 16 march)
 * Optionally followed by a time (separated by a space, `T`, `,`, `om` or `at`):
 *   14:00 · 14.30 · 14u30 · 14u · 14h · 14h30 · 14:00u · 14:00 uur
 * Year-less dates mean the next occurrence on or after today.
 */
import type { LocalDate, Until } from './types.js';

/** Days in one month of the duration grammar (`1 maand` = 30 days). */
export const DAYS_PER_MONTH = 30;
/** The longest duration accepted, in days. */
export const MAX_DURATION_DAYS = 366;

const MONTHS: Readonly<Record<string, number>> = buildLookup([
  [1, ['jan', 'januari', 'january']],
  [2, ['feb', 'febr', 'februari', 'february']],
  [3, ['mrt', 'maa', 'maart', 'mar', 'march']],
  [4, ['apr', 'april']],
  [5, ['mei', 'may']],
  [6, ['jun', 'juni', 'june']],
  [7, ['jul', 'juli', 'july']],
  [8, ['aug', 'augustus', 'august']],
  [9, ['sep', 'sept', 'september']],
  [10, ['okt', 'oktober', 'oct', 'october']],
  [11, ['nov', 'november']],
  [12, ['dec', 'december']],
]);

/** ISO weekday numbers: 1 = Monday ... 7 = Sunday. */
const WEEKDAYS: Readonly<Record<string, number>> = buildLookup([
  [1, ['ma', 'maandag', 'mon', 'monday']],
  [2, ['di', 'din', 'dinsdag', 'tue', 'tues', 'tuesday']],
  [3, ['wo', 'woe', 'woensdag', 'wed', 'weds', 'wednesday']],
  [4, ['do', 'don', 'donderdag', 'thu', 'thur', 'thurs', 'thursday']],
  [5, ['vr', 'vrij', 'vrijdag', 'fri', 'friday']],
  [6, ['za', 'zat', 'zaterdag', 'sat', 'saturday']],
  [7, ['zo', 'zon', 'zondag', 'sun', 'sunday']],
]);

const DURATION_UNITS: Readonly<Record<string, number>> = buildLookup([
  [1, ['d', 'dg', 'dgn', 'dag', 'dagen', 'day', 'days']],
  [7, ['w', 'wk', 'wks', 'wkn', 'week', 'weken', 'weeks']],
  [DAYS_PER_MONTH, ['mnd', 'mnden', 'maand', 'maanden', 'mo', 'mth', 'mths', 'month', 'months']],
]);

const NUMBER_WORDS: Readonly<Record<string, number>> = buildLookup([
  [1, ['een', 'één', 'eén', 'a', 'an', 'one']],
  [2, ['twee', 'two']],
  [3, ['drie', 'three']],
  [4, ['vier', 'four']],
  [5, ['vijf', 'five']],
  [6, ['zes', 'six']],
  [7, ['zeven', 'seven']],
  [8, ['acht', 'eight']],
  [9, ['negen', 'nine']],
  [10, ['tien', 'ten']],
  [11, ['elf', 'eleven']],
  [12, ['twaalf', 'twelve']],
]);

function buildLookup(entries: ReadonlyArray<readonly [number, readonly string[]]>): Record<string, number> {
  const out: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const [value, words] of entries) {
    for (const w of words) {
      out[w] = value;
    }
  }
  return out;
}

function lookup(table: Readonly<Record<string, number>>, word: string): number | undefined {
  return Object.hasOwn(table, word) ? table[word] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Calendar helpers

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True when year/month/day (and the time, when present) name a real moment. */
export function isValidLocalDate(d: LocalDate): boolean {
  const intOk = (n: number) => Number.isInteger(n);
  if (![d.year, d.month, d.day].every(intOk)) return false;
  if (d.year < 1000 || d.year > 9999) return false;
  if (d.month < 1 || d.month > 12) return false;
  if (d.day < 1 || d.day > daysInMonth(d.year, d.month)) return false;
  if (d.hour === undefined && d.minute === undefined) return true;
  if (d.hour === undefined || d.minute === undefined) return false;
  return intOk(d.hour) && intOk(d.minute) && d.hour >= 0 && d.hour <= 23 && d.minute >= 0 && d.minute <= 59;
}

/** ISO weekday of a calendar date: 1 = Monday ... 7 = Sunday. */
export function isoWeekday(year: number, month: number, day: number): number {
  const js = new Date(Date.UTC(year, month - 1, day)).getUTCDay(); // 0 = Sunday
  return js === 0 ? 7 : js;
}

/** `2026-12-31` or `2026-12-31T14:00`. */
export function formatLocalDate(d: LocalDate): string {
  const p2 = (n: number) => String(n).padStart(2, '0');
  const date = `${String(d.year).padStart(4, '0')}-${p2(d.month)}-${p2(d.day)}`;
  return d.hour === undefined ? date : `${date}T${p2(d.hour)}:${p2(d.minute ?? 0)}`;
}

function compareMonthDay(aMonth: number, aDay: number, b: LocalDate): number {
  return aMonth !== b.month ? aMonth - b.month : aDay - b.day;
}

// ---------------------------------------------------------------------------------------------
// Dates

interface Time {
  hour: number;
  minute: number;
}

/** A time of day at the end of the text, after a separator; the separator is part of the match. */
const TIME_SUFFIX = /(?:t|\s*,\s*|\s+(?:om|at|@)\s+|\s+)(\d{1,2})(?:[:.](\d{2})(?:\s*u(?:ur)?)?|[uh](\d{2})?|\s*uur)$/;

/** "1st", "2nd", "1e", "1ste", "2de"; never the start of a month name ("31dec"). */
const ORDINAL = '(?:(?:st|nd|rd|th|ste|de|e)(?![a-z]))?';
const ISO_DATE = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
const DMY_DATE = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})$/;
const DM_DATE = /^(\d{1,2})[-/](\d{1,2})$/;
const DAY_MONTHNAME = new RegExp(`^(\\d{1,2})${ORDINAL}[\\s\\-/]*([a-z]+)\\.?(?:[\\s,\\-/]+(\\d{4}))?$`);
const MONTHNAME_DAY = new RegExp(`^([a-z]+)\\.?[\\s\\-/]*(\\d{1,2})${ORDINAL}(?:,?\\s+(\\d{4}))?$`);
const WEEKDAY_PREFIX = /^([a-z]+)\.?,?\s+(.+)$/;

function cleanDateText(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.,]+$/, ''); // "31 dec." and "16 maart," read as "31 dec" / "16 maart"
}

function splitTime(text: string): { datePart: string; time: Time | null } | null {
  const m = TIME_SUFFIX.exec(text);
  if (!m) return { datePart: text, time: null };
  const datePart = text.slice(0, m.index).trim();
  if (datePart === '') return { datePart: text, time: null };
  const hour = Number(m[1]);
  const minute = Number(m[2] ?? m[3] ?? 0);
  if (hour > 23 || minute > 59) return null; // a time was written, and it is impossible
  return { datePart, time: { hour, minute } };
}

/** A date with a year, or a year-less one resolved to its next occurrence on or after today. */
function resolve(year: number | null, month: number, day: number, today: LocalDate): LocalDate | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  let y = year;
  if (y === null) y = compareMonthDay(month, day, today) >= 0 ? today.year : today.year + 1;
  const d: LocalDate = { year: y, month, day };
  return isValidLocalDate(d) ? d : null;
}

function fullYear(text: string): number {
  const n = Number(text);
  return text.length === 2 ? 2000 + n : n;
}

function parseDatePart(text: string, today: LocalDate): LocalDate | null {
  let m = ISO_DATE.exec(text);
  if (m) return resolve(Number(m[1]), Number(m[2]), Number(m[3]), today);
  m = DMY_DATE.exec(text);
  if (m) return resolve(fullYear(m[4] ?? ''), Number(m[3]), Number(m[1]), today);
  m = DM_DATE.exec(text);
  if (m) return resolve(null, Number(m[2]), Number(m[1]), today);
  m = DAY_MONTHNAME.exec(text);
  if (m) {
    const month = lookup(MONTHS, m[2] ?? '');
    if (month !== undefined) return resolve(m[3] ? Number(m[3]) : null, month, Number(m[1]), today);
  }
  m = MONTHNAME_DAY.exec(text);
  if (m) {
    const month = lookup(MONTHS, m[1] ?? '');
    if (month !== undefined) return resolve(m[3] ? Number(m[3]) : null, month, Number(m[2]), today);
  }
  return null;
}

/** A date without weekday, or `<weekday> <date>` where the weekday must match the date. */
function parseWithWeekday(text: string, today: LocalDate): LocalDate | null {
  const plain = parseDatePart(text, today);
  if (plain) return plain;
  const m = WEEKDAY_PREFIX.exec(text);
  if (!m) return null;
  const weekday = lookup(WEEKDAYS, m[1] ?? '');
  if (weekday === undefined) return null;
  const date = parseDatePart(m[2] ?? '', today);
  if (!date || isoWeekday(date.year, date.month, date.day) !== weekday) return null;
  return date;
}

/**
 * Parses a calendar date, optionally with a time of day. Returns null for anything that is not a
 * real date ("31-02-2027", month 13, hour 25) or not a date at all. Past dates are returned as
 * written (the caller decides whether the past is allowed); year-less dates never fall in the past.
 */
export function parseLocalDate(text: string, today: LocalDate): LocalDate | null {
  const cleaned = cleanDateText(text);
  if (cleaned === '' || cleaned.length > 80) return null;
  const split = splitTime(cleaned);
  if (!split) return null;
  const date = parseWithWeekday(split.datePart, today);
  if (!date) return null;
  return split.time ? { ...date, ...split.time } : date;
}

// ---------------------------------------------------------------------------------------------
// Durations

const DURATION = /^(?:(\d{1,6})\s*|([a-zé]+)\s+)([a-z]+)\.?$/;

/**
 * Parses a duration into days: `2w`, `2 weken`, `1 week`, `3 dagen`, `3d`, `1 maand` (30 days),
 * `twee weken`. Zero, negative or more than 366 days → null.
 */
export function parseDuration(text: string): number | null {
  const cleaned = text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
  const m = DURATION.exec(cleaned);
  if (!m) return null;
  const amount = m[1] !== undefined ? Number(m[1]) : lookup(NUMBER_WORDS, m[2] ?? '');
  const unit = lookup(DURATION_UNITS, m[3] ?? '');
  if (amount === undefined || unit === undefined) return null;
  const days = amount * unit;
  if (days <= 0 || days > MAX_DURATION_DAYS) return null;
  return days;
}

// ---------------------------------------------------------------------------------------------
// Until and poll options

/** Filler words people put before a pause's end: "tot 31 dec", "until friday", "voor 2 weken". */
const UNTIL_FILLER = /^(?:tot en met|t\/m|tot|until|till|til|to|voor|for)\s+/i;

/** When a pause ends: a duration (tried first) or a date. */
export function parseUntil(text: string, today: LocalDate): Until | null {
  const stripped = text.replace(/\s+/g, ' ').trim().replace(UNTIL_FILLER, '');
  const days = parseDuration(stripped);
  if (days !== null) return { kind: 'duration', days };
  const date = parseLocalDate(stripped, today);
  return date ? { kind: 'date', date } : null;
}

/** Weekday + day + month + year + "om" + time is the longest date a poll option can be. */
const MAX_DATE_TOKENS = 6;

/**
 * Groups poll tokens into options: the longest run of tokens (from left to right) that parses as a
 * date becomes one option, joined by single spaces. A token that starts no date stays its own
 * option, so the poll feature can report it as invalid.
 */
export function splitDateOptions(tokens: string[], today: LocalDate): string[] {
  const words = tokens.map((t) => t.replace(/\s+/g, ' ').trim()).filter((t) => t !== '');
  const options: string[] = [];
  let i = 0;
  while (i < words.length) {
    let taken = 1;
    for (let n = Math.min(MAX_DATE_TOKENS, words.length - i); n >= 2; n--) {
      if (parseLocalDate(words.slice(i, i + n).join(' '), today)) {
        taken = n;
        break;
      }
    }
    options.push(words.slice(i, i + taken).join(' '));
    i += taken;
  }
  return options;
}
