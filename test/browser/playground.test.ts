/**
 * The playground in a real browser: Chromium (through playwright-core) against the playground
 * router on a real HTTP port, with the real core, PGlite and the outbox dispatcher delivering after
 * each request (like `dispatcher.kick()` in the server). Live updates come over Server-Sent Events.
 *
 * Chromium: CHROMIUM_PATH or /usr/bin/chromium. Missing in CI fails; missing locally skips, with a note.
 * The HTTP-only checks (input validation, escaping, the event stream) run without a browser.
 */

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocalAdapter } from '../../adapters/local/adapter.js';
import { DEMO_CHANNELS, seedDemo, setupDemoNetwork } from '../../adapters/local/demo.js';
import { LocalPlatform } from '../../adapters/local/platform.js';
import { LocalWorkspace } from '../../adapters/local/workspace.js';
import { outboxQueue } from '../../db/repositories/outbox-queue.js';
import { createStore } from '../../db/store.js';
import { createKlik, type Klik } from '../../src/core/app.js';
import { pollLiveMessages } from '../../src/core/polls/live.js';
import { silentLogger } from '../../src/core/ports.js';
import { createMetrics } from '../../src/http/metrics.js';
import { playgroundRouter } from '../../src/http/playground.js';
import { type Form, msg } from '../../src/messages/model.js';
import { OutboxDispatcher } from '../../src/scheduler/outbox-dispatcher.js';
import { browserSuite, launchChromium } from '../support/browser.js';
import { FakeClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const TEST_FORM: Form = {
  formId: 'test.nickname',
  title: 'Je bijnaam',
  submitLabel: 'Opslaan',
  cancelLabel: 'Annuleren',
  intro: 'Een bijnaam met dezelfde letter, zoals *Handige Henk*.',
  fields: [
    { type: 'text', id: 'nickname', label: 'Bijnaam', optional: true, maxLength: 40 },
    { type: 'select', id: 'org', label: 'Organisatie', optional: true, options: [{ label: 'Thebe', value: 'thebe' }] },
  ],
  state: 'state-<&>',
};

interface Harness {
  database: TestDatabase;
  workspace: LocalWorkspace;
  server: Server;
  base: string;
  /** Resolves once every delivery started so far has finished. */
  delivered(): Promise<void>;
}

async function startHarness(): Promise<Harness> {
  const database = await createTestDatabase('pglite');
  const clock = new FakeClock('2026-03-02T09:30:00.000Z');
  const store = createStore(database.db, clock);
  const workspace = new LocalWorkspace({ clock });
  seedDemo(workspace);
  const platform = new LocalPlatform(workspace);
  const klik = createKlik({
    store,
    platforms: { local: platform },
    clock,
    logger: silentLogger,
    defaults: { locale: 'nl', timezone: 'Europe/Amsterdam' },
    scheduledJobs: [],
  });
  // The core opens no form yet (profile and poll are still to come): a wrapper answers one test
  // command with a form, so the dialog is exercised; everything else goes to the real core.
  const withForm: Klik = {
    ...klik,
    async handleCommand(input) {
      return input.text === 'test-form' ? { kind: 'form', form: TEST_FORM } : klik.handleCommand(input);
    },
    async handleForm(input) {
      if (input.formId !== TEST_FORM.formId) return klik.handleForm(input);
      const name = input.values.nickname?.trim() ?? '';
      if (!name) return { kind: 'form-errors', errors: { nickname: 'Kies een bijnaam' } };
      return { kind: 'message', message: msg(`Bijnaam opgeslagen: *${name}* (${input.state})`) };
    },
  };
  const adapter = new LocalAdapter(withForm, workspace);
  const dispatcher = new OutboxDispatcher({
    queue: outboxQueue(database.db, clock),
    platforms: { local: platform },
    clock,
    logger: silentLogger,
    metrics: createMetrics(),
    workerId: 'browser-test',
    live: pollLiveMessages(store, clock),
  });

  // One delivery run at a time, chained; each drains the outbox.
  let chain: Promise<void> = Promise.resolve();
  const deliver = () => {
    chain = chain.then(async () => {
      while ((await dispatcher.runOnce()) > 0) {
        // keep going while rows come back
      }
    });
    chain.catch(() => {});
  };

  await setupDemoNetwork(adapter);
  deliver();
  await chain;

  const app = express();
  app.use('/', playgroundRouter({ adapter, workspace, onActivity: deliver }));
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return { database, workspace, server, base: `http://127.0.0.1:${port}`, delivered: () => chain };
}

async function stopHarness(h: Harness | undefined): Promise<void> {
  if (!h) return;
  h.server.closeAllConnections();
  await new Promise<void>((resolve) => h.server.close(() => resolve()));
  await h.delivered().catch(() => {});
  await h.database.close();
}

describe('playground over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await stopHarness(h);
  });

  const postJson = (path: string, body: unknown) =>
    fetch(`${h.base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('serves the page in Dutch by default and in English with ?lang=en', async () => {
    const nl = await (await fetch(`${h.base}/`)).text();
    expect(nl).toContain('<html lang="nl">');
    expect(nl).toContain('Je bent');
    expect(nl).toContain('# leernetwerk-ouderenzorg');
    // The demo network's announcement is in the channel.
    expect(nl).toContain('Hallo #leernetwerk-ouderenzorg!');
    const en = await (await fetch(`${h.base}/?lang=en&as=U-priya`)).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('You are');
    expect(en).toMatch(/<option value="U-priya" selected>Priya Ramdin/);
  });

  it('answers bad input with 400 and a short message, never a stack trace', async () => {
    const cases: Array<[string, unknown]> = [
      ['/playground/command', {}],
      ['/playground/command', { as: 'U-anna', conversation: DEMO_CHANNELS.network, text: '   ' }],
      ['/playground/command', { as: 'U-nobody', conversation: DEMO_CHANNELS.network, text: 'help' }],
      ['/playground/command', { as: 'U-anna', conversation: 'D-U-henk', text: 'help' }],
      ['/playground/command', { as: 'U-anna', conversation: DEMO_CHANNELS.network, text: '/giphy cats' }],
      ['/playground/action', { as: 'U-anna', messageId: 'M-nope', actionId: 'setup.confirm', value: 'x' }],
      ['/playground/action', { as: 'U-anna', messageId: 'M1', actionId: 42, value: 'x' }],
      ['/playground/form', { as: 'U-anna', formId: 'f', state: '', values: { a: 1 } }],
      ['/playground/channel', { as: 'U-anna', conversation: DEMO_CHANNELS.coffee, op: 'explode' }],
    ];
    for (const [path, body] of cases) {
      const res = await postJson(path, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      const data = (await res.json()) as { error: string };
      expect(typeof data.error).toBe('string');
      expect(data.error.length).toBeLessThanOrEqual(200);
      expect(data.error).not.toMatch(/\n\s+at /);
    }
    const broken = await fetch(`${h.base}/playground/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"as": ',
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({ error: 'invalid JSON' });
  });

  it('runs a command over JSON and shows the answer only to who typed it', async () => {
    const res = await postJson('/playground/command', {
      as: 'U-kees',
      conversation: DEMO_CHANNELS.network,
      text: '/klik organisaties',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, reply: { kind: 'message' } });
    const kees = await (
      await fetch(`${h.base}/playground/view?as=U-kees&conversation=${DEMO_CHANNELS.network}`)
    ).text();
    expect(kees).toContain('Organisaties in dit netwerk');
    expect(kees).toContain('Alleen zichtbaar voor jou');
    const ilse = await (
      await fetch(`${h.base}/playground/view?as=U-ilse&conversation=${DEMO_CHANNELS.network}`)
    ).text();
    expect(ilse).not.toContain('Organisaties in dit netwerk');
  });

  it('escapes names and texts', async () => {
    h.workspace.addUser({
      id: 'U-evil',
      displayName: '<img src=x onerror=alert(1)> "Eve"',
      organisation: '<b>Org</b>',
    });
    h.workspace.join(DEMO_CHANNELS.coffee, 'U-evil');
    const res = await postJson('/playground/command', {
      as: 'U-evil',
      conversation: DEMO_CHANNELS.coffee,
      text: '<script>alert(1)</script>',
    });
    expect(res.status).toBe(200);
    const page = await (await fetch(`${h.base}/?as=U-evil&conversation=${DEMO_CHANNELS.coffee}`)).text();
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<b>Org</b>');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt; &quot;Eve&quot;');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('streams workspace changes as Server-Sent Events and stops listening when the client goes', async () => {
    const before = h.workspace.events.listenerCount('change');
    const abort = new AbortController();
    const res = await fetch(`${h.base}/playground/events`, { signal: abort.signal });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let seen = '';
    const readUntil = async (needle: string) => {
      while (!seen.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}`);
        seen += decoder.decode(value, { stream: true });
      }
    };
    await readUntil('event: hello');
    expect(h.workspace.events.listenerCount('change')).toBe(before + 1);
    h.workspace.setBotInChannel(DEMO_CHANNELS.coffee, true);
    await readUntil('event: change');
    abort.abort();
    await reader.cancel().catch(() => {});
    await vi.waitFor(() => expect(h.workspace.events.listenerCount('change')).toBe(before));
  });
});

const chromiumSuite = browserSuite('playground browser test');

chromiumSuite('playground in Chromium', () => {
  let h: Harness | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    h = await startHarness();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stopHarness(h);
  });

  async function open(as: string, conversation: string): Promise<Page> {
    if (!browser || !h) throw new Error('not started');
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${h.base}/?as=${as}&conversation=${conversation}`);
    await page.locator('body[data-ready="true"]').waitFor();
    expect(errors).toEqual([]);
    return page;
  }

  async function type(page: Page, text: string): Promise<void> {
    const input = page.locator('#composer-input');
    await input.fill(text);
    await input.press('Enter');
  }

  it('shows /klik help as a message only the typist sees', async () => {
    const page = await open('U-anna', DEMO_CHANNELS.network);
    await type(page, '/klik help');
    const answer = page.locator('.msg-ephemeral', { hasText: 'Klik houdt je leernetwerk levend' });
    await answer.waitFor();
    expect(await answer.locator('.only-you').textContent()).toBe('Alleen zichtbaar voor jou');
    expect(await answer.locator('.typed code').textContent()).toBe('/klik help');
    // The composer is cleared for the next command.
    expect(await page.locator('#composer-input').inputValue()).toBe('');
    await page.close();
  });

  it('sets up #nieuw-netwerk: preview, Start Klik, and the announcement appears live', async () => {
    // Henk watches the channel in his own tab: he must see the announcement arrive, not the preview.
    const henk = await open('U-henk', DEMO_CHANNELS.newNetwork);
    expect(await henk.locator('#sidebar a.conv-link[data-conversation="D-U-henk"] .badge').textContent()).toBe('1');
    const page = await open('U-anna', DEMO_CHANNELS.network);

    await page.locator('#sidebar a.conv-link', { hasText: 'nieuw-netwerk' }).click();
    await page.locator('h1.conv-title', { hasText: '# nieuw-netwerk' }).waitFor();
    await page.locator('body[data-ready="true"]').waitFor();

    await type(page, '/klik setup');
    const preview = page.locator('.msg-ephemeral', { hasText: 'Klik starten in dit kanaal?' });
    await preview.waitFor();
    const previewText = (await preview.textContent()) ?? '';
    for (const name of ['Henk Jansen', 'Fatima el Amrani', 'Sanne Visser', 'Ilse Mulder', 'Priya Ramdin']) {
      expect(previewText).toContain(name);
    }
    // Nothing in the channel yet, for Anna or for Henk.
    expect(await page.locator('#messages .msg:not(.msg-ephemeral)').count()).toBe(0);
    expect(await henk.locator('#messages .msg').count()).toBe(0);

    await preview.getByRole('button', { name: 'Start Klik' }).click();

    const announcement = page.locator('#messages .msg:not(.msg-ephemeral)', { hasText: 'Hallo #nieuw-netwerk!' });
    await announcement.waitFor();
    expect(await announcement.textContent()).toContain('Anna de Vries');
    // The preview was replaced by the confirmation.
    await page.locator('.msg-ephemeral', { hasText: 'Klik draait' }).waitFor();
    expect(await page.locator('.msg-ephemeral', { hasText: 'Klik starten in dit kanaal?' }).count()).toBe(0);

    // Henk's tab updated by itself (Server-Sent Events): the announcement, never Anna's preview.
    await henk.locator('#messages .msg', { hasText: 'Hallo #nieuw-netwerk!' }).waitFor();
    expect(await henk.locator('.msg-ephemeral').count()).toBe(0);
    // And his second welcome DM (after the demo network's) is counted in his sidebar.
    await henk.locator('#sidebar a.conv-link[data-conversation="D-U-henk"] .badge', { hasText: '2' }).waitFor();
    await henk.close();
    await page.close();
  });

  it('opens a form as a dialog, shows field errors, and closes it on success', async () => {
    const page = await open('U-sanne', DEMO_CHANNELS.network);
    await type(page, 'test-form');
    const dialog = page.locator('dialog#form-dialog[open]');
    await dialog.waitFor();
    expect(await dialog.locator('.klik-form-title').textContent()).toBe('Je bijnaam');

    await dialog.getByRole('button', { name: 'Opslaan' }).click();
    await dialog.locator('.form-errors', { hasText: 'Kies een bijnaam' }).waitFor();

    await dialog.locator('input[name="nickname"]').fill('Slimme Sanne');
    await dialog.getByRole('button', { name: 'Opslaan' }).click();
    await page.locator('dialog#form-dialog:not([open])').waitFor({ state: 'attached' });
    await page.locator('.msg-ephemeral', { hasText: 'Bijnaam opgeslagen: Slimme Sanne (state-<&>)' }).waitFor();

    // Cancel closes it without an answer.
    await type(page, 'test-form');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Annuleren' }).click();
    await page.locator('dialog#form-dialog:not([open])').waitFor({ state: 'attached' });
    expect(h?.workspace.getOpenForm('U-sanne')).toBeUndefined();
    await page.close();
  });

  it('switches the acting member with the "you are" select', async () => {
    const page = await open('U-anna', DEMO_CHANNELS.network);
    await Promise.all([page.waitForURL(/as=U-priya/), page.locator('#as-select').selectOption('U-priya')]);
    await page.locator('body[data-ready="true"]').waitFor();
    await type(page, 'help');
    await page.locator('.msg-ephemeral', { hasText: 'Klik keeps your learning network alive' }).waitFor();
    await page.close();
  });
});
