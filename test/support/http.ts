/** Serves routers on the real HTTP server (health, metrics, error handling) on a free local port. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Router } from 'express';
import { type Logger, silentLogger } from '../../src/core/ports.js';
import { createMetrics } from '../../src/http/metrics.js';
import { createHttpApp, listen } from '../../src/http/server.js';

export async function serveRouters(
  routers: Array<{ path: string; router: Router }>,
  options: { logger?: Logger; ping?: () => Promise<void> } = {},
): Promise<{ server: Server; base: string }> {
  const app = createHttpApp({
    metrics: createMetrics(),
    logger: options.logger ?? silentLogger,
    ping: options.ping ?? (async () => {}),
    routers,
  });
  const server = await listen(app, 0, '127.0.0.1');
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
