/**
 * `npm run bench`: runs every benchmark section, prints a table per section and writes
 * bench/results.json. A report, not a gate: nothing here fails on a number.
 */
import { resolve } from 'node:path';
import { type BenchSection, machineInfo, printSection, writeResults } from './report.js';
import { pairingBench } from './sections/pairing.js';
import { startupBench } from './sections/startup.js';
import { tipsBench } from './sections/tips.js';

const SECTIONS: Record<string, () => Promise<BenchSection>> = {
  startup: startupBench,
  pairing: pairingBench,
  tips: tipsBench,
};

const only = process.argv.slice(2);
const results: BenchSection[] = [];
process.stdout.write(`# Klik bench\n${JSON.stringify(machineInfo())}\n`);
for (const [name, run] of Object.entries(SECTIONS)) {
  if (only.length > 0 && !only.includes(name)) continue;
  const section = await run();
  printSection(section);
  results.push(section);
}
const file = resolve(import.meta.dirname, 'results.json');
writeResults(file, results);
process.stdout.write(`\nwritten: ${file}\n`);
