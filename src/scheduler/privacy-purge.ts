/**
 * The daily purge, as a scheduler Sweep. Once per UTC day and installation, claimed across processes
 * by a dated `processed_events` row (`klik:purge:<installation>:<day>`) written in the same
 * transaction as the deletes: a second process's insert waits for the first to commit and then finds
 * the row. It deletes an installation uninstalled more than 30 days ago (with all its data), pairing
 * rounds and their learning notes older than KLIK_RETENTION_MONTHS, and what would grow forever:
 * sent, dead and cancelled outbox rows after 30 days, expired outbox holds, processed events after
 * 48 hours, expired single-use links, and job claims after 120 days (the scheduler looks back 62).
 */
import { DateTime } from 'luxon';
import type { Logger } from '../core/ports.js';
import type { PurgeCounts } from '../core/privacy/ports.js';
import type { Sweep } from './scheduler.js';

const DAY = 86_400_000;
export const UNINSTALLED_KEEP_DAYS = 30;
export const OUTBOX_KEEP_DAYS = 30;
export const PROCESSED_EVENTS_KEEP_HOURS = 48;
export const JOB_CLAIMS_KEEP_DAYS = 120;

export interface PrivacyPurgeOptions {
  retentionMonths: number;
  logger: Logger;
}

const dayOf = (at: Date) => at.toISOString().slice(0, 10);

export function privacyPurgeSweep(options: PrivacyPurgeOptions): Sweep {
  /** The last UTC day this process went through every installation. */
  let doneDay: string | null = null;
  const log = options.logger.child({ component: 'privacy-purge' });

  return {
    name: 'privacy-purge',
    async run({ now, store }) {
      const day = dayOf(now);
      if (doneDay === day) return 0;
      const limits = {
        now,
        retentionBefore: DateTime.fromJSDate(now, { zone: 'utc' })
          .minus({ months: options.retentionMonths })
          .toJSDate(),
        uninstalledBefore: new Date(now.getTime() - UNINSTALLED_KEEP_DAYS * DAY),
        outboxBefore: new Date(now.getTime() - OUTBOX_KEEP_DAYS * DAY),
        processedEventsBefore: new Date(now.getTime() - PROCESSED_EVENTS_KEEP_HOURS * 3_600_000),
        jobClaimsBefore: new Date(now.getTime() - JOB_CLAIMS_KEEP_DAYS * DAY),
      };
      const ids = await store.transaction((tx) => tx.privacy.installationIds());
      let purged = 0;
      let failed = 0;
      for (const installationId of ids) {
        try {
          const counts = await store.transaction(async (tx): Promise<PurgeCounts | null> => {
            if (!(await tx.privacy.claimPurge(installationId, day, now))) return null;
            return tx.privacy.purge(installationId, limits);
          });
          if (!counts) continue;
          purged++;
          log.info({ installationId, ...counts }, 'daily purge');
        } catch (err) {
          // Nothing of this installation's purge committed; the next tick tries it again.
          failed++;
          log.error({ installationId, type: err instanceof Error ? err.name : typeof err }, 'daily purge failed');
        }
      }
      if (failed > 0) return purged;
      doneDay = day;
      return purged;
    },
  };
}
