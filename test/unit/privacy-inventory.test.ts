/**
 * PRIVACY.md's data inventory covers the schema: every table in db/schema.ts has a section
 * (`### \`table\``) and every one of its columns is named in that section.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import * as schema from '../../db/schema.js';

const root = resolve(import.meta.dirname, '../..');
const privacy = readFileSync(resolve(root, 'PRIVACY.md'), 'utf8');

const tables = (Object.values(schema) as unknown[])
  .filter((value): value is PgTable => is(value, PgTable))
  .map((table) => getTableConfig(table));

/** The text of a table's section: from its heading to the next heading. */
function sectionOf(table: string): string | null {
  const heading = `### \`${table}\``;
  const start = privacy.indexOf(`\n${heading}\n`);
  if (start < 0) return null;
  const next = privacy.indexOf('\n#', start + heading.length + 2);
  return privacy.slice(start, next < 0 ? undefined : next);
}

describe('PRIVACY.md data inventory', () => {
  it('reads the tables from the schema', () => {
    expect(tables.length).toBeGreaterThanOrEqual(25);
    expect(tables.map((t) => t.name)).toContain('forgotten_members');
  });

  it.each(tables.map((t) => [t.name, t.columns.map((c) => c.name)] as const))(
    '%s has a section naming each of its columns',
    (table, columns) => {
      const section = sectionOf(table);
      expect(section, `PRIVACY.md has no "### \`${table}\`" section`).not.toBeNull();
      const missing = columns.filter((c) => !section!.includes(`\`${c}\``));
      expect(missing, `columns of ${table} missing from PRIVACY.md`).toEqual([]);
    },
  );
});
