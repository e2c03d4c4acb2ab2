import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseClockTime, parseSetting, SETTING_KEYS } from '../../src/core/networks/settings-keys.js';
import { defaultSettings, NUDGE_KINDS } from '../../src/core/types.js';

const current = defaultSettings('nl', 'Europe/Amsterdam', 'Test');

const VALID: Record<string, Array<[string, object]>> = {
  purpose: [['Samen leren over dementiezorg', { purpose: 'Samen leren over dementiezorg' }]],
  locale: [
    ['en', { locale: 'en' }],
    ['NL', { locale: 'nl' }],
  ],
  timezone: [
    ['Europe/London', { timezone: 'Europe/London' }],
    ['america/new_york', { timezone: 'America/New_York' }],
  ],
  cadence: [
    ['weekly', { cadence: 'weekly' }],
    ['tweewekelijks', { cadence: 'biweekly' }],
    ['Monthly', { cadence: 'monthly' }],
    ['uit', { cadence: 'off' }],
  ],
  day: [
    ['wed', { day: 'wed' }],
    ['vr', { day: 'fri' }],
    ['Donderdag', { day: 'thu' }],
  ],
  time: [
    ['9:00', { time: '09:00' }],
    ['14.30', { time: '14:30' }],
    ['16u', { time: '16:00' }],
  ],
  'group-size': [
    ['2', { groupSize: 2 }],
    ['6', { groupSize: 6 }],
  ],
  pool: [
    ['opt-in', { pool: 'opt-in' }],
    ['kanaal', { pool: 'channel' }],
  ],
  rhythm: [
    ['1', { rhythmWeeks: 1 }],
    ['26', { rhythmWeeks: 26 }],
    ['6 weken', { rhythmWeeks: 6 }],
  ],
  digest: [
    ['off', { digest: 'off' }],
    ['ma', { digest: 'mon' }],
  ],
  'quiet-hours': [
    ['08:00-18:00', { quietHours: { start: '08:00', end: '18:00' } }],
    ['9 tot 17', { quietHours: { start: '09:00', end: '17:00' } }],
  ],
  'post-new-tips': [
    ['on', { postNewTips: true }],
    ['uit', { postNewTips: false }],
  ],
  'share-notes': [
    ['off', { shareNotes: false }],
    ['aan', { shareNotes: true }],
  ],
  nudge: [
    ['digest off', { nudges: { ...current.nudges, digest: false } }],
    ['rhythm aan', { nudges: { ...current.nudges, rhythm: true } }],
  ],
};

const INVALID: Record<string, string[]> = {
  purpose: ['x'.repeat(501)],
  locale: ['de', 'nederlands'],
  timezone: ['Mars/Olympus', 'CET+25'],
  cadence: ['daily', 'twice'],
  day: ['sat', 'zondag', 'za'],
  time: ['25:00', '9:75', 'noon'],
  'group-size': ['1', '7', 'two', '2.5'],
  pool: ['everyone', 'nobody'],
  rhythm: ['0', '27', 'often'],
  digest: ['sun', 'daily'],
  'quiet-hours': ['18:00-08:00', '08:00', '8-25'],
  'post-new-tips': ['maybe'],
  'share-notes': ['2'],
  nudge: ['pairing', 'teleport on', 'digest maybe', 'digest on extra'],
};

describe('settings keys', () => {
  it('covers every key of product.md', () => {
    expect(Object.keys(VALID).sort()).toEqual([...SETTING_KEYS].sort());
    expect(Object.keys(INVALID).sort()).toEqual([...SETTING_KEYS].sort());
  });

  for (const key of SETTING_KEYS) {
    it(`${key}: accepts its valid values`, () => {
      for (const [value, patch] of VALID[key] ?? []) {
        const r = parseSetting(key, value, current);
        expect(r, `${key} ${value}`).toMatchObject({ ok: true, key, patch });
      }
    });
    it(`${key}: rejects others and names the value`, () => {
      for (const value of INVALID[key] ?? []) {
        expect(parseSetting(key, value, current), `${key} ${value}`).toEqual({
          ok: false,
          error: 'invalid',
          key,
          value,
        });
      }
      expect(parseSetting(key, '  ', current)).toMatchObject({ ok: false, error: 'missing_value', key });
    });
  }

  it('every nudge kind can be switched', () => {
    for (const kind of NUDGE_KINDS) {
      const r = parseSetting('nudge', `${kind} off`, current);
      expect(r.ok && r.patch.nudges?.[kind]).toBe(false);
    }
  });

  it('unknown keys are named back; Dutch key names work', () => {
    expect(parseSetting('colour', 'blue', current)).toEqual({ ok: false, error: 'unknown_key', key: 'colour' });
    expect(parseSetting('taal', 'en', current)).toMatchObject({ ok: true, key: 'locale' });
    expect(parseSetting('Group_Size', '3', current)).toMatchObject({ ok: true, key: 'group-size' });
  });

  it('any HH:MM round-trips through parseClockTime', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), (h, m) => {
        const text = `${h}:${String(m).padStart(2, '0')}`;
        expect(parseClockTime(text)).toBe(`${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
      }),
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SETTING_KEYS, 'x'), fc.string(), (key, value) => {
        const r = parseSetting(key, value, current);
        expect(typeof r.ok).toBe('boolean');
      }),
    );
  });
});
