/** src/core must stay platform-free: no adapters, no db, no Bolt, no botbuilder, no drizzle. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? tsFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

/** Every module specifier a file imports or re-exports, static or dynamic. */
function importsOf(source: string): string[] {
  const specs: string[] = [];
  const patterns = [
    /\bimport\s+(?:type\s+)?(?:[\w*{}\s,]+\s+from\s+)?['"]([^'"]+)['"]/g,
    /\bexport\s+(?:type\s+)?[\w*{}\s,]*\s+from\s+['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) if (m[1]) specs.push(m[1]);
  return specs;
}

const FORBIDDEN_PACKAGES = [
  /^@slack\//,
  /^botbuilder/,
  /^botframework-/,
  /^drizzle-orm/,
  /^drizzle-kit/,
  /^pg$/,
  /^@electric-sql\//,
  /^express$/,
];

function violation(file: string, spec: string): string | null {
  if (FORBIDDEN_PACKAGES.some((re) => re.test(spec))) return `${spec} (a platform or database package)`;
  if (spec.startsWith('.')) {
    const target = relative(root, resolve(join(file, '..'), spec));
    if (/^(adapters|db)(\/|$)/.test(target)) return `${target} (outside the core)`;
    if (!/^src\/(core|messages)(\/|$)/.test(target))
      return `${target} (the core may import only src/core and src/messages)`;
  }
  return null;
}

describe('core boundary', () => {
  it('src/core imports no adapter, database, Bolt, botbuilder or drizzle', () => {
    const problems: string[] = [];
    for (const file of [...tsFiles(join(root, 'src/core')), ...tsFiles(join(root, 'src/messages'))]) {
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        const v = violation(file, spec);
        if (v) problems.push(`${relative(root, file)} imports ${v}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('catches each kind of forbidden import (the check itself works)', () => {
    const file = join(root, 'src/core/example.ts');
    const src = [
      "import { App } from '@slack/bolt';",
      "import type { TurnContext } from 'botbuilder';",
      "import { eq } from 'drizzle-orm';",
      "import { createStore } from '../../db/store.js';",
      "export { LocalPlatform } from '../../adapters/local/platform.js';",
      "const m = await import('../http/server.js');",
    ].join('\n');
    const found = importsOf(src).map((s) => violation(file, s));
    expect(found.every((v) => v !== null)).toBe(true);
    expect(importsOf(src)).toHaveLength(6);
    expect(violation(file, './types.js')).toBeNull();
    expect(violation(file, '../messages/model.js')).toBeNull();
    expect(violation(file, 'luxon')).toBeNull();
  });

  it('botbuilder stays inside adapters/teams', () => {
    const problems: string[] = [];
    for (const dir of ['src', 'db', 'adapters/slack', 'adapters/local']) {
      for (const file of tsFiles(join(root, dir))) {
        for (const spec of importsOf(readFileSync(file, 'utf8'))) {
          if (/^(botbuilder|botframework-)/.test(spec)) problems.push(`${relative(root, file)} imports ${spec}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
