import { and, eq } from 'drizzle-orm';
import type { InstallationRepo } from '../../src/core/ports.js';
import type { Installation, Platform } from '../../src/core/types.js';
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
export class InstallationCache {
  private readonly entries = new Map<string, { installation: Installation; at: number }>();

  constructor(
    private readonly ttlMs = 60_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get(platform: string, externalId: string): Installation | null {
    const key = `${platform}\u0000${externalId}`;
    const hit = this.entries.get(key);
    if (!hit) return null;
    if (this.now() - hit.at > this.ttlMs) {
      this.entries.delete(key);
      return null;
    }
    return hit.installation;
  }

  set(installation: Installation): void {
    if (this.entries.size >= 10_000) this.entries.clear();
    this.entries.set(`${installation.platform}\u0000${installation.externalId}`, {
      installation,
      at: this.now(),
    });
  }
}

export function installationRepo(db: Executor, cache?: InstallationCache): InstallationRepo {
  const remember = (i: Installation) => {
    cache?.set(i);
    return i;
  };
  return {
    async ensure(platform, externalId, name) {
      const known = cache?.get(platform, externalId);
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
