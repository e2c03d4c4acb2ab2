/**
 * The command grammar's output: what a member typed after `/klik` (Slack) or `@Klik` (Teams),
 * normalised. One parser (parse.ts) produces it for every adapter.
 *
 * Mentions arrive as `<@platformUserId>` or `<@platformUserId|name>` (adapters normalise theirs).
 * Dates are calendar dates (no time zone yet: the network's zone applies later).
 */

/** A calendar date, optionally with a time of day, in the network's time zone. */
export interface LocalDate {
  year: number;
  month: number; // 1-12
  day: number; // 1-31
  hour?: number;
  minute?: number;
}

/** When a pause ends: an absolute date or a relative duration. */
export type Until = { kind: 'date'; date: LocalDate } | { kind: 'duration'; days: number };

export type ParsedCommand =
  | { name: 'help'; topic?: string }
  | { name: 'setup' }
  | { name: 'settings'; key?: string; value?: string }
  | { name: 'coordinator'; op: 'add' | 'remove'; userId: string }
  | { name: 'avoid'; op: 'add' | 'remove'; userId: string }
  | { name: 'avoid'; op: 'list' }
  | { name: 'org'; op: 'add'; orgName: string }
  | { name: 'org'; op: 'list' }
  | { name: 'profile' }
  | { name: 'join' }
  | { name: 'leave' }
  | { name: 'pause'; until: Until }
  | { name: 'resume' }
  | { name: 'pair-now' }
  | { name: 'skip-round' }
  | { name: 'pause-network'; until: Until }
  | { name: 'tip'; text: string }
  | { name: 'tips'; query: string }
  | { name: 'ask'; question: string }
  | { name: 'poll'; title?: string; options: string[] }
  | { name: 'stats' }
  | { name: 'dashboard' }
  | { name: 'export' }
  | { name: 'my-data' }
  | { name: 'forget-me' };

export type CommandName = ParsedCommand['name'];

/** Why the input could not be parsed; `command` is set when the verb was known. */
export interface ParseFailure {
  ok: false;
  reason: 'empty' | 'unknown' | 'malformed';
  command?: CommandName;
  /** The word the member typed, for "unknown command: xyz". */
  input?: string;
  /** A short machine-readable detail ("missing_user", "bad_date", "missing_text"...). */
  detail?: string;
}

export type ParseResult = { ok: true; command: ParsedCommand } | ParseFailure;
