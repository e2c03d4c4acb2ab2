/**
 * Drives the scheduler once a minute with node-cron. node-cron only wakes us up: what is due, and
 * catching up after downtime, comes from the database (`Scheduler.tick`). `noOverlap` keeps one tick
 * at a time in this process; other processes are kept apart by the claims.
 */
import cron from 'node-cron';
import type { Logger } from '../core/ports.js';
import type { Scheduler } from './scheduler.js';

export function startCron(scheduler: Pick<Scheduler, 'tick'>, logger: Logger): { stop(): Promise<void> } {
  const log = logger.child({ component: 'cron' });
  const task = cron.schedule(
    '* * * * *',
    async () => {
      try {
        const { results } = await scheduler.tick();
        if (results.length > 0) log.debug({ slots: results.length }, 'scheduler tick');
      } catch (err) {
        log.error({ err }, 'scheduler tick failed');
      }
    },
    {
      name: 'klik-scheduler',
      noOverlap: true,
      // A late or skipped minute is harmless: the next tick catches up from the database.
      suppressMissedWarning: true,
      logger: {
        info: (message) => log.info({}, message),
        warn: (message) => log.warn({}, message),
        error: (message, err) => log.error({ err: err ?? message }, 'node-cron error'),
        debug: (message) => log.debug({ message: String(message) }, 'node-cron'),
      },
    },
  );
  return {
    async stop() {
      await task.stop();
      await task.destroy();
    },
  };
}
