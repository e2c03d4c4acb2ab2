/**
 * The Teams app package: the filled manifest validates against Microsoft's published schema
 * (v1.17, copied from the @microsoft/app-manifest npm package), lists Klik's commands, and the zip
 * holds the manifest and two PNG icons of the sizes Teams requires.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { fillManifest, MANIFEST_DIR, packageApp } from '../../adapters/teams/manifest/fill.js';

type Validate = ((data: unknown) => boolean) & { errors?: unknown };
const require = createRequire(import.meta.url);
const Ajv = require('ajv-draft-04') as new (o: object) => { compile(schema: object): Validate };
const addFormats = require('ajv-formats') as (ajv: object) => void;

const schema = JSON.parse(readFileSync(join(MANIFEST_DIR, 'schema/MicrosoftTeams.v1.17.schema.json'), 'utf8'));
const values = { appId: '11111111-2222-3333-4444-555555555555', domain: 'klik.example.nl' };

const pngSize = (b: Uint8Array) => {
  const v = new DataView(b.buffer, b.byteOffset);
  return { width: v.getUint32(16), height: v.getUint32(20), signature: Buffer.from(b.slice(1, 4)).toString() };
};

describe('teams app manifest', () => {
  it('validates against the published schema', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const manifest = fillManifest(values);
    expect(validate(manifest), JSON.stringify(validate.errors)).toBe(true);
    // The check works: a manifest missing its bot id fails.
    const broken = structuredClone(manifest) as { bots: Array<Record<string, unknown>> };
    delete broken.bots[0]?.botId;
    expect(validate(broken)).toBe(false);
  });

  it('lists the commands and names the bot and domain', () => {
    const m = fillManifest(values) as {
      bots: Array<{ botId: string; commandLists: Array<{ commands: Array<{ title: string }> }> }>;
      validDomains: string[];
    };
    expect(m.bots[0]?.botId).toBe(values.appId);
    expect(m.bots[0]?.commandLists[0]?.commands.map((c) => c.title)).toEqual(
      expect.arrayContaining(['help', 'setup', 'pair now']),
    );
    expect(m.validDomains).toEqual(['klik.example.nl']);
    expect(() => fillManifest({ ...values, appId: 'not-a-guid' })).toThrow(/GUID/);
  });

  it('packs manifest.json, a 192×192 color icon and a 32×32 outline icon', () => {
    const files = unzipSync(packageApp(values));
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(pngSize(files['color.png'] as Uint8Array)).toEqual({ width: 192, height: 192, signature: 'PNG' });
    expect(pngSize(files['outline.png'] as Uint8Array)).toEqual({ width: 32, height: 32, signature: 'PNG' });
  });
});
