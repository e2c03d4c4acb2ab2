import { and, desc, eq } from 'drizzle-orm';
import type { JobClaim, JobClaimRepo, JobOutcome } from '../../src/core/ports.js';
import { jobClaims } from '../schema.js';
import type { Executor } from './executor.js';

type Row = typeof jobClaims.$inferSelect;

const toClaim = (r: Row): JobClaim => ({
  installationId: r.installationId,
  networkId: r.networkId,
  kind: r.kind,
  slot: r.slot,
  outcome: r.outcome as JobOutcome,
  claimedBy: r.claimedBy,
  claimedAt: r.claimedAt,
});

/**
 * Claims of scheduled slots. The primary key (network, kind, slot) makes a slot run once however
 * many processes tick: an insert that meets an uncommitted claim waits for it, then does nothing.
 */
export function jobClaimRepo(db: Executor): JobClaimRepo {
  return {
    async claim({ installationId, networkId, kind, slot, outcome, claimedBy, at }) {
      const rows = await db
        .insert(jobClaims)
        .values({ installationId, networkId, kind, slot, outcome, claimedBy, claimedAt: at })
        .onConflictDoNothing({ target: [jobClaims.networkId, jobClaims.kind, jobClaims.slot] })
        .returning({ slot: jobClaims.slot });
      return rows.length > 0;
    },
    async get(networkId, kind, slot) {
      const [row] = await db
        .select()
        .from(jobClaims)
        .where(and(eq(jobClaims.networkId, networkId), eq(jobClaims.kind, kind), eq(jobClaims.slot, slot)));
      return row ? toClaim(row) : null;
    },
    async latest(networkId, kind) {
      const [row] = await db
        .select()
        .from(jobClaims)
        .where(and(eq(jobClaims.networkId, networkId), eq(jobClaims.kind, kind)))
        .orderBy(desc(jobClaims.claimedAt), desc(jobClaims.slot))
        .limit(1);
      return row ? toClaim(row) : null;
    },
  };
}
