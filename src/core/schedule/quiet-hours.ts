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
/** Longer than any UTC offset change (DST shifts are at most 2 hours). */
const TRANSITION_SCAN_MINUTES = 180;

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

const wallKey = (d: LocalDate, minutes: number): number =>
  ((d.year * 100 + d.month) * 100 + d.day) * 10_000 + Math.floor(minutes / 60) * 100 + (minutes % 60);

const wallKeyOf = (dt: DateTime): number => wallKey(dt, dt.hour * 60 + dt.minute);

/**
 * The earliest instant whose local wall clock is at or after `date` at `minutes` past midnight:
 * the local time itself when it exists once, its first occurrence in a DST overlap, and the first
 * minute after the gap when it falls in a DST gap.
 */
export function resolveLocal(timezone: string, date: LocalDate, minutes: number): Date {
  const c = DateTime.fromObject(
    { year: date.year, month: date.month, day: date.day, hour: Math.floor(minutes / 60), minute: minutes % 60 },
    { zone: timezone },
  );
  if (!c.isValid) throw new Error(`invalid local time in ${timezone}`);
  const lo = c.toMillis() - TRANSITION_SCAN_MINUTES * MINUTE;
  // No offset change nearby: the wall clock maps one to one, luxon's answer is exact.
  if (wallClock(lo, timezone).offset === c.offset) return c.toJSDate();
  const target = wallKey(date, minutes);
  for (let t = lo; t <= c.toMillis(); t += MINUTE) {
    if (wallKeyOf(wallClock(t, timezone)) >= target) return new Date(t);
  }
  return c.toJSDate();
}

/** Adds whole calendar days to a local date. */
export function addDays(date: LocalDate, days: number): LocalDate {
  const d = DateTime.utc(date.year, date.month, date.day).plus({ days });
  return { year: d.year, month: d.month, day: d.day };
}

/** ISO weekday of a local date: 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: LocalDate): number {
  return DateTime.utc(date.year, date.month, date.day).weekday;
}

/** Whole days from `a` to `b` (calendar days, DST-proof). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return Math.round(
    (DateTime.utc(b.year, b.month, b.day).toMillis() - DateTime.utc(a.year, a.month, a.day).toMillis()) / 86_400_000,
  );
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
  const w = windowOf(quiet);
  // The first allowed minute of a day: the window's start, or midnight when it wraps or is whole.
  const dayOpens = w.start < w.end ? w.start : 0;
  let t = ceilMinute(at.getTime());
  // Each step reaches the next window opening; a week holds at most 8 of them.
  for (let i = 0; i < 16; i++) {
    const wall = wallClock(t, timezone);
    if (allowedWall(wall, w)) return new Date(t);
    const today: LocalDate = { year: wall.year, month: wall.month, day: wall.day };
    const minutes = wall.hour * 60 + wall.minute;
    const next =
      wall.weekday <= 5 && minutes < w.start
        ? resolveLocal(timezone, today, w.start)
        : resolveLocal(timezone, addDays(today, 1), dayOpens);
    let c = Math.max(next.getTime(), t + MINUTE);
    // Near a DST change an allowed minute may precede luxon's answer: scan the stretch before it.
    const lo = Math.max(t + MINUTE, c - TRANSITION_SCAN_MINUTES * MINUTE);
    if (wallClock(lo, timezone).offset !== wallClock(c, timezone).offset) {
      for (let s = lo; s < c; s += MINUTE) {
        if (allowedWall(wallClock(s, timezone), w)) {
          c = s;
          break;
        }
      }
    }
    t = c;
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
