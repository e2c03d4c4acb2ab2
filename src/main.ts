/** The process entry point: `npm start` (and the Docker image) run this. */
import { openDatabase } from '../db/client.js';
import { startKlik } from './app.js';
import { loadConfig } from './config.js';
import { ConfigError } from './core/errors.js';
import { createLogger } from './logger.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Klik cannot start: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);

  if (process.argv.includes('--migrate-only')) {
    const database = await openDatabase(config.database);
    await database.migrate();
    await database.close();
    logger.info({ database: database.kind }, 'migrations applied');
    return;
  }

  if (config.secretKeyGenerated)
    logger.info({ dataDir: config.dataDir }, 'development secret key kept in the data folder');
  const klik = await startKlik(config, logger);

  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    klik.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err: { type: (err as Error)?.name } }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Klik stopped: ${(err as Error)?.name ?? 'error'}: ${(err as Error)?.message ?? ''}\n`);
  process.exit(1);
});
