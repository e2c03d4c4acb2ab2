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

/** A section as Markdown: a heading, its description, a table and its notes. */
export function sectionMarkdown(section: BenchSection, level = '##'): string {
  const columns = [...new Set(section.rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => (v === null || v === undefined ? '–' : String(v).replace(/\|/g, '\\|'));
  const widths = columns.map((c) => Math.max(c.length, ...section.rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const took = section.seconds !== undefined ? ` (${section.seconds} s)` : '';
  let out = `\n${level} ${section.name}${took}\n\n${section.description}\n\n`;
  if (columns.length > 0) {
    out += `${line(columns)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`;
    for (const row of section.rows) out += `${line(columns.map((c) => cell(row[c])))}\n`;
  }
  if ((section.notes ?? []).length > 0) out += `\n${(section.notes ?? []).map((n) => `- ${n}`).join('\n')}\n`;
  return out;
}

export function printSection(section: BenchSection): void {
  process.stdout.write(sectionMarkdown(section));
}

/** The whole run as Markdown (bench/results.md), ready for the README's benchmark section. */
export function writeMarkdown(file: string, sections: BenchSection[], run: { command: string; seconds: number }): void {
  const m = machineInfo();
  const head = `Latest run, finished ${m.at.slice(0, 16).replace('T', ' ')} UTC: \`${run.command}\`, ${run.seconds} s in all; Node ${m.node}, ${m.cores} × ${m.cpu}, ${m.memoryGiB} GiB.\n`;
  writeFileSync(file, `${head}${sections.map((s) => sectionMarkdown(s, '####')).join('')}`);
}

export function writeResults(file: string, sections: BenchSection[], run: Record<string, unknown> = {}): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ machine: machineInfo(), run, sections }, null, 2)}\n`);
}
