/**
 * A poll's options from what a member typed: each a date (all day) or a date and time in the
 * network's time zone. Pure: today, now and the zone are passed in.
 */
import { DateTime } from 'luxon';
import { formatLocalDate, parseLocalDate } from '../commands/dates.js';
import type { LocalDate } from '../commands/types.js';
import { resolveLocal } from '../schedule/quiet-hours.js';
import type { Locale } from '../types.js';
import type { PollOptionRecord } from './ports.js';

export const MAX_OPTIONS = 20;
export const MAX_TITLE = 150;

export type NewOption = Omit<PollOptionRecord, 'id'>;

/** Why the input cannot become a poll; the catalog key `poll.problem.<kind>` explains it. */
export type OptionProblem =
  | { kind: 'noTitle' }
  | { kind: 'titleTooLong'; max: number }
  | { kind: 'noOptions' }
  | { kind: 'tooMany'; count: number; max: number }
  | { kind: 'badDate'; input: string }
  | { kind: 'pastDate'; input: string }
  | { kind: 'duplicate'; input: string };

export type OptionsResult = { ok: true; options: NewOption[] } | { ok: false; problem: OptionProblem };

const p2 = (n: number) => String(n).padStart(2, '0');

/** The instant an option starts: its time, or the start of its day, in the network's zone. */
export function optionStart(d: LocalDate, timezone: string): Date {
  return resolveLocal(timezone, d, d.hour === undefined ? 0 : d.hour * 60 + (d.minute ?? 0));
}

export function checkTitle(
  raw: string | undefined,
): { ok: true; title: string } | { ok: false; problem: OptionProblem } {
  const title = (raw ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();
  if (title === '') return { ok: false, problem: { kind: 'noTitle' } };
  if (title.length > MAX_TITLE) return { ok: false, problem: { kind: 'titleTooLong', max: MAX_TITLE } };
  return { ok: true, title };
}

/**
 * Parses every option; the first problem found is reported (so the member fixes one thing at a
 * time). Options come back in time order, all-day before timed options on the same date.
 */
export function parseOptions(raw: string[], today: LocalDate, now: Date, timezone: string): OptionsResult {
  const inputs = raw.map((r) => r.replace(/\s+/g, ' ').trim()).filter((r) => r !== '');
  if (inputs.length === 0) return { ok: false, problem: { kind: 'noOptions' } };
  if (inputs.length > MAX_OPTIONS)
    return { ok: false, problem: { kind: 'tooMany', count: inputs.length, max: MAX_OPTIONS } };
  const seen = new Map<string, string>();
  const parsed: Array<NewOption & { allDay: boolean }> = [];
  for (const input of inputs) {
    const d = parseLocalDate(input, today);
    if (!d) return { ok: false, problem: { kind: 'badDate', input: input.slice(0, 60) } };
    const startsAt = optionStart(d, timezone);
    const allDay = d.hour === undefined;
    const past = allDay ? formatLocalDate(d) < formatLocalDate(today) : startsAt.getTime() <= now.getTime();
    if (past) return { ok: false, problem: { kind: 'pastDate', input: input.slice(0, 60) } };
    const key = formatLocalDate(d);
    if (seen.has(key)) return { ok: false, problem: { kind: 'duplicate', input: input.slice(0, 60) } };
    seen.set(key, input);
    parsed.push({
      position: 0,
      date: formatLocalDate({ year: d.year, month: d.month, day: d.day }),
      time: allDay ? null : `${p2(d.hour ?? 0)}:${p2(d.minute ?? 0)}`,
      startsAt,
      allDay,
    });
  }
  parsed.sort((a, b) => {
    if (a.date !== b.date) return a.date < b.date ? -1 : 1;
    if (a.allDay !== b.allDay) return a.allDay ? -1 : 1;
    return a.startsAt.getTime() - b.startsAt.getTime();
  });
  return { ok: true, options: parsed.map(({ allDay: _, ...o }, i) => ({ ...o, position: i })) };
}

/** "di 2 mrt" or "di 9 mrt 14:00" (network zone and locale); the year only when it is not this year's. */
/** Labels already made: a busy poll renders the same 20 labels every second. */
const labels = new Map<string, string>();
const MAX_LABELS = 2_000;

export function optionLabel(o: Pick<NewOption, 'date' | 'time'>, locale: Locale, thisYear?: number): string {
  const key = `${o.date}|${o.time ?? ''}|${locale}|${thisYear ?? ''}`;
  const known = labels.get(key);
  if (known !== undefined) return known;
  const d = DateTime.fromISO(o.time ? `${o.date}T${o.time}` : o.date, { zone: 'UTC' }).setLocale(locale);
  const day = d.toFormat(thisYear !== undefined && d.year !== thisYear ? 'ccc d LLL yyyy' : 'ccc d LLL');
  const label = o.time ? `${day} ${o.time}` : day;
  if (labels.size >= MAX_LABELS) labels.clear();
  labels.set(key, label);
  return label;
}
