/**
 * `npm run teams:package`: fills the Teams manifest template and writes dist/klik-teams.zip.
 * App id from `--app-id` or MICROSOFT_APP_ID; domain from `--domain`, else PUBLIC_URL's host.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { domainOf, packageApp } from '../adapters/teams/manifest/fill.js';

const { values } = parseArgs({
  options: { 'app-id': { type: 'string' }, domain: { type: 'string' }, out: { type: 'string' } },
});
const appId = values['app-id'] ?? process.env.MICROSOFT_APP_ID ?? '';
const publicUrl = process.env.PUBLIC_URL;
const domain = values.domain ?? (publicUrl ? domainOf(publicUrl) : '');
if (!appId || !domain) {
  console.error('usage: npm run teams:package -- --app-id <MICROSOFT_APP_ID> --domain <klik.example.nl>');
  console.error('       (or set MICROSOFT_APP_ID and PUBLIC_URL)');
  process.exit(2);
}
try {
  const zip = packageApp({ appId, domain });
  const out = values.out ?? join(import.meta.dirname, '../dist/klik-teams.zip');
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(out, zip);
  console.log(`wrote ${out} (${zip.length} bytes): upload it in Teams admin center → Manage apps`);
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
