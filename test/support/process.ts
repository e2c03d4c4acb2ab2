/** Runs Klik as a real child process, the way `npm start` does, for start-up tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export const projectRoot = resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
    s.once('error', fail);
  });
}

export interface KlikChild {
  child: ChildProcess;
  port: number;
  output(): string;
  stop(): Promise<number | null>;
}

export function spawnKlik(env: Record<string, string>, port: number): KlikChild {
  let output = '';
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: projectRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      LOG_LEVEL: 'info',
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  return {
    child,
    port,
    output: () => output,
    stop: () =>
      new Promise((ok) => {
        if (child.exitCode !== null) return ok(child.exitCode);
        child.once('exit', (code) => ok(code));
        child.kill('SIGTERM');
      }),
  };
}

/** Polls a URL until it answers `status` (no fixed sleeps: each poll waits for the previous). */
export async function waitFor(url: string, status: number, proc: KlikChild, attempts = 600): Promise<Response> {
  for (let i = 0; i < attempts; i++) {
    if (proc.child.exitCode !== null) throw new Error(`klik exited (${proc.child.exitCode}):\n${proc.output()}`);
    try {
      const r = await fetch(url);
      if (r.status === status) return r;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never answered ${status}:\n${proc.output()}`);
}
