/** The process logger: pino, with secrets redacted should one ever reach a log call. */
import { pino } from 'pino';
import type { Logger } from './core/ports.js';

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'klik' },
      redact: {
        paths: [
          '*.token',
          '*.botToken',
          '*.secret',
          '*.password',
          '*.text',
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-slack-signature"]',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  ) as unknown as Logger;
}
