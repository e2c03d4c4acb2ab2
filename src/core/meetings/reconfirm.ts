/**
 * Re-confirmation 3 days and 1 day before a meeting: a DM to each member going or maybe, "still
 * coming?" with one-tap answers. Timing follows the schedule rules: the same local time N days
 * earlier in the member's own zone (else the network's), clamped into the allowed hours, and a
 * weekend moves to the Friday before. Nothing after the start; nothing for a reminder that lost its
 * point (the 1-day one is already due, or the member answered after it was due). Honours the
 * network's pause and the `reminders` and `reconfirm` switches (reminders off: nothing; reconfirm
 * off: a plain reminder without buttons). Each (meeting, 3d|1d, member) is claimed once.
 */
import { translator } from '../../messages/i18n.js';
import { actions, button, context, section } from '../../messages/model.js';
import type { Store, StoreTx } from '../ports.js';
import {
  addDays,
  daysBetween,
  localDateOf,
  previousWeekdayAllowed,
  resolveLocal,
  wallClock,
} from '../schedule/quiet-hours.js';
import type { Member, Network, QuietHours } from '../types.js';
import { countRsvps, MEETING_RSVP, meetingWhen } from './announcement.js';
import type { MeetingRecord, RsvpRecord } from './ports.js';

export const MEETING_CONFIRM = 'meeting.confirm';
export const RECONFIRM_KIND = 'meeting-reconfirm';
export const RECONFIRM_DAYS = [3, 1] as const;
/** A 3-day reminder moved to the Friday before is at most 5 days ahead; one day more of margin. */
const HORIZON_MS = 6 * 86_400_000;
const BATCH = 200;

/** When the N-days-before message goes out for a member in `zone`. */
export function reconfirmAt(startsAt: Date, days: number, zone: string, quiet: QuietHours): Date {
  const wall = wallClock(startsAt, zone);
  const nominal = resolveLocal(zone, addDays(localDateOf(startsAt, zone), -days), wall.hour * 60 + wall.minute);
  return previousWeekdayAllowed(nominal, zone, quiet);
}

export interface SweepContext {
  store: Store;
  now: Date;
  workerId: string;
}

/** Sends every re-confirmation that is due; returns how many were sent. */
export async function runReconfirmations({ store, now, workerId }: SweepContext): Promise<number> {
  const due = await store.transaction((tx) =>
    tx.meetings.startingBetween(now, new Date(now.getTime() + HORIZON_MS), BATCH),
  );
  let sent = 0;
  for (const candidate of due) {
    sent += await store.transaction((tx) => reconfirmMeeting(tx, candidate, now, workerId));
  }
  return sent;
}

async function reconfirmMeeting(tx: StoreTx, candidate: MeetingRecord, now: Date, workerId: string): Promise<number> {
  const meeting = await tx.meetings.get(candidate.installationId, candidate.id);
  if (meeting?.state !== 'scheduled' || meeting.startsAt.getTime() <= now.getTime()) return 0;
  const network = await tx.networks.get(meeting.installationId, meeting.networkId);
  if (network?.state !== 'active') return 0;
  if (network.pausedUntil && network.pausedUntil.getTime() > now.getTime()) return 0;
  if (network.nudges.reminders === false) return 0;
  const rsvps = await tx.meetings.listRsvps(meeting.installationId, meeting.id);
  const asked = rsvps.filter((r) => r.status === 'going' || r.status === 'maybe');
  if (asked.length === 0) return 0;
  const members = new Map(
    (
      await tx.members.getMany(
        meeting.installationId,
        asked.map((r) => r.memberId),
      )
    ).map((m) => [m.id, m]),
  );
  let sent = 0;
  for (const rsvp of asked) {
    const member = members.get(rsvp.memberId);
    if (!member) continue;
    const days = dueKind(meeting, rsvp, member, network, now);
    if (days === null) continue;
    const claimed = await tx.jobClaims.claim({
      installationId: meeting.installationId,
      networkId: network.id,
      kind: RECONFIRM_KIND,
      // The start is part of the slot: a meeting moved to another date is re-confirmed again.
      slot: `${meeting.id}:${meeting.startsAt.getTime()}:${days}d:${member.id}`,
      outcome: 'run',
      claimedBy: workerId,
      at: now,
    });
    if (!claimed) continue;
    await tx.outbox.enqueue({
      installationId: meeting.installationId,
      networkId: network.id,
      key: `meeting:${meeting.id}:reconfirm:${meeting.startsAt.getTime()}:${days}d:${member.id}`,
      target: { kind: 'user', memberId: member.id },
      message: reconfirmMessage(network, meeting, member, now, rsvps),
    });
    sent++;
  }
  return sent;
}

/** Which re-confirmation is due now for this member, if any (the latest one that kept its point). */
function dueKind(
  meeting: MeetingRecord,
  rsvp: RsvpRecord,
  member: Member,
  network: Network,
  now: Date,
): (typeof RECONFIRM_DAYS)[number] | null {
  const zone = member.timezone ?? network.timezone;
  let due: (typeof RECONFIRM_DAYS)[number] | null = null;
  // Ordered 3 then 1: a later kind that is due replaces an earlier one (which lost its point).
  for (const days of RECONFIRM_DAYS) {
    const at = reconfirmAt(meeting.startsAt, days, zone, network.quietHours);
    if (at.getTime() > now.getTime()) continue;
    // Answered (or planned) after it was due: asking again would be noise.
    due = at.getTime() < rsvp.respondedAt.getTime() || at.getTime() < meeting.createdAt.getTime() ? null : days;
  }
  return due;
}

function reconfirmMessage(
  network: Network,
  meeting: MeetingRecord,
  member: Member,
  now: Date,
  rsvps: readonly RsvpRecord[],
) {
  const locale = member.locale ?? network.locale;
  const t = translator(locale);
  const zone = member.timezone ?? network.timezone;
  const when = meetingWhen(t, meeting, locale, zone);
  // Calendar days from when it is sent (a weekend reminder goes out on Friday: "in 4 days").
  const days = Math.max(1, daysBetween(localDateOf(now, zone), localDateOf(meeting.startsAt, zone)));
  if (network.nudges.reconfirm === false) {
    const text = t('meeting.reminder', { title: meeting.title, when, days });
    return { text: text.replace(/\*/g, ''), blocks: [section(text)] };
  }
  const text = t('meeting.reconfirm', { title: meeting.title, when, days });
  const waitlisted = countRsvps(rsvps).waitlist > 0;
  return {
    text: text.replace(/\*/g, ''),
    blocks: [
      section(text),
      actions(
        button(t('meeting.reconfirm.yes'), MEETING_CONFIRM, `${meeting.id}:going`, 'primary'),
        button(t('meeting.notGoing'), MEETING_RSVP, `${meeting.id}:not_going`),
      ),
      context(t(waitlisted ? 'meeting.reconfirm.cost' : 'meeting.reconfirm.cost.noWaitlist')),
    ],
  };
}

/** How far ahead nextDueAt looks for meetings (the scheduler asks again later). */
const NEXT_DUE_HORIZON_MS = 45 * 86_400_000;

/** The earliest re-confirmation after `after` (for fake-clock jumps); null when none is planned. */
export async function nextReconfirmation(store: Store, after: Date): Promise<Date | null> {
  return store.transaction(async (tx) => {
    const meetings = await tx.meetings.startingBetween(after, new Date(after.getTime() + NEXT_DUE_HORIZON_MS), BATCH);
    let best: number | null = null;
    for (const meeting of meetings) {
      const network = await tx.networks.get(meeting.installationId, meeting.networkId);
      if (network?.state !== 'active' || network.nudges.reminders === false) continue;
      const asked = (await tx.meetings.listRsvps(meeting.installationId, meeting.id)).filter(
        (r) => r.status === 'going' || r.status === 'maybe',
      );
      const members = await tx.members.getMany(
        meeting.installationId,
        asked.map((r) => r.memberId),
      );
      for (const member of members) {
        for (const days of RECONFIRM_DAYS) {
          const at = reconfirmAt(
            meeting.startsAt,
            days,
            member.timezone ?? network.timezone,
            network.quietHours,
          ).getTime();
          if (at > after.getTime() && at < meeting.startsAt.getTime() && (best === null || at < best)) best = at;
        }
      }
    }
    return best === null ? null : new Date(best);
  });
}
