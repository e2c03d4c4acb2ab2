/**
 * PostgreSQL for the bench: the server in TEST_DATABASE_URL or BENCH_DATABASE_URL, else a local
 * one at postgres://postgres@127.0.0.1:5432 when it answers. Each use gets a fresh database.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const LOCAL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The admin URL of a reachable PostgreSQL server, or null. */
export async function benchPostgres(): Promise<string | null> {
  const url = process.env.TEST_DATABASE_URL?.trim() || process.env.BENCH_DATABASE_URL?.trim() || LOCAL;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return url;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

export interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new empty database on that server. */
export async function freshDatabase(adminUrl: string, label: string): Promise<FreshDatabase> {
  const name = `klik_bench_${label}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
