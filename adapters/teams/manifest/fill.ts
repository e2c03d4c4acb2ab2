/**
 * Fills the Teams app manifest template (manifest.json beside this file) with the bot's app id and
 * Klik's public domain, and packs the app: manifest.json plus the two icons, zipped (fflate).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';

export const MANIFEST_DIR = import.meta.dirname;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^[a-z0-9.-]+(:\d+)?$/i;

export interface ManifestValues {
  /** MICROSOFT_APP_ID: the Azure bot's app (client) id. */
  appId: string;
  /** Where Teams reaches Klik, without scheme: "klik.example.nl". */
  domain: string;
}

/** The domain of a PUBLIC_URL ("https://klik.example.nl/" → "klik.example.nl"). */
export const domainOf = (publicUrl: string): string => new URL(publicUrl).host;

export function fillManifest(
  values: ManifestValues,
  template = readFileSync(join(MANIFEST_DIR, 'manifest.json'), 'utf8'),
) {
  if (!GUID.test(values.appId)) throw new Error('the app id must be a GUID (MICROSOFT_APP_ID)');
  if (!DOMAIN.test(values.domain)) throw new Error('the domain must be a host name such as klik.example.nl');
  const filled = template.replaceAll('{{MICROSOFT_APP_ID}}', values.appId).replaceAll('{{KLIK_DOMAIN}}', values.domain);
  return JSON.parse(filled) as Record<string, unknown>;
}

/** The app package Teams admins upload: manifest.json, color.png, outline.png at the zip's root. */
export function packageApp(values: ManifestValues): Uint8Array {
  const manifest = fillManifest(values);
  return zipSync({
    'manifest.json': new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`),
    'color.png': readFileSync(join(MANIFEST_DIR, 'color.png')),
    'outline.png': readFileSync(join(MANIFEST_DIR, 'outline.png')),
  });
}
