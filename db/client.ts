/**
 * Opens the database: real PostgreSQL through a `pg` pool when a URL is given, otherwise
 * embedded PGlite in a folder (or in memory). Migrations run under a PostgreSQL advisory lock,
 * because drizzle's migrator takes none and several processes may start at once.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { deferBeginPool } from './deferred-begin.js';
import { withEventLoopTurns } from './pglite-turns.js';
import * as schema from './schema.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  readonly kind: 'postgres' | 'pglite';
  readonly db: Db;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  /** Applies pending migrations under an advisory lock. */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** PGlite only: the whole data folder as a tarball (a template for `loadDataDir`). */
  dumpDataDir?(): Promise<Blob>;
}

export type DatabaseOptions =
  | { kind: 'postgres'; url: string; poolSize?: number }
  | {
      kind: 'pglite';
      dataDir: string | null;
      /** Start from a dump of another PGlite (tests: a migrated template instead of initdb per test). */
      loadDataDir?: Blob;
    };

/** Any fixed 64-bit number; the same in every Klik process. */
const MIGRATION_LOCK_KEY = 7_246_157_711;

/** The folder of checked-in migrations, found from source (db/) and from compiled code (dist/db/). */
export function migrationsFolder(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'db', 'migrations');
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
    const here = join(dir, 'migrations');
    if (existsSync(join(here, 'meta', '_journal.json'))) return here;
    dir = dirname(dir);
  }
  throw new Error('db/migrations not found');
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.kind === 'postgres'
    ? openPostgres(options.url, options.poolSize)
    : openPglite(options.dataDir, options.loadDataDir);
}

async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5_000 });
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => {});
  // Units of work that only read cost one round trip per read, not two more for begin/commit.
  const db = drizzlePg(deferBeginPool(pool), { schema }) as unknown as Db;
  return {
    kind: 'postgres',
    db,
    async ping() {
      await pool.query('select 1');
    },
    async migrate() {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        try {
          await migratePg(drizzlePg(client, { schema }), { migrationsFolder: migrationsFolder() });
        } finally {
          await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
        }
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}

async function openPglite(dataDir: string | null, loadDataDir?: Blob): Promise<Database> {
  // Loaded on first use: a process on PostgreSQL never carries the embedded database.
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  if (dataDir) mkdirSync(resolve(dataDir), { recursive: true });
  const client = new PGlite({
    ...(dataDir ? { dataDir: resolve(dataDir) } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
  });
  await client.waitReady;
  const db = drizzlePglite(withEventLoopTurns(client), { schema });
  let closed = false;
  return {
    kind: 'pglite',
    db: db as unknown as Db,
    async ping() {
      if (closed) throw new Error('database closed');
      await client.query('select 1');
    },
    async migrate() {
      // One PGlite serves one process; the lock keeps the code path the same as PostgreSQL's.
      await client.query(`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
      try {
        await migratePglite(db, { migrationsFolder: migrationsFolder() });
      } finally {
        await client.query(`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
    },
    async dumpDataDir() {
      return client.dumpDataDir('none');
    },
  };
}
