/**
 * Scans every text-like column (text, varchar, jsonb, json, arrays, tsvector) of every table in the
 * public schema for needles, case-insensitively: what forget-me tests use to prove nothing is left.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';

export interface ScanHit {
  table: string;
  column: string;
  needle: string;
}

const rowsOf = <T>(result: unknown): T[] => ((result as { rows?: T[] }).rows ?? []) as T[];

export async function scanColumns(database: Pick<Database, 'db'>, needles: string[]): Promise<ScanHit[]> {
  const columns = rowsOf<{ table_name: string; column_name: string }>(
    await database.db.execute(sql`
      select c.table_name, c.column_name from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
        and c.data_type in ('text', 'character varying', 'jsonb', 'json', 'ARRAY', 'tsvector')`),
  );
  if (columns.length < 30) throw new Error(`only ${columns.length} text-like columns found: is the schema there?`);
  const hits: ScanHit[] = [];
  for (const { table_name, column_name } of columns) {
    const col = sql`${sql.identifier(column_name)}::text`;
    const checks = needles.map(
      (needle, i) => sql`bool_or(${col} ilike ${`%${needle}%`}) as ${sql.identifier(`n${i}`)}`,
    );
    const [row] = rowsOf<Record<string, unknown>>(
      await database.db.execute(sql`select ${sql.join(checks, sql`, `)} from ${sql.identifier(table_name)}`),
    );
    needles.forEach((needle, i) => {
      const hit = row?.[`n${i}`];
      if (hit === true || hit === 't') hits.push({ table: table_name, column: column_name, needle });
    });
  }
  return hits;
}
