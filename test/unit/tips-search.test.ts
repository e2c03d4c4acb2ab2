/**
 * Tip search at scale, through the repository the core uses: exact relevance ranking while a search
 * matches few enough tips, and the bounded "newest matches" ranking for a very common word, on both
 * backends. (Speed is measured by `npm run bench tips`, not here.)
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTips } from '../../bench/sections/tips.js';
import { COMMON_RANK_MATCHES, EXACT_RANK_LIMIT, tipRepo } from '../../db/repositories/tips.js';
import type { TipRecord } from '../../src/core/tips/ports.js';
import { backends, createTestDatabase, type TestDatabase } from '../support/db.js';

const TIPS = 10_000;

describe.each(backends())('tip search at %s scale', (backend) => {
  let database: TestDatabase;
  let inst: string;
  let net: string;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    await seedTips(database.db, TIPS);
    await database.db.execute(sql`analyze tips`);
    const ids = (await database.db.execute(
      sql`select n.installation_id as inst, n.id as net from networks n`,
    )) as unknown as { rows: Array<{ inst: string; net: string }> };
    inst = ids.rows[0]!.inst;
    net = ids.rows[0]!.net;
  }, 120_000);
  afterAll(async () => {
    await database?.close();
  });

  const search = (words: string, offset = 0, limit = 11) =>
    tipRepo(database.db).search(inst, net, { words, tags: [], searchConfig: 'dutch', offset, limit });

  /** ts_rank of each tip for the query, computed by PostgreSQL itself. */
  async function ranks(words: string, found: TipRecord[]): Promise<Map<string, number>> {
    const ids = found.map((t) => t.id);
    const res = (await database.db.execute(
      sql`select id, ts_rank(search, websearch_to_tsquery('dutch'::regconfig, ${words}))::float8 as r
          from tips where id = any(${sql.param(ids)}::uuid[])`,
    )) as unknown as { rows: Array<{ id: string; r: number }> };
    return new Map(res.rows.map((row) => [row.id, Number(row.r)]));
  }

  function expectRanked(found: TipRecord[], rank: Map<string, number>) {
    for (let i = 1; i < found.length; i++) {
      const a = found[i - 1]!;
      const b = found[i]!;
      const ra = rank.get(a.id)!;
      const rb = rank.get(b.id)!;
      expect(ra >= rb).toBe(true);
      if (ra === rb) expect(a.upvotes >= b.upvotes).toBe(true);
    }
  }

  it('a rare word is ranked exactly over every match, old tips included', async () => {
    // "dagbesteding" is in every 100th tip: 100 matches, far below the exact-ranking limit.
    const found = await search('dagbesteding', 0, 200);
    expect(found).toHaveLength(TIPS / 100);
    expect(found.every((t) => t.text.includes('dagbesteding'))).toBe(true);
    expectRanked(found, await ranks('dagbesteding', found));
  });

  it('a very common word ("netwerk" finds "Netwerken" in half the tips) is ranked among its newest matches', async () => {
    expect(TIPS / 2).toBeGreaterThan(EXACT_RANK_LIMIT);
    const first = await search('netwerk', 0, 11);
    const second = await search('netwerk', 11, 11);
    expect(first).toHaveLength(11);
    expect(second).toHaveLength(11);
    const all = [...first, ...second];
    expect(new Set(all.map((t) => t.id)).size).toBe(22);
    expect(all.every((t) => t.text.startsWith('Netwerken'))).toBe(true);
    expectRanked(all, await ranks('netwerk', all));
    // Every result is among the newest COMMON_RANK_MATCHES matches.
    const cutoff = (await database.db.execute(
      sql`select min(created_at) as c from (select created_at from tips
          where search @@ websearch_to_tsquery('dutch'::regconfig, 'netwerk')
          order by created_at desc limit ${COMMON_RANK_MATCHES}) x`,
    )) as unknown as { rows: Array<{ c: Date | string }> };
    const oldest = new Date(cutoff.rows[0]!.c).getTime();
    expect(all.every((t) => t.createdAt.getTime() >= oldest)).toBe(true);
  });

  it('a word that matches nothing finds nothing; search is scoped to its network', async () => {
    expect(await search('zzzonbekendwoord')).toEqual([]);
    const other = await tipRepo(database.db).search('00000000-0000-4000-8000-000000000000', net, {
      words: 'netwerk',
      tags: [],
      searchConfig: 'dutch',
      offset: 0,
      limit: 11,
    });
    expect(other).toEqual([]);
  });
});
