/**
 * Calendar files (RFC 5545) for meetings: one meeting as an `.ics` file, or a network's meetings as
 * a subscribable feed. UID stays the same over changes; SEQUENCE grows with each change; a
 * cancelled meeting carries STATUS:CANCELLED (and METHOD:CANCEL as a single file). Timed
 * meetings are written in UTC; all-day meetings as DATE values.
 */
import { createEvents, type DateArray, type EventAttributes } from 'ics';
import { KlikError } from '../errors.js';
import { endOf, nextDay } from './links.js';
import type { MeetingRecord } from './ports.js';

export class CalendarFileError extends KlikError {
  constructor() {
    super('calendar_file', 'could not write the calendar file');
  }
}

const dateArray = (date: string): DateArray => date.split('-').map(Number) as DateArray;

function event(meeting: MeetingRecord, now: Date): EventAttributes {
  const timing = meeting.allDayDate
    ? { start: dateArray(meeting.allDayDate), end: dateArray(nextDay(meeting.allDayDate)) }
    : {
        start: meeting.startsAt.getTime(),
        startInputType: 'utc' as const,
        startOutputType: 'utc' as const,
        end: endOf(meeting).getTime(),
        endInputType: 'utc' as const,
        endOutputType: 'utc' as const,
      };
  return {
    ...timing,
    uid: meeting.uid,
    sequence: meeting.sequence,
    title: meeting.title,
    ...(meeting.place ? { location: meeting.place } : {}),
    status: meeting.state === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
    // DTSTAMP: when this version of the meeting was written (the library reads `timestamp`).
    ...({ timestamp: (meeting.updatedAt ?? meeting.createdAt ?? now).getTime() } as object),
  } as EventAttributes;
}

/** X-WR-CALNAME as the library writes it: unescaped, on one line. */
const calNameValue = (name: string) => name.replace(/[\r\n]+/g, ' ');

function write(events: EventAttributes[], header: { method: string; calName?: string }): string {
  if (events.length === 0) return emptyCalendar(header);
  const { error, value } = createEvents(events, {
    productId: '-//Klik//Meetings//EN',
    ...header,
    ...(header.calName ? { calName: calNameValue(header.calName) } : {}),
  });
  if (error || !value) throw new CalendarFileError();
  return value;
}

function emptyCalendar(header: { method: string; calName?: string }): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Klik//Meetings//EN', `METHOD:${header.method}`];
  if (header.calName) lines.push(`X-WR-CALNAME:${calNameValue(header.calName)}`);
  lines.push('END:VCALENDAR');
  return `${lines.join('\r\n')}\r\n`;
}

/** One meeting as a file to open or import: METHOD:CANCEL once cancelled. */
export function meetingIcs(meeting: MeetingRecord, now: Date): string {
  return write([event(meeting, now)], { method: meeting.state === 'cancelled' ? 'CANCEL' : 'PUBLISH' });
}

/** A network's meetings as a feed (cancelled ones stay in it, marked cancelled). */
export function feedIcs(meetings: readonly MeetingRecord[], calName: string, now: Date): string {
  return write(
    meetings.map((m) => event(m, now)),
    { method: 'PUBLISH', calName },
  );
}
