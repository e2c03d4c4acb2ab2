/**
 * Answers through a response_url (adapters/slack/response-url.ts): JSON as Slack expects it, a
 * refusal or a silent server is an error (the caller then posts another way), and a payload whose
 * response_url is missing or not http(s) gets no way to answer at all.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postToResponseUrl, ResponseUrlError, respondVia } from '../../adapters/slack/response-url.js';

describe('response_url answers', () => {
  let server: Server;
  let base: string;
  const received: Array<{ path: string; type: string | undefined; body: unknown }> = [];
  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let raw = '';
      req.on('data', (c) => {
        raw += c;
      });
      req.on('end', () => {
        received.push({ path: req.url ?? '', type: req.headers['content-type'], body: JSON.parse(raw || 'null') });
        if (req.url === '/expired') {
          res.writeHead(404).end('expired_url');
        } else if (req.url === '/silent') {
          // Never answers.
        } else {
          res.writeHead(200).end('ok');
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('posts the message as JSON, several in a row over kept-alive connections', async () => {
    const respond = respondVia({ response_url: `${base}/commands/T1/1/abc` });
    expect(respond).toBeDefined();
    for (const text of ['één', 'twee']) await respond?.({ response_type: 'ephemeral', text });
    expect(received.filter((r) => r.path === '/commands/T1/1/abc')).toEqual([
      { path: '/commands/T1/1/abc', type: 'application/json', body: { response_type: 'ephemeral', text: 'één' } },
      { path: '/commands/T1/1/abc', type: 'application/json', body: { response_type: 'ephemeral', text: 'twee' } },
    ]);
  });

  it('turns a refusal into an error with its status', async () => {
    const err = await postToResponseUrl(new URL(`${base}/expired`), { text: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseUrlError);
    expect(err).toMatchObject({ status: 404, code: 'slack_response_url' });
  });

  it('gives up on a server that does not answer', async () => {
    const err = await postToResponseUrl(new URL(`${base}/silent`), { text: 'x' }, 50).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseUrlError);
    expect(err).toMatchObject({ status: null });
  });

  it('offers no answer for a missing, malformed or non-http response_url', () => {
    for (const body of [
      {},
      null,
      { response_url: 42 },
      { response_url: 'not a url' },
      { response_url: 'file:///etc/passwd' },
      { response_url: 'javascript:alert(1)' },
    ]) {
      expect(respondVia(body), JSON.stringify(body)).toBeUndefined();
    }
  });
});
