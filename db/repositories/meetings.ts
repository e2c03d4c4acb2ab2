import { and, asc, eq, gt, gte, inArray, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type {
  Attendance,
  MeetingRecord,
  MeetingRepo,
  MeetingState,
  RsvpRecord,
  RsvpStatus,
} from '../../src/core/meetings/ports.js';
import { meetingRsvps, meetings, members } from '../schema.js';
import type { Executor } from './executor.js';

type MeetingRow = typeof meetings.$inferSelect;
type RsvpRow = typeof meetingRsvps.$inferSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const toMeeting = (r: MeetingRow): MeetingRecord => ({
  id: r.id,
  installationId: r.installationId,
  networkId: r.networkId,
  pollId: r.pollId,
  title: r.title,
  startsAt: r.startsAt,
  allDayDate: r.allDayDate,
  endsAt: r.endsAt,
  place: r.place,
  hostId: r.hostId,
  capacity: r.capacity,
  state: r.state as MeetingState,
  uid: r.uid,
  sequence: r.sequence,
  attendanceTakenAt: r.attendanceTakenAt,
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

const toRsvp = (r: RsvpRow): RsvpRecord => ({
  meetingId: r.meetingId,
  memberId: r.memberId,
  status: r.status as RsvpStatus,
  respondedAt: r.respondedAt,
  lateCancel: r.lateCancel,
  waitlistedAt: r.waitlistedAt,
  offerExpiresAt: r.offerExpiresAt,
  attendance: r.attendance as Attendance | null,
});

const count = (status: string) =>
  sql<number>`count(*) filter (where ${meetingRsvps.status} = ${status})`.mapWith(Number);
const countAttendance = (value: string) =>
  sql<number>`count(*) filter (where ${meetingRsvps.attendance} = ${value})`.mapWith(Number);

export function meetingRepo(db: Executor): MeetingRepo {
  const one = (installationId: string, meetingId: string) =>
    and(eq(meetings.installationId, installationId), eq(meetings.id, meetingId));
  const rsvpKey = (installationId: string, meetingId: string, memberId: string) =>
    and(
      eq(meetingRsvps.installationId, installationId),
      eq(meetingRsvps.meetingId, meetingId),
      eq(meetingRsvps.memberId, memberId),
    );

  return {
    async create(input) {
      const [row] = await db
        .insert(meetings)
        .values({ ...input, state: 'scheduled', sequence: 0 })
        .returning();
      if (!row) throw new Error('meeting insert returned nothing');
      return toMeeting(row);
    },
    async get(installationId, meetingId) {
      if (!UUID.test(meetingId)) return null;
      const [row] = await db.select().from(meetings).where(one(installationId, meetingId));
      return row ? toMeeting(row) : null;
    },
    async getForUpdate(installationId, meetingId) {
      if (!UUID.test(meetingId)) return null;
      const [row] = await db.select().from(meetings).where(one(installationId, meetingId)).for('update');
      return row ? toMeeting(row) : null;
    },
    async updateDetails(installationId, meetingId, details, at) {
      const [row] = await db
        .update(meetings)
        .set({ ...details, sequence: sql`${meetings.sequence} + 1`, updatedAt: at })
        .where(one(installationId, meetingId))
        .returning();
      if (!row) throw new Error('meeting to update not found');
      return toMeeting(row);
    },
    async cancel(installationId, meetingId, at) {
      const [row] = await db
        .update(meetings)
        .set({ state: 'cancelled', sequence: sql`${meetings.sequence} + 1`, updatedAt: at })
        .where(one(installationId, meetingId))
        .returning();
      if (!row) throw new Error('meeting to cancel not found');
      return toMeeting(row);
    },
    async markAttendanceTaken(installationId, meetingId, at) {
      await db.update(meetings).set({ attendanceTakenAt: at }).where(one(installationId, meetingId));
    },

    async listRsvps(installationId, meetingId) {
      if (!UUID.test(meetingId)) return [];
      const rows = await db
        .select()
        .from(meetingRsvps)
        .where(and(eq(meetingRsvps.installationId, installationId), eq(meetingRsvps.meetingId, meetingId)))
        .orderBy(asc(meetingRsvps.respondedAt), asc(meetingRsvps.memberId));
      return rows.map(toRsvp);
    },
    async getRsvp(installationId, meetingId, memberId) {
      if (!UUID.test(meetingId)) return null;
      const [row] = await db
        .select()
        .from(meetingRsvps)
        .where(rsvpKey(installationId, meetingId, memberId));
      return row ? toRsvp(row) : null;
    },
    async setRsvp(installationId, meetingId, memberId, rsvp) {
      const values = {
        status: rsvp.status,
        respondedAt: rsvp.respondedAt,
        lateCancel: rsvp.lateCancel,
        waitlistedAt: rsvp.waitlistedAt,
        offerExpiresAt: rsvp.offerExpiresAt,
      };
      const [row] = await db
        .insert(meetingRsvps)
        .values({ installationId, meetingId, memberId, ...values })
        .onConflictDoUpdate({ target: [meetingRsvps.meetingId, meetingRsvps.memberId], set: values })
        .returning();
      if (!row) throw new Error('rsvp upsert returned nothing');
      return toRsvp(row);
    },
    async setAttendance(installationId, meetingId, memberId, attendance) {
      const rows = await db
        .update(meetingRsvps)
        .set({ attendance })
        .where(rsvpKey(installationId, meetingId, memberId))
        .returning({ memberId: meetingRsvps.memberId });
      return rows.length > 0;
    },

    async listForNetwork(installationId, networkId, from, limit) {
      const rows = await db
        .select()
        .from(meetings)
        .where(
          and(
            eq(meetings.installationId, installationId),
            eq(meetings.networkId, networkId),
            gte(meetings.startsAt, from),
          ),
        )
        .orderBy(asc(meetings.startsAt), asc(meetings.id))
        .limit(limit);
      return rows.map(toMeeting);
    },
    async upcomingForMember(installationId, memberId, now, limit) {
      const rows = await db
        .select({ meeting: meetings, status: meetingRsvps.status })
        .from(meetingRsvps)
        .innerJoin(meetings, eq(meetings.id, meetingRsvps.meetingId))
        .where(
          and(
            eq(meetingRsvps.installationId, installationId),
            eq(meetingRsvps.memberId, memberId),
            inArray(meetingRsvps.status, ['going', 'maybe', 'waitlist']),
            eq(meetings.state, 'scheduled'),
            gt(meetings.startsAt, now),
          ),
        )
        .orderBy(asc(meetings.startsAt))
        .limit(limit);
      return rows.map((r) => ({ meeting: toMeeting(r.meeting), status: r.status as RsvpStatus }));
    },
    async lastHosted(installationId, networkId) {
      const rows = await db
        .select({ hostId: meetings.hostId, last: sql<Date>`max(${meetings.startsAt})`.mapWith(meetings.startsAt) })
        .from(meetings)
        .where(
          and(
            eq(meetings.installationId, installationId),
            eq(meetings.networkId, networkId),
            eq(meetings.state, 'scheduled'),
            isNotNull(meetings.hostId),
          ),
        )
        .groupBy(meetings.hostId);
      return new Map(rows.filter((r) => r.hostId).map((r) => [r.hostId as string, new Date(r.last)]));
    },

    async startingBetween(from, to, limit) {
      const rows = await db
        .select()
        .from(meetings)
        .where(and(eq(meetings.state, 'scheduled'), gt(meetings.startsAt, from), lte(meetings.startsAt, to)))
        .orderBy(asc(meetings.startsAt))
        .limit(limit);
      return rows.map(toMeeting);
    },
    async nextOfferExpiry(after) {
      const [row] = await db
        .select({ at: sql<Date | null>`min(${meetingRsvps.offerExpiresAt})`.mapWith(meetingRsvps.offerExpiresAt) })
        .from(meetingRsvps)
        .where(and(eq(meetingRsvps.status, 'waitlist'), gt(meetingRsvps.offerExpiresAt, after)));
      return row?.at ? new Date(row.at) : null;
    },
    async expiredOffers(now, limit) {
      const rows = await db
        .select({ meeting: meetings, memberId: meetingRsvps.memberId })
        .from(meetingRsvps)
        .innerJoin(meetings, eq(meetings.id, meetingRsvps.meetingId))
        .where(and(eq(meetingRsvps.status, 'waitlist'), lte(meetingRsvps.offerExpiresAt, now)))
        .orderBy(asc(meetingRsvps.offerExpiresAt))
        .limit(limit);
      return rows.map((r) => ({ meeting: toMeeting(r.meeting), memberId: r.memberId }));
    },
    async endedWithoutAttendance(from, to, limit) {
      const rows = await db
        .select()
        .from(meetings)
        .where(
          and(
            eq(meetings.state, 'scheduled'),
            isNull(meetings.attendanceTakenAt),
            gte(meetings.startsAt, from),
            lt(meetings.startsAt, to),
          ),
        )
        .orderBy(asc(meetings.startsAt))
        .limit(limit);
      return rows.map(toMeeting);
    },

    async exportMeetings(installationId, networkId, after, limit) {
      const conditions = [eq(meetings.installationId, installationId), eq(meetings.networkId, networkId)];
      if (after) {
        const later = or(
          gt(meetings.startsAt, after.startsAt),
          and(eq(meetings.startsAt, after.startsAt), sql`${meetings.id} > ${after.id}::uuid`),
        );
        if (later) conditions.push(later);
      }
      return db
        .select({
          id: meetings.id,
          title: meetings.title,
          startsAt: meetings.startsAt,
          allDayDate: meetings.allDayDate,
          place: meetings.place,
          hostName: members.displayName,
          capacity: meetings.capacity,
          state: meetings.state,
          going: count('going'),
          maybe: count('maybe'),
          notGoing: count('not_going'),
          waitlist: count('waitlist'),
          attended: countAttendance('attended'),
          noShow: countAttendance('no_show'),
          createdAt: meetings.createdAt,
        })
        .from(meetings)
        .leftJoin(members, eq(members.id, meetings.hostId))
        .leftJoin(meetingRsvps, eq(meetingRsvps.meetingId, meetings.id))
        .where(and(...conditions))
        .groupBy(meetings.id, members.displayName)
        .orderBy(asc(meetings.startsAt), asc(meetings.id))
        .limit(limit);
    },
    async exportAttendance(installationId, networkId, after, limit) {
      const conditions = [eq(meetings.installationId, installationId), eq(meetings.networkId, networkId)];
      if (after) {
        const later = or(
          gt(meetings.startsAt, after.startsAt),
          and(
            eq(meetings.startsAt, after.startsAt),
            or(
              sql`${meetings.id} > ${after.meetingId}::uuid`,
              and(
                sql`${meetings.id} = ${after.meetingId}::uuid`,
                sql`${meetingRsvps.memberId} > ${after.memberId}::uuid`,
              ),
            ),
          ),
        );
        if (later) conditions.push(later);
      }
      const rows = await db
        .select({
          meetingId: meetings.id,
          meetingTitle: meetings.title,
          startsAt: meetings.startsAt,
          memberId: meetingRsvps.memberId,
          memberName: members.displayName,
          status: meetingRsvps.status,
          lateCancel: meetingRsvps.lateCancel,
          attendance: meetingRsvps.attendance,
          respondedAt: meetingRsvps.respondedAt,
        })
        .from(meetingRsvps)
        .innerJoin(meetings, eq(meetings.id, meetingRsvps.meetingId))
        .innerJoin(members, eq(members.id, meetingRsvps.memberId))
        .where(and(...conditions))
        .orderBy(asc(meetings.startsAt), asc(meetings.id), asc(meetingRsvps.memberId))
        .limit(limit);
      return rows.map((r) => ({ ...r, status: r.status as RsvpStatus, attendance: r.attendance as Attendance | null }));
    },
  };
}
