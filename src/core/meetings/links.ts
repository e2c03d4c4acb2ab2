/**
 * Links around a meeting: the network's subscribable calendar feed and a meeting's `.ics` file
 * (signed by the process: the core only asks for them), and add-to-calendar links for Google and
 * Outlook on the web (plain URLs, no secret).
 */
import type { MeetingRecord } from './ports.js';

/** Made by the process (it signs with KLIK_SECRET_KEY); absent when no HTTP server serves calendars. */
export interface CalendarLinks {
  /** The network's meetings as a feed calendar apps subscribe to. */
  feedUrl(installationId: string, networkId: string): string;
  /** One meeting as an `.ics` file (a download link where the platform cannot post files). */
  meetingUrl(installationId: string, networkId: string, meetingId: string): string;
}

/** Timed meetings without an end last this long in calendars. */
export const DEFAULT_DURATION_MS = 2 * 3_600_000;

/** The end of a meeting: its own, else two hours after the start (timed) or the next day (all day). */
export function endOf(meeting: Pick<MeetingRecord, 'startsAt' | 'endsAt' | 'allDayDate'>): Date {
  if (meeting.endsAt) return meeting.endsAt;
  return new Date(meeting.startsAt.getTime() + DEFAULT_DURATION_MS);
}

/** The day after a local date "YYYY-MM-DD" (calendar DTEND of an all-day event is exclusive). */
export function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

const utcBasic = (at: Date) =>
  at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
const utcExtended = (at: Date) => at.toISOString().replace(/\.\d{3}/, '');

interface LinkInput {
  meeting: Pick<MeetingRecord, 'title' | 'startsAt' | 'endsAt' | 'allDayDate' | 'place'>;
  /** Shown in the event's description (e.g. the feed address). */
  details?: string;
}

export function googleCalendarUrl({ meeting, details }: LinkInput): string {
  const dates = meeting.allDayDate
    ? `${meeting.allDayDate.replace(/-/g, '')}/${nextDay(meeting.allDayDate).replace(/-/g, '')}`
    : `${utcBasic(meeting.startsAt)}/${utcBasic(endOf(meeting))}`;
  const params = new URLSearchParams({ action: 'TEMPLATE', text: meeting.title, dates });
  if (meeting.place) params.set('location', meeting.place);
  if (details) params.set('details', details);
  return `https://calendar.google.com/calendar/render?${params.toString()}`;
}

export function outlookCalendarUrl({ meeting, details }: LinkInput): string {
  const params = new URLSearchParams({ path: '/calendar/action/compose', rru: 'addevent', subject: meeting.title });
  if (meeting.allDayDate) {
    params.set('startdt', meeting.allDayDate);
    params.set('enddt', nextDay(meeting.allDayDate));
    params.set('allday', 'true');
  } else {
    params.set('startdt', utcExtended(meeting.startsAt));
    params.set('enddt', utcExtended(endOf(meeting)));
  }
  if (meeting.place) params.set('location', meeting.place);
  if (details) params.set('body', details);
  return `https://outlook.office.com/calendar/0/deeplink/compose?${params.toString()}`;
}
