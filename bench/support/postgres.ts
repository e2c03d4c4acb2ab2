/**
 * PostgreSQL for the bench: the server in TEST_DATABASE_URL or BENCH_DATABASE_URL, else a local
 * one at postgres://postgres@127.0.0.1:5432 when it answers. Each use gets a fresh database.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { canPin } from './process.js';

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

/**
 * Pins a PostgreSQL server running on this machine (the postmaster and every process it has
 * forked, and through inheritance those it forks later) to one CPU core, so its work is not billed
 * to a server measured on another core. In production the database runs on its own machine.
 * Resolves the undo, or null when the server is not local or its processes cannot be pinned.
 */
export async function pinPostgres(adminUrl: string, core: number): Promise<(() => void) | null> {
  const parentOf = (pid: number): number | null => {
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after ')'.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return null;
    }
  };
  const client = new pg.Client({ connectionString: adminUrl });
  let postmaster: number | null;
  try {
    await client.connect();
    // Our backend's parent, read while the backend lives.
    const backend = Number((await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid);
    postmaster = parentOf(backend);
  } finally {
    await client.end().catch(() => {});
  }
  if (!postmaster || !canPin()) return null;
  const family = [
    postmaster,
    ...readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map(Number)
      .filter((pid) => parentOf(pid) === postmaster),
  ];
  const before = new Map<number, string>();
  try {
    for (const pid of family) {
      const list = execFileSync('taskset', ['-pc', String(pid)], { encoding: 'utf8' })
        .split(':')
        .pop()
        ?.trim();
      if (list) before.set(pid, list);
      execFileSync('taskset', ['-pac', String(core), String(pid)], { stdio: 'ignore' });
    }
  } catch {
    restore(before);
    return null;
  }
  return () => {
    // Backends forked meanwhile inherited the pin from the postmaster: undo it for the whole family.
    const all = new Map(before);
    const widest = before.get(postmaster);
    if (widest) {
      for (const d of readdirSync('/proc')) {
        const pid = Number(d);
        if (/^\d+$/.test(d) && !all.has(pid) && parentOf(pid) === postmaster) all.set(pid, widest);
      }
    }
    restore(all);
  };
}

function restore(affinities: Map<number, string>): void {
  for (const [pid, list] of affinities) {
    try {
      execFileSync('taskset', ['-pac', list, String(pid)], { stdio: 'ignore' });
    } catch {
      // The process has ended.
    }
  }
}
