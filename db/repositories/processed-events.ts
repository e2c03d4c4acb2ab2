/**
 * Platform deliveries already handled (`processed_events`): the first insert of a key wins, so a
 * retried delivery, a double-delivered click or a shared channel's event seen through a second
 * installation is recognised and dropped.
 */
import { lt, sql } from 'drizzle-orm';
import { processedEvents } from '../schema.js';
import type { Executor } from './executor.js';
import { prepared } from './prepared.js';

export interface ProcessedEventRepo {
  /** True when this call recorded the key (first delivery); false when it was already there. */
  markProcessed(eventKey: string, installationId: string, at: Date): Promise<boolean>;
  /** Forgets keys received before `before` (deliveries are never retried that late). */
  purge(before: Date): Promise<number>;
}

/** Runs for every click and event Slack delivers (see prepared.ts). */
const markStatement = prepared('klik_mark_processed', (db) =>
  db
    .insert(processedEvents)
    .values({
      eventKey: sql.placeholder('eventKey'),
      installationId: sql.placeholder('installationId'),
      receivedAt: sql.placeholder('receivedAt'),
    })
    .onConflictDoNothing()
    .returning({ key: processedEvents.eventKey }),
);

export function processedEventRepo(db: Executor): ProcessedEventRepo {
  return {
    async markProcessed(eventKey, installationId, at) {
      const rows = await markStatement(db).execute({ eventKey, installationId, receivedAt: at });
      return rows.length > 0;
    },
    async purge(before) {
      const rows = await db
        .delete(processedEvents)
        .where(lt(processedEvents.receivedAt, before))
        .returning({ key: processedEvents.eventKey });
      return rows.length;
    },
  };
}
