/**
 * A fresh checkout's start: `npm start` with no configuration serves /healthz and the playground
 * with the demo network; two processes starting at once on one empty PostgreSQL both come up,
 * with the migrations applied once.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmptyPostgresDatabase, hasPostgres, requirePostgresInCi } from '../support/db.js';
import { freePort, type KlikChild, projectRoot, spawnKlik, waitFor } from '../support/process.js';

const running: KlikChild[] = [];
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'klik-start-'));
  dirs.push(d);
  return d;
};

describe('npm start with no configuration', () => {
  it('answers /healthz, serves the playground with the demo network, and stops on SIGTERM', async () => {
    const proc = spawnKlik({ KLIK_DATA_DIR: tempDir() }, await freePort());
    running.push(proc);
    const base = `http://127.0.0.1:${proc.port}`;
    await waitFor(`${base}/healthz`, 200, proc);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const page = await waitFor(`${base}/`, 200, proc);
    const html = await page.text();
    expect(html).toContain('leernetwerk-ouderenzorg');
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('klik_outbox_pending');
    expect(metrics).toContain('klik_outbox_dead_letters_total');
    expect(await proc.stop()).toBe(0);
  });

  it('refuses a wrong value with one line naming the variable', async () => {
    const proc = spawnKlik({ KLIK_DATA_DIR: tempDir(), KLIK_DEFAULT_LOCALE: 'fr' }, await freePort());
    running.push(proc);
    const code = await new Promise<number | null>((ok) => proc.child.once('exit', ok));
    expect(code).toBe(1);
    expect(proc.output().trim()).toBe('Klik cannot start: KLIK_DEFAULT_LOCALE must be nl or en (got "fr")');
  });
});

describe.skipIf(!hasPostgres)('two processes on one empty PostgreSQL', () => {
  requirePostgresInCi();

  it('both come up; the migrations ran once', async () => {
    const db = await createEmptyPostgresDatabase();
    try {
      const env = { DATABASE_URL: db.url, KLIK_PLAYGROUND: '0', KLIK_SECRET_KEY: 's'.repeat(40) };
      const a = spawnKlik({ ...env, KLIK_DATA_DIR: tempDir() }, await freePort());
      const b = spawnKlik({ ...env, KLIK_DATA_DIR: tempDir() }, await freePort());
      running.push(a, b);
      await Promise.all([
        waitFor(`http://127.0.0.1:${a.port}/readyz`, 200, a),
        waitFor(`http://127.0.0.1:${b.port}/readyz`, 200, b),
      ]);
      const journal = JSON.parse(readFileSync(join(projectRoot, 'db/migrations/meta/_journal.json'), 'utf8')) as {
        entries: unknown[];
      };
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      const applied = await client.query('select count(*)::int as n from drizzle.__drizzle_migrations');
      await client.end();
      expect(applied.rows[0].n).toBe(journal.entries.length);
      expect(await a.stop()).toBe(0);
      expect(await b.stop()).toBe(0);
    } finally {
      await db.drop();
    }
  });
});
