/**
 * The one command parser, shared by every adapter: the text after `/klik` (Slack) or `@Klik`
 * (Teams) → a ParsedCommand, or a ParseFailure the caller turns into a short usage line.
 *
 * Layout: normalise → tokenise → find the verb phrase in VERBS (longest phrase wins) → that
 * verb's small argument parser.
 */
import { parseUntil, splitDateOptions } from './dates.js';
import type { CommandName, LocalDate, ParsedCommand, ParseFailure, ParseResult } from './types.js';

export interface ParseOptions {
  /** Today in the network's time zone: year-less dates resolve against it. */
  today: LocalDate;
}

/** The `detail` values a malformed result carries. */
export type MalformedDetail =
  | 'missing_user'
  | 'missing_text'
  | 'missing_value'
  | 'bad_date'
  | 'missing_name'
  | 'bad_subcommand';

// ---------------------------------------------------------------------------------------------
// Normalising and tokenising

const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u00AB\u00BB\u2033\u301D\u301E\uFF02]/g;
const SINGLE_QUOTES = /[\u2018\u2019\u201A\u201B\u2039\u203A\u2032]/g;
const INVISIBLES = /[\u200B-\u200D\u2060\uFEFF]/g;
const BOT_PREFIX = /^(?:\/|@)?klik[,:]?(?:\s+|$)/i;

/**
 * Curly quotes → straight, every run of whitespace (non-breaking spaces, tabs, newlines) → one
 * space, zero-width characters removed, trimmed, and a leading `/klik`, `klik` or `@klik` dropped.
 */
export function normaliseCommandText(text: string): string {
  return text
    .normalize('NFC')
    .replace(DOUBLE_QUOTES, '"')
    .replace(SINGLE_QUOTES, "'")
    .replace(INVISIBLES, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(BOT_PREFIX, '')
    .trim();
}

export interface Token {
  /** The token's text, without its quotes. */
  value: string;
  /** True when the token was written in quotes. */
  quoted: boolean;
  /** Offset of the token's first character (its opening quote, if any) in the normalised text. */
  start: number;
}

/**
 * Splits normalised text on spaces. `"a b"` is one token; a double quote with no partner runs to
 * the end. A single quote only quotes when it opens a token and a partner closes a word later
 * (so `'s avonds` and `auto's` stay plain words).
 */
export function tokenise(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === ' ') {
      i++;
      continue;
    }
    const start = i;
    const close = closingQuote(text, i);
    if (close !== null) {
      tokens.push({ value: text.slice(i + 1, close).trim(), quoted: true, start });
      i = close + 1;
      continue;
    }
    let end = text.indexOf(' ', i);
    if (end < 0) end = text.length;
    tokens.push({ value: text.slice(i, end), quoted: false, start });
    i = end;
  }
  return tokens;
}

/** Where the quote opening at `i` closes (text.length when unmatched), or null when `i` opens none. */
function closingQuote(text: string, i: number): number | null {
  const q = text[i];
  if (q === '"') {
    const close = text.indexOf('"', i + 1);
    return close < 0 ? text.length : close;
  }
  if (q === "'") {
    for (let j = text.indexOf("'", i + 1); j >= 0; j = text.indexOf("'", j + 1)) {
      if (j + 1 === text.length || text[j + 1] === ' ') return j;
    }
  }
  return null;
}

/** A command word as matched against VERBS: lower case, no accents, no trailing punctuation. */
function verbWord(word: string): string {
  const folded = word.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
  const trimmed = folded.replace(/[?!.,:;]+$/, '');
  return trimmed === '' ? folded : trimmed;
}

// ---------------------------------------------------------------------------------------------
// Argument parsers

/** What a verb's argument parser sees: the words after the verb phrase. */
interface Args {
  tokens: Token[];
  /** The normalised text after the verb phrase (quotes kept). */
  rest: string;
  today: LocalDate;
}

type ArgParser = (args: Args) => ParsedCommand | MalformedDetail;

/** A verb without arguments (extra words are ignored). A fresh object each time: callers may mutate it. */
const ok =
  (command: ParsedCommand): ArgParser =>
  () => ({ ...command });

/** The rest of the text; when the whole rest is one quoted string, its content. */
function restText(args: Args): string {
  const only = args.tokens.length === 1 ? args.tokens[0] : undefined;
  return (only?.quoted ? only.value : args.rest).trim();
}

const MENTION = /<@([^|>\s]+)(?:\|[^>]*)?>/;

function firstWord(args: Args): string | undefined {
  const t = args.tokens[0];
  return t ? verbWord(t.value) : undefined;
}

function argsAfterFirst(args: Args): Args {
  const [, ...tokens] = args.tokens;
  const next = tokens[0];
  const offset = next ? next.start - (args.tokens[0]?.start ?? 0) : args.rest.length;
  return { tokens, rest: args.rest.slice(offset), today: args.today };
}

const COORDINATOR_OPS: Readonly<Record<string, 'add' | 'remove'>> = {
  add: 'add',
  toevoegen: 'add',
  voeg: 'add',
  remove: 'remove',
  verwijderen: 'remove',
  verwijder: 'remove',
  delete: 'remove',
  rm: 'remove',
};

/** `avoid @user` (add), `avoid remove @user`, `avoid` (list): a confidential "don't pair me with". */
const parseAvoid: ArgParser = (args) => {
  const word = firstWord(args);
  if (word === undefined) return { name: 'avoid', op: 'list' };
  const op = Object.hasOwn(COORDINATOR_OPS, word) ? COORDINATOR_OPS[word] : undefined;
  const mention = MENTION.exec(op ? argsAfterFirst(args).rest : args.rest);
  if (!mention?.[1]) return op ? 'missing_user' : 'bad_subcommand';
  return { name: 'avoid', op: op ?? 'add', userId: mention[1] };
};

const parseCoordinator: ArgParser = (args) => {
  const word = firstWord(args) ?? '';
  const op = Object.hasOwn(COORDINATOR_OPS, word) ? COORDINATOR_OPS[word] : undefined;
  if (!op) return 'bad_subcommand';
  const mention = MENTION.exec(argsAfterFirst(args).rest);
  if (!mention?.[1]) return 'missing_user';
  return { name: 'coordinator', op, userId: mention[1] };
};

const ORG_OPS: Readonly<Record<string, 'add' | 'list'>> = {
  add: 'add',
  toevoegen: 'add',
  new: 'add',
  nieuw: 'add',
  nieuwe: 'add',
  list: 'list',
  lijst: 'list',
  show: 'list',
  toon: 'list',
};

const parseOrg: ArgParser = (args) => {
  const word = firstWord(args);
  if (word === undefined) return { name: 'org', op: 'list' };
  if (!Object.hasOwn(ORG_OPS, word)) return 'bad_subcommand';
  if (ORG_OPS[word] === 'list') return { name: 'org', op: 'list' };
  const orgName = restText(argsAfterFirst(args));
  return orgName === '' ? 'missing_name' : { name: 'org', op: 'add', orgName };
};

const parseSettings: ArgParser = (args) => {
  const key = args.tokens[0]?.value.toLowerCase();
  if (!key) return { name: 'settings' };
  const value = restText(argsAfterFirst(args));
  return value === '' ? { name: 'settings', key } : { name: 'settings', key, value };
};

const parseHelp: ArgParser = (args) => {
  const topic = restText(args).toLowerCase();
  return topic === '' ? { name: 'help' } : { name: 'help', topic };
};

const parsePause =
  (name: 'pause' | 'pause-network'): ArgParser =>
  (args) => {
    const until = parseUntil(restText(args), args.today);
    return until ? { name, until } : 'bad_date';
  };

const parseTip: ArgParser = (args) => {
  const text = restText(args);
  return text === '' ? 'missing_text' : { name: 'tip', text };
};

const parseTips: ArgParser = (args) => ({ name: 'tips', query: restText(args) });

const parseAsk: ArgParser = (args) => {
  const question = restText(args);
  return question === '' ? 'missing_text' : { name: 'ask', question };
};

const parsePoll: ArgParser = (args) => {
  const [title, ...rest] = args.tokens;
  if (!title) return { name: 'poll', options: [] };
  const options = splitDateOptions(
    rest.map((t) => t.value),
    args.today,
  );
  return title.value === '' ? { name: 'poll', options } : { name: 'poll', title: title.value, options };
};

// ---------------------------------------------------------------------------------------------
// The verb table

interface Verb {
  command: CommandName;
  /** Phrases as typed (one or more words); matched case- and accent-insensitively. */
  phrases: readonly string[];
  parse: ArgParser;
}

const VERBS: readonly Verb[] = [
  { command: 'help', phrases: ['help', 'hulp', '?'], parse: parseHelp },
  { command: 'setup', phrases: ['setup', 'start'], parse: ok({ name: 'setup' }) },
  { command: 'avoid', phrases: ['avoid', 'vermijd', 'niet-met', 'niet met'], parse: parseAvoid },
  { command: 'settings', phrases: ['settings', 'instellingen'], parse: parseSettings },
  {
    command: 'coordinator',
    phrases: ['coordinator', 'coordinators', 'coordinatoren'], // 'coördinator' folds to 'coordinator'
    parse: parseCoordinator,
  },
  {
    command: 'org',
    phrases: ['org', 'orgs', 'organisatie', 'organisaties', 'organisation', 'organisations', 'organization'],
    parse: parseOrg,
  },
  { command: 'profile', phrases: ['profile', 'profiel'], parse: ok({ name: 'profile' }) },
  { command: 'join', phrases: ['join', 'doe-mee', 'doe mee', 'doemee', 'meedoen'], parse: ok({ name: 'join' }) },
  { command: 'leave', phrases: ['leave', 'stop'], parse: ok({ name: 'leave' }) },
  { command: 'pause', phrases: ['pause', 'pauze', 'pauzeer'], parse: parsePause('pause') },
  { command: 'resume', phrases: ['resume', 'hervat', 'hervatten'], parse: ok({ name: 'resume' }) },
  {
    command: 'pair-now',
    phrases: ['pair now', 'koppel nu', 'pair nu', 'koppel now', 'pair-now', 'koppel-nu'],
    parse: ok({ name: 'pair-now' }),
  },
  // A bare `pair` or `skip` is a coordinator's consequential act half-typed: show the usage line.
  { command: 'pair-now', phrases: ['pair', 'koppel'], parse: () => 'bad_subcommand' },
  {
    command: 'skip-round',
    phrases: ['skip round', 'skip ronde', 'sla over', 'sla ronde over', 'skip-round', 'sla-over', 'overslaan'],
    parse: ok({ name: 'skip-round' }),
  },
  { command: 'skip-round', phrases: ['skip', 'sla'], parse: () => 'bad_subcommand' },
  {
    command: 'pause-network',
    phrases: [
      'pause network',
      'pause netwerk',
      'pauze network',
      'pauze netwerk',
      'pauzeer netwerk',
      'pauzeer network',
      'pause-network',
      'pauzeer-netwerk',
    ],
    parse: parsePause('pause-network'),
  },
  { command: 'tip', phrases: ['tip'], parse: parseTip },
  { command: 'tips', phrases: ['tips'], parse: parseTips },
  { command: 'ask', phrases: ['ask', 'vraag'], parse: parseAsk },
  { command: 'poll', phrases: ['poll', 'prikker', 'datumprikker'], parse: parsePoll },
  { command: 'stats', phrases: ['stats', 'statistiek', 'statistieken', 'statistics'], parse: ok({ name: 'stats' }) },
  { command: 'dashboard', phrases: ['dashboard'], parse: ok({ name: 'dashboard' }) },
  { command: 'export', phrases: ['export', 'exporteer', 'exporteren'], parse: ok({ name: 'export' }) },
  {
    command: 'my-data',
    phrases: ['my-data', 'my data', 'mydata', 'mijn-gegevens', 'mijn gegevens', 'mijngegevens'],
    parse: ok({ name: 'my-data' }),
  },
  {
    command: 'forget-me',
    phrases: ['forget-me', 'forget me', 'forgetme', 'vergeet-mij', 'vergeet mij', 'vergeetmij', 'vergeet me'],
    parse: ok({ name: 'forget-me' }),
  },
];

/** Phrase (words joined by one space, folded by verbWord) → verb. */
const PHRASES: ReadonlyMap<string, Verb> = new Map(
  VERBS.flatMap((verb) => verb.phrases.map((phrase) => [phrase, verb] as const)),
);
const MAX_PHRASE_WORDS = Math.max(...[...PHRASES.keys()].map((p) => p.split(' ').length));

/** The longest verb phrase at the start of `tokens`, and how many tokens it takes. */
function matchVerb(tokens: readonly Token[]): { verb: Verb; length: number } | null {
  const words = tokens.slice(0, MAX_PHRASE_WORDS).map((t) => verbWord(t.value));
  for (let length = words.length; length >= 1; length--) {
    const verb = PHRASES.get(words.slice(0, length).join(' '));
    if (verb) return { verb, length };
  }
  return null;
}

/**
 * The command a phrase names, in either language (`prikker` → `poll`, `koppel nu` → `pair-now`),
 * or null. For `help <topic>`.
 */
export function lookupCommand(phrase: string): CommandName | null {
  const tokens = tokenise(normaliseCommandText(phrase));
  const match = matchVerb(tokens);
  return match && match.length === tokens.length ? match.verb.command : null;
}

/** Longest `input` echoed back in an "unknown command" failure. */
const MAX_INPUT_ECHO = 64;

/** Parses what a member typed after `/klik` or `@Klik`. Never throws. */
export function parseCommand(text: string, opts: ParseOptions): ParseResult {
  const normalised = normaliseCommandText(text);
  const tokens = tokenise(normalised);
  if (tokens.length === 0) return { ok: false, reason: 'empty' };

  const match = matchVerb(tokens);
  if (!match) {
    const input = normalised.split(' ')[0] ?? '';
    return { ok: false, reason: 'unknown', input: input.slice(0, MAX_INPUT_ECHO) };
  }

  const argTokens = tokens.slice(match.length);
  const rest = argTokens[0] ? normalised.slice(argTokens[0].start) : '';
  const result = match.verb.parse({ tokens: argTokens, rest, today: opts.today });
  if (typeof result === 'string') {
    const failure: ParseFailure = { ok: false, reason: 'malformed', command: match.verb.command, detail: result };
    return failure;
  }
  return { ok: true, command: result };
}
