import { and, asc, desc, eq, isNotNull, isNull, lte, max, sql } from 'drizzle-orm';
import type {
  CheckInAnswer,
  GroupReason,
  GroupRecord,
  PairingRepo,
  RoundRecord,
  RoundTrigger,
} from '../../src/core/rounds/ports.js';
import { pairingExclusions, pairingGroupMembers, pairingGroups, pairingRounds } from '../schema.js';
import type { Executor } from './executor.js';

type RoundRow = typeof pairingRounds.$inferSelect;

const toRound = (r: RoundRow): RoundRecord => ({
  id: r.id,
  networkId: r.networkId,
  number: r.number,
  trigger: r.trigger as RoundTrigger,
  slot: r.slot,
  startedAt: r.startedAt,
  checkInAt: r.checkInAt,
  endsAt: r.endsAt,
});

const toReason = (raw: Record<string, unknown>): GroupReason => ({
  crossOrganisation: raw.crossOrganisation === true,
  sharedTopics: Array.isArray(raw.sharedTopics)
    ? raw.sharedTopics.filter((t): t is string => typeof t === 'string')
    : [],
  starter: typeof raw.starter === 'string' ? raw.starter : '',
});

/** One member's row in one group, within an installation. */
const groupMember = (installationId: string, groupId: string, memberId: string) =>
  and(
    eq(pairingGroupMembers.installationId, installationId),
    eq(pairingGroupMembers.groupId, groupId),
    eq(pairingGroupMembers.memberId, memberId),
  );

/** A note its author allowed to share that was not posted yet. */
const unsharedNote = (installationId: string, networkId: string) =>
  and(
    eq(pairingGroupMembers.installationId, installationId),
    eq(pairingGroupMembers.networkId, networkId),
    eq(pairingGroupMembers.shareNote, true),
    isNotNull(pairingGroupMembers.note),
    isNull(pairingGroupMembers.noteSharedAt),
  );

export function pairingRepo(db: Executor): PairingRepo {
  async function groupsWhere(installationId: string, where: ReturnType<typeof and>): Promise<GroupRecord[]> {
    const rows = await db
      .select({ group: pairingGroups, member: pairingGroupMembers })
      .from(pairingGroups)
      .innerJoin(pairingGroupMembers, eq(pairingGroupMembers.groupId, pairingGroups.id))
      .where(and(eq(pairingGroups.installationId, installationId), where))
      .orderBy(asc(pairingGroups.createdAt), asc(pairingGroups.id));
    const byId = new Map<string, GroupRecord>();
    for (const { group, member } of rows) {
      let g = byId.get(group.id);
      if (!g) {
        g = {
          id: group.id,
          roundId: group.roundId,
          networkId: group.networkId,
          reason: toReason(group.reason),
          members: [],
        };
        byId.set(group.id, g);
      }
      g.members.push({
        memberId: member.memberId,
        leftAt: member.leftAt,
        checkIn: member.checkIn as CheckInAnswer | null,
        note: member.note,
        shareNote: member.shareNote,
      });
    }
    return [...byId.values()];
  }

  return {
    async createRound(input) {
      const [last] = await db
        .select({ n: max(pairingRounds.number) })
        .from(pairingRounds)
        .where(
          and(eq(pairingRounds.installationId, input.installationId), eq(pairingRounds.networkId, input.networkId)),
        );
      const rows = await db
        .insert(pairingRounds)
        .values({ ...input, number: (last?.n ?? 0) + 1 })
        .onConflictDoNothing()
        .returning();
      return rows[0] ? toRound(rows[0]) : null;
    },
    async addGroup(installationId, round, memberIds, reason) {
      const [group] = await db
        .insert(pairingGroups)
        .values({
          installationId,
          networkId: round.networkId,
          roundId: round.id,
          reason: { ...reason },
          starter: reason.starter,
        })
        .returning();
      if (!group) throw new Error('group insert returned nothing');
      await db
        .insert(pairingGroupMembers)
        .values(
          memberIds.map((memberId) => ({ installationId, networkId: round.networkId, groupId: group.id, memberId })),
        );
      return {
        id: group.id,
        roundId: round.id,
        networkId: round.networkId,
        reason,
        members: memberIds.map((memberId) => ({ memberId, leftAt: null, checkIn: null, note: null, shareNote: false })),
      };
    },
    async addToGroup(installationId, groupId, memberId) {
      const [group] = await db
        .select({ networkId: pairingGroups.networkId })
        .from(pairingGroups)
        .where(and(eq(pairingGroups.installationId, installationId), eq(pairingGroups.id, groupId)));
      if (!group) throw new Error('group not found');
      await db
        .insert(pairingGroupMembers)
        .values({ installationId, networkId: group.networkId, groupId, memberId })
        .onConflictDoUpdate({
          target: [pairingGroupMembers.groupId, pairingGroupMembers.memberId],
          set: { leftAt: null },
        });
    },
    async markLeft(installationId, groupId, memberId, at) {
      await db
        .update(pairingGroupMembers)
        .set({ leftAt: at })
        .where(groupMember(installationId, groupId, memberId));
    },
    async latestRound(installationId, networkId) {
      const [row] = await db
        .select()
        .from(pairingRounds)
        .where(and(eq(pairingRounds.installationId, installationId), eq(pairingRounds.networkId, networkId)))
        .orderBy(desc(pairingRounds.number))
        .limit(1);
      return row ? toRound(row) : null;
    },
    async roundBySlot(installationId, networkId, slot) {
      const [row] = await db
        .select()
        .from(pairingRounds)
        .where(
          and(
            eq(pairingRounds.installationId, installationId),
            eq(pairingRounds.networkId, networkId),
            eq(pairingRounds.slot, slot),
          ),
        );
      return row ? toRound(row) : null;
    },
    groupsOfRound(installationId, roundId) {
      return groupsWhere(installationId, and(eq(pairingGroups.roundId, roundId)));
    },
    async group(installationId, groupId) {
      const [found] = await groupsWhere(installationId, and(eq(pairingGroups.id, groupId)));
      if (!found) return null;
      const [round] = await db
        .select()
        .from(pairingRounds)
        .where(and(eq(pairingRounds.installationId, installationId), eq(pairingRounds.id, found.roundId)));
      return round ? { ...found, round: toRound(round) } : null;
    },
    async history(installationId, networkId) {
      const rows = await db
        .select({
          round: pairingRounds.number,
          groupId: pairingGroupMembers.groupId,
          memberId: pairingGroupMembers.memberId,
        })
        .from(pairingGroupMembers)
        .innerJoin(pairingGroups, eq(pairingGroups.id, pairingGroupMembers.groupId))
        .innerJoin(pairingRounds, eq(pairingRounds.id, pairingGroups.roundId))
        .where(
          and(eq(pairingGroupMembers.installationId, installationId), eq(pairingGroupMembers.networkId, networkId)),
        )
        .orderBy(asc(pairingRounds.number));
      const groups = new Map<string, { round: number; memberIds: string[] }>();
      for (const r of rows) {
        const g = groups.get(r.groupId) ?? { round: r.round, memberIds: [] };
        g.memberIds.push(r.memberId);
        groups.set(r.groupId, g);
      }
      return [...groups.values()];
    },
    async recordCheckIn(installationId, groupId, memberId, answer, at) {
      const rows = await db
        .update(pairingGroupMembers)
        .set({ checkIn: answer, checkInAt: at })
        .where(groupMember(installationId, groupId, memberId))
        .returning({ id: pairingGroupMembers.memberId });
      return rows.length > 0;
    },
    async saveNote(installationId, groupId, memberId, note, share) {
      const rows = await db
        .update(pairingGroupMembers)
        .set({ note, shareNote: share })
        .where(groupMember(installationId, groupId, memberId))
        .returning({ id: pairingGroupMembers.memberId });
      return rows.length > 0;
    },
    async recentCheckIns(installationId, networkId, memberId, count, before) {
      const rows = await db
        .select({ checkIn: pairingGroupMembers.checkIn })
        .from(pairingGroupMembers)
        .innerJoin(pairingGroups, eq(pairingGroups.id, pairingGroupMembers.groupId))
        .innerJoin(pairingRounds, eq(pairingRounds.id, pairingGroups.roundId))
        .where(
          and(
            eq(pairingGroupMembers.installationId, installationId),
            eq(pairingGroupMembers.networkId, networkId),
            eq(pairingGroupMembers.memberId, memberId),
            lte(pairingRounds.checkInAt, before),
          ),
        )
        .orderBy(desc(pairingRounds.number))
        .limit(count);
      return rows.map((r) => r.checkIn as CheckInAnswer | null);
    },
    async unsharedNotes(installationId, networkId) {
      const rows = await db
        .select({
          groupId: pairingGroupMembers.groupId,
          memberId: pairingGroupMembers.memberId,
          note: pairingGroupMembers.note,
        })
        .from(pairingGroupMembers)
        .where(unsharedNote(installationId, networkId));
      return rows.map((r) => ({ groupId: r.groupId, memberId: r.memberId, note: r.note ?? '' }));
    },
    async markNotesShared(installationId, networkId, at) {
      await db.update(pairingGroupMembers).set({ noteSharedAt: at }).where(unsharedNote(installationId, networkId));
    },
    async addExclusion(installationId, networkId, memberId, excludedMemberId) {
      const rows = await db
        .insert(pairingExclusions)
        .values({ installationId, networkId, memberId, excludedMemberId })
        .onConflictDoNothing()
        .returning({ id: pairingExclusions.memberId });
      return rows.length > 0;
    },
    async removeExclusion(installationId, networkId, memberId, excludedMemberId) {
      const rows = await db
        .delete(pairingExclusions)
        .where(
          and(
            eq(pairingExclusions.installationId, installationId),
            eq(pairingExclusions.networkId, networkId),
            eq(pairingExclusions.memberId, memberId),
            eq(pairingExclusions.excludedMemberId, excludedMemberId),
          ),
        )
        .returning({ id: pairingExclusions.memberId });
      return rows.length > 0;
    },
    async exclusionsOf(installationId, networkId, memberId) {
      const rows = await db
        .select({ id: pairingExclusions.excludedMemberId })
        .from(pairingExclusions)
        .where(
          and(
            eq(pairingExclusions.installationId, installationId),
            eq(pairingExclusions.networkId, networkId),
            eq(pairingExclusions.memberId, memberId),
          ),
        );
      return rows.map((r) => r.id);
    },
    async exclusions(installationId, networkId) {
      const rows = await db
        .select({ a: pairingExclusions.memberId, b: pairingExclusions.excludedMemberId })
        .from(pairingExclusions)
        .where(and(eq(pairingExclusions.installationId, installationId), eq(pairingExclusions.networkId, networkId)));
      return rows.map((r) => [r.a, r.b] as [string, string]);
    },
    async recentStarters(installationId, networkId, rounds) {
      const rows = await db
        .select({ starter: pairingGroups.starter })
        .from(pairingGroups)
        .innerJoin(pairingRounds, eq(pairingRounds.id, pairingGroups.roundId))
        .where(
          and(
            eq(pairingGroups.installationId, installationId),
            eq(pairingGroups.networkId, networkId),
            isNotNull(pairingGroups.starter),
            sql`${pairingRounds.number} > (select coalesce(max(number), 0) - ${rounds} from pairing_rounds where network_id = ${networkId} and installation_id = ${installationId})`,
          ),
        )
        .orderBy(desc(pairingRounds.number));
      return rows.map((r) => r.starter ?? '');
    },
  };
}
