/**
 * An open-loop load generator for signed Slack requests, run as its own process (the ack bench
 * pins it to a core of its own with `taskset`): request i is due at start + i / rate whatever the
 * answers do, and its latency counts from when it was due, so a stalled server is charged for the
 * whole wait (no coordinated omission). Each body is distinct and prepared beforehand; only the
 * signature (which covers the timestamp) is computed at send time, as Slack does.
 *
 * Usage: a child process with an IPC channel (`LoadGenerator` in load.ts) that is sent plans.
 */
import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';

export interface LoadPlan {
  /** http://127.0.0.1:port/path */
  url: string;
  signingSecret: string;
  /** Requests a second. */
  rate: number;
  /** Form-encoded bodies, one per request; their count and the rate set the duration. */
  bodies: string[];
  timeoutMs?: number;
}

export interface LoadResult {
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  /** Milliseconds from when each request was due to its full answer. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Requests answered a second over the whole run. */
  achievedRate: number;
  /** Answers that came later than Slack's 3 s (Slack would have shown the person an error). */
  over3s: number;
  /** How late the generator itself sent (its own lag, included in the latencies), p99 in ms. */
  sendLagP99: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0);
const r2 = (x: number) => Math.round(x * 100) / 100;

export async function runOpenLoop(plan: LoadPlan): Promise<LoadResult> {
  const target = new URL(plan.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 1024 });
  const latencies: number[] = [];
  const lags: number[] = [];
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let done = 0;
  const total = plan.bodies.length;
  const interval = 1000 / plan.rate;
  const timeoutMs = plan.timeoutMs ?? 10_000;

  const send = (body: string, due: number) => {
    const ts = String(Math.floor(Date.now() / 1000));
    const signature = `v0=${createHmac('sha256', plan.signingSecret).update(`v0:${ts}:${body}`).digest('hex')}`;
    lags.push(performance.now() - due);
    let settled = false;
    const finish = (kind: 'ok' | 'non2xx' | 'error') => {
      if (settled) return;
      settled = true;
      if (kind === 'ok') ok++;
      else if (kind === 'non2xx') non2xx++;
      else errors++;
      latencies.push(performance.now() - due);
      done++;
    };
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
          'x-slack-request-timestamp': ts,
          'x-slack-signature': signature,
        },
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        res.on('end', () => finish(res.statusCode && res.statusCode < 300 ? 'ok' : 'non2xx'));
        res.on('error', () => finish('error'));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => finish('error'));
    req.end(body);
  };

  const start = performance.now() + 20;
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < total && start + next * interval <= now) {
        send(plan.bodies[next] as string, start + next * interval);
        next++;
      }
      if (next < total) setTimeout(tick, Math.max(0, Math.min(interval, start + next * interval - now) - 0.5));
      else resolve();
    };
    setTimeout(tick, 10);
  });
  while (done < total) await new Promise((r) => setTimeout(r, 5));
  const elapsed = performance.now() - start;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  lags.sort((a, b) => a - b);
  return {
    sent: total,
    ok,
    non2xx,
    errors,
    p50: r2(percentile(latencies, 50)),
    p90: r2(percentile(latencies, 90)),
    p99: r2(percentile(latencies, 99)),
    max: r2(latencies[latencies.length - 1] ?? 0),
    achievedRate: r2((ok * 1000) / elapsed),
    over3s: latencies.filter((l) => l > 3_000).length,
    sendLagP99: r2(percentile(lags, 99)),
  };
}

/** Run as a child with an IPC channel: each message is a plan, answered with its result. */
if (process.send && process.argv[1] && /open-loop\.(ts|js)$/.test(process.argv[1])) {
  process.on('message', (plan: LoadPlan) => {
    runOpenLoop(plan).then(
      (result) => process.send?.({ ok: true, result }),
      (err: unknown) => process.send?.({ ok: false, error: (err as Error).message }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
