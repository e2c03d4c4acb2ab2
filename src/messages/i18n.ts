/** Picks the catalog for a locale and formats dates the way each language writes them. */
import { DateTime } from 'luxon';
import type { Locale } from '../core/types.js';
import { type Catalog, en } from './catalog/en.js';
import { nl } from './catalog/nl.js';

const catalogs: Record<Locale, Catalog> = { en, nl };

export type Translator = <K extends keyof Catalog>(
  key: K,
  ...params: Catalog[K] extends (p: infer P) => string ? [P] : []
) => string;

export function translator(locale: Locale): Translator {
  const catalog = catalogs[locale];
  return ((key: keyof Catalog, params?: unknown) => {
    const entry = catalog[key] as string | ((p: unknown) => string);
    return typeof entry === 'function' ? entry(params) : entry;
  }) as Translator;
}

/** "di 2 mrt 14:00" / "Tue 2 Mar 14:00" in the given zone. */
export function formatDateTime(at: Date, locale: Locale, timezone: string, withTime = true): string {
  const dt = DateTime.fromJSDate(at, { zone: timezone }).setLocale(locale === 'nl' ? 'nl-NL' : 'en-GB');
  const date = dt.toFormat('ccc d LLL').replace(/\./g, '');
  return withTime ? `${date} ${dt.toFormat('HH:mm')}` : date;
}

/** "31 december 2026" / "31 December 2026". */
export function formatLongDate(at: Date, locale: Locale, timezone: string): string {
  return DateTime.fromJSDate(at, { zone: timezone })
    .setLocale(locale === 'nl' ? 'nl-NL' : 'en-GB')
    .toFormat('d LLLL yyyy');
}

const dayNames: Record<Locale, Record<string, string>> = {
  nl: { mon: 'maandag', tue: 'dinsdag', wed: 'woensdag', thu: 'donderdag', fri: 'vrijdag', off: 'uit' },
  en: { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', off: 'off' },
};

export function dayName(day: string, locale: Locale): string {
  return dayNames[locale][day] ?? day;
}
