import { and, eq } from 'drizzle-orm';
import type { InstallationRepo } from '../../src/core/ports.js';
import type { Installation, Platform } from '../../src/core/types.js';
import { TtlCache } from '../../src/ttl-cache.js';
import { installations } from '../schema.js';
import type { Executor } from './executor.js';

const columns = {
  id: installations.id,
  platform: installations.platform,
  externalId: installations.externalId,
  name: installations.name,
};

type Row = { id: string; platform: string; externalId: string; name: string };

const toInstallation = (r: Row): Installation => ({
  id: r.id,
  platform: r.platform as Platform,
  externalId: r.externalId,
  name: r.name,
});

/**
 * Installations this process has seen, for a minute: every request starts by finding its
 * installation, whose id, platform and external id never change. The minute bounds how long a
 * renamed workspace shows its old name, and how long a purged installation could be remembered.
 */
export type InstallationCache = TtlCache<Installation>;

export const installationCache = (): InstallationCache => new TtlCache(10_000, 60_000, () => performance.now());

const cacheKey = (platform: string, externalId: string) => `${platform}\u0000${externalId}`;

export function installationRepo(db: Executor, cache?: InstallationCache): InstallationRepo {
  const remember = (i: Installation) => {
    cache?.set(cacheKey(i.platform, i.externalId), i);
    return i;
  };
  return {
    async ensure(platform, externalId, name) {
      const known = cache?.get(cacheKey(platform, externalId));
      if (known) return known;
      // Read first: the row almost always exists, and a read takes no write lock.
      const [found] = await db
        .select(columns)
        .from(installations)
        .where(and(eq(installations.platform, platform), eq(installations.externalId, externalId)));
      if (found) return remember(toInstallation(found));
      const inserted = await db
        .insert(installations)
        .values({ platform, externalId, name: name ?? '' })
        .onConflictDoNothing()
        .returning(columns);
      if (inserted[0]) return toInstallation(inserted[0]);
      const [row] = await db
        .select(columns)
        .from(installations)
        .where(and(eq(installations.platform, platform), eq(installations.externalId, externalId)));
      if (!row) throw new Error('installation vanished');
      return toInstallation(row);
    },
    async get(id) {
      const [row] = await db.select(columns).from(installations).where(eq(installations.id, id));
      return row ? toInstallation(row) : null;
    },
  };
}
