/**
 * Settings through the whole local stack: every key accepts a valid value and refuses a wrong one
 * with a clear message, in Dutch and in English; only coordinators may change them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/inputs.js';
import { SETTING_KEYS } from '../../src/core/networks/settings-keys.js';
import { bootLocalStack, type LocalStack, textOf } from '../support/local-stack.js';

const VALID: Record<(typeof SETTING_KEYS)[number], string> = {
  purpose: 'Samen leren over valpreventie',
  locale: 'nl',
  timezone: 'Europe/Brussels',
  cadence: 'weekly',
  day: 'wo',
  time: '10:30',
  'group-size': '3',
  pool: 'opt-in',
  rhythm: '8',
  digest: 'vr',
  'quiet-hours': '09:00-17:00',
  'post-new-tips': 'uit',
  'share-notes': 'aan',
  nudge: 'digest uit',
};

const INVALID: Record<(typeof SETTING_KEYS)[number], string> = {
  purpose: 'x'.repeat(501),
  locale: 'fr',
  timezone: 'Atlantis/Capital',
  cadence: 'daily',
  day: 'zondag',
  time: '25:61',
  'group-size': '9',
  pool: 'niemand',
  rhythm: '52',
  digest: 'zo',
  'quiet-hours': '18:00-08:00',
  'post-new-tips': 'misschien',
  'share-notes': 'soms',
  nudge: 'teleport on',
};

const text = (r: Reply) => (r.kind === 'message' || r.kind === 'update' ? textOf(r.message) : `<${r.kind}>`);

describe('settings in nl and en', () => {
  let s: LocalStack;
  const channel = 'C-netwerk';
  beforeAll(async () => {
    s = await bootLocalStack({
      seed: (ws) => {
        ws.addUser({ id: 'U-nl', displayName: 'Marieke de Boer', locale: 'nl-NL' });
        ws.addUser({ id: 'U-en', displayName: 'Priya Ramdin', locale: 'en-GB' });
        ws.addUser({ id: 'U-member', displayName: 'Kees van Dijk', locale: 'nl-NL' });
        ws.addChannel({ id: channel, name: 'netwerk', memberIds: ['U-nl', 'U-en', 'U-member'], botInChannel: true });
      },
    });
    const preview = await s.adapter.command('U-nl', channel, 'setup');
    const id = preview.kind === 'message' ? preview.message.blocks.find((b) => b.type === 'actions') : undefined;
    const confirm =
      id?.type === 'actions'
        ? id.elements.find((e) => e.type === 'button' && e.actionId === 'setup.confirm')
        : undefined;
    if (confirm?.type !== 'button') throw new Error('no confirm button');
    const messageId = s.workspace.listEphemerals('U-nl', channel).at(-1)?.id ?? '';
    await s.adapter.click('U-nl', messageId, confirm.actionId, confirm.value);
    await s.adapter.command('U-nl', channel, 'coordinator add <@U-en|Priya>');
  });
  afterAll(async () => {
    await s?.close();
  });

  for (const key of SETTING_KEYS) {
    it(`${key}: a Dutch coordinator is told clearly what is wrong, and the valid value is saved`, async () => {
      const bad = text(await s.adapter.command('U-nl', channel, `instellingen ${key} ${INVALID[key]}`));
      expect(bad).toContain(`past niet bij ${key}`);
      expect(bad).toContain('Mogelijk:');
      const good = text(await s.adapter.command('U-nl', channel, `instellingen ${key} ${VALID[key]}`));
      expect(good).toMatch(/^Gelukt: /);
    });

    it(`${key}: an English coordinator gets the same in English`, async () => {
      const bad = text(await s.adapter.command('U-en', channel, `settings ${key} ${INVALID[key]}`));
      expect(bad).toContain(`is not a valid value for ${key}`);
      expect(bad).toContain('Allowed:');
      const missing = text(await s.adapter.command('U-en', channel, `settings ${key}`));
      expect(missing).toContain(`Which value for ${key}?`);
    });
  }

  it('shows every setting and the values just saved', async () => {
    const shown = text(await s.adapter.command('U-nl', channel, 'instellingen'));
    for (const key of SETTING_KEYS) expect(shown).toContain(`(${key})`);
    expect(shown).toContain('Samen leren over valpreventie');
    expect(shown).toContain('09:00-17:00');
  });

  it('an unknown key lists the keys; a member who is not a coordinator changes nothing', async () => {
    expect(text(await s.adapter.command('U-nl', channel, 'instellingen kleur blauw'))).toContain(
      'Kies uit: purpose, locale',
    );
    expect(text(await s.adapter.command('U-member', channel, 'instellingen time 07:00'))).toContain(
      'Alleen een coördinator',
    );
    expect(text(await s.adapter.command('U-nl', channel, 'instellingen'))).not.toContain('07:00');
  });
});
