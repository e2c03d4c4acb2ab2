/**
 * Child processes for the bench: a free port, a Klik (or peer) process optionally pinned to a CPU
 * core with `taskset`, waiting for it to answer, and its resident memory read from /proc.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '../..');

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

/** Resident set of a process in MiB (from /proc), or null when it cannot be read. */
export function rssMiB(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(status.match(/VmRSS:\s+(\d+)/)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

/** True when `taskset` can pin processes here (Linux with util-linux, more than one core). */
export function canPin(): boolean {
  return existsSync('/usr/bin/taskset') || existsSync('/bin/taskset');
}

/** The command that runs a TypeScript file with Node: compiled JavaScript when built, tsx otherwise. */
export function nodeArgs(tsFile: string): string[] {
  const compiled = join(root, 'dist', tsFile.replace(/\.ts$/, '.js'));
  return [...profiling(tsFile), ...(existsSync(compiled) ? [compiled] : ['--import', 'tsx', join(root, tsFile)])];
}

/**
 * `BENCH_CPU_PROF=<folder>`: Klik processes (src/main.ts) write a V8 CPU profile there when they
 * exit, to see where a section's time goes (open it in Chrome's DevTools). Off by default.
 */
function profiling(tsFile: string): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir && tsFile === 'src/main.ts' ? ['--cpu-prof', '--cpu-prof-dir', resolve(dir)] : [];
}

export interface Spawned {
  child: ChildProcess;
  pid: number | undefined;
  stop(): Promise<void>;
}

/** Spawns `node <file>` with this environment, pinned to `core` when given and possible. */
export function spawnNode(
  tsFile: string,
  env: Record<string, string>,
  options: { core?: number; ipc?: boolean; args?: string[] } = {},
): Spawned {
  const args = [...nodeArgs(tsFile), ...(options.args ?? [])];
  const pinned = options.core !== undefined && canPin();
  const spawnOptions = {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', ...(options.ipc ? ['ipc' as const] : [])] as Array<
      'ignore' | 'inherit' | 'ipc'
    >,
  };
  const child = pinned
    ? spawn('taskset', ['-c', String(options.core), process.execPath, ...args], spawnOptions)
    : spawn(process.execPath, args, spawnOptions);
  return {
    child,
    // taskset execs node in place, so the pid is node's.
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 2xx; resolves the milliseconds it took. */
export async function waitReady(url: string, child: ChildProcess, limitMs = 60_000): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < limitMs) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}`);
    try {
      const r = await fetch(url);
      if (r.ok) return performance.now() - start;
    } catch {
      // not listening yet
    }
    await sleep(25);
  }
  throw new Error(`${url} did not answer in time`);
}

/** Pins this (the bench's) process to a core, for the duration of a section; returns the undo. */
export function pinSelf(core: number): () => void {
  if (!canPin()) return () => {};
  const before = execFileSync('taskset', ['-pc', String(process.pid)], { encoding: 'utf8' })
    .split(':')
    .pop()
    ?.trim();
  execFileSync('taskset', ['-pac', String(core), String(process.pid)], { stdio: 'ignore' });
  return () => {
    if (before) execFileSync('taskset', ['-pac', before, String(process.pid)], { stdio: 'ignore' });
  };
}
