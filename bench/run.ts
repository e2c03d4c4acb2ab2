/**
 * `npm run bench [section ...]`: runs the benchmark sections (all by default, or the ones named),
 * prints a table per section and writes bench/results.json. A report, not a gate: nothing here
 * fails on a number. `BENCH_QUICK=1` runs every section small, to check it works.
 *
 * Sections written by other features (votes, nudges) are picked up when their file exists.
 */
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BenchSection, machineInfo, printSection, writeMarkdown, writeResults } from './report.js';
import { ackBench } from './sections/ack.js';
import { fanoutBench } from './sections/fanout.js';
import { memoryBench } from './sections/memory.js';
import { pairingBench } from './sections/pairing.js';
import { startupBench } from './sections/startup.js';
import { tipsBench } from './sections/tips.js';

type Run = () => Promise<BenchSection>;

/** A section in its own file, exporting `<name>Bench` (or another `…Bench` function); null when not there yet. */
async function optional(name: string): Promise<Run | null> {
  const file = resolve(import.meta.dirname, 'sections', `${name}.ts`);
  if (!existsSync(file)) return null;
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const run =
    mod[`${name}Bench`] ?? Object.entries(mod).find(([k, v]) => k.endsWith('Bench') && typeof v === 'function')?.[1];
  return typeof run === 'function' ? (run as Run) : null;
}

const SECTIONS: Array<[string, Run | null]> = [
  ['startup', startupBench],
  ['memory', memoryBench],
  ['ack', ackBench],
  ['pairing', pairingBench],
  ['fanout', fanoutBench],
  ['votes', await optional('votes')],
  ['nudges', await optional('nudges')],
  ['tips', tipsBench],
  ['stats', await optional('stats')],
];
// Any other section file (a feature's own bench) runs after these, under its file name.
for (const file of readdirSync(resolve(import.meta.dirname, 'sections')).sort()) {
  const name = file.replace(/\.ts$/, '');
  if (file.endsWith('.ts') && !SECTIONS.some(([n]) => n === name)) SECTIONS.push([name, await optional(name)]);
}

const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = only.filter((name) => !SECTIONS.some(([n]) => n === name));
if (unknown.length > 0) {
  process.stderr.write(`unknown section ${unknown.join(', ')}; sections: ${SECTIONS.map(([n]) => n).join(', ')}\n`);
  process.exit(2);
}

const results: BenchSection[] = [];
const began = performance.now();
process.stdout.write(`# Klik bench\n${JSON.stringify(machineInfo())}\n`);
for (const [name, run] of SECTIONS) {
  if (only.length > 0 && !only.includes(name)) continue;
  const t0 = performance.now();
  let section: BenchSection;
  if (!run) {
    section = {
      name,
      description: `${name}: not written yet.`,
      rows: [],
      notes: [`bench/sections/${name}.ts is missing.`],
    };
  } else {
    try {
      section = await run();
    } catch (err) {
      // One broken section must not cost the others' numbers.
      section = { name, description: `${name}: failed.`, rows: [], notes: [`failed: ${(err as Error)?.stack ?? err}`] };
    }
  }
  section.seconds = Math.round((performance.now() - t0) / 100) / 10;
  printSection(section);
  results.push(section);
}
const file = resolve(import.meta.dirname, 'results.json');
const run = {
  command: `${process.env.BENCH_QUICK === '1' ? 'BENCH_QUICK=1 ' : ''}npm run bench${only.length > 0 ? ` ${only.join(' ')}` : ''}`,
  seconds: Math.round((performance.now() - began) / 1000),
};
writeResults(file, results, run);
const markdown = resolve(import.meta.dirname, 'results.md');
writeMarkdown(markdown, results, run);
process.stdout.write(`\ntotal: ${run.seconds} s\nwritten: ${file}, ${markdown}\n`);
// Sections close what they open; a stray handle must not keep the run alive.
process.exit(0);
