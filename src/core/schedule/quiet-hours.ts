/**
 * Quiet hours and local wall-clock time. Nothing scheduled goes out at weekends or outside the
 * allowed window [start, end) of a network's (or a member's) time zone.
 *
 * Pure: luxon only. Instants are `Date`s; local times are resolved through the IANA zone, so a
 * DST gap never yields a non-existent local time and an overlap resolves to its first occurrence.
 */
import { DateTime } from 'luxon';
import type { ClockTime, QuietHours } from '../types.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * Remembers results of a pure function of an instant: the scheduler asks for the same slots every
 * minute, and zone offsets (Intl) are the costly part. Bounded; cleared when full.
 */
function memoized<K, V>(max: number): { get(key: K, make: () => V): V } {
  const cache = new Map<K, V>();
  return {
    get(key, make) {
      const hit = cache.get(key);
      if (hit !== undefined) return hit;
      const value = make();
      if (cache.size >= max) cache.clear();
      cache.set(key, value);
      return value;
    },
  };
}

/** A calendar date in some zone, with no zone attached. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** "HH:MM" → minutes after midnight. Throws on anything else. */
export function parseClockTime(value: ClockTime): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(value.trim());
  const h = m ? Number(m[1]) : Number.NaN;
  const min = m ? Number(m[2]) : Number.NaN;
  if (!m || h > 23 || min > 59) throw new Error(`invalid clock time: ${value}`);
  return h * 60 + min;
}

/** The wall clock of an instant in a zone. Throws on an unknown zone. */
export function wallClock(at: Date | number, timezone: string): DateTime {
  const dt = DateTime.fromMillis(typeof at === 'number' ? at : at.getTime(), { zone: timezone });
  if (!dt.isValid) throw new Error(`invalid time zone: ${timezone}`);
  return dt;
}

/** The local calendar date of an instant. */
export function localDateOf(at: Date | number, timezone: string): LocalDate {
  const dt = wallClock(at, timezone);
  return { year: dt.year, month: dt.month, day: dt.day };
}

/** The UTC instant a wall-clock reading would be at a given offset (minutes east of UTC). */
const wallAt = (date: LocalDate, minutes: number, offset: number): number =>
  Date.UTC(date.year, date.month - 1, date.day, 0, minutes) - offset * MINUTE;

const offsetAt = (ms: number, timezone: string): number => wallClock(ms, timezone).offset;

/**
 * The first whole minute in (lo, hi] whose UTC offset differs from lo's, or null when the offset
 * at hi is the same (one change at most between them: DST changes are months apart).
 */
function offsetChange(lo: number, hi: number, timezone: string): number | null {
  const before = offsetAt(lo, timezone);
  if (offsetAt(hi, timezone) === before) return null;
  let a = lo;
  let b = hi;
  while (b - a > MINUTE) {
    const mid = Math.floor((a + b) / 2 / MINUTE) * MINUTE;
    if (mid <= a) break;
    if (offsetAt(mid, timezone) === before) a = mid;
    else b = mid;
  }
  return b;
}

/**
 * The earliest instant whose local wall clock is at or after `date` at `minutes` past midnight:
 * the local time itself when it exists once, its first occurrence in a DST overlap, and the first
 * minute after the gap when it falls in a DST gap.
 */
export function resolveLocal(timezone: string, date: LocalDate, minutes: number): Date {
  const key = `${timezone}|${date.year}-${date.month}-${date.day}|${minutes}`;
  return new Date(resolved.get(key, () => resolveLocalUncached(timezone, date, minutes)));
}

const resolved = memoized<string, number>(20_000);

function resolveLocalUncached(timezone: string, date: LocalDate, minutes: number): number {
  wallClock(0, timezone); // throws on an unknown zone
  // Around the wall-clock reading, offsets lie within a day of it: look for a change there.
  const naive = wallAt(date, minutes, 0);
  const lo = naive - DAY;
  const change = offsetChange(lo, naive + DAY, timezone);
  const first = wallAt(date, minutes, offsetAt(lo, timezone));
  if (change === null || first < change) return first;
  const second = wallAt(date, minutes, offsetAt(change, timezone));
  // In a gap the reading does not exist: the first minute after the change is the next one.
  return Math.max(second, change);
}

const utcMidnight = (d: LocalDate): number => Date.UTC(d.year, d.month - 1, d.day);

/** Adds whole calendar days to a local date. */
export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(utcMidnight(date) + days * DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** ISO weekday of a local date: 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: LocalDate): number {
  return ((new Date(utcMidnight(date)).getUTCDay() + 6) % 7) + 1;
}

/** Whole days from `a` to `b` (calendar days, DST-proof). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return Math.round((utcMidnight(b) - utcMidnight(a)) / DAY);
}

/** Days since 1970-01-01 (a Thursday) of a local date. */
export function epochDay(date: LocalDate): number {
  return Math.round(utcMidnight(date) / DAY);
}

interface Window {
  start: number;
  end: number;
}

function windowOf(quiet: QuietHours): Window {
  return { start: parseClockTime(quiet.start), end: parseClockTime(quiet.end) };
}

/** Within [start, end); a window with end ≤ start wraps past midnight; start = end is the whole day. */
function inWindow(w: Window, minutes: number): boolean {
  if (w.start === w.end) return true;
  if (w.start < w.end) return minutes >= w.start && minutes < w.end;
  return minutes >= w.start || minutes < w.end;
}

function allowedWall(dt: DateTime, w: Window): boolean {
  return dt.weekday <= 5 && inWindow(w, dt.hour * 60 + dt.minute);
}

/** True when `at` is on a weekday (Mon–Fri) and inside the allowed window, in that zone. */
export function isAllowed(at: Date, timezone: string, quiet: QuietHours): boolean {
  return allowedWall(wallClock(at, timezone), windowOf(quiet));
}

const ceilMinute = (ms: number): number => Math.ceil(ms / MINUTE) * MINUTE;
const floorMinute = (ms: number): number => Math.floor(ms / MINUTE) * MINUTE;

/**
 * The first whole minute at or after `at` that is allowed: a weekday, inside [start, end), in
 * `timezone`. Never a non-existent local time; minimal even across DST changes.
 */
export function nextAllowedMinute(at: Date, timezone: string, quiet: QuietHours): Date {
  const key = `${timezone}|${quiet.start}|${quiet.end}|${at.getTime()}`;
  return new Date(nextAllowed.get(key, () => nextAllowedUncached(at, timezone, quiet).getTime()));
}

const nextAllowed = memoized<string, number>(20_000);

/**
 * When a message caused now may go out: at once when now is allowed, else the next allowed
 * minute. (Scheduled slots use nextAllowedMinute; this is for messages a person's act causes.)
 */
export function sendableFrom(now: Date, timezone: string, quiet: QuietHours): Date {
  return isAllowed(now, timezone, quiet) ? now : nextAllowedMinute(now, timezone, quiet);
}

function nextAllowedUncached(at: Date, timezone: string, quiet: QuietHours): Date {
  const w = windowOf(quiet);
  // The first allowed minute of a day: the window's start, or midnight when it wraps or is whole.
  const dayOpens = w.start < w.end ? w.start : 0;
  let t = ceilMinute(at.getTime());
  // Each step reaches the next window opening or an offset change; a week holds few of either.
  for (let i = 0; i < 32; i++) {
    const wall = wallClock(t, timezone);
    if (allowedWall(wall, w)) return new Date(t);
    const today: LocalDate = { year: wall.year, month: wall.month, day: wall.day };
    const minutes = wall.hour * 60 + wall.minute;
    const target =
      wall.weekday <= 5 && minutes < w.start
        ? wallAt(today, w.start, wall.offset)
        : wallAt(addDays(today, 1), dayOpens, wall.offset);
    // On the current offset the wall clock runs evenly; at a DST change, look again from there
    // (a gap may open the window early, an overlap may repeat an allowed stretch).
    t = offsetChange(t, target, timezone) ?? target;
  }
  throw new Error(`no allowed minute near ${at.toISOString()} in ${timezone}`);
}

/**
 * For messages that must not slip later (a re-confirmation before a meeting): on a weekday the same
 * day, at a weekend the Friday before, at the same local time clamped into the allowed window
 * (before the window → its start; at or after its end → its last minute).
 */
export function previousWeekdayAllowed(at: Date, timezone: string, quiet: QuietHours): Date {
  const w = windowOf(quiet);
  const wall = wallClock(floorMinute(at.getTime()), timezone);
  let date: LocalDate = { year: wall.year, month: wall.month, day: wall.day };
  if (wall.weekday > 5) date = addDays(date, 5 - wall.weekday);
  let minutes = wall.hour * 60 + wall.minute;
  if (!inWindow(w, minutes)) {
    if (w.start < w.end) {
      minutes = minutes < w.start ? w.start : w.end - 1;
    } else {
      // A wrapping window: the nearer of its edges ([end, start) is the quiet stretch).
      minutes = minutes - w.end < w.start - minutes ? (w.end + 1439) % 1440 : w.start;
    }
  }
  const result = resolveLocal(timezone, date, minutes);
  // Only a DST change right at a window edge could push it out: then wait for the next allowed minute.
  return isAllowed(result, timezone, quiet) ? result : nextAllowedMinute(result, timezone, quiet);
}
