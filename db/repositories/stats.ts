/** Network health: the facts of one network, every query scoped by installation and network. */
import { and, eq, gte, isNotNull, lte, max, ne, sql } from 'drizzle-orm';
import type { ActivityFact, StatsRepo } from '../../src/core/stats/ports.js';
import type { MembershipStatus } from '../../src/core/types.js';
import {
  meetingRsvps,
  meetings,
  members,
  membershipEvents,
  networkMembers,
  organisations,
  pairingGroupMembers,
  pairingGroups,
  pairingRounds,
  polls,
  pollVotes,
  tips,
} from '../schema.js';
import type { Executor } from './executor.js';

const count = (condition: ReturnType<typeof sql>) => sql<number>`cast(count(*) filter (where ${condition}) as int)`;

export function statsRepo(db: Executor): StatsRepo {
  return {
    async facts(installationId, networkId, since, until) {
      const memberRows = await db
        .select({
          memberId: networkMembers.memberId,
          displayName: members.displayName,
          organisationId: members.organisationId,
          status: networkMembers.status,
          joinedAt: networkMembers.joinedAt,
          leftAt: networkMembers.leftAt,
          forgottenAt: members.forgottenAt,
        })
        .from(networkMembers)
        .innerJoin(members, eq(members.id, networkMembers.memberId))
        .where(and(eq(networkMembers.installationId, installationId), eq(networkMembers.networkId, networkId)));

      const events = await db
        .select({ memberId: membershipEvents.memberId, kind: membershipEvents.kind, at: membershipEvents.at })
        .from(membershipEvents)
        .where(and(eq(membershipEvents.installationId, installationId), eq(membershipEvents.networkId, networkId)));

      const rounds = await db
        .select({
          id: pairingRounds.id,
          number: pairingRounds.number,
          startedAt: pairingRounds.startedAt,
          checkInAt: pairingRounds.checkInAt,
        })
        .from(pairingRounds)
        .where(and(eq(pairingRounds.installationId, installationId), eq(pairingRounds.networkId, networkId)));

      const groupMembers = await db
        .select({
          roundId: pairingGroups.roundId,
          groupId: pairingGroupMembers.groupId,
          memberId: pairingGroupMembers.memberId,
          checkIn: pairingGroupMembers.checkIn,
          leftAt: pairingGroupMembers.leftAt,
        })
        .from(pairingGroupMembers)
        .innerJoin(pairingGroups, eq(pairingGroups.id, pairingGroupMembers.groupId))
        .where(
          and(eq(pairingGroupMembers.installationId, installationId), eq(pairingGroupMembers.networkId, networkId)),
        );

      const activity: ActivityFact[] = [];
      const add = (rows: Array<{ memberId: string | null; at: Date | null }>) => {
        for (const r of rows) if (r.memberId && r.at) activity.push({ memberId: r.memberId, at: r.at });
      };
      add(
        await db
          .select({ memberId: pairingGroupMembers.memberId, at: max(pairingGroupMembers.checkInAt) })
          .from(pairingGroupMembers)
          .where(
            and(
              eq(pairingGroupMembers.installationId, installationId),
              eq(pairingGroupMembers.networkId, networkId),
              isNotNull(pairingGroupMembers.checkIn),
            ),
          )
          .groupBy(pairingGroupMembers.memberId),
      );
      add(
        await db
          .select({ memberId: pollVotes.memberId, at: max(pollVotes.updatedAt) })
          .from(pollVotes)
          .innerJoin(polls, eq(polls.id, pollVotes.pollId))
          .where(
            and(
              eq(pollVotes.installationId, installationId),
              eq(polls.installationId, installationId),
              eq(polls.networkId, networkId),
            ),
          )
          .groupBy(pollVotes.memberId),
      );
      add(
        await db
          .select({ memberId: meetingRsvps.memberId, at: max(meetingRsvps.respondedAt) })
          .from(meetingRsvps)
          .innerJoin(meetings, eq(meetings.id, meetingRsvps.meetingId))
          .where(
            and(
              eq(meetingRsvps.installationId, installationId),
              eq(meetings.installationId, installationId),
              eq(meetings.networkId, networkId),
            ),
          )
          .groupBy(meetingRsvps.memberId),
      );
      add(
        await db
          .select({ memberId: tips.authorId, at: max(tips.createdAt) })
          .from(tips)
          .where(and(eq(tips.installationId, installationId), eq(tips.networkId, networkId), isNotNull(tips.authorId)))
          .groupBy(tips.authorId),
      );

      const meetingRows = await db
        .select({
          id: meetings.id,
          title: meetings.title,
          startsAt: meetings.startsAt,
          attendanceTakenAt: meetings.attendanceTakenAt,
          going: count(sql`${meetingRsvps.status} = 'going'`),
          attended: count(sql`${meetingRsvps.attendance} = 'attended'`),
          noShow: count(sql`${meetingRsvps.attendance} = 'no_show'`),
          lateCancellations: count(sql`${meetingRsvps.lateCancel}`),
        })
        .from(meetings)
        .leftJoin(
          meetingRsvps,
          and(eq(meetingRsvps.meetingId, meetings.id), eq(meetingRsvps.installationId, installationId)),
        )
        .where(
          and(
            eq(meetings.installationId, installationId),
            eq(meetings.networkId, networkId),
            lte(meetings.startsAt, until),
            ne(meetings.state, 'cancelled'),
          ),
        )
        .groupBy(meetings.id);

      const tipRows = await db
        .select({ at: tips.createdAt })
        .from(tips)
        .where(and(eq(tips.installationId, installationId), eq(tips.networkId, networkId), gte(tips.createdAt, since)));

      const orgRows = await db
        .select({ id: organisations.id, name: organisations.name })
        .from(organisations)
        .where(and(eq(organisations.installationId, installationId), eq(organisations.networkId, networkId)));

      return {
        members: memberRows.map((r) => ({
          memberId: r.memberId,
          displayName: r.displayName,
          organisationId: r.organisationId,
          status: r.status as MembershipStatus,
          joinedAt: r.joinedAt,
          leftAt: r.leftAt,
          forgotten: r.forgottenAt !== null,
        })),
        events: events.map((e) => ({ memberId: e.memberId, kind: e.kind === 'leave' ? 'leave' : 'join', at: e.at })),
        rounds,
        groupMembers,
        activity,
        meetings: meetingRows.map((m) => ({
          id: m.id,
          title: m.title,
          startsAt: m.startsAt,
          attendanceTaken: m.attendanceTakenAt !== null,
          going: Number(m.going),
          attended: Number(m.attended),
          noShow: Number(m.noShow),
          lateCancellations: Number(m.lateCancellations),
        })),
        tipTimes: tipRows.map((r) => r.at),
        organisations: orgRows,
      };
    },
  };
}
