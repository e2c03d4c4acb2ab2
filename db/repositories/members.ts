import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { MemberRepo } from '../../src/core/ports.js';
import type { Locale, Member, Membership, MembershipStatus } from '../../src/core/types.js';
import { members, membershipEvents, networkMembers, networks } from '../schema.js';
import type { Executor } from './executor.js';
import { networkRepo, toNetwork } from './networks.js';
import { prepared } from './prepared.js';

type Row = typeof members.$inferSelect;
type MembershipRow = typeof networkMembers.$inferSelect;

export const toMember = (r: Row): Member => ({
  id: r.id,
  installationId: r.installationId,
  platformUserId: r.platformUserId,
  displayName: r.displayName,
  organisationId: r.organisationId,
  role: r.role,
  canShare: r.canShare,
  wantsToLearn: r.wantsToLearn,
  nickname: r.nickname,
  timezone: r.timezone,
  locale: r.locale === 'nl' || r.locale === 'en' ? (r.locale as Locale) : null,
});

const toMembership = (r: MembershipRow): Membership => ({
  networkId: r.networkId,
  memberId: r.memberId,
  status: r.status as MembershipStatus,
  optedIn: r.optedIn,
  pausedUntil: r.pausedUntil,
  joinedAt: r.joinedAt,
  leftAt: r.leftAt,
});

/** Platform locales look like "nl-NL" or "en-US"; Klik speaks nl and en. */
export function toKlikLocale(platformLocale: string | undefined): Locale | null {
  if (!platformLocale) return null;
  const lang = platformLocale.toLowerCase().slice(0, 2);
  return lang === 'nl' || lang === 'en' ? lang : null;
}

/** Who acts and the network of their channel: the read every command and click starts with. */
const memberWithNetwork = prepared('klik_member_with_network', (db) =>
  db
    .select({ member: members, network: networks })
    .from(members)
    .leftJoin(
      networks,
      and(eq(networks.installationId, members.installationId), eq(networks.channelId, sql.placeholder('channelId'))),
    )
    .where(
      and(
        eq(members.installationId, sql.placeholder('installationId')),
        eq(members.platformUserId, sql.placeholder('platformUserId')),
      ),
    ),
);

export function memberRepo(db: Executor): MemberRepo {
  async function findByPlatformId(installationId: string, platformUserId: string): Promise<Member | null> {
    const [row] = await db
      .select()
      .from(members)
      .where(and(eq(members.installationId, installationId), eq(members.platformUserId, platformUserId)));
    return row ? toMember(row) : null;
  }

  /** The membership's status before a change (locked until the transaction ends), or null when new. */
  async function statusBefore(installationId: string, networkId: string, memberId: string) {
    const [row] = await db
      .select({ status: networkMembers.status })
      .from(networkMembers)
      .where(
        and(
          eq(networkMembers.installationId, installationId),
          eq(networkMembers.networkId, networkId),
          eq(networkMembers.memberId, memberId),
        ),
      )
      .for('update');
    return (row?.status as MembershipStatus | undefined) ?? null;
  }

  /** Joins and leaves for churn: entering the network (new or after leaving) and leaving it. */
  async function recordChange(
    installationId: string,
    networkId: string,
    memberId: string,
    before: MembershipStatus | null,
    after: MembershipStatus,
    at: Date,
  ) {
    const wasIn = before !== null && before !== 'left';
    const isIn = after !== 'left';
    if (wasIn === isIn || (before === null && !isIn)) return;
    await db
      .insert(membershipEvents)
      .values({ installationId, networkId, memberId, kind: isIn ? 'join' : 'leave', at });
  }

  return {
    async upsertFromPlatform(installationId, user, seen) {
      const fresh = {
        displayName: user.displayName,
        ...(user.timezone ? { timezone: user.timezone } : {}),
        ...(toKlikLocale(user.locale) ? { locale: toKlikLocale(user.locale) } : {}),
      };
      // Most requests come from someone Klik knows, unchanged: a read, not a write per request.
      const known = seen !== undefined ? seen : await findByPlatformId(installationId, user.id);
      if (
        known &&
        known.displayName === fresh.displayName &&
        (fresh.timezone === undefined || known.timezone === fresh.timezone) &&
        (fresh.locale === undefined || known.locale === fresh.locale)
      )
        return known;
      const [row] = await db
        .insert(members)
        .values({ installationId, platformUserId: user.id, ...fresh })
        .onConflictDoUpdate({ target: [members.installationId, members.platformUserId], set: fresh })
        .returning();
      if (!row) throw new Error('member upsert returned nothing');
      return toMember(row);
    },
    async get(installationId, memberId) {
      const [row] = await db
        .select()
        .from(members)
        .where(and(eq(members.installationId, installationId), eq(members.id, memberId)));
      return row ? toMember(row) : null;
    },
    async getMany(installationId, memberIds) {
      if (memberIds.length === 0) return [];
      const rows = await db
        .select()
        .from(members)
        .where(and(eq(members.installationId, installationId), inArray(members.id, memberIds)));
      return rows.map(toMember);
    },
    findByPlatformId,
    async findWithNetwork(installationId, platformUserId, channelId) {
      if (channelId === null) return { member: await findByPlatformId(installationId, platformUserId), network: null };
      // Left join: the member's row carries the channel's network when there is one.
      const [row] = await memberWithNetwork(db).execute({ installationId, platformUserId, channelId });
      if (row) return { member: toMember(row.member), network: row.network ? toNetwork(row.network) : null };
      // Someone Klik has not met yet (once per person): the network on its own.
      return { member: null, network: await networkRepo(db).findByChannel(installationId, channelId) };
    },
    async setMembership(installationId, networkId, memberId, status, at) {
      const before = await statusBefore(installationId, networkId, memberId);
      const [row] = await db
        .insert(networkMembers)
        .values({ installationId, networkId, memberId, status, joinedAt: at, leftAt: status === 'left' ? at : null })
        .onConflictDoUpdate({
          target: [networkMembers.networkId, networkMembers.memberId],
          set: { status, leftAt: status === 'left' ? at : null, ...(status === 'active' ? { pausedUntil: null } : {}) },
          where: eq(networkMembers.installationId, installationId),
        })
        .returning();
      if (!row) throw new Error('membership belongs to another installation');
      await recordChange(installationId, networkId, memberId, before, status, at);
      return toMembership(row);
    },
    async updateProfile(installationId, memberId, profile) {
      const set: Partial<typeof members.$inferInsert> = {};
      if (profile.organisationId !== undefined) set.organisationId = profile.organisationId;
      if (profile.role !== undefined) set.role = profile.role;
      if (profile.canShare !== undefined) set.canShare = profile.canShare;
      if (profile.wantsToLearn !== undefined) set.wantsToLearn = profile.wantsToLearn;
      if (profile.nickname !== undefined) set.nickname = profile.nickname;
      const where = and(eq(members.installationId, installationId), eq(members.id, memberId));
      const [row] =
        Object.keys(set).length > 0
          ? await db.update(members).set(set).where(where).returning()
          : await db.select().from(members).where(where);
      if (!row) throw new Error('member not found');
      return toMember(row);
    },
    async setOptedIn(installationId, networkId, memberId, optedIn) {
      await db
        .update(networkMembers)
        .set({ optedIn })
        .where(
          and(
            eq(networkMembers.installationId, installationId),
            eq(networkMembers.networkId, networkId),
            eq(networkMembers.memberId, memberId),
          ),
        );
    },
    async pauseMembership(installationId, networkId, memberId, until, at) {
      const before = await statusBefore(installationId, networkId, memberId);
      const [row] = await db
        .insert(networkMembers)
        .values({ installationId, networkId, memberId, status: 'paused', pausedUntil: until, joinedAt: at })
        .onConflictDoUpdate({
          target: [networkMembers.networkId, networkMembers.memberId],
          set: { status: 'paused', pausedUntil: until, leftAt: null },
          where: eq(networkMembers.installationId, installationId),
        })
        .returning();
      if (!row) throw new Error('membership belongs to another installation');
      await recordChange(installationId, networkId, memberId, before, 'paused', at);
      return toMembership(row);
    },
    async getMembership(installationId, networkId, memberId) {
      const [row] = await db
        .select()
        .from(networkMembers)
        .where(
          and(
            eq(networkMembers.installationId, installationId),
            eq(networkMembers.networkId, networkId),
            eq(networkMembers.memberId, memberId),
          ),
        );
      return row ? toMembership(row) : null;
    },
    async displayNames(installationId, memberIds) {
      if (memberIds.length === 0) return new Map();
      const rows = await db
        .select({ id: members.id, name: members.displayName })
        .from(members)
        .where(and(eq(members.installationId, installationId), inArray(members.id, memberIds)));
      return new Map(rows.map((r) => [r.id, r.name]));
    },
    async rosterNames(installationId, networkId) {
      const rows = await db
        .select({ memberId: members.id, displayName: members.displayName, status: networkMembers.status })
        .from(networkMembers)
        .innerJoin(members, eq(members.id, networkMembers.memberId))
        .where(and(eq(networkMembers.installationId, installationId), eq(networkMembers.networkId, networkId)))
        .orderBy(asc(networkMembers.joinedAt), asc(networkMembers.memberId));
      return rows.map((r) => ({ ...r, status: r.status as MembershipStatus }));
    },
    async listMemberships(installationId, networkId) {
      const rows = await db
        .select()
        .from(networkMembers)
        .innerJoin(members, eq(members.id, networkMembers.memberId))
        .where(and(eq(networkMembers.installationId, installationId), eq(networkMembers.networkId, networkId)));
      return rows.map((r) => ({ ...toMembership(r.network_members), member: toMember(r.members) }));
    },
  };
}
