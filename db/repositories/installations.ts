import { and, eq } from 'drizzle-orm';
import type { InstallationRepo } from '../../src/core/ports.js';
import type { Installation, Platform } from '../../src/core/types.js';
import { installations } from '../schema.js';
import type { Executor } from './executor.js';

type Row = typeof installations.$inferSelect;

const toInstallation = (r: Row): Installation => ({
  id: r.id,
  platform: r.platform as Platform,
  externalId: r.externalId,
  name: r.name,
});

export function installationRepo(db: Executor): InstallationRepo {
  return {
    async ensure(platform, externalId, name) {
      // Read first: the row almost always exists, and a read takes no write lock.
      const [found] = await db
        .select()
        .from(installations)
        .where(and(eq(installations.platform, platform), eq(installations.externalId, externalId)));
      if (found) return toInstallation(found);
      const inserted = await db
        .insert(installations)
        .values({ platform, externalId, name: name ?? '' })
        .onConflictDoNothing()
        .returning();
      if (inserted[0]) return toInstallation(inserted[0]);
      const [row] = await db
        .select()
        .from(installations)
        .where(and(eq(installations.platform, platform), eq(installations.externalId, externalId)));
      if (!row) throw new Error('installation vanished');
      return toInstallation(row);
    },
    async get(id) {
      const [row] = await db.select().from(installations).where(eq(installations.id, id));
      return row ? toInstallation(row) : null;
    },
  };
}
