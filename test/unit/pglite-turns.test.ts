/**
 * PGlite answers without real I/O, so without help a burst of transactions would run to the end
 * before the event loop (and an HTTP request waiting for its ack) got a single turn. Klik's PGlite
 * gives the loop a turn before each query: an immediate scheduled when the burst starts runs long
 * before the burst ends. No timing: only the order of events.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

describe('PGlite leaves the event loop turns', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
  });
  afterAll(async () => {
    await database?.close();
  });

  it('a burst of 50 transactions lets an immediate in before the first few are done', async () => {
    let done = 0;
    let doneWhenLoopTurned = -1;
    const burst = Promise.all(
      Array.from({ length: 50 }, () =>
        database.db
          .transaction(async (tx) => {
            for (let i = 0; i < 5; i++) await tx.execute(sql`select count(*) from installations`);
          })
          .then(() => {
            done++;
          }),
      ),
    );
    setImmediate(() => {
      doneWhenLoopTurned = done;
    });
    await burst;
    expect(done).toBe(50);
    expect(doneWhenLoopTurned).toBeGreaterThanOrEqual(0);
    expect(doneWhenLoopTurned).toBeLessThan(5);
  });
});
