/**
 * Capacity and the waitlist. A meeting with a capacity takes "going" answers while places are
 * free; after that new ones join the waitlist in order. A freed place is offered to the first
 * waitlisted member by DM, held for them until OFFER_MS later (never past the start); an offer that
 * runs out passes to the next (the offers sweep).
 */
import { formatDateTime, translator } from '../../messages/i18n.js';
import { actions, button, section } from '../../messages/model.js';
import type { Store, StoreTx } from '../ports.js';
import type { Member, Network } from '../types.js';
import { meetingWhen } from './announcement.js';
import type { CalendarLinks } from './links.js';
import type { MeetingRecord, RsvpRecord } from './ports.js';
import { refreshAnnouncement } from './publish.js';

export const MEETING_OFFER = 'meeting.offer';
/** How long a waitlisted member has to take a freed place. */
export const OFFER_MS = 24 * 3_600_000;

const openOffer = (r: RsvpRecord, now: Date) =>
  r.status === 'waitlist' && r.offerExpiresAt !== null && r.offerExpiresAt.getTime() > now.getTime();

/** Places free for a new "going": capacity minus those going and those holding an open offer. */
export function freePlaces(meeting: MeetingRecord, rsvps: readonly RsvpRecord[], now: Date, self?: string): number {
  if (meeting.capacity === null) return Number.POSITIVE_INFINITY;
  const taken = rsvps.filter((r) => r.memberId !== self && (r.status === 'going' || openOffer(r, now))).length;
  return Math.max(0, meeting.capacity - taken);
}

/** The waitlist in order (first come first): waitlisted members without an open offer come after those with one. */
export function waitlistOrder(rsvps: readonly RsvpRecord[]): RsvpRecord[] {
  return rsvps
    .filter((r) => r.status === 'waitlist')
    .sort(
      (a, b) =>
        (a.waitlistedAt ?? a.respondedAt).getTime() - (b.waitlistedAt ?? b.respondedAt).getTime() ||
        a.memberId.localeCompare(b.memberId),
    );
}

export const memberZone = (member: Member | null, network: Network) => member?.timezone ?? network.timezone;

/**
 * Offers free places to the first waitlisted members who hold no offer yet. Call with the meeting
 * row locked (getForUpdate). Returns how many offers were made.
 */
export async function offerFreePlaces(
  tx: StoreTx,
  network: Network,
  meeting: MeetingRecord,
  now: Date,
): Promise<number> {
  if (meeting.capacity === null || meeting.state !== 'scheduled' || meeting.startsAt.getTime() <= now.getTime())
    return 0;
  const rsvps = await tx.meetings.listRsvps(meeting.installationId, meeting.id);
  let free = freePlaces(meeting, rsvps, now);
  let made = 0;
  for (const r of waitlistOrder(rsvps)) {
    if (free <= 0) break;
    if (openOffer(r, now)) continue;
    const expiresAt = new Date(Math.min(now.getTime() + OFFER_MS, meeting.startsAt.getTime()));
    await tx.meetings.setRsvp(meeting.installationId, meeting.id, r.memberId, {
      status: 'waitlist',
      respondedAt: r.respondedAt,
      lateCancel: r.lateCancel,
      waitlistedAt: r.waitlistedAt,
      offerExpiresAt: expiresAt,
    });
    const member = await tx.members.get(meeting.installationId, r.memberId);
    const locale = member?.locale ?? network.locale;
    const t = translator(locale);
    const zone = memberZone(member, network);
    const text = t('meeting.offer', {
      title: meeting.title,
      when: meetingWhen(t, meeting, locale, zone),
      until: formatDateTime(expiresAt, locale, zone),
    });
    await tx.outbox.enqueue({
      installationId: meeting.installationId,
      networkId: network.id,
      key: `meeting:${meeting.id}:offer:${r.memberId}:${expiresAt.getTime()}`,
      target: { kind: 'user', memberId: r.memberId },
      message: {
        text: text.replace(/\*/g, ''),
        blocks: [
          section(text),
          actions(
            button(t('meeting.offer.accept'), MEETING_OFFER, `${meeting.id}:accept`, 'primary'),
            button(t('meeting.offer.decline'), MEETING_OFFER, `${meeting.id}:decline`),
          ),
        ],
      },
    });
    free--;
    made++;
  }
  return made;
}

export const OFFER_KIND = 'meeting-offer';

/**
 * Offers that ran out: the member leaves the waitlist (told by DM, they can join it again) and the
 * place is offered to the next. Each expired offer is claimed once.
 */
export async function expireOffers(ctx: {
  store: Store;
  now: Date;
  workerId: string;
  calendar?: CalendarLinks | undefined;
}): Promise<number> {
  const { store, now, workerId } = ctx;
  const expired = await store.transaction((tx) => tx.meetings.expiredOffers(now, 200));
  let handled = 0;
  for (const item of expired) {
    handled += await store.transaction(async (tx) => {
      const meeting = await tx.meetings.getForUpdate(item.meeting.installationId, item.meeting.id);
      const rsvp = meeting ? await tx.meetings.getRsvp(meeting.installationId, meeting.id, item.memberId) : null;
      if (!meeting || !rsvp || rsvp.status !== 'waitlist' || !rsvp.offerExpiresAt) return 0;
      if (rsvp.offerExpiresAt.getTime() > now.getTime()) return 0;
      const claimed = await tx.jobClaims.claim({
        installationId: meeting.installationId,
        networkId: meeting.networkId,
        kind: OFFER_KIND,
        slot: `${meeting.id}:${item.memberId}:${rsvp.offerExpiresAt.getTime()}`,
        outcome: 'run',
        claimedBy: workerId,
        at: now,
      });
      if (!claimed) return 0;
      await tx.meetings.setRsvp(meeting.installationId, meeting.id, item.memberId, {
        status: 'not_going',
        respondedAt: now,
        lateCancel: false,
        waitlistedAt: null,
        offerExpiresAt: null,
      });
      const network = await tx.networks.get(meeting.installationId, meeting.networkId);
      if (!network) return 1;
      const member = await tx.members.get(meeting.installationId, item.memberId);
      const t = translator(member?.locale ?? network.locale);
      const text = t('meeting.offer.expired', { title: meeting.title });
      await tx.outbox.enqueue({
        installationId: meeting.installationId,
        networkId: network.id,
        key: `meeting:${meeting.id}:offer-expired:${item.memberId}:${rsvp.offerExpiresAt.getTime()}`,
        target: { kind: 'user', memberId: item.memberId },
        message: { text: text.replace(/\*/g, ''), blocks: [section(text)] },
      });
      // Past the start nobody gets the place any more (offerFreePlaces checks).
      await offerFreePlaces(tx, network, meeting, now);
      await refreshAnnouncement(tx, network, meeting, ctx.calendar, now);
      return 1;
    });
  }
  return handled;
}
