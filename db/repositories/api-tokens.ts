/** API tokens for `GET /api/networks/:id/stats`: only a keyed hash of each token is stored. */
import { and, eq, isNull } from 'drizzle-orm';
import type { ApiTokenRepo } from '../../src/core/stats/ports.js';
import { apiTokens } from '../schema.js';
import type { Executor } from './executor.js';

export function apiTokenRepo(db: Executor): ApiTokenRepo {
  async function revokeAll(installationId: string, networkId: string, at: Date): Promise<number> {
    const rows = await db
      .update(apiTokens)
      .set({ revokedAt: at })
      .where(
        and(
          eq(apiTokens.installationId, installationId),
          eq(apiTokens.networkId, networkId),
          isNull(apiTokens.revokedAt),
        ),
      )
      .returning({ id: apiTokens.id });
    return rows.length;
  }
  return {
    async issue(input) {
      const revoked = await revokeAll(input.installationId, input.networkId, input.at);
      await db.insert(apiTokens).values({
        installationId: input.installationId,
        networkId: input.networkId,
        tokenHash: input.tokenHash,
        createdBy: input.createdBy,
        createdAt: input.at,
      });
      return revoked;
    },
    revokeAll,
    async use(tokenHash, at) {
      const [row] = await db
        .update(apiTokens)
        .set({ lastUsedAt: at })
        .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)))
        .returning({ id: apiTokens.id, installationId: apiTokens.installationId, networkId: apiTokens.networkId });
      return row ?? null;
    },
  };
}
