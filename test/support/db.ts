/**
 * Test databases: real PGlite always, and real PostgreSQL too when TEST_DATABASE_URL is set.
 * Each call gets a fresh, migrated database of its own.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, openDatabase } from '../../db/client.js';

export type Backend = 'pglite' | 'postgres';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || undefined;

/** The backends database tests run against: `describe.each(backends())`. */
export function backends(): Backend[] {
  return TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/** True when tests that need a real PostgreSQL (several processes) can run. */
export const hasPostgres = TEST_DATABASE_URL !== undefined;

/**
 * In CI a missing PostgreSQL is an error, not a skip: call this where a test needs one.
 * Locally, tests that need it say so and skip.
 */
export function requirePostgresInCi(): void {
  if (process.env.CI && !hasPostgres) {
    throw new Error('CI is set but TEST_DATABASE_URL is not: the PostgreSQL tests cannot run');
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates an empty PostgreSQL database on the TEST_DATABASE_URL server; returns its URL and a dropper. */
export async function createEmptyPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  const name = `klik_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return {
    url: withDatabase(TEST_DATABASE_URL, name),
    async drop() {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface TestDatabase extends Database {
  backend: Backend;
  /** For postgres: the URL of this database, so a second "process" can open it too. */
  url?: string;
}

/**
 * A migrated, empty PGlite, dumped once per test process: each test database starts from it instead
 * of running initdb and every migration again (about three times faster).
 */
let pgliteTemplate: Promise<Blob> | null = null;

function migratedPgliteTemplate(): Promise<Blob> {
  pgliteTemplate ??= (async () => {
    const database = await openDatabase({ kind: 'pglite', dataDir: null });
    try {
      await database.migrate();
      return await database.dumpDataDir!();
    } finally {
      await database.close();
    }
  })();
  return pgliteTemplate;
}

export async function createTestDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend === 'pglite') {
    const database = await openDatabase({ kind: 'pglite', dataDir: null, loadDataDir: await migratedPgliteTemplate() });
    // A no-op on the template; it still proves the migrations are all applied.
    await database.migrate();
    return Object.assign(database, { backend });
  }
  const { url, drop } = await createEmptyPostgresDatabase();
  const database = await openDatabase({ kind: 'postgres', url });
  await database.migrate();
  const close = database.close.bind(database);
  return Object.assign(database, {
    backend,
    url,
    async close() {
      await close();
      await drop();
    },
  });
}
