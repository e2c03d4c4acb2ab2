/**
 * The meeting's message in the channel: when, where, who hosts, how many come, RSVP buttons,
 * add-to-calendar links and the network's feed. The same builder renders the first announcement,
 * its live updates, a change and a cancellation.
 */
import { formatDateTime, type Translator } from '../../messages/i18n.js';
import { type Button, button, context, type Message, mention, section } from '../../messages/model.js';
import type { Locale, Member } from '../types.js';
import { type CalendarLinks, googleCalendarUrl, outlookCalendarUrl } from './links.js';
import type { MeetingRecord, RsvpRecord } from './ports.js';

export const MEETING_RSVP = 'meeting.rsvp';
export const MEETING_EDIT = 'meeting.edit';
export const MEETING_HOST = 'meeting.host';
/** Action ids of the link buttons (Google, Outlook, the .ics file). */
export const MEETING_LINKS = ['meeting.google', 'meeting.outlook', 'meeting.ics'] as const;

export interface RsvpCounts {
  going: number;
  maybe: number;
  notGoing: number;
  waitlist: number;
}

export function countRsvps(rsvps: readonly RsvpRecord[]): RsvpCounts {
  const counts: RsvpCounts = { going: 0, maybe: 0, notGoing: 0, waitlist: 0 };
  for (const r of rsvps) {
    if (r.status === 'going') counts.going++;
    else if (r.status === 'maybe') counts.maybe++;
    else if (r.status === 'not_going') counts.notGoing++;
    else counts.waitlist++;
  }
  return counts;
}

/** "di 2 mrt 14:00" or "di 2 mrt (hele dag)" in the given zone. */
export function meetingWhen(t: Translator, meeting: MeetingRecord, locale: Locale, timezone: string): string {
  return meeting.allDayDate
    ? `${formatDateTime(meeting.startsAt, locale, timezone, false)} (${t('meeting.allDay')})`
    : formatDateTime(meeting.startsAt, locale, timezone);
}

export type AnnouncementKind = 'new' | 'update' | 'changed';

export interface AnnouncementInput {
  t: Translator;
  locale: Locale;
  timezone: string;
  meeting: MeetingRecord;
  counts: RsvpCounts;
  host: Member | null;
  /** A going member who has not hosted recently, shown while there is no host. */
  suggestedHost: Member | null;
  calendar: CalendarLinks | undefined;
  kind: AnnouncementKind;
}

const who = (m: Member) => mention(m.platformUserId, m.displayName);

export function announcement(input: AnnouncementInput): Message {
  const { t, meeting, counts } = input;
  const when = meetingWhen(t, meeting, input.locale, input.timezone);
  const cancelled = meeting.state === 'cancelled';
  const lead = cancelled
    ? t('meeting.cancelledLead')
    : input.kind === 'changed'
      ? t('meeting.changedLead')
      : t('meeting.lead');
  const lines = [
    `*${meeting.title}*`,
    t('meeting.when', { when }),
    meeting.place ? t('meeting.where', { place: meeting.place }) : t('meeting.whereOpen'),
  ];
  if (input.host) lines.push(t('meeting.host', { name: who(input.host) }));
  else if (input.suggestedHost) lines.push(t('meeting.hostSuggest', { name: who(input.suggestedHost) }));
  else lines.push(t('meeting.hostOpen'));

  const blocks: Message['blocks'] = [section(lead), section(lines.join('\n'))];
  if (cancelled) return { text: `${plainLead(lead)} ${meeting.title}`, blocks };

  const tally = [t('meeting.counts', counts)];
  if (meeting.capacity !== null)
    tally.push(
      t('meeting.capacity', { capacity: meeting.capacity, free: Math.max(0, meeting.capacity - counts.going) }),
    );
  blocks.push(context(tally.join(' · ')));
  const answers: Button[] = [
    button(t('meeting.going'), MEETING_RSVP, `${meeting.id}:going`, 'primary'),
    button(t('meeting.maybe'), MEETING_RSVP, `${meeting.id}:maybe`),
    button(t('meeting.notGoing'), MEETING_RSVP, `${meeting.id}:not_going`),
  ];
  if (!input.host) answers.push(button(t('meeting.takeHost'), MEETING_HOST, meeting.id));
  answers.push(button(t('meeting.edit'), MEETING_EDIT, meeting.id));
  blocks.push({ type: 'actions', elements: answers });

  const feed = input.calendar?.feedUrl(meeting.installationId, meeting.networkId);
  const links: Button[] = [
    linkButton(
      t('meeting.google'),
      'meeting.google',
      googleCalendarUrl({ meeting, ...(feed ? { details: feed } : {}) }),
    ),
    linkButton(
      t('meeting.outlook'),
      'meeting.outlook',
      outlookCalendarUrl({ meeting, ...(feed ? { details: feed } : {}) }),
    ),
  ];
  if (input.calendar)
    links.push(
      linkButton(
        t('meeting.ics'),
        'meeting.ics',
        input.calendar.meetingUrl(meeting.installationId, meeting.networkId, meeting.id),
      ),
    );
  blocks.push({ type: 'actions', elements: links });
  if (feed) blocks.push(context(t('meeting.feed', { url: feed })));
  return { text: `${plainLead(lead)} ${meeting.title}, ${when}`, blocks };
}

const plainLead = (lead: string) => lead.replace(/\*/g, '');

function linkButton(label: string, actionId: string, url: string): Button {
  return { type: 'button', label, actionId, value: 'link', url };
}
