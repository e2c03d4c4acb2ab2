import { and, asc, eq } from 'drizzle-orm';
import type { OrganisationRepo } from '../../src/core/ports.js';
import { organisations } from '../schema.js';
import type { Executor } from './executor.js';

export function organisationRepo(db: Executor): OrganisationRepo {
  const scoped = (installationId: string, networkId: string) =>
    and(eq(organisations.installationId, installationId), eq(organisations.networkId, networkId));
  return {
    async list(installationId, networkId) {
      const rows = await db
        .select()
        .from(organisations)
        .where(scoped(installationId, networkId))
        .orderBy(asc(organisations.name));
      return rows.map((r) => ({ id: r.id, networkId: r.networkId, name: r.name }));
    },
    async add(installationId, networkId, name) {
      const rows = await db
        .insert(organisations)
        .values({ installationId, networkId, name })
        .onConflictDoNothing()
        .returning();
      const row = rows[0];
      return row ? { id: row.id, networkId: row.networkId, name: row.name } : null;
    },
  };
}
