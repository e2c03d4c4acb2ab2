/** Bench results: one section per benchmark, printed as a table and written as JSON. */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname } from 'node:path';

export interface BenchRow {
  [column: string]: string | number | null;
}

export interface BenchSection {
  name: string;
  description: string;
  rows: BenchRow[];
  notes?: string[];
  /** Wall time of the section, filled in by run.ts. */
  seconds?: number;
}

export function machineInfo() {
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    at: new Date().toISOString(),
  };
}

export function printSection(section: BenchSection): void {
  const columns = [...new Set(section.rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => (v === null || v === undefined ? '–' : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...section.rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const took = section.seconds !== undefined ? ` (${section.seconds} s)` : '';
  process.stdout.write(`\n## ${section.name}${took}\n${section.description}\n\n`);
  process.stdout.write(`${line(columns)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const row of section.rows) process.stdout.write(`${line(columns.map((c) => cell(row[c])))}\n`);
  for (const note of section.notes ?? []) process.stdout.write(`\n- ${note}`);
  process.stdout.write('\n');
}

export function writeResults(file: string, sections: BenchSection[], run: Record<string, unknown> = {}): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ machine: machineInfo(), run, sections }, null, 2)}\n`);
}
