/**
 * The coordinator dashboard in a real browser: Chromium (playwright-core) against the dashboard
 * router on a real HTTP port, the real core and PGlite with a seeded history (test/support/
 * stats-history.ts). A link shows the four charts and the network picture, on a desktop and on a
 * phone, with no request leaving Klik and no script or policy error; the same link a second time,
 * an expired one (fake clock) and a forged one show the refusal page. Screenshots go to test-results/.
 *
 * Chromium: CHROMIUM_PATH or /usr/bin/chromium. Missing in CI fails; missing locally skips, with a note.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKlik, type Klik } from '../../src/core/app.js';
import type { InstallationKey, Reply } from '../../src/core/inputs.js';
import { silentLogger } from '../../src/core/ports.js';
import { dashboardRouter, statsAccess } from '../../src/http/dashboard.js';
import { closeServer } from '../../src/http/server.js';
import type { Message } from '../../src/messages/model.js';
import { createSecretBox } from '../../src/security/crypto.js';
import { browserSuite, launchChromium } from '../support/browser.js';
import { serveRouters } from '../support/http.js';
import { bootLocalStack, buttonsOf, type LocalStack } from '../support/local-stack.js';
import {
  HEALTH,
  HEALTH_CHANNEL,
  HEALTH_NOW,
  seedHealthHistory,
  seedHealthWorkspace,
} from '../support/stats-history.js';

const RESULTS = 'test-results';

const INSTALLATION: InstallationKey = { platform: 'local', externalId: 'local' };
const suite = browserSuite('dashboard browser test');

suite('dashboard in Chromium', () => {
  let s: LocalStack;
  let klik: Klik;
  let server: Server;
  let base: string;
  let browser: Browser;
  const box = createSecretBox('b'.repeat(40));

  const command = (text: string): Promise<Reply> =>
    klik.handleCommand({
      installation: INSTALLATION,
      channelId: HEALTH_CHANNEL,
      channelName: 'gezond-netwerk',
      isDirect: false,
      actor: { platformUserId: 'U-anna', displayName: 'Anna de Vries', locale: 'nl-NL' },
      text,
    });
  const dashboardUrl = async (): Promise<string> => {
    const url = buttonsOf(((await command('dashboard')) as { message: Message }).message)[0]?.url;
    if (!url) throw new Error('no dashboard link');
    return url.replace('http://klik.test', base);
  };

  beforeAll(async () => {
    s = await bootLocalStack({ start: HEALTH_NOW, seed: (ws) => seedHealthWorkspace(ws) });
    klik = createKlik({
      store: s.store,
      platforms: { local: s.platform },
      clock: s.clock,
      logger: silentLogger,
      defaults: { locale: 'nl', timezone: 'Europe/Amsterdam' },
      scheduledJobs: [],
      statsAccess: statsAccess(box, 'http://klik.test'),
    });
    const preview = await command('start');
    const confirm = buttonsOf((preview as { message: Message }).message).find((b) => b.actionId === 'setup.confirm')!;
    await klik.handleAction({
      installation: INSTALLATION,
      channelId: HEALTH_CHANNEL,
      actor: { platformUserId: 'U-anna', displayName: 'Anna de Vries', locale: 'nl-NL' },
      actionId: confirm.actionId,
      value: confirm.value,
    });
    await seedHealthHistory(s.database.db, s.store, { platform: 'local', externalId: 'local' });
    ({ server, base } = await serveRouters([
      { path: '/dashboard', router: dashboardRouter({ store: s.store, box, clock: s.clock, logger: silentLogger }) },
    ]));
    browser = await launchChromium();
    mkdirSync(RESULTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    if (server) await closeServer(server, 1_000);
    await s?.close();
  });

  /** A page that records every request and every error (script errors, CSP violations in the console). */
  async function openPage(viewport: { width: number; height: number }): Promise<{
    page: Page;
    requests: string[];
    errors: string[];
  }> {
    const page = await browser.newPage({ viewport });
    page.setDefaultTimeout(10_000);
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    return { page, requests, errors };
  }

  it('shows the charts and the network picture, with nothing loaded from elsewhere', async () => {
    const { page, requests, errors } = await openPage({ width: 1280, height: 900 });
    const url = await dashboardUrl();
    const res = await page.goto(url);
    expect(res?.status()).toBe(200);
    await page.locator('body[data-ready="true"]').waitFor();
    expect(errors).toEqual([]);
    expect(requests.every((r) => r.startsWith(base))).toBe(true);
    expect(requests.some((r) => r.endsWith('/dashboard/assets/chart.umd.min.js'))).toBe(true);

    expect(await page.locator('h1').textContent()).toBe('#gezond-netwerk: hoe gaat het met het netwerk?');
    expect(await page.locator('#tile-members .value').textContent()).toBe('4');
    expect(await page.locator('#tile-active .value').textContent()).toBe('75%');
    expect(await page.locator('#tile-met .value').textContent()).toBe('50%');
    expect(await page.locator('#tile-connections .value').textContent()).toBe('5');

    // Four charts, drawn by Chart.js from the figures in the page, with something painted on them.
    for (const id of ['chart-members', 'chart-rounds', 'chart-meetings', 'chart-tips']) {
      const canvas = page.locator(`canvas#${id}[data-drawn="true"]`);
      await canvas.waitFor();
      const box = await canvas.boundingBox();
      expect(box?.width, id).toBeGreaterThan(200);
      expect(box?.height, id).toBeGreaterThan(150);
      // Pixels with any paint (the test runs without DOM types: the browser code is a string).
      const painted = await page.evaluate<number>(`(() => {
        const el = document.getElementById('${id}');
        const data = el.getContext('2d').getImageData(0, 0, el.width, el.height).data;
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
        return n;
      })()`);
      expect(painted, id).toBeGreaterThan(1_000);
    }
    const series = await page.evaluate(`(() => {
      const charts = window.klikCharts;
      return {
        members: charts[0].data.datasets[0].data.slice(-6),
        metRate: charts[1].data.datasets[0].data,
        going: charts[2].data.datasets[0].data,
        tips: charts[3].data.datasets[0].data.slice(-6),
      };
    })()`);
    expect(series).toEqual({
      members: Object.values(HEALTH.months).map((m) => m.members),
      metRate: [50, 50],
      going: [4, 3],
      tips: Object.values(HEALTH.months).map((m) => m.tips),
    });

    // The network picture: a dot per current member, a line per pair that met, a legend.
    const graph = page.locator('svg#network-graph');
    expect(await graph.isVisible()).toBe(true);
    expect(await graph.locator('g.node').count()).toBe(HEALTH.graph.nodes);
    expect(await graph.locator('line').count()).toBe(HEALTH.graph.edges);
    expect(await graph.locator('g.node[data-degree="0"] title').textContent()).toBe(
      'Fatima el Amrani (Zorggroep Elde)',
    );
    expect(await page.locator('.legend li').allTextContents()).toEqual([
      'Amarant',
      'Thebe',
      'Zorggroep Elde',
      'Geen organisatie',
    ]);
    expect(await page.locator('.quiet li').textContent()).toContain('Bram Bakker');

    await page.screenshot({ path: `${RESULTS}/dashboard.png`, fullPage: true });
    await page.close();
  });

  it('reads on a phone: one column, nothing wider than the screen', async () => {
    const { page, errors } = await openPage({ width: 390, height: 844 });
    await page.goto(await dashboardUrl());
    await page.locator('body[data-ready="true"]').waitFor();
    expect(errors).toEqual([]);
    const widths = await page.evaluate<{ scroll: number; viewport: number; graph: number }>(`({
      scroll: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
      graph: document.getElementById('network-graph').getBoundingClientRect().width,
    })`);
    expect(widths.scroll).toBeLessThanOrEqual(widths.viewport);
    expect(widths.graph).toBeGreaterThan(300);
    const [first, second] = await page
      .locator('.grid .card')
      .evaluateAll((els) => els.slice(0, 2).map((e) => e.getBoundingClientRect().top));
    expect(second).toBeGreaterThan(first ?? 0);
    await page.screenshot({ path: `${RESULTS}/dashboard-phone.png`, fullPage: true });
    await page.close();
  });

  it('the same link a second time, an expired one and a forged one show the refusal page and no data', async () => {
    const { page } = await openPage({ width: 800, height: 600 });
    const url = await dashboardUrl();
    expect((await page.goto(url))?.status()).toBe(200);
    await page.locator('body[data-ready="true"]').waitFor();

    const again = await page.goto(url);
    expect(again?.status()).toBe(410);
    expect(await page.locator('h1').textContent()).toBe('Deze link werkt niet meer');
    expect(await page.locator('#refusal-used').textContent()).toContain('al een keer geopend');
    expect(await page.locator('canvas').count()).toBe(0);
    expect(await page.content()).not.toContain('Bram Bakker');

    const expiring = await dashboardUrl();
    s.clock.advance(16 * 60_000);
    expect((await page.goto(expiring))?.status()).toBe(410);
    expect(await page.locator('#refusal-expired').textContent()).toContain('15 minuten');
    expect(await page.locator('svg#network-graph').count()).toBe(0);

    const valid = await dashboardUrl();
    const token = valid.split('/').at(-1)!;
    const forged = `${base}/dashboard/${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`;
    expect((await page.goto(forged))?.status()).toBe(404);
    expect(await page.locator('section[lang="nl"] p').textContent()).toBe(
      'Deze link klopt niet. Vraag een nieuwe aan met /klik dashboard.',
    );
    expect(await page.locator('section[lang="en"] p').textContent()).toBe(
      'This link is not valid. Ask for a new one with /klik dashboard.',
    );
    expect(await page.content()).not.toContain('Anna de Vries');
    await page.screenshot({ path: `${RESULTS}/dashboard-refused.png` });
    await page.close();
  });
});
