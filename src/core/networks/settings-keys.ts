/**
 * The settings keys of product.md, each with its validation. Input is forgiving: Dutch words,
 * capitals and extra spaces work ("wo", "aan", "tweewekelijks", "9:00").
 */
import { IANAZone } from 'luxon';
import {
  type Cadence,
  LOCALES,
  type NetworkSettings,
  NUDGE_KINDS,
  type NudgeKind,
  type Pool,
  type Weekday,
} from '../types.js';

export const SETTING_KEYS = [
  'purpose',
  'locale',
  'timezone',
  'cadence',
  'day',
  'time',
  'group-size',
  'pool',
  'rhythm',
  'digest',
  'quiet-hours',
  'post-new-tips',
  'share-notes',
  'nudge',
] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

export type SettingResult =
  | { ok: true; key: SettingKey; patch: Partial<NetworkSettings>; display: string }
  | { ok: false; error: 'unknown_key'; key: string }
  | { ok: false; error: 'missing_value' | 'invalid'; key: SettingKey; value: string };

const DAY_ALIASES: Record<string, Weekday> = {
  mon: 'mon',
  monday: 'mon',
  ma: 'mon',
  maandag: 'mon',
  tue: 'tue',
  tuesday: 'tue',
  di: 'tue',
  dinsdag: 'tue',
  wed: 'wed',
  wednesday: 'wed',
  wo: 'wed',
  woensdag: 'wed',
  thu: 'thu',
  thursday: 'thu',
  do: 'thu',
  donderdag: 'thu',
  fri: 'fri',
  friday: 'fri',
  vr: 'fri',
  vrijdag: 'fri',
};

const CADENCE_ALIASES: Record<string, Cadence> = {
  weekly: 'weekly',
  wekelijks: 'weekly',
  week: 'weekly',
  biweekly: 'biweekly',
  tweewekelijks: 'biweekly',
  'om-de-week': 'biweekly',
  'om de week': 'biweekly',
  fortnightly: 'biweekly',
  monthly: 'monthly',
  maandelijks: 'monthly',
  maand: 'monthly',
  off: 'off',
  uit: 'off',
};

const POOL_ALIASES: Record<string, Pool> = {
  channel: 'channel',
  kanaal: 'channel',
  iedereen: 'channel',
  'opt-in': 'opt-in',
  optin: 'opt-in',
  aanmelden: 'opt-in',
};

const ON = new Set(['on', 'aan', 'yes', 'ja', 'true', '1']);
const OFF = new Set(['off', 'uit', 'no', 'nee', 'false', '0']);

const KEY_ALIASES: Record<string, SettingKey> = {
  doel: 'purpose',
  taal: 'locale',
  language: 'locale',
  tijdzone: 'timezone',
  ritme: 'cadence',
  dag: 'day',
  tijd: 'time',
  groepsgrootte: 'group-size',
  groupsize: 'group-size',
  rhythm: 'rhythm',
  bijeenkomsten: 'rhythm',
  overzicht: 'digest',
  stiltetijden: 'quiet-hours',
  'quiet-hours': 'quiet-hours',
  quiethours: 'quiet-hours',
  herinnering: 'nudge',
  nudges: 'nudge',
};

/** "9:00", "09.00", "9u", "9" → "09:00"; null when not a time of day. */
export function parseClockTime(raw: string): string | null {
  const m = raw
    .trim()
    .toLowerCase()
    .match(/^(\d{1,2})(?:[:.u](\d{2})?)?$/);
  if (!m) return null;
  const h = Number(m[1]);
  const min = m[2] === undefined ? 0 : Number(m[2]);
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

export const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

function onOff(value: string): boolean | null {
  const v = value.toLowerCase();
  if (ON.has(v)) return true;
  if (OFF.has(v)) return false;
  return null;
}

export function normaliseKey(raw: string): SettingKey | null {
  const k = raw.trim().toLowerCase().replace(/_/g, '-');
  if ((SETTING_KEYS as readonly string[]).includes(k)) return k as SettingKey;
  return KEY_ALIASES[k] ?? null;
}

/** Validates one `settings <key> <value>` and returns the change to make. */
export function parseSetting(rawKey: string, rawValue: string | undefined, current: NetworkSettings): SettingResult {
  const key = normaliseKey(rawKey);
  if (!key) return { ok: false, error: 'unknown_key', key: rawKey.trim().toLowerCase() };
  const value = (rawValue ?? '').trim().replace(/\s+/g, ' ');
  if (value === '') return { ok: false, error: 'missing_value', key, value };
  const v = value.toLowerCase();
  const invalid = { ok: false as const, error: 'invalid' as const, key, value };
  const ok = (patch: Partial<NetworkSettings>, display: string) => ({ ok: true as const, key, patch, display });

  switch (key) {
    case 'purpose':
      return value.length > 500 ? invalid : ok({ purpose: value }, value);
    case 'locale':
      return (LOCALES as readonly string[]).includes(v) ? ok({ locale: v as 'nl' | 'en' }, v) : invalid;
    case 'timezone': {
      const zone = IANAZone.isValidZone(value)
        ? new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone
        : null;
      return zone ? ok({ timezone: zone }, zone) : invalid;
    }
    case 'cadence': {
      const c = CADENCE_ALIASES[v];
      return c ? ok({ cadence: c }, c) : invalid;
    }
    case 'day': {
      const d = DAY_ALIASES[v.replace(/\.$/, '')];
      return d ? ok({ day: d }, d) : invalid;
    }
    case 'time': {
      const t = parseClockTime(v);
      return t ? ok({ time: t }, t) : invalid;
    }
    case 'group-size': {
      if (!/^\d+$/.test(v)) return invalid;
      const n = Number(v);
      return n >= 2 && n <= 6 ? ok({ groupSize: n }, String(n)) : invalid;
    }
    case 'pool': {
      const p = POOL_ALIASES[v];
      return p ? ok({ pool: p }, p) : invalid;
    }
    case 'rhythm': {
      const m = v.match(/^(\d+)(?:\s*(w|wk|weeks?|weken))?$/);
      const n = m ? Number(m[1]) : Number.NaN;
      return n >= 1 && n <= 26 ? ok({ rhythmWeeks: n }, String(n)) : invalid;
    }
    case 'digest': {
      if (OFF.has(v)) return ok({ digest: 'off' }, 'off');
      const d = DAY_ALIASES[v];
      return d ? ok({ digest: d }, d) : invalid;
    }
    case 'quiet-hours': {
      const parts = v.split(/\s*(?:-|–|—|tot|to|until)\s*/);
      if (parts.length !== 2) return invalid;
      const start = parseClockTime(parts[0] ?? '');
      const end = parseClockTime(parts[1] ?? '');
      if (!start || !end || minutesOf(start) >= minutesOf(end)) return invalid;
      return ok({ quietHours: { start, end } }, `${start}-${end}`);
    }
    case 'post-new-tips': {
      const b = onOff(v);
      return b === null ? invalid : ok({ postNewTips: b }, b ? 'on' : 'off');
    }
    case 'share-notes': {
      const b = onOff(v);
      return b === null ? invalid : ok({ shareNotes: b }, b ? 'on' : 'off');
    }
    case 'nudge': {
      const [kindRaw, stateRaw, ...rest] = v.split(' ');
      const kind = NUDGE_KINDS.find((k) => k === kindRaw);
      const b = stateRaw === undefined ? null : onOff(stateRaw);
      if (!kind || b === null || rest.length > 0) return invalid;
      const nudges: Record<NudgeKind, boolean> = { ...current.nudges, [kind]: b };
      return ok({ nudges }, `${kind} ${b ? 'on' : 'off'}`);
    }
  }
}
