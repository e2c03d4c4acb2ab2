/**
 * The one HTTP server: health, readiness, metrics, and whatever routers the adapters and the
 * playground bring. Body parsers are mounted per router (Slack needs the raw body).
 */

import { timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import express, { type Express, type Router } from 'express';
import type { Logger } from '../core/ports.js';
import type { Metrics } from './metrics.js';

export interface HttpDeps {
  metrics: Metrics;
  logger: Logger;
  /** Resolves when the database answers. */
  ping(): Promise<void>;
  metricsToken?: string;
  routers: Array<{ path: string; router: Router }>;
}

/** A low-cardinality label: the matched route pattern, never the raw URL (tokens live in URLs). */
function routeLabel(req: express.Request): string {
  const path = req.route?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : req.baseUrl || 'unmatched';
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from((header ?? '').replace(/^Bearer\s+/i, ''));
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.use((req, res, next) => {
    res.on('finish', () => {
      deps.metrics.requests.inc({ route: routeLabel(req), status: String(res.statusCode) });
    });
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.status(200).json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    try {
      await withTimeout(deps.ping(), 2_000);
      res.status(200).json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database unavailable' });
    }
  });

  app.get('/metrics', async (req, res) => {
    if (deps.metricsToken && !bearerMatches(req.get('authorization'), deps.metricsToken)) {
      res.status(401).set('WWW-Authenticate', 'Bearer').send('unauthorized\n');
      return;
    }
    res.set('Content-Type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });

  for (const { path, router } of deps.routers) app.use(path, router);

  app.use((_req, res) => {
    res.status(404).type('text/plain').send('Not found\n');
  });

  // Never show a stack trace: log the error's kind, answer briefly.
  app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = (err as { status?: number }).status;
    const code = typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
    if (code === 500) deps.logger.error({ err: { type: (err as Error)?.name } }, 'unhandled http error');
    if (!res.headersSent)
      res
        .status(code)
        .type('text/plain')
        .send(code === 500 ? 'Something went wrong\n' : 'Bad request\n');
  });

  return app;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** Starts listening; resolves with the server once bound. */
export function listen(app: Express, port: number, host?: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = host ? app.listen(port, host) : app.listen(port);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

/** Stops taking new connections and waits for in-flight requests (bounded). */
export function closeServer(server: Server, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.closeAllConnections?.();
      resolve();
    }, graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections?.();
  });
}
