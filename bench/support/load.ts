/** The open-loop load generator as a long-lived child process, pinned to a core, sent one plan at a time. */
import type { LoadPlan, LoadResult } from './open-loop.js';
import { type Spawned, spawnNode } from './process.js';

export class LoadGenerator {
  private constructor(private readonly proc: Spawned) {}

  static start(core: number): LoadGenerator {
    return new LoadGenerator(spawnNode('bench/support/open-loop.ts', {}, { core, ipc: true }));
  }

  run(plan: LoadPlan): Promise<LoadResult> {
    const child = this.proc.child;
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`load generator exited with ${code}`));
      child.once('exit', onExit);
      child.once('message', (m: { ok: boolean; result?: LoadResult; error?: string }) => {
        child.off('exit', onExit);
        if (m.ok && m.result) resolve(m.result);
        else reject(new Error(`load generator failed: ${m.error}`));
      });
      child.send(plan);
    });
  }

  async stop(): Promise<void> {
    if (this.proc.child.connected) this.proc.child.disconnect();
    await this.proc.stop();
  }
}
