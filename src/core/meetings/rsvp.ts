/**
 * Answers to a meeting: going / maybe / can't make it from the announcement or a re-confirmation,
 * taking a freed place from the waitlist, and taking the host role. Each answer locks the meeting
 * row, so two people clicking for the last place never both get it.
 */
import type { RequestContext } from '../context.js';
import type { Reply } from '../inputs.js';
import type { Network } from '../types.js';
import type { MeetingRecord, RsvpRecord, RsvpStatus } from './ports.js';
import { refreshAnnouncement } from './publish.js';
import { freePlaces, offerFreePlaces, waitlistOrder } from './waitlist.js';

/** A change to not_going this close to the start is a late cancellation. */
export const LATE_CANCEL_MS = 24 * 3_600_000;

const ANSWERS = ['going', 'maybe', 'not_going'] as const;
type Answer = (typeof ANSWERS)[number];

/** "<meeting id>:<word>" from a button value. */
export function splitValue(value: string): { meetingId: string; word: string } {
  const i = value.lastIndexOf(':');
  return i < 0 ? { meetingId: value, word: '' } : { meetingId: value.slice(0, i), word: value.slice(i + 1) };
}

type Open = { ok: true; meeting: MeetingRecord; network: Network } | { ok: false; reply: Reply };

/** The meeting, locked, when answers are still open. */
export async function openMeeting(ctx: RequestContext, meetingId: string, now: Date): Promise<Open> {
  const meeting = await ctx.tx.meetings.getForUpdate(ctx.installation.id, meetingId);
  const network = meeting ? await ctx.tx.networks.get(ctx.installation.id, meeting.networkId) : null;
  if (!meeting || !network) return { ok: false, reply: ctx.reply('meeting.gone') };
  if (meeting.state === 'cancelled') return { ok: false, reply: ctx.reply('meeting.isCancelled') };
  if (meeting.startsAt.getTime() <= now.getTime()) return { ok: false, reply: ctx.reply('meeting.started') };
  return { ok: true, meeting, network };
}

/** Writes a member's answer; returns the status it became (going may become waitlist). */
export async function applyAnswer(
  ctx: RequestContext,
  meeting: MeetingRecord,
  prev: RsvpRecord | null,
  answer: Answer,
  now: Date,
): Promise<{ status: RsvpStatus; lateCancel: boolean; position: number }> {
  const installationId = ctx.installation.id;
  const memberId = ctx.member.id;
  const rsvps = await ctx.tx.meetings.listRsvps(installationId, meeting.id);
  let status: RsvpStatus = answer;
  if (answer === 'going' && prev?.status !== 'going') {
    const holdsOffer =
      prev?.status === 'waitlist' && prev.offerExpiresAt !== null && prev.offerExpiresAt.getTime() > now.getTime();
    if (!holdsOffer && freePlaces(meeting, rsvps, now, memberId) <= 0) status = 'waitlist';
  }
  const lateCancel =
    answer === 'not_going' &&
    (prev?.status === 'going' || prev?.status === 'maybe') &&
    meeting.startsAt.getTime() - now.getTime() <= LATE_CANCEL_MS;
  const stayingOnWaitlist = status === 'waitlist' && prev?.status === 'waitlist';
  await ctx.tx.meetings.setRsvp(installationId, meeting.id, memberId, {
    status,
    respondedAt: now,
    lateCancel: lateCancel || (status === 'not_going' && prev?.status === 'not_going' && prev.lateCancel),
    waitlistedAt: status === 'waitlist' ? (stayingOnWaitlist ? (prev?.waitlistedAt ?? now) : now) : null,
    offerExpiresAt: stayingOnWaitlist ? (prev?.offerExpiresAt ?? null) : null,
  });
  let position = 0;
  if (status === 'waitlist') {
    const after = await ctx.tx.meetings.listRsvps(installationId, meeting.id);
    position = waitlistOrder(after).findIndex((r) => r.memberId === memberId) + 1;
  }
  return { status, lateCancel, position };
}

/** An answer from the announcement, or from a re-confirmation (`confirm`: "yes, I'm coming" when going already thanks). */
export async function answerMeeting(ctx: RequestContext, value: string, now: Date, confirm = false): Promise<Reply> {
  const { meetingId, word } = splitValue(value);
  if (!(ANSWERS as readonly string[]).includes(word)) return ctx.reply('error.expired');
  const open = await openMeeting(ctx, meetingId, now);
  if (!open.ok) return open.reply;
  const { meeting, network } = open;
  const prev = await ctx.tx.meetings.getRsvp(ctx.installation.id, meeting.id, ctx.member.id);
  if (prev && prev.status === word)
    return confirm ? ctx.reply('meeting.rsvp.going', { title: meeting.title }) : ctx.reply('meeting.rsvp.same');
  if (prev?.status === 'waitlist' && word === 'going') {
    const position = waitlistOrder(await ctx.tx.meetings.listRsvps(ctx.installation.id, meeting.id)).findIndex(
      (r) => r.memberId === ctx.member.id,
    );
    const holdsOffer = prev.offerExpiresAt !== null && prev.offerExpiresAt.getTime() > now.getTime();
    if (!holdsOffer) return ctx.reply('meeting.rsvp.waitlist', { title: meeting.title, position: position + 1 });
  }
  const result = await applyAnswer(ctx, meeting, prev, word as Answer, now);
  if (prev?.status === 'going' || prev?.status === 'waitlist') await offerFreePlaces(ctx.tx, network, meeting, now);
  await refreshAnnouncement(ctx.tx, network, meeting, ctx.calendar, now);
  return answerReply(ctx, meeting, result);
}

export function answerReply(
  ctx: RequestContext,
  meeting: MeetingRecord,
  result: { status: RsvpStatus; lateCancel: boolean; position: number },
): Reply {
  const title = meeting.title;
  switch (result.status) {
    case 'going':
      return ctx.reply('meeting.rsvp.going', { title });
    case 'maybe':
      return ctx.reply('meeting.rsvp.maybe', { title });
    case 'waitlist':
      return ctx.reply('meeting.rsvp.waitlist', { title, position: result.position });
    default:
      return result.lateCancel
        ? ctx.reply('meeting.rsvp.lateCancel', { title })
        : ctx.reply('meeting.rsvp.notGoing', { title });
  }
}

/** The offer DM's buttons: take the held place, or pass it on. */
export async function answerOffer(ctx: RequestContext, value: string, now: Date): Promise<Reply> {
  const { meetingId, word } = splitValue(value);
  if (word !== 'accept' && word !== 'decline') return ctx.reply('error.expired');
  const open = await openMeeting(ctx, meetingId, now);
  if (!open.ok) return open.reply;
  const { meeting, network } = open;
  const prev = await ctx.tx.meetings.getRsvp(ctx.installation.id, meeting.id, ctx.member.id);
  const holds =
    prev?.status === 'waitlist' && prev.offerExpiresAt !== null && prev.offerExpiresAt.getTime() > now.getTime();
  if (!holds) return ctx.reply('meeting.offer.gone');
  if (word === 'accept') {
    await applyAnswer(ctx, meeting, prev, 'going', now);
    await refreshAnnouncement(ctx.tx, network, meeting, ctx.calendar, now);
    return ctx.reply('meeting.offer.taken', { title: meeting.title });
  }
  await applyAnswer(ctx, meeting, prev, 'not_going', now);
  await offerFreePlaces(ctx.tx, network, meeting, now);
  await refreshAnnouncement(ctx.tx, network, meeting, ctx.calendar, now);
  return ctx.reply('meeting.offer.declined');
}

/** "I'll host": a member who is going takes the host role while nobody has it. */
export async function takeHost(ctx: RequestContext, meetingId: string, now: Date): Promise<Reply> {
  const open = await openMeeting(ctx, meetingId, now);
  if (!open.ok) return open.reply;
  const { meeting, network } = open;
  if (meeting.hostId) return ctx.reply('meeting.hostAlready');
  const rsvp = await ctx.tx.meetings.getRsvp(ctx.installation.id, meeting.id, ctx.member.id);
  if (rsvp?.status !== 'going') return ctx.reply('meeting.hostNeedsGoing');
  const updated = await ctx.tx.meetings.updateDetails(
    ctx.installation.id,
    meeting.id,
    { ...detailsOf(meeting), hostId: ctx.member.id },
    now,
  );
  await refreshAnnouncement(ctx.tx, network, updated, ctx.calendar, now);
  return ctx.reply('meeting.hostTaken', { title: meeting.title });
}

export const detailsOf = (m: MeetingRecord) => ({
  title: m.title,
  startsAt: m.startsAt,
  allDayDate: m.allDayDate,
  endsAt: m.endsAt,
  place: m.place,
  hostId: m.hostId,
  capacity: m.capacity,
});
