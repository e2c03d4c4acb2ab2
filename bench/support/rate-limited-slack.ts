/**
 * A proxy in front of the fake Slack that enforces Slack's documented Web API rate limits, sped
 * up: a limit of N calls a minute becomes N a second. Past a limit it answers as Slack does, HTTP
 * 429 with `Retry-After` (whole seconds) and `{ ok: false, error: 'ratelimited' }`, and the call
 * never reaches the fake. Limits hold in any sliding one-second window, per workspace and method,
 * and for `chat.postMessage` per channel as well.
 *
 * Slack's tiers (api.slack.com/apis/rate-limits): Tier 2 20+/min, Tier 3 50+/min, Tier 4 100+/min;
 * `chat.postMessage` is "special": about 1 message a second per channel.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';

export interface MethodLimit {
  /** Calls a (sped-up) minute, i.e. a second here. */
  perWindow: number;
  /** Counted per channel instead of per workspace. */
  perChannel?: boolean;
}

/** Slack's documented limits of the methods Klik calls, each minute made a second (60 times faster). */
export const SLACK_LIMITS_SPED_UP: Record<string, MethodLimit> = {
  'conversations.open': { perWindow: 50 }, // Tier 3
  'chat.postMessage': { perWindow: 60, perChannel: true }, // special: 1 per second per channel
  'chat.postEphemeral': { perWindow: 100 }, // Tier 4
  'chat.update': { perWindow: 50 }, // Tier 3
  'users.info': { perWindow: 100 }, // Tier 4
  'conversations.members': { perWindow: 100 }, // Tier 4
  'views.open': { perWindow: 100 }, // Tier 4
  'views.publish': { perWindow: 100 }, // Tier 4
  'auth.test': { perWindow: 100 }, // special, generous
};

const WINDOW_MS = 1_000;

export interface MethodStats {
  accepted: number;
  limited: number;
  firstAt: number | null;
  lastAt: number | null;
}

export class RateLimitedSlack {
  readonly stats = new Map<string, MethodStats>();
  private readonly windows = new Map<string, number[]>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly now: () => number,
  ) {}

  /** `now` (milliseconds, monotonic) is injectable so tests decide what falls in one window. */
  static async start(
    upstream: string,
    limits: Record<string, MethodLimit> = SLACK_LIMITS_SPED_UP,
    now: () => number = () => performance.now(),
  ) {
    const up = new URL(upstream);
    let proxy: RateLimitedSlack | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const method = (req.url ?? '').split('?')[0]?.replace(/^\/api\//, '') ?? '';
        const wait = proxy?.admit(method, limits[method], req.headers['content-type'] ?? '', body) ?? 0;
        if (wait > 0) {
          res.writeHead(429, { 'retry-after': String(Math.ceil(wait / 1000)), 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
          return;
        }
        const forward = request(
          { host: up.hostname, port: up.port, path: req.url, method: req.method, headers: req.headers },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        forward.on('error', () => {
          if (!res.headersSent) res.writeHead(502);
          res.end();
        });
        forward.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new RateLimitedSlack(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, now);
    return proxy;
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** 0 when the call may go through (and counts it), else the milliseconds until it may. */
  private admit(method: string, limit: MethodLimit | undefined, contentType: string, body: Buffer): number {
    const stats = this.stats.get(method) ?? { accepted: 0, limited: 0, firstAt: null, lastAt: null };
    this.stats.set(method, stats);
    const now = this.now();
    if (limit) {
      let key = method;
      if (limit.perChannel) {
        const raw = body.toString('utf8');
        const args = contentType.includes('json')
          ? (JSON.parse(raw || '{}') as Record<string, unknown>)
          : (parseQuery(raw) as Record<string, unknown>);
        key = `${method}:${String(args.channel ?? '')}`;
      }
      const calls = this.windows.get(key) ?? [];
      while (calls.length > 0 && (calls[0] as number) <= now - WINDOW_MS) calls.shift();
      if (calls.length >= limit.perWindow) {
        stats.limited++;
        this.windows.set(key, calls);
        return (calls[0] as number) + WINDOW_MS - now;
      }
      calls.push(now);
      this.windows.set(key, calls);
    }
    stats.accepted++;
    stats.firstAt ??= now;
    stats.lastAt = now;
    return 0;
  }

  /**
   * The least time the limits allow for the calls accepted so far, in ms: per limited key,
   * `ceil(calls / limit) - 1` full windows after the first call (the first window's calls go at once).
   */
  minimumMs(limits: Record<string, MethodLimit> = SLACK_LIMITS_SPED_UP): number {
    let worst = 0;
    for (const [method, stats] of this.stats) {
      const limit = limits[method];
      if (!limit || limit.perChannel) continue; // one post per channel here: never the bottleneck
      worst = Math.max(worst, (Math.ceil(stats.accepted / limit.perWindow) - 1) * WINDOW_MS);
    }
    return worst;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections?.();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
