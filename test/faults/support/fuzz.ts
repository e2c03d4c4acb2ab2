/**
 * Shared pieces of the fuzz tests: command-like text, mutations of recorded payloads, and the
 * check that nothing a person sees looks like an internal error.
 */
import fc from 'fast-check';
import { SETTING_KEYS } from '../../../src/core/networks/settings-keys.js';

type Obj = Record<string, unknown>;

/** Words of Klik's grammar (both languages), so generated text reaches the argument parsers. */
export const VOCABULARY = [
  'help',
  'hulp',
  'setup',
  'start',
  'settings',
  'instellingen',
  'coordinator',
  'add',
  'remove',
  'toevoegen',
  'verwijderen',
  'org',
  'organisatie',
  'organisaties',
  'list',
  'profile',
  'profiel',
  'join',
  'doe-mee',
  'leave',
  'stop',
  'pause',
  'pauze',
  'resume',
  'hervat',
  'pair',
  'now',
  'koppel',
  'nu',
  'skip',
  'round',
  'sla',
  'over',
  'network',
  'pauzeer',
  'netwerk',
  'tip',
  'tips',
  'ask',
  'vraag',
  'poll',
  'prikker',
  'stats',
  'statistiek',
  'dashboard',
  'export',
  'exporteer',
  'my-data',
  'mijn-gegevens',
  'forget-me',
  'vergeet-mij',
  'avoid',
  'niet-met',
  ...SETTING_KEYS,
  'on',
  'off',
  'aan',
  'uit',
  'nl',
  'en',
  'weekly',
  'biweekly',
  'monthly',
  'mon',
  'fri',
  'Europe/Amsterdam',
  'Mars/Olympus',
  '09:00',
  '25:61',
  '08:00-18:00',
  '2w',
  '2 weken',
  '3 dagen',
  '31-12-2026',
  '31 dec',
  '29-02-2027',
  '2026-12-31',
  '0',
  '-1',
  '7',
  '99999999999',
  '#tag',
  '#',
  '@',
  '<@U123>',
  '<@U0KLIK|anna>',
  '<#C123|kanaal>',
  '"',
  '“',
  '”',
  '‘',
  '’',
  '«',
  '»',
  '\u200B',
  '\u00A0',
  '\t',
  '\n',
  '💡',
  'Ünïcödé',
  '../../etc/passwd',
  "'; drop table tips; --",
  '$' + '{x}',
  '%s%n',
  '\\',
  'NaN',
  'Infinity',
  '__proto__',
  'constructor',
];

/** Text that looks like a command: grammar words and random bits, in any order. */
export const commandText: fc.Arbitrary<string> = fc.oneof(
  fc
    .array(fc.oneof(fc.constantFrom(...VOCABULARY), fc.string({ maxLength: 12 })), { maxLength: 8 })
    .map((words) => words.join(' ')),
  fc.string({ maxLength: 200, unit: 'grapheme' }),
  fc.string({ maxLength: 60, unit: 'binary' }),
);

/** Patterns of internal errors that must never reach a person. */
const LEAKS = [
  /\bat .+:\d+:\d+\)?/, // a stack frame
  /\b(?:Type|Reference|Range|Syntax)Error\b/,
  /\[object Object\]/,
  /\bundefined\b/,
  /\bnull\b/,
  /\bNaN\b/,
  /DrizzleQueryError|PGlite|node_modules|ECONN|duplicate key|violates|relation ".+"/i,
  /Internal Server Error/i,
];

/**
 * The leaks in a text a person sees, if any. `input` is what the person typed: Klik may echo it
 * (an unknown command is quoted back), so words that came from the input itself do not count.
 */
export function leaksIn(text: string, input = ''): string[] {
  return LEAKS.filter((re) => {
    const m = text.match(re);
    return m !== null && !input.includes(m[0]);
  }).map(String);
}

/** Every string value of a JSON value, deep. */
export function stringsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsOf(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) stringsOf(v, out);
  return out;
}

const leafValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.constantFrom(...VOCABULARY),
);

type Mutation = { path: number; kind: 'replace' | 'delete' | 'wrap' | 'huge'; value: unknown; size: number };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  path: fc.nat(),
  kind: fc.constantFrom('replace', 'replace', 'delete', 'wrap', 'huge'),
  value: leafValue,
  size: fc.integer({ min: 1_000, max: 200_000 }),
});

/** All [parent, key] positions in a JSON tree. */
function positions(value: unknown, out: Array<[Obj | unknown[], string | number]> = []) {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push([value, i]);
      positions(v, out);
    });
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Obj)) {
      out.push([value as Obj, k]);
      positions(v, out);
    }
  }
  return out;
}

/** A deep copy of `base` with a few fields replaced, deleted, wrapped in an array or made huge. */
export function mutated(base: unknown): fc.Arbitrary<unknown> {
  return fc.array(mutation, { minLength: 1, maxLength: 4 }).map((ms) => {
    const copy = structuredClone(base);
    for (const m of ms) {
      const all = positions(copy);
      if (all.length === 0) break;
      const [parent, key] = all[m.path % all.length] as [Obj & unknown[], string & number];
      if (m.kind === 'delete') {
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key];
      } else if (m.kind === 'wrap') parent[key] = [parent[key]];
      else if (m.kind === 'huge') parent[key] = 'x'.repeat(m.size);
      else parent[key] = m.value;
    }
    return copy;
  });
}

/** Any JSON value, nested a little. */
export const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 4 });
