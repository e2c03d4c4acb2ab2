import { and, asc, eq } from 'drizzle-orm';
import type { CoordinatorRepo } from '../../src/core/ports.js';
import { coordinators, members } from '../schema.js';
import type { Executor } from './executor.js';
import { toMember } from './members.js';

export function coordinatorRepo(db: Executor): CoordinatorRepo {
  const scoped = (installationId: string, networkId: string) =>
    and(eq(coordinators.installationId, installationId), eq(coordinators.networkId, networkId));
  return {
    async list(installationId, networkId) {
      const rows = await db
        .select({ member: members })
        .from(coordinators)
        .innerJoin(members, eq(members.id, coordinators.memberId))
        .where(scoped(installationId, networkId))
        .orderBy(asc(coordinators.addedAt));
      return rows.map((r) => toMember(r.member));
    },
    async isCoordinator(installationId, networkId, memberId) {
      const rows = await db
        .select({ id: coordinators.memberId })
        .from(coordinators)
        .where(and(scoped(installationId, networkId), eq(coordinators.memberId, memberId)));
      return rows.length > 0;
    },
    async add(installationId, networkId, memberId, addedBy) {
      const rows = await db
        .insert(coordinators)
        .values({ installationId, networkId, memberId, addedBy })
        .onConflictDoNothing()
        .returning({ id: coordinators.memberId });
      return rows.length > 0;
    },
    async remove(installationId, networkId, memberId) {
      const rows = await db
        .delete(coordinators)
        .where(and(scoped(installationId, networkId), eq(coordinators.memberId, memberId)))
        .returning({ id: coordinators.memberId });
      return rows.length > 0;
    },
  };
}
