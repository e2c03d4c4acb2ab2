/**
 * Nominal slots: when a scheduled job is meant to happen, in the network's time zone, before any
 * quiet-hours adjustment. Every generator returns all slots with from ≤ slot ≤ to, ascending, and
 * none before the network was set up (`createdAt`). Local times survive DST: a Monday 09:00 slot
 * is 09:00 in Amsterdam in winter and in summer.
 */
import type { Network, Weekday } from '../types.js';
import { WEEKDAYS } from '../types.js';
import {
  addDays,
  daysBetween,
  epochDay,
  type LocalDate,
  localDateOf,
  parseClockTime,
  resolveLocal,
  weekdayOf,
} from './quiet-hours.js';

export type SlotGenerator = (network: Network, from: Date, to: Date) => Date[];

const DAY = 86_400_000;
/** Margin around a range so rounds that start before it (or end after it) are known. */
const ROUND_MARGIN_DAYS = 40;

const isoWeekday = (day: Weekday): number => WEEKDAYS.indexOf(day) + 1;

/** A count of ISO weeks since a fixed Monday; consecutive weeks differ by one. */
function weekNumber(date: LocalDate): number {
  return Math.round(epochDay(addDays(date, 1 - weekdayOf(date))) / 7);
}

/** The first date on or after `date` that is ISO weekday `weekday`. */
function onOrAfter(date: LocalDate, weekday: number): LocalDate {
  return addDays(date, (weekday - weekdayOf(date) + 7) % 7);
}

/** Local dates of pairing rounds from `fromDate` to `toDate` inclusive (no createdAt filter). */
function pairingDates(network: Network, fromDate: LocalDate, toDate: LocalDate): LocalDate[] {
  const weekday = isoWeekday(network.day);
  const out: LocalDate[] = [];
  switch (network.cadence) {
    case 'off':
      return out;
    case 'weekly':
    case 'biweekly': {
      const setupWeek = weekNumber(localDateOf(network.createdAt, network.timezone));
      const step = network.cadence === 'weekly' ? 1 : 2;
      for (let d = onOrAfter(fromDate, weekday); daysBetween(d, toDate) >= 0; d = addDays(d, 7)) {
        if ((((weekNumber(d) - setupWeek) % step) + step) % step === 0) out.push(d);
      }
      return out;
    }
    case 'monthly': {
      for (let y = fromDate.year, m = fromDate.month; y * 12 + m <= toDate.year * 12 + toDate.month; m++) {
        if (m > 12) {
          m = 1;
          y++;
        }
        const d = onOrAfter({ year: y, month: m, day: 1 }, weekday);
        if (daysBetween(fromDate, d) >= 0 && daysBetween(d, toDate) >= 0) out.push(d);
      }
      return out;
    }
  }
}

/** Round starts as instants within [from, to] (widened by a day to catch zone edges), after setup. */
function roundStarts(network: Network, from: Date, to: Date): Date[] {
  const minutes = parseClockTime(network.time);
  const tz = network.timezone;
  const fromDate = addDays(localDateOf(from, tz), -1);
  const toDate = addDays(localDateOf(to, tz), 1);
  return pairingDates(network, fromDate, toDate)
    .map((d) => resolveLocal(tz, d, minutes))
    .filter((t) => t >= network.createdAt);
}

const within = (from: Date, to: Date) => (t: Date) => t >= from && t <= to;

/**
 * Pairing rounds: weekly every `day` at `time`; biweekly every other week counted from the ISO
 * week of setup; monthly the first `day` of each month; none when the cadence is off.
 */
export const pairingSlots: SlotGenerator = (network, from, to) =>
  roundStarts(network, from, to).filter(within(from, to));

/** The pairing round a moment belongs to: the latest round start ≤ `at`, and the next one. */
export function roundAround(network: Network, at: Date): { start: Date; end: Date | null } | null {
  const starts = roundStarts(
    network,
    new Date(at.getTime() - ROUND_MARGIN_DAYS * DAY),
    new Date(at.getTime() + ROUND_MARGIN_DAYS * DAY),
  );
  let start: Date | null = null;
  let end: Date | null = null;
  for (const s of starts) {
    if (s <= at) start = s;
    else if (!end) end = s;
  }
  return start ? { start, end } : null;
}

/** The first pairing round strictly after `after` (within the next 40 days), if any. */
export function nextPairingSlot(network: Network, after: Date): Date | null {
  const starts = roundStarts(network, after, new Date(after.getTime() + ROUND_MARGIN_DAYS * DAY));
  return starts.find((s) => s > after) ?? null;
}

/** A round's check-in: start + floor(round length in days / 2) days, at the round's time of day. */
function checkInFor(network: Network, start: Date, next: Date): Date {
  const tz = network.timezone;
  const startDate = localDateOf(start, tz);
  const half = Math.floor(daysBetween(startDate, localDateOf(next, tz)) / 2);
  return resolveLocal(tz, addDays(startDate, half), parseClockTime(network.time));
}

/**
 * Mid-round check-ins: weekly round → +3 days, biweekly → +7, monthly → half the days until the
 * next round's start, floored; at the round's time of day.
 */
export const checkInSlots: SlotGenerator = (network, from, to) => {
  const starts = roundStarts(
    network,
    new Date(from.getTime() - ROUND_MARGIN_DAYS * DAY),
    new Date(to.getTime() + ROUND_MARGIN_DAYS * DAY),
  );
  const out: Date[] = [];
  for (let i = 0; i + 1 < starts.length; i++) {
    out.push(checkInFor(network, starts[i] as Date, starts[i + 1] as Date));
  }
  return out.filter(within(from, to));
};

/** The round start a check-in slot belongs to (the latest round start before it). */
export function checkInRound(network: Network, checkIn: Date): { start: Date; end: Date | null } | null {
  return roundAround(network, new Date(checkIn.getTime() - 1));
}

/** The weekly tip digest: every `digest` day at the network's `time`; none when off. */
export const digestSlots: SlotGenerator = (network, from, to) => {
  if (network.digest === 'off') return [];
  const tz = network.timezone;
  const minutes = parseClockTime(network.time);
  const weekday = isoWeekday(network.digest);
  const toDate = addDays(localDateOf(to, tz), 1);
  const out: Date[] = [];
  for (let d = onOrAfter(addDays(localDateOf(from, tz), -1), weekday); daysBetween(d, toDate) >= 0; d = addDays(d, 7)) {
    const t = resolveLocal(tz, d, minutes);
    if (t >= network.createdAt && t >= from && t <= to) out.push(t);
  }
  return out;
};

/**
 * Weekly network slots on the network's `day` at its `time` (the rhythm nudge and the connection
 * milestones look at the network then), from the first such slot after setup.
 */
export const weeklySlots: SlotGenerator = (network, from, to) => {
  const tz = network.timezone;
  const minutes = parseClockTime(network.time);
  const weekday = isoWeekday(network.day);
  const toDate = addDays(localDateOf(to, tz), 1);
  const out: Date[] = [];
  for (let d = onOrAfter(addDays(localDateOf(from, tz), -1), weekday); daysBetween(d, toDate) >= 0; d = addDays(d, 7)) {
    const t = resolveLocal(tz, d, minutes);
    if (t > network.createdAt && t >= from && t <= to) out.push(t);
  }
  return out;
};

/**
 * The network's anniversary: each year on the local date of setup (29 February → 28 February),
 * at the network's `time`; never on the day of setup itself.
 */
export const anniversarySlots: SlotGenerator = (network, from, to) => {
  const tz = network.timezone;
  const setup = localDateOf(network.createdAt, tz);
  const minutes = parseClockTime(network.time);
  const out: Date[] = [];
  for (let y = Math.max(setup.year + 1, localDateOf(from, tz).year - 1); y <= localDateOf(to, tz).year + 1; y++) {
    const day = setup.month === 2 && setup.day === 29 ? 28 : setup.day;
    const t = resolveLocal(tz, { year: y, month: setup.month, day }, minutes);
    if (t >= from && t <= to) out.push(t);
  }
  return out;
};

/** Which anniversary a slot is (1 for the first year). */
export function anniversaryYears(network: Network, slot: Date): number {
  return localDateOf(slot, network.timezone).year - localDateOf(network.createdAt, network.timezone).year;
}
