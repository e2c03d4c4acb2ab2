/**
 * Statements kept per connection (db/repositories/prepared.ts): on PostgreSQL every transaction on
 * one pooled connection reuses the statement made on it, and each answers for its own values.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '../../db/repositories/executor.js';
import { connectionOf, prepared } from '../../db/repositories/prepared.js';
import { installations } from '../../db/schema.js';
import { backends, createTestDatabase, type TestDatabase } from '../support/db.js';

const byExternalId = prepared('klik_test_installation_by_external_id', (db) =>
  db
    .select({ id: installations.id, externalId: installations.externalId })
    .from(installations)
    .where(eq(installations.externalId, sql.placeholder('externalId'))),
);

describe.each(backends())('prepared statements (%s)', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
    await database.db.insert(installations).values([
      { platform: 'slack', externalId: 'T1', name: 'one' },
      { platform: 'slack', externalId: 'T2', name: 'two' },
    ]);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('answers each call with its own values, inside and outside transactions', async () => {
    const read = (db: Executor, externalId: string) => byExternalId(db).execute({ externalId });
    expect((await read(database.db, 'T1')).map((r) => r.externalId)).toEqual(['T1']);
    const inTx = await database.db.transaction(async (tx) => [await read(tx, 'T2'), await read(tx, 'T9')]);
    expect(inTx.map((rows) => rows.map((r) => r.externalId))).toEqual([['T2'], []]);
  });

  it.runIf(backend === 'postgres')('reuses the statement of a connection in its later transactions', async () => {
    const seen: Array<{ connection: object | null; statement: unknown }> = [];
    // The test database's pool hands out several connections: run enough transactions that some
    // connection serves two of them.
    for (let i = 0; i < 12; i++) {
      await database.db.transaction(async (tx) => {
        const statement = byExternalId(tx);
        await statement.execute({ externalId: 'T1' });
        seen.push({ connection: connectionOf(tx), statement });
      });
    }
    expect(seen.every((s) => s.connection !== null)).toBe(true);
    const connections = new Set(seen.map((s) => s.connection));
    expect(connections.size).toBeLessThan(seen.length);
    for (const connection of connections) {
      const statements = new Set(seen.filter((s) => s.connection === connection).map((s) => s.statement));
      expect(statements.size).toBe(1);
    }
  });
});
