/** Single-use links (dashboard): the first request that writes a link's id uses it up. */
import type { UsedLinkRepo } from '../../src/core/stats/ports.js';
import { usedLinks } from '../schema.js';
import type { Executor } from './executor.js';

export function usedLinkRepo(db: Executor): UsedLinkRepo {
  return {
    async claim(input) {
      const rows = await db
        .insert(usedLinks)
        .values({
          linkId: input.linkId,
          installationId: input.installationId,
          kind: input.kind,
          usedAt: input.at,
          expiresAt: input.expiresAt,
        })
        .onConflictDoNothing({ target: usedLinks.linkId })
        .returning({ linkId: usedLinks.linkId });
      return rows.length === 1;
    },
  };
}
