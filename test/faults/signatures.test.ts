/**
 * Fault suite: signatures. Any single-byte change to a signed Slack request (body, timestamp or
 * signature) is refused, by the checker and by the real middleware on the HTTP route; any single
 * byte changed in a signed link (src/security/crypto.ts) is refused too.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSlackSignature, slackSignature, slackSignatureMiddleware } from '../../adapters/slack/signature.js';
import { createSecretBox } from '../../src/security/crypto.js';

const SECRET = 'fault-suite-signing-secret';
const NOW = 1_780_000_000;

/** A copy of `bytes` with the byte at `index` replaced by another value. */
function flip(bytes: Buffer, index: number, delta: number): Buffer {
  const out = Buffer.from(bytes);
  const i = index % out.length;
  out[i] = ((out[i] as number) + 1 + (delta % 255)) % 256;
  return out;
}

const body = fc.uint8Array({ minLength: 1, maxLength: 2048 }).map((a) => Buffer.from(a));
const timestamp = fc.integer({ min: NOW - 300, max: NOW + 300 }).map(String);
const position = fc.nat();
const delta = fc.nat({ max: 254 });

describe('Slack request signatures', () => {
  it('accept the request as signed', () => {
    fc.assert(
      fc.property(body, timestamp, (b, ts) => {
        expect(checkSlackSignature(SECRET, { signature: slackSignature(SECRET, ts, b), timestamp: ts }, b, NOW)).toBe(
          null,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('refuse any single byte changed in the body', () => {
    fc.assert(
      fc.property(body, timestamp, position, delta, (b, ts, i, d) => {
        const signature = slackSignature(SECRET, ts, b);
        expect(checkSlackSignature(SECRET, { signature, timestamp: ts }, flip(b, i, d), NOW)).not.toBe(null);
      }),
      { numRuns: 500 },
    );
  });

  it('refuse any single byte changed in the timestamp', () => {
    fc.assert(
      fc.property(body, timestamp, position, delta, (b, ts, i, d) => {
        const signature = slackSignature(SECRET, ts, b);
        const changed = flip(Buffer.from(ts, 'latin1'), i, d).toString('latin1');
        expect(checkSlackSignature(SECRET, { signature, timestamp: changed }, b, NOW)).not.toBe(null);
      }),
      { numRuns: 500 },
    );
  });

  it('refuse any single byte changed in the signature', () => {
    fc.assert(
      fc.property(body, timestamp, position, delta, (b, ts, i, d) => {
        const signature = slackSignature(SECRET, ts, b);
        const changed = flip(Buffer.from(signature, 'latin1'), i, d).toString('latin1');
        expect(checkSlackSignature(SECRET, { signature: changed, timestamp: ts }, b, NOW)).not.toBe(null);
      }),
      { numRuns: 500 },
    );
  });

  describe('on the HTTP route (the real middleware in front of a handler)', () => {
    let server: Server;
    let url: string;
    let reached = 0;

    beforeAll(async () => {
      const app = express();
      app.post('/events', slackSignatureMiddleware({ signingSecret: SECRET }), (_req, res) => {
        reached += 1;
        res.status(200).end();
      });
      server = await new Promise<Server>((ok) => {
        const s = app.listen(0, '127.0.0.1', () => ok(s));
      });
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
    });
    afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

    const send = (raw: Buffer, ts: string, signature: string) =>
      fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-slack-request-timestamp': ts,
          'x-slack-signature': signature,
        },
        body: raw,
      }).then((r) => r.status);

    it('answers 401 to every changed byte and reaches the handler only when untouched', async () => {
      await fc.assert(
        fc.asyncProperty(
          body,
          position,
          delta,
          fc.constantFrom('body', 'timestamp', 'signature'),
          async (b, i, d, where) => {
            const ts = String(Math.floor(Date.now() / 1000));
            const signature = slackSignature(SECRET, ts, b);
            expect(await send(b, ts, signature)).toBe(200);
            const before = reached;
            // Header values must stay printable ASCII for fetch; the body takes any byte.
            const printable = (s: string) => {
              const changed = flip(Buffer.from(s, 'latin1'), i, d);
              const k = i % changed.length;
              changed[k] = 0x21 + (((changed[k] as number) - 0x21 + 94 * 3) % 94);
              if (changed.toString('latin1') === s) changed[k] = s.charCodeAt(k) === 0x21 ? 0x22 : 0x21;
              return changed.toString('latin1');
            };
            const status =
              where === 'body'
                ? await send(flip(b, i, d), ts, signature)
                : where === 'timestamp'
                  ? await send(b, printable(ts), signature)
                  : await send(b, ts, printable(signature));
            expect(status).toBe(401);
            expect(reached).toBe(before);
          },
        ),
        { numRuns: 60 },
      );
    });
  });
});

describe('signed links (secret box)', () => {
  const box = createSecretBox('s'.repeat(40));
  const payload = fc.string({ minLength: 1, maxLength: 300 });

  it('verify an untouched token', () => {
    fc.assert(
      fc.property(payload, (p) => {
        expect(box.verify(box.sign(p))).toBe(p);
      }),
      { numRuns: 200 },
    );
  });

  it('refuse any single byte changed anywhere in the token', () => {
    fc.assert(
      fc.property(payload, position, delta, (p, i, d) => {
        const token = box.sign(p);
        const changed = flip(Buffer.from(token, 'latin1'), i, d).toString('latin1');
        expect(box.verify(changed)).toBeNull();
      }),
      { numRuns: 1000 },
    );
  });

  it('refuse a changed last character of the signature (base64url leniency)', () => {
    const token = box.sign('export:network-1:exp:1780000000');
    const [bodyPart, sig] = token.split('.') as [string, string];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (const c of alphabet) {
      if (c === sig.at(-1)) continue;
      expect(box.verify(`${bodyPart}.${sig.slice(0, -1)}${c}`)).toBeNull();
    }
    expect(box.verify(`${token}.extra`)).toBeNull();
  });
});
