/**
 * Posting a meeting to its channel through the outbox: the first announcement, live updates of
 * that message (answers, host) once it was sent, and a new post for a change or a cancellation.
 */
import { translator } from '../../messages/i18n.js';
import type { Attachment } from '../../messages/model.js';
import type { StoreTx } from '../ports.js';
import type { Member, Network } from '../types.js';
import { type AnnouncementKind, announcement, countRsvps } from './announcement.js';
import { suggestHost } from './host.js';
import { meetingIcs } from './ics.js';
import type { CalendarLinks } from './links.js';
import type { MeetingRecord } from './ports.js';

export const announcementKey = (meetingId: string) => `meeting:${meetingId}`;

/** The meeting's `.ics` file, posted with the announcement where the platform allows files. */
export function calendarFile(meeting: MeetingRecord, now: Date): Attachment {
  const slug =
    meeting.title
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .toLowerCase() || 'meeting';
  return {
    filename: `${slug}.ics`,
    title: meeting.title,
    mimeType: 'text/calendar',
    content: meetingIcs(meeting, now),
  };
}

async function render(
  tx: StoreTx,
  network: Network,
  meeting: MeetingRecord,
  calendar: CalendarLinks | undefined,
  kind: AnnouncementKind,
) {
  const rsvps = await tx.meetings.listRsvps(meeting.installationId, meeting.id);
  const counts = countRsvps(rsvps);
  const host: Member | null = meeting.hostId ? await tx.members.get(meeting.installationId, meeting.hostId) : null;
  const suggestedHost = host ? null : await suggestHost(tx, meeting, rsvps);
  const message = announcement({
    t: translator(network.locale),
    locale: network.locale,
    timezone: network.timezone,
    meeting,
    counts,
    host,
    suggestedHost,
    calendar,
    kind,
  });
  return { message, counts };
}

/** The first announcement in the network's channel. */
export async function announceMeeting(
  tx: StoreTx,
  network: Network,
  meeting: MeetingRecord,
  calendar: CalendarLinks | undefined,
): Promise<void> {
  const { message } = await render(tx, network, meeting, calendar, 'new');
  message.file = calendarFile(meeting, meeting.createdAt);
  await tx.outbox.enqueue({
    installationId: meeting.installationId,
    networkId: network.id,
    key: announcementKey(meeting.id),
    target: { kind: 'channel', channelId: network.channelId },
    message,
  });
}

/**
 * Refreshes the announcement after answers changed. Until the announcement was sent there is
 * nothing to update: the next change after it was sent shows the state then.
 */
export async function refreshAnnouncement(
  tx: StoreTx,
  network: Network,
  meeting: MeetingRecord,
  calendar: CalendarLinks | undefined,
  now: Date,
): Promise<void> {
  const ref = await tx.outbox.sentRef(meeting.installationId, announcementKey(meeting.id));
  if (!ref) return;
  const { message, counts } = await render(tx, network, meeting, calendar, 'update');
  const state = `s${meeting.sequence}g${counts.going}m${counts.maybe}n${counts.notGoing}w${counts.waitlist}h${meeting.hostId ?? '-'}`;
  await tx.outbox.enqueue({
    installationId: meeting.installationId,
    networkId: network.id,
    key: `${announcementKey(meeting.id)}:${state}:${now.getTime()}`,
    target: { kind: 'update', ref },
    message,
  });
}

/** A change or a cancellation: a new post in the channel (news), and the announcement updated. */
export async function announceChange(
  tx: StoreTx,
  network: Network,
  meeting: MeetingRecord,
  calendar: CalendarLinks | undefined,
  now: Date,
): Promise<void> {
  const { message } = await render(tx, network, meeting, calendar, 'changed');
  message.file = calendarFile(meeting, now);
  await tx.outbox.enqueue({
    installationId: meeting.installationId,
    networkId: network.id,
    key: `${announcementKey(meeting.id)}:change:${meeting.sequence}`,
    target: { kind: 'channel', channelId: network.channelId },
    message,
  });
  await refreshAnnouncement(tx, network, meeting, calendar, now);
}
