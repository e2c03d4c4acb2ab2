#!/usr/bin/env node
// `npm start`: runs the compiled build when there is one and NODE_ENV=production (the Docker
// image), otherwise the TypeScript sources through tsx (right after `npm install`, no build step).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'src', 'main.js');
const useCompiled = process.env.NODE_ENV === 'production' || !existsSync(join(root, 'node_modules', 'tsx'));
const args = useCompiled
  ? [compiled, ...process.argv.slice(2)]
  : ['--import', 'tsx', join(root, 'src', 'main.ts'), ...process.argv.slice(2)];

if (useCompiled && !existsSync(compiled)) {
  process.stderr.write('Klik cannot start: dist/ is missing. Run `npm run build` first.\n');
  process.exit(1);
}

const child = spawn(process.execPath, args, { stdio: 'inherit', cwd: root });
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
