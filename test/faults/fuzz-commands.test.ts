/**
 * Fault suite: fuzzing the command grammar (src/core/commands/parse.ts). Whatever a person types,
 * the parser answers (never throws), and its answer is well-formed: a known command, or a failure
 * with a reason the core turns into a short usage line. Typing quirks (capitals, curly quotes,
 * extra spaces, a leading `/klik`) never change the result.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/core/commands/parse.js';
import { commandText } from './support/fuzz.js';

const today = { year: 2026, month: 3, day: 3 };
const REASONS = new Set(['empty', 'unknown', 'malformed']);

describe('the command grammar under fuzzing', () => {
  it('answers every input with a command or a known failure, never a throw', () => {
    fc.assert(
      fc.property(commandText, (text) => {
        const result = parseCommand(text, { today });
        if (result.ok) expect(typeof result.command.name).toBe('string');
        else {
          expect(REASONS.has(result.reason)).toBe(true);
          if (result.reason === 'unknown') expect((result.input ?? '').length).toBeLessThanOrEqual(64);
        }
        expect(() => JSON.stringify(result)).not.toThrow();
      }),
      { numRuns: 3_000 },
    );
  });

  it('handles very long input (up to 1 MiB) without a throw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10_000, max: 1_048_576 }),
        fc.constantFrom('tip ', 'tips ', 'poll "', 'x', ' '),
        (n, head) => {
          const result = parseCommand(head + 'a b '.repeat(Math.floor(n / 4)), { today });
          expect(result.ok === true || REASONS.has(result.reason)).toBe(true);
        },
      ),
      { numRuns: 8 },
    );
  });

  it('is not changed by capitals of the verb, curly quotes, spacing or a leading /klik', () => {
    const verbs = ['help', 'hulp', 'tips', 'join', 'doe-mee', 'resume', 'hervat', 'org list', 'organisaties'];
    fc.assert(
      fc.property(
        fc.constantFrom(...verbs),
        fc.constantFrom('', '/klik ', 'klik ', '@klik '),
        fc.constantFrom(' ', '  ', '\u00A0', '\t'),
        fc.boolean(),
        (verb, prefix, space, upper) => {
          const plain = parseCommand(verb, { today });
          const typed = `${prefix}${space}${(upper ? verb.toUpperCase() : verb).split(' ').join(space)}${space}`;
          expect(parseCommand(typed, { today })).toEqual(plain);
        },
      ),
      { numRuns: 300 },
    );
  });
});
