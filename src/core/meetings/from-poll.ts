/**
 * A finalized poll becomes a meeting: the winning option's start, the poll's title, and the votes
 * carried over (yes → going, if need be → maybe). The channel gets the announcement through the
 * outbox, in the same transaction as the meeting.
 */
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../context.js';
import { KlikError } from '../errors.js';
import { announceMeeting } from './publish.js';

export class MeetingInputError extends KlikError {
  constructor(reason: string) {
    super('meeting_input', reason);
  }
}

export interface MeetingFromPollInput {
  pollId: string;
  title: string;
  startsAt: Date;
  /** Local date YYYY-MM-DD for an all-day option, else null. */
  allDayDate: string | null;
  /** Votes on the chosen option. */
  votes: Array<{ memberId: string; choice: 'yes' | 'if_need_be' | 'no' }>;
  now: Date;
  /** The poll's network; defaults to the network of the request's channel. */
  networkId?: string;
  /** Who planned it (may edit it later); defaults to the member who finalized. */
  createdBy?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const MAX_TITLE = 200;

export async function createMeetingFromPoll(
  ctx: RequestContext,
  input: MeetingFromPollInput,
): Promise<{ meetingId: string }> {
  const networkId = input.networkId ?? ctx.network?.id;
  const network = networkId ? await ctx.tx.networks.get(ctx.installation.id, networkId) : null;
  if (!network) throw new MeetingInputError('no network for the meeting');
  const title = input.title.normalize('NFC').trim().slice(0, MAX_TITLE);
  if (title === '') throw new MeetingInputError('empty title');
  if (Number.isNaN(input.startsAt.getTime())) throw new MeetingInputError('invalid start');
  if (input.allDayDate !== null && !DATE.test(input.allDayDate)) throw new MeetingInputError('invalid all-day date');

  const meeting = await ctx.tx.meetings.create({
    installationId: ctx.installation.id,
    networkId: network.id,
    pollId: input.pollId,
    title,
    startsAt: input.startsAt,
    allDayDate: input.allDayDate,
    endsAt: null,
    place: null,
    hostId: null,
    capacity: null,
    uid: `${randomUUID()}@klik`,
    createdBy: input.createdBy ?? ctx.member.id,
    createdAt: input.now,
  });

  // One answer per member (the last vote given wins); "no" carries nothing over.
  const choices = new Map<string, 'yes' | 'if_need_be' | 'no'>();
  for (const v of input.votes) choices.set(v.memberId, v.choice);
  const known = new Set((await ctx.tx.members.getMany(ctx.installation.id, [...choices.keys()])).map((m) => m.id));
  for (const [memberId, choice] of choices) {
    if (choice === 'no' || !known.has(memberId)) continue;
    await ctx.tx.meetings.setRsvp(ctx.installation.id, meeting.id, memberId, {
      status: choice === 'yes' ? 'going' : 'maybe',
      respondedAt: input.now,
      lateCancel: false,
      waitlistedAt: null,
      offerExpiresAt: null,
    });
  }

  await announceMeeting(ctx.tx, network, meeting, ctx.calendar);
  return { meetingId: meeting.id };
}
