/**
 * Start-up time (spawn → /healthz answers) and idle resident memory of a Klik process,
 * on embedded PGlite (first start in an empty folder, and a restart) and on PostgreSQL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import type { BenchSection } from '../report.js';
import { benchPostgres } from '../support/postgres.js';

const root = resolve(import.meta.dirname, '../..');

async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer().listen(0, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

function rssMiB(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(status.match(/VmRSS:\s+(\d+)/)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitHealthy(port: number, child: ChildProcess, limitMs: number): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < limitMs) {
    if (child.exitCode !== null) throw new Error(`klik exited with ${child.exitCode}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) return performance.now() - start;
    } catch {
      // not listening yet
    }
    await sleep(25);
  }
  throw new Error('not healthy in time');
}

async function measure(label: string, env: Record<string, string>): Promise<Record<string, string | number | null>> {
  const port = await freePort();
  const compiled = join(root, 'dist/src/main.js');
  const args = existsSync(compiled) ? [compiled] : ['--import', 'tsx', join(root, 'src/main.ts')];
  const t0 = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'warn', NODE_ENV: 'development' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const spawnToHealthy = await waitHealthy(port, child, 180_000);
    await sleep(3_000);
    const rss = child.pid ? rssMiB(child.pid) : null;
    return {
      setup: label,
      runtime: existsSync(compiled) ? 'compiled' : 'tsx',
      'healthz after (ms)': Math.round(spawnToHealthy),
      'wall (ms)': Math.round(performance.now() - t0 - 3_000),
      'idle RSS (MiB)': rss,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

export async function startupBench(): Promise<BenchSection> {
  const rows = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'klik-bench-'));
  try {
    rows.push(await measure('PGlite, empty data folder', { KLIK_DATA_DIR: dataDir }));
    rows.push(await measure('PGlite, restart', { KLIK_DATA_DIR: dataDir }));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const notes: string[] = [];
  const adminUrl = await benchPostgres();
  if (adminUrl) {
    const name = `klik_bench_${Date.now()}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    try {
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const dir = mkdtempSync(join(tmpdir(), 'klik-bench-pg-'));
      rows.push(await measure('PostgreSQL, empty database', { DATABASE_URL: url.toString(), KLIK_DATA_DIR: dir }));
      rows.push(await measure('PostgreSQL, restart', { DATABASE_URL: url.toString(), KLIK_DATA_DIR: dir }));
      rmSync(dir, { recursive: true, force: true });
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  } else {
    notes.push('PostgreSQL rows skipped: set TEST_DATABASE_URL (or BENCH_DATABASE_URL) to a server to include them.');
  }
  return {
    name: 'startup',
    description:
      'Start-up time (process spawn until /healthz answers) and resident memory after 3 s idle, playground on.',
    rows,
    notes,
  };
}
