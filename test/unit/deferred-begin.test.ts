import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deferBegin, deferBeginPool } from '../../db/deferred-begin.js';
import { createTestDatabase, hasPostgres, requirePostgresInCi, type TestDatabase } from '../support/db.js';

/** A client that records what reaches it and answers every query with an empty result. */
function recordingClient() {
  const sent: string[] = [];
  const client = {
    query(config: string | { text: string }, _values?: unknown[]) {
      sent.push(typeof config === 'string' ? config : config.text);
      return Promise.resolve({ command: 'X', rowCount: 0, oid: 0, rows: [], fields: [] });
    },
    release() {
      sent.push('(released)');
    },
  };
  return { sent, client: deferBegin(client as unknown as pg.PoolClient) };
}

describe('deferred begin', () => {
  it('sends nothing around a unit of work that only reads', async () => {
    const { sent, client } = recordingClient();
    await client.query('begin');
    await client.query({ text: 'select "id" from "members" where "id" = $1' }, ['m']);
    await client.query('select 1');
    await client.query('commit');
    expect(sent).toEqual(['select "id" from "members" where "id" = $1', 'select 1']);
  });

  it('sends the held begin just before the first write, then everything else', async () => {
    const { sent, client } = recordingClient();
    await client.query('begin');
    await client.query('select 1');
    await client.query({ text: 'insert into "tips" values ($1)' }, ['x']);
    await client.query('select 2');
    await client.query('commit');
    expect(sent).toEqual(['select 1', 'begin', 'insert into "tips" values ($1)', 'select 2', 'commit']);
  });

  it.each([
    'select * from "polls" where "id" = $1 for update',
    'select * from "polls" for update skip locked',
    'select * from "o" for no key update',
    'select * from "o" for share',
    'select * from "o" for key share',
    'select pg_advisory_xact_lock(1)',
    "select nextval('s')",
    "select set_config('a', 'b', true)",
    'with moved as (delete from "outbox" returning *) select * from moved',
    'update "polls" set "version" = 2',
  ])('treats %s as needing the transaction', async (text) => {
    const { sent, client } = recordingClient();
    await client.query('begin');
    await client.query(text);
    await client.query('rollback');
    expect(sent).toEqual(['begin', text, 'rollback']);
  });

  it('drops the rollback of a unit that failed before it wrote', async () => {
    const { sent, client } = recordingClient();
    await client.query('begin');
    await client.query('select 1');
    await client.query('rollback');
    expect(sent).toEqual(['select 1']);
  });

  it('never holds a begin that asks for an isolation level', async () => {
    const { sent, client } = recordingClient();
    await client.query('begin isolation level serializable');
    await client.query('select 1');
    await client.query('commit');
    expect(sent).toEqual(['begin isolation level serializable', 'select 1', 'commit']);
  });

  it('starts afresh for the next unit on the same client', async () => {
    const { sent, client } = recordingClient();
    await client.query('begin');
    await client.query('delete from "x"');
    await client.query('commit');
    await client.query('begin');
    await client.query('select 1');
    await client.query('commit');
    client.release();
    expect(sent).toEqual(['begin', 'delete from "x"', 'commit', 'select 1', '(released)']);
  });
});

describe.skipIf(!hasPostgres)('deferred begin on PostgreSQL', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let rawPool: pg.Pool;
  beforeAll(async () => {
    requirePostgresInCi();
    database = await createTestDatabase('postgres');
    rawPool = new pg.Pool({ connectionString: database.url, max: 2 });
    pool = deferBeginPool(new pg.Pool({ connectionString: database.url, max: 2 }));
  });
  afterAll(async () => {
    await pool?.end();
    await rawPool?.end();
    await database?.close();
  });

  /** True while the connection is inside a transaction block: only there is a savepoint allowed. */
  const inTransaction = (raw: pg.PoolClient) =>
    raw.query('savepoint probe').then(
      async () => {
        await raw.query('release savepoint probe');
        return true;
      },
      () => false,
    );

  it('is still a Pool to drizzle', () => {
    expect(pool).toBeInstanceOf(pg.Pool);
  });

  it('opens the transaction at the first write, and its rollback undoes the write', async () => {
    const raw = await rawPool.connect();
    const client = deferBegin(raw);
    try {
      await client.query('create temporary table deferred_probe (n int)');
      await client.query('begin');
      await client.query('select 1');
      expect(await inTransaction(raw)).toBe(false);
      await client.query('insert into deferred_probe values (1)');
      expect(await inTransaction(raw)).toBe(true);
      await client.query('rollback');
      const rows = await client.query('select count(*)::int as n from deferred_probe');
      expect(rows.rows[0]).toEqual({ n: 0 });
    } finally {
      raw.release();
    }
  });

  it('keeps drizzle transactions whole: a throw after a write leaves nothing behind', async () => {
    await database.db.execute(sql`create table if not exists deferred_probe2 (n int)`);
    await expect(
      database.db.transaction(async (tx) => {
        await tx.execute(sql`select 1`);
        await tx.execute(sql`insert into deferred_probe2 values (1)`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`insert into deferred_probe2 values (2)`);
    });
    const result = await database.db.execute(sql`select n from deferred_probe2`);
    expect((result as unknown as { rows: unknown[] }).rows).toEqual([{ n: 2 }]);
  });
});
