/**
 * The bench's own instruments: the rate-limited Slack in front of the fake (what the fan-out bench
 * measures against) and the open-loop load generator (what the ack bench measures with).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { slackSignature } from '../../adapters/slack/signature.js';
import { runOpenLoop } from '../../bench/support/open-loop.js';
import { RateLimitedSlack } from '../../bench/support/rate-limited-slack.js';
import { FakeSlack } from '../support/fake-slack.js';

const TOKEN = 'xoxb-bench-test';
/** The limiter's clock: every call in these tests falls in the same window unless a test moves it. */
let clock = 0;
const now = () => clock;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

async function call(apiUrl: string, method: string, args: Record<string, string>) {
  const res = await fetch(`${apiUrl}${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(args).toString(),
  });
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    body: (await res.json()) as { ok: boolean; error?: string },
  };
}

describe('rate-limited Slack', () => {
  it('lets the limit through, then answers 429 with Retry-After without reaching the fake', async () => {
    const fake = await FakeSlack.start();
    closers.push(() => fake.close());
    fake.addTeam({ id: 'T1', token: TOKEN });
    const limited = await RateLimitedSlack.start(fake.url, { 'auth.test': { perWindow: 3 } }, now);
    closers.push(() => limited.close());

    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await call(limited.apiUrl, 'auth.test', {}));

    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429, 429]);
    expect(answers.slice(0, 3).every((a) => a.body.ok)).toBe(true);
    expect(answers[3]).toMatchObject({ retryAfter: '1', body: { ok: false, error: 'ratelimited' } });
    expect(fake.callsOf('auth.test')).toHaveLength(3);
    expect(limited.stats.get('auth.test')).toMatchObject({ accepted: 3, limited: 2 });

    // A second later the window has moved on.
    clock += 1_000;
    expect((await call(limited.apiUrl, 'auth.test', {})).status).toBe(200);
  });

  it('counts chat.postMessage per channel', async () => {
    const fake = await FakeSlack.start();
    closers.push(() => fake.close());
    fake.addTeam({ id: 'T1', token: TOKEN });
    const limited = await RateLimitedSlack.start(
      fake.url,
      { 'chat.postMessage': { perWindow: 1, perChannel: true } },
      now,
    );
    closers.push(() => limited.close());

    const first = await call(limited.apiUrl, 'chat.postMessage', { channel: 'C1', text: 'a' });
    const again = await call(limited.apiUrl, 'chat.postMessage', { channel: 'C1', text: 'b' });
    const other = await call(limited.apiUrl, 'chat.postMessage', { channel: 'C2', text: 'c' });

    expect([first.status, again.status, other.status]).toEqual([200, 429, 200]);
    expect(fake.callsOf('chat.postMessage').map((c) => c.args.channel)).toEqual(['C1', 'C2']);
  });

  it('works out the least time the limits allow from the calls accepted', async () => {
    const fake = await FakeSlack.start();
    closers.push(() => fake.close());
    fake.addTeam({ id: 'T1', token: TOKEN });
    const limits = { 'auth.test': { perWindow: 2 } };
    const limited = await RateLimitedSlack.start(fake.url, limits, now);
    closers.push(() => limited.close());
    expect(limited.minimumMs(limits)).toBe(0);
    await call(limited.apiUrl, 'auth.test', {});
    await call(limited.apiUrl, 'auth.test', {});
    expect(limited.minimumMs(limits)).toBe(0);
    limited.stats.set('auth.test', { accepted: 5, limited: 0, firstAt: 0, lastAt: 0 });
    // 5 calls at 2 a window: windows 1, 2 and 3 → two full windows after the first call.
    expect(limited.minimumMs(limits)).toBe(2_000);
  });
});

describe('open-loop generator', () => {
  it('sends every body once, signed as Slack signs, and counts the answers', async () => {
    const secret = 'bench-test-secret';
    const seen: string[] = [];
    let badSignatures = 0;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        const ts = String(req.headers['x-slack-request-timestamp']);
        if (req.headers['x-slack-signature'] !== slackSignature(secret, ts, body)) badSignatures++;
        seen.push(body);
        // Every fifth request is refused, to prove non-2xx answers are counted apart.
        res.writeHead(seen.length % 5 === 0 ? 500 : 200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => server.close(() => r())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    const bodies = Array.from({ length: 20 }, (_, i) => `n=${i}`);

    const result = await runOpenLoop({ url, signingSecret: secret, rate: 400, bodies });

    expect([...seen].sort()).toEqual([...bodies].sort());
    expect(badSignatures).toBe(0);
    expect(result).toMatchObject({ sent: 20, ok: 16, non2xx: 4, errors: 0 });
    expect(result.p50).toBeLessThanOrEqual(result.p99);
    expect(result.p99).toBeLessThanOrEqual(result.max);
  });
});
