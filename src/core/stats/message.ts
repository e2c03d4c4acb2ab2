/** The `stats` answer: a compact message that reads well on a phone, in the coordinator's language. */
import { DateTime } from 'luxon';
import { formatDateTime, type Translator } from '../../messages/i18n.js';
import { context, fields, type Message, section } from '../../messages/model.js';
import type { Locale } from '../types.js';
import type { NetworkStats } from './compute.js';

/** Months, rounds and quiet members shown in the message; the dashboard shows everything. */
const MONTHS_SHOWN = 6;
const ROUNDS_SHOWN = 3;
const QUIET_SHOWN = 5;

export const percent = (share: number | null): string => (share === null ? '–' : `${Math.round(share * 100)}%`);

/** "2026-03" → "mrt" / "Mar" (with the year when it is not the year of `now`). */
export function monthLabel(month: string, locale: Locale, now: Date, timezone: string): string {
  const dt = DateTime.fromFormat(month, 'yyyy-LL', { zone: timezone }).setLocale(locale === 'nl' ? 'nl-NL' : 'en-GB');
  const thisYear = DateTime.fromJSDate(now, { zone: timezone }).year;
  return dt.toFormat(dt.year === thisYear ? 'LLL' : 'LLL yyyy').replace(/\./g, '');
}

export function statsMessage(t: Translator, locale: Locale, name: string, s: NetworkStats): Message {
  const tz = s.timezone;
  const date = (at: Date) => formatDateTime(at, locale, tz, false);
  const meetingsValue =
    s.meetings.count === 0
      ? t('stats.meetings.none')
      : s.meetings.list.some((m) => m.attended !== null)
        ? t('stats.meetings.value', {
            count: s.meetings.count,
            going: s.meetings.going,
            attended: s.meetings.attended,
            noShow: s.meetings.noShow,
            late: s.meetings.lateCancellations,
          })
        : t('stats.meetings.valueNoAttendance', {
            count: s.meetings.count,
            going: s.meetings.going,
            late: s.meetings.lateCancellations,
          });
  const figures = fields([
    {
      label: t('stats.members.label'),
      value: t('stats.members.value', { now: s.members.now, before: s.members.ninetyDaysAgo }),
    },
    {
      label: t('stats.active.label'),
      value: t('stats.active.value', {
        active: s.activity.active,
        members: s.activity.members,
        pct: percent(s.activity.share),
      }),
    },
    {
      label: t('stats.rounds.label'),
      value:
        s.rounds.count === 0
          ? t('stats.rounds.none')
          : s.rounds.count === s.rounds.pending
            ? t('stats.rounds.pendingOnly', { rounds: s.rounds.count })
            : t('stats.rounds.value', {
                rounds: s.rounds.count,
                met: s.rounds.met,
                groups: s.rounds.groups,
                pct: percent(s.rounds.metRate),
              }),
    },
    {
      label: t('stats.connections.label'),
      value: t('stats.connections.value', {
        pairs: s.connections.pairs,
        cross: s.connections.crossOrganisation,
        pct: percent(s.connections.share),
      }),
    },
    { label: t('stats.meetings.label'), value: meetingsValue },
    { label: t('stats.tips.label'), value: t('stats.tips.value', { count: s.tips.lastMonths }) },
  ]);

  const months = s.months.slice(-MONTHS_SHOWN).map((m) =>
    t('stats.month.line', {
      month: monthLabel(m.month, locale, s.generatedAt, tz),
      joins: m.joins,
      leaves: m.leaves,
      tips: m.tips,
    }),
  );

  const rounds = s.rounds.list
    .slice(-ROUNDS_SHOWN)
    .reverse()
    .map((r) =>
      r.pending
        ? t('stats.round.pending', { number: r.number, date: date(r.startedAt), groups: r.groups })
        : t('stats.round.line', {
            number: r.number,
            date: date(r.startedAt),
            met: r.met,
            groups: r.groups,
            pct: percent(r.metRate),
          }),
    );

  const quietNames = s.quiet
    .slice(0, QUIET_SHOWN)
    .map((q) => t('stats.quiet.line', { name: q.name, date: date(q.lastActiveAt) }));
  if (s.quiet.length > QUIET_SHOWN) quietNames.push(t('stats.quiet.more', { count: s.quiet.length - QUIET_SHOWN }));
  const quiet =
    s.quiet.length === 0
      ? t('stats.quiet.none')
      : `${t('stats.quiet.title', { count: s.quiet.length })}\n${quietNames.map((l) => `• ${l}`).join('\n')}`;

  const title = t('stats.title', { name });
  return {
    text: title,
    blocks: [
      { type: 'header', text: title },
      figures,
      section(`${t('stats.months.title')}\n${months.join('\n')}`),
      ...(rounds.length > 0 ? [section(`${t('stats.rounds.title')}\n${rounds.join('\n')}`)] : []),
      section(quiet),
      context(t('stats.footer')),
    ],
  };
}
