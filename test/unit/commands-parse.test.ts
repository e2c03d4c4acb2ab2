import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lookupCommand, normaliseCommandText, parseCommand, tokenise } from '../../src/core/commands/parse.js';
import type { ParsedCommand, ParseResult } from '../../src/core/commands/types.js';

/** Monday 15 June 2026. */
const TODAY = { year: 2026, month: 6, day: 15 };
const parse = (text: string): ParseResult => parseCommand(text, { today: TODAY });
const okWith = (command: ParsedCommand): ParseResult => ({ ok: true, command });
const malformed = (command: ParsedCommand['name'], detail: string): ParseResult => ({
  ok: false,
  reason: 'malformed',
  command,
  detail,
});

const COMMAND_NAMES = [
  'help',
  'setup',
  'settings',
  'coordinator',
  'org',
  'profile',
  'join',
  'leave',
  'pause',
  'resume',
  'pair-now',
  'skip-round',
  'pause-network',
  'tip',
  'tips',
  'ask',
  'poll',
  'stats',
  'dashboard',
  'export',
  'my-data',
  'forget-me',
];

describe('verbs without arguments, in English and Dutch', () => {
  it.each([
    ['help', { name: 'help' }],
    ['hulp', { name: 'help' }],
    ['setup', { name: 'setup' }],
    ['start', { name: 'setup' }],
    ['settings', { name: 'settings' }],
    ['instellingen', { name: 'settings' }],
    ['profile', { name: 'profile' }],
    ['profiel', { name: 'profile' }],
    ['join', { name: 'join' }],
    ['doe-mee', { name: 'join' }],
    ['doe mee', { name: 'join' }],
    ['leave', { name: 'leave' }],
    ['stop', { name: 'leave' }],
    ['resume', { name: 'resume' }],
    ['hervat', { name: 'resume' }],
    ['pair now', { name: 'pair-now' }],
    ['koppel nu', { name: 'pair-now' }],
    ['skip round', { name: 'skip-round' }],
    ['sla over', { name: 'skip-round' }],
    ['stats', { name: 'stats' }],
    ['statistiek', { name: 'stats' }],
    ['dashboard', { name: 'dashboard' }],
    ['export', { name: 'export' }],
    ['exporteer', { name: 'export' }],
    ['my-data', { name: 'my-data' }],
    ['mijn-gegevens', { name: 'my-data' }],
    ['my data', { name: 'my-data' }],
    ['mijn gegevens', { name: 'my-data' }],
    ['forget-me', { name: 'forget-me' }],
    ['vergeet-mij', { name: 'forget-me' }],
    ['forget me', { name: 'forget-me' }],
    ['vergeet mij', { name: 'forget-me' }],
    ['org list', { name: 'org', op: 'list' }],
    ['organisaties', { name: 'org', op: 'list' }],
    ['orgs', { name: 'org', op: 'list' }],
    ['poll', { name: 'poll', options: [] }],
    ['prikker', { name: 'poll', options: [] }],
    ['tips', { name: 'tips', query: '' }],
  ] as Array<[string, ParsedCommand]>)('%s', (text, command) => {
    expect(parse(text)).toEqual(okWith(command));
  });

  it('returns a fresh object each time, so a caller mutating one cannot change the next parse', () => {
    const first = parse('stats');
    if (first.ok) Object.assign(first.command, { name: 'export' });
    expect(parse('stats')).toEqual(okWith({ name: 'stats' }));
  });

  it('ignores extra words after a verb that takes none', () => {
    expect(parse('stats please')).toEqual(okWith({ name: 'stats' }));
    expect(parse('join now')).toEqual(okWith({ name: 'join' }));
  });
});

describe('normalising', () => {
  it('treats empty or blank input as empty', () => {
    for (const text of ['', '   ', '\u00A0\t\n', '/klik', 'klik', '@Klik', '  /KLIK  ', '\u200B']) {
      expect(parse(text), JSON.stringify(text)).toEqual({ ok: false, reason: 'empty' });
    }
  });

  it('drops a leading /klik, klik or @klik word', () => {
    expect(parse('/klik help')).toEqual(okWith({ name: 'help' }));
    expect(parse('klik stats')).toEqual(okWith({ name: 'stats' }));
    expect(parse('@Klik tip Bel eerst')).toEqual(okWith({ name: 'tip', text: 'Bel eerst' }));
    expect(parse('@klik: hulp')).toEqual(okWith({ name: 'help' }));
    expect(parse('klikken')).toEqual({ ok: false, reason: 'unknown', input: 'klikken' });
  });

  it('accepts capitals, extra spaces, tabs and non-breaking spaces', () => {
    expect(parse('  HULP  ')).toEqual(okWith({ name: 'help' }));
    expect(parse('Koppel   NU')).toEqual(okWith({ name: 'pair-now' }));
    expect(parse('Pauzeer\u00A0Netwerk\t2\u202Fweken')).toEqual(
      okWith({ name: 'pause-network', until: { kind: 'duration', days: 14 } }),
    );
    expect(parse('Vergeet   Mij')).toEqual(okWith({ name: 'forget-me' }));
  });

  it('tolerates accents and trailing punctuation on command words', () => {
    expect(parse('coördinator toevoegen <@U1>')).toEqual(okWith({ name: 'coordinator', op: 'add', userId: 'U1' }));
    expect(parse('help?')).toEqual(okWith({ name: 'help' }));
    expect(parse('tip: Bel eerst')).toEqual(okWith({ name: 'tip', text: 'Bel eerst' }));
  });

  it('straightens curly quotes from phone keyboards', () => {
    expect(normaliseCommandText('ask “a” „b” ‟c” «d» ‘e’ ‚f‛')).toBe('ask "a" "b" "c" "d" \'e\' \'f\'');
    expect(parse('ask “Wat werkt bij jullie?”')).toEqual(okWith({ name: 'ask', question: 'Wat werkt bij jullie?' }));
    expect(parse('vraag „Wat werkt bij jullie?”')).toEqual(okWith({ name: 'ask', question: 'Wat werkt bij jullie?' }));
    expect(parse('org add «Zorggroep Noord»')).toEqual(okWith({ name: 'org', op: 'add', orgName: 'Zorggroep Noord' }));
    expect(parse('poll ‘Bedrijfsbezoek Zuid’ 16 maart')).toEqual(
      okWith({ name: 'poll', title: 'Bedrijfsbezoek Zuid', options: ['16 maart'] }),
    );
  });
});

describe('tokenise', () => {
  it('keeps quoted text together and lets an unmatched quote run to the end', () => {
    expect(tokenise('a "b c" d').map((t) => [t.value, t.quoted])).toEqual([
      ['a', false],
      ['b c', true],
      ['d', false],
    ]);
    expect(tokenise('a "b c d').map((t) => t.value)).toEqual(['a', 'b c d']);
    expect(tokenise('"" x').map((t) => t.value)).toEqual(['', 'x']);
  });

  it("treats apostrophes inside and at the start of words as letters ('s avonds, auto's)", () => {
    expect(tokenise("'s avonds auto's wassen").map((t) => t.value)).toEqual(["'s", 'avonds', "auto's", 'wassen']);
    expect(tokenise("'a b' c").map((t) => t.value)).toEqual(['a b', 'c']);
  });

  it('records where each token starts', () => {
    expect(tokenise('ab "c d" e').map((t) => t.start)).toEqual([0, 3, 9]);
  });
});

describe('unknown and empty', () => {
  it('reports an unknown verb with the word typed', () => {
    expect(parse('xyz abc')).toEqual({ ok: false, reason: 'unknown', input: 'xyz' });
    expect(parse('Hallo daar')).toEqual({ ok: false, reason: 'unknown', input: 'Hallo' });
    expect(parse('/klik tipz x')).toEqual({ ok: false, reason: 'unknown', input: 'tipz' });
  });

  it('caps an echoed unknown word', () => {
    const result = parse('x'.repeat(500));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.input?.length).toBe(64);
  });
});

describe('help', () => {
  it('keeps the topic, in lower case', () => {
    expect(parse('help poll')).toEqual(okWith({ name: 'help', topic: 'poll' }));
    expect(parse('Hulp Prikker')).toEqual(okWith({ name: 'help', topic: 'prikker' }));
    expect(parse('help pair now')).toEqual(okWith({ name: 'help', topic: 'pair now' }));
  });

  it('lookupCommand resolves a topic in either language', () => {
    expect(lookupCommand('prikker')).toBe('poll');
    expect(lookupCommand('koppel nu')).toBe('pair-now');
    expect(lookupCommand('Vergeet Mij')).toBe('forget-me');
    expect(lookupCommand('pauzeer netwerk')).toBe('pause-network');
    expect(lookupCommand('pauze')).toBe('pause');
    expect(lookupCommand('blah')).toBeNull();
    expect(lookupCommand('tip extra')).toBeNull();
    expect(lookupCommand('')).toBeNull();
  });
});

describe('settings', () => {
  it('without arguments shows the settings', () => {
    expect(parse('instellingen')).toEqual(okWith({ name: 'settings' }));
  });

  it('lower-cases the key and keeps the value as typed', () => {
    expect(parse('settings Cadence weekly')).toEqual(okWith({ name: 'settings', key: 'cadence', value: 'weekly' }));
    expect(parse('instellingen purpose Samen   leren van Elkaar')).toEqual(
      okWith({ name: 'settings', key: 'purpose', value: 'Samen leren van Elkaar' }),
    );
    expect(parse('settings purpose “Samen leren”')).toEqual(
      okWith({ name: 'settings', key: 'purpose', value: 'Samen leren' }),
    );
    expect(parse('settings timezone Europe/Amsterdam')).toEqual(
      okWith({ name: 'settings', key: 'timezone', value: 'Europe/Amsterdam' }),
    );
    expect(parse('settings nudge digest off')).toEqual(okWith({ name: 'settings', key: 'nudge', value: 'digest off' }));
  });

  it('a key without a value is passed on without one', () => {
    expect(parse('settings api-token')).toEqual(okWith({ name: 'settings', key: 'api-token' }));
  });
});

describe('coordinator', () => {
  it.each([
    ['coordinator add <@U123>', 'add', 'U123'],
    ['coordinator add <@U123|anna>', 'add', 'U123'],
    ['coordinator toevoegen <@W9ABC|Anna de Vries>', 'add', 'W9ABC'],
    ['Coordinator Remove <@U123>', 'remove', 'U123'],
    ['coordinator verwijderen <@U123|anna>', 'remove', 'U123'],
    ['coordinator add please <@29:1a-B_c>', 'add', '29:1a-B_c'],
  ] as const)('%s', (text, op, userId) => {
    expect(parse(text)).toEqual(okWith({ name: 'coordinator', op, userId }));
  });

  it('without a mention is missing_user', () => {
    expect(parse('coordinator add')).toEqual(malformed('coordinator', 'missing_user'));
    expect(parse('coordinator toevoegen @anna')).toEqual(malformed('coordinator', 'missing_user'));
    expect(parse('coordinator remove <@>')).toEqual(malformed('coordinator', 'missing_user'));
  });

  it('without a known operation is bad_subcommand', () => {
    expect(parse('coordinator')).toEqual(malformed('coordinator', 'bad_subcommand'));
    expect(parse('coordinator promote <@U1>')).toEqual(malformed('coordinator', 'bad_subcommand'));
  });

  it('any user id and display name in a mention yields the id', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z0-9][A-Za-z0-9:_-]{0,20}$/),
        fc.option(fc.stringMatching(/^[^>|]{0,20}$/)),
        (id, name) => {
          const mention = name === null ? `<@${id}>` : `<@${id}|${name}>`;
          expect(parse(`coordinator add ${mention}`)).toEqual(okWith({ name: 'coordinator', op: 'add', userId: id }));
        },
      ),
    );
  });
});

describe('org', () => {
  it.each([
    ['org add Zorggroep Noord', 'Zorggroep Noord'],
    ['org toevoegen Zorggroep Noord', 'Zorggroep Noord'],
    ['organisatie toevoegen  De   Zonnebloem ', 'De Zonnebloem'],
    ['organisatie add "De Zonnebloem"', 'De Zonnebloem'],
    ["ORG ADD Stichting O'Neill", "Stichting O'Neill"],
  ])('%s', (text, orgName) => {
    expect(parse(text)).toEqual(okWith({ name: 'org', op: 'add', orgName }));
  });

  it('lists with org list, org, organisaties', () => {
    for (const text of ['org list', 'org', 'organisaties', 'Organisaties', 'orgs']) {
      expect(parse(text), text).toEqual(okWith({ name: 'org', op: 'list' }));
    }
  });

  it('add without a name is missing_name; another subcommand is bad_subcommand', () => {
    expect(parse('org add')).toEqual(malformed('org', 'missing_name'));
    expect(parse('organisatie toevoegen ""')).toEqual(malformed('org', 'missing_name'));
    expect(parse('org rename X')).toEqual(malformed('org', 'bad_subcommand'));
  });
});

describe('pause, pause network', () => {
  it.each([
    ['pause 2w', { kind: 'duration', days: 14 }],
    ['pauze 2 weken', { kind: 'duration', days: 14 }],
    ['pauze 3 dagen', { kind: 'duration', days: 3 }],
    ['pause 1 month', { kind: 'duration', days: 30 }],
    ['pause 2026-12-31', { kind: 'date', date: { year: 2026, month: 12, day: 31 } }],
    ['pause 31-12-2026', { kind: 'date', date: { year: 2026, month: 12, day: 31 } }],
    ['pauze tot 31 dec', { kind: 'date', date: { year: 2026, month: 12, day: 31 } }],
    ['pauze 1 sept.', { kind: 'date', date: { year: 2026, month: 9, day: 1 } }],
    ['pause until 16 march', { kind: 'date', date: { year: 2027, month: 3, day: 16 } }],
  ] as const)('%s', (text, until) => {
    expect(parse(text)).toEqual(okWith({ name: 'pause', until }));
  });

  it.each([
    ['pause network 31-12-2026', { kind: 'date', date: { year: 2026, month: 12, day: 31 } }],
    ['pauzeer netwerk 2 weken', { kind: 'duration', days: 14 }],
    ['Pauzeer Netwerk tot 1 september', { kind: 'date', date: { year: 2026, month: 9, day: 1 } }],
    ['pause netwerk 6w', { kind: 'duration', days: 42 }],
  ] as const)('%s', (text, until) => {
    expect(parse(text)).toEqual(okWith({ name: 'pause-network', until }));
  });

  it('without a parsable end is bad_date', () => {
    expect(parse('pause')).toEqual(malformed('pause', 'bad_date'));
    expect(parse('pauze binnenkort')).toEqual(malformed('pause', 'bad_date'));
    expect(parse('pause 31-02-2027')).toEqual(malformed('pause', 'bad_date'));
    expect(parse('pause 0 dagen')).toEqual(malformed('pause', 'bad_date'));
    expect(parse('pause network')).toEqual(malformed('pause-network', 'bad_date'));
    expect(parse('pauzeer netwerk 2 jaar')).toEqual(malformed('pause-network', 'bad_date'));
  });
});

describe('pair now, skip round', () => {
  it('a bare pair, koppel, skip or sla is bad_subcommand, not an accidental round', () => {
    expect(parse('pair')).toEqual(malformed('pair-now', 'bad_subcommand'));
    expect(parse('koppel')).toEqual(malformed('pair-now', 'bad_subcommand'));
    expect(parse('pair later')).toEqual(malformed('pair-now', 'bad_subcommand'));
    expect(parse('skip')).toEqual(malformed('skip-round', 'bad_subcommand'));
    expect(parse('sla')).toEqual(malformed('skip-round', 'bad_subcommand'));
  });
});

describe('tip and tips', () => {
  it('keeps the text with its case and hashtags, spacing collapsed', () => {
    expect(parse('tip Bel   eerst, mail daarna #Communicatie #zorg')).toEqual(
      okWith({ name: 'tip', text: 'Bel eerst, mail daarna #Communicatie #zorg' }),
    );
    expect(parse('tip \'s Avonds "even" bellen')).toEqual(okWith({ name: 'tip', text: '\'s Avonds "even" bellen' }));
    expect(parse('tip “Eerst koffie”')).toEqual(okWith({ name: 'tip', text: 'Eerst koffie' }));
  });

  it('without text is missing_text', () => {
    expect(parse('tip')).toEqual(malformed('tip', 'missing_text'));
    expect(parse('tip    ')).toEqual(malformed('tip', 'missing_text'));
    expect(parse('tip ""')).toEqual(malformed('tip', 'missing_text'));
  });

  it('tips keeps the query', () => {
    expect(parse('tips #zorg')).toEqual(okWith({ name: 'tips', query: '#zorg' }));
    expect(parse('tips Samen  Leren')).toEqual(okWith({ name: 'tips', query: 'Samen Leren' }));
  });

  it('any tip text survives with its words and case', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[A-Za-z0-9#@!?.,:;()éëï-]{1,8}$/), { minLength: 1, maxLength: 10 }),
        fc.array(fc.constantFrom(' ', '  ', '\t', '\u00A0'), { minLength: 10, maxLength: 10 }),
        (words, gaps) => {
          const text = words.map((w, i) => `${w}${gaps[i] ?? ' '}`).join('');
          expect(parse(`tip ${text}`)).toEqual(okWith({ name: 'tip', text: words.join(' ') }));
        },
      ),
    );
  });
});

describe('ask', () => {
  it('takes a quoted question or the rest', () => {
    expect(parse('ask "Hoe houden jullie het contact warm?"')).toEqual(
      okWith({ name: 'ask', question: 'Hoe houden jullie het contact warm?' }),
    );
    expect(parse('vraag Hoe houden jullie het contact warm?')).toEqual(
      okWith({ name: 'ask', question: 'Hoe houden jullie het contact warm?' }),
    );
    expect(parse('ask "Wat werkt?')).toEqual(okWith({ name: 'ask', question: 'Wat werkt?' }));
  });

  it('without a question is missing_text', () => {
    expect(parse('ask')).toEqual(malformed('ask', 'missing_text'));
    expect(parse('vraag “”')).toEqual(malformed('ask', 'missing_text'));
  });
});

describe('poll', () => {
  it('takes a quoted title and groups date options', () => {
    expect(parse('poll "Bedrijfsbezoek Zuid" 16 maart 16 maart 14:00 31 dec 2026 9-3-2027 14:00')).toEqual(
      okWith({
        name: 'poll',
        title: 'Bedrijfsbezoek Zuid',
        options: ['16 maart', '16 maart 14:00', '31 dec 2026', '9-3-2027 14:00'],
      }),
    );
  });

  it('takes an unquoted first word as the title', () => {
    expect(parse('prikker Bedrijfsbezoek 2027-03-09T14:00 10-3-2027')).toEqual(
      okWith({ name: 'poll', title: 'Bedrijfsbezoek', options: ['2027-03-09T14:00', '10-3-2027'] }),
    );
  });

  it('keeps a title without options and stray tokens as options', () => {
    expect(parse('poll “Kerstborrel”')).toEqual(okWith({ name: 'poll', title: 'Kerstborrel', options: [] }));
    expect(parse('poll x 16 maart morgen')).toEqual(
      okWith({ name: 'poll', title: 'x', options: ['16 maart', 'morgen'] }),
    );
  });

  it('accepts quoted options', () => {
    expect(parse('poll “Visite” “16 maart 14:00” “17 maart”')).toEqual(
      okWith({ name: 'poll', title: 'Visite', options: ['16 maart 14:00', '17 maart'] }),
    );
  });
});

describe('properties', () => {
  it('never throws and always returns a well-formed result', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'grapheme', maxLength: 80 }),
          fc
            .tuple(
              fc.constantFrom('tip', 'poll', 'pause', 'settings', 'coordinator add', 'org add', 'ask', 'help'),
              fc.string({ maxLength: 60 }),
            )
            .map(([verb, rest]) => `${verb} ${rest}`),
        ),
        (text) => {
          const result = parse(text);
          if (result.ok) {
            expect(COMMAND_NAMES).toContain(result.command.name);
          } else {
            expect(['empty', 'unknown', 'malformed']).toContain(result.reason);
            if (result.reason === 'malformed') expect(COMMAND_NAMES).toContain(result.command);
            if (result.reason === 'unknown') expect(typeof result.input).toBe('string');
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  /** Inputs whose parse must not change with spacing, the case of command words, or a /klik prefix. */
  const SAMPLES: Array<[verb: string, args: string, expected: ParsedCommand]> = [
    ['help', '', { name: 'help' }],
    ['hulp', 'poll', { name: 'help', topic: 'poll' }],
    ['doe mee', '', { name: 'join' }],
    ['koppel nu', '', { name: 'pair-now' }],
    ['sla over', '', { name: 'skip-round' }],
    ['mijn gegevens', '', { name: 'my-data' }],
    ['vergeet mij', '', { name: 'forget-me' }],
    ['coordinator toevoegen', '<@U42|anna>', { name: 'coordinator', op: 'add', userId: 'U42' }],
    ['organisatie toevoegen', 'Zorg Noord', { name: 'org', op: 'add', orgName: 'Zorg Noord' }],
    ['pauze', '2 weken', { name: 'pause', until: { kind: 'duration', days: 14 } }],
    ['pause', '31-12-2026', { name: 'pause', until: { kind: 'date', date: { year: 2026, month: 12, day: 31 } } }],
    [
      'pauzeer netwerk',
      '31 dec',
      {
        name: 'pause-network',
        until: { kind: 'date', date: { year: 2026, month: 12, day: 31 } },
      },
    ],
    ['tip', 'Bel eerst #zorg', { name: 'tip', text: 'Bel eerst #zorg' }],
    ['tips', '#zorg', { name: 'tips', query: '#zorg' }],
    ['vraag', '"Wat werkt?"', { name: 'ask', question: 'Wat werkt?' }],
    [
      'prikker',
      '"Bezoek Zuid" 16 maart 14:00 17 maart',
      {
        name: 'poll',
        title: 'Bezoek Zuid',
        options: ['16 maart 14:00', '17 maart'],
      },
    ],
    ['instellingen', 'cadence weekly', { name: 'settings', key: 'cadence', value: 'weekly' }],
  ];

  it('extra whitespace, capitals in command words and a /klik prefix never change the parse', () => {
    const gap = fc
      .array(fc.constantFrom(' ', '\t', '\u00A0', '\u202F', '\n', '  '), { minLength: 1, maxLength: 3 })
      .map((g) => g.join(''));
    fc.assert(
      fc.property(
        fc.constantFrom(...SAMPLES),
        fc.array(gap, { minLength: 12, maxLength: 12 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 20 }),
        fc.constantFrom('', '/klik ', 'klik ', '@Klik ', '@klik '),
        fc.constantFrom('', ' ', '\u00A0 \t'),
        ([verb, args, expected], gaps, flips, prefix, edge) => {
          expect(parse(`${verb} ${args}`)).toEqual(okWith(expected));
          const verbCased = [...verb].map((c, i) => (flips[i % flips.length] ? c.toUpperCase() : c)).join('');
          const words = [...verbCased.split(' '), ...args.split(' ').filter(Boolean)];
          const spaced = words.map((w, i) => (i === 0 ? w : `${gaps[i % gaps.length]}${w}`)).join('');
          expect(parse(`${edge}${prefix}${spaced}${edge}`)).toEqual(okWith(expected));
        },
      ),
    );
  });

  it('curly quotes give the same parse as straight ones', () => {
    const pairs: Array<[string, string]> = [
      ['“', '”'],
      ['„', '”'],
      ['‟', '”'],
      ['«', '»'],
      ['"', '”'],
      ['“', '"'],
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...pairs),
        fc.constantFrom('ask', 'vraag', 'poll', 'org add', 'tip', 'settings purpose'),
        fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,20}[A-Za-z]$/),
        ([open, close], verb, inner) => {
          const straight = parse(`${verb} "${inner}"`);
          expect(straight.ok).toBe(true);
          expect(parse(`${verb} ${open}${inner}${close}`)).toEqual(straight);
        },
      ),
    );
  });
});
