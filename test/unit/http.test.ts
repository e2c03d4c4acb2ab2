/** The one HTTP server: health, readiness, metrics (with and without a token), errors without traces. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/ports.js';
import { createMetrics } from '../../src/http/metrics.js';
import { closeServer, createHttpApp, listen } from '../../src/http/server.js';

let server: Server | undefined;
afterEach(async () => {
  if (server) await closeServer(server, 1_000);
  server = undefined;
});

async function start(options: { ping?: () => Promise<void>; metricsToken?: string } = {}) {
  const metrics = createMetrics();
  const router = Router();
  router.get('/boom', () => {
    throw new Error('secret detail at /srv/klik/src/x.ts:12');
  });
  const app = createHttpApp({
    metrics,
    logger: silentLogger,
    ping: options.ping ?? (async () => {}),
    ...(options.metricsToken ? { metricsToken: options.metricsToken } : {}),
    routers: [{ path: '/test', router }],
  });
  server = await listen(app, 0, '127.0.0.1');
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, metrics };
}

describe('http server', () => {
  it('/healthz answers 200; /readyz follows the database', async () => {
    let up = true;
    const { base } = await start({
      ping: async () => {
        if (!up) throw new Error('connection refused');
      },
    });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    up = false;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    up = true;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });

  it('/readyz answers 503 when the database hangs instead of waiting for it', async () => {
    const { base } = await start({ ping: () => new Promise(() => {}) });
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
  });

  it('/metrics speaks Prometheus text and counts requests by route, not by raw URL', async () => {
    const { base } = await start();
    await fetch(`${base}/healthz`);
    await fetch(`${base}/nope/secret-token-123`);
    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    for (const name of [
      'klik_outbox_pending',
      'klik_outbox_sent_total',
      'klik_outbox_dead_letters_total',
      'klik_requests_total',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).toContain('klik_requests_total{route="/healthz",status="200"} 1');
    expect(text).not.toContain('secret-token-123');
  });

  it('with METRICS_TOKEN only a request bearing it is answered', async () => {
    const { base } = await start({ metricsToken: 'm3tr1cs' });
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const ok = await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer m3tr1cs' } });
    expect(ok.status).toBe(200);
  });

  it('an error becomes a short answer without a stack trace; unknown routes 404', async () => {
    const { base } = await start();
    const res = await fetch(`${base}/test/boom`);
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(body).toBe('Something went wrong\n');
    expect((await fetch(`${base}/nothing-here`)).status).toBe(404);
  });
});
