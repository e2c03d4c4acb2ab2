/**
 * The dashboard page and its link, without a database: names and titles are escaped (also inside the
 * embedded JSON), a token of another kind or with a changed payload is refused, the refusal page says
 * why in the right language, and the layout keeps every dot inside the picture.
 */
import { describe, expect, it } from 'vitest';
import { computeStats } from '../../src/core/stats/compute.js';
import { networkGraph } from '../../src/core/stats/graph.js';
import type { StatsFacts } from '../../src/core/stats/ports.js';
import { layoutGraph, NODE_RADIUS } from '../../src/http/dashboard/layout.js';
import { dashboardPage, jsonForScript, refusalPage } from '../../src/http/dashboard/page.js';
import { readDashboardToken, statsAccess } from '../../src/http/dashboard.js';
import { exportLinks } from '../../src/http/export.js';
import { translator } from '../../src/messages/i18n.js';
import { createSecretBox } from '../../src/security/crypto.js';

const NOW = new Date('2026-06-15T10:00:00Z');
const EVIL = '<img src=x onerror=alert(1)>';

function facts(): StatsFacts {
  const joined = new Date('2026-01-05T09:00:00Z');
  return {
    members: [
      {
        memberId: 'm1',
        displayName: EVIL,
        organisationId: 'o1',
        status: 'active',
        joinedAt: joined,
        leftAt: null,
        forgotten: false,
      },
      {
        memberId: 'm2',
        displayName: 'Henk',
        organisationId: null,
        status: 'active',
        joinedAt: joined,
        leftAt: null,
        forgotten: false,
      },
      {
        memberId: 'm3',
        displayName: '',
        organisationId: null,
        status: 'paused',
        joinedAt: joined,
        leftAt: null,
        forgotten: true,
      },
    ],
    events: [],
    rounds: [{ id: 'r1', number: 1, startedAt: joined, checkInAt: joined }],
    groupMembers: [
      { roundId: 'r1', groupId: 'g1', memberId: 'm1', checkIn: 'yes', leftAt: null },
      { roundId: 'r1', groupId: 'g1', memberId: 'm2', checkIn: null, leftAt: null },
    ],
    activity: [{ memberId: 'm1', at: new Date('2026-02-01T09:00:00Z') }],
    meetings: [
      {
        id: 'x',
        title: '</script><script>alert(1)</script>',
        startsAt: new Date('2026-03-01T09:00:00Z'),
        attendanceTaken: true,
        going: 1,
        attended: 1,
        noShow: 0,
        lateCancellations: 0,
      },
    ],
    tipTimes: [],
    organisations: [{ id: 'o1', name: '<b>Org</b>' }],
  };
}

describe('dashboard page', () => {
  it('escapes names, organisations and titles, in the HTML and in the embedded figures', () => {
    const f = facts();
    const html = dashboardPage({
      name: 'Netwerk <script>',
      locale: 'nl',
      stats: computeStats(f, NOW, 'Europe/Amsterdam'),
      graph: networkGraph(f, 'anoniem'),
      t: translator('nl'),
      nonce: 'n0nce',
    });
    expect(html).not.toContain(EVIL);
    expect(html).not.toContain('<b>Org</b>');
    expect(html).not.toContain('</script><script>alert(1)');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('Netwerk &lt;script&gt;');
    expect(html).toContain('\\u003c/script\\u003e');
    // The forgotten member is a dot without a name; the quiet list names the one who went quiet.
    expect(html).toContain('<title>anoniem (Geen organisatie)</title>');
    expect(html).toMatch(/<ul class="quiet"><li>&lt;img/);
    // Only the nonce'd style and the page's own scripts: no inline script, no style attributes.
    expect(html).toContain('<style nonce="n0nce">');
    expect(html).not.toMatch(/<script>(?!\s*<\/script>)/);
    expect(html).not.toContain('style="');
  });

  it('embeds JSON that cannot end its script element', () => {
    expect(jsonForScript({ a: '</script><!--' })).toBe('{"a":"\\u003c/script\\u003e\\u003c!--"}');
    expect(JSON.parse(jsonForScript({ a: '</script>&\u2028' }))).toEqual({ a: '</script>&\u2028' });
  });

  it('refusal page: the reason in the network language, or both languages for a forged link', () => {
    const used = refusalPage('used', [{ locale: 'en', t: translator('en') }], 'n');
    expect(used).toContain('<html lang="en">');
    expect(used).toContain('already been opened');
    const forged = refusalPage(
      'invalid',
      [
        { locale: 'nl', t: translator('nl') },
        { locale: 'en', t: translator('en') },
      ],
      'n',
    );
    expect(forged).toContain('Deze link klopt niet.');
    expect(forged).toContain('This link is not valid.');
  });
});

describe('dashboard links', () => {
  const box = createSecretBox('k'.repeat(40));
  const access = statsAccess(box, 'https://klik.example.org/');
  const grant = {
    installationId: '00000000-0000-4000-8000-000000000001',
    networkId: '00000000-0000-4000-8000-000000000002',
    memberId: '00000000-0000-4000-8000-000000000003',
    locale: 'en' as const,
    expiresAt: new Date(NOW.getTime() + 15 * 60_000),
  };

  it('signs a link that reads back, each with its own single-use id', () => {
    const a = access.dashboardLink(grant);
    const b = access.dashboardLink(grant);
    expect(a.startsWith('https://klik.example.org/dashboard/')).toBe(true);
    const pa = readDashboardToken(box, a.split('/').at(-1)!);
    const pb = readDashboardToken(box, b.split('/').at(-1)!);
    expect(pa).toMatchObject({ k: 'dashboard', i: grant.installationId, n: grant.networkId, l: 'en' });
    expect(pa?.j).not.toBe(pb?.j);
  });

  it('refuses another key, a changed payload and an export link signed with the same key', () => {
    const token = access.dashboardLink(grant).split('/').at(-1)!;
    expect(readDashboardToken(createSecretBox('z'.repeat(40)), token)).toBeNull();
    const [, sig] = token.split('.');
    const changed = Buffer.from(
      JSON.stringify({ ...readDashboardToken(box, token), n: grant.installationId }),
    ).toString('base64url');
    expect(readDashboardToken(box, `${changed}.${sig}`)).toBeNull();
    const exportToken = exportLinks(box, 'https://klik.example.org')
      .link({ ...grant, expiresAt: grant.expiresAt }, 'tips')
      .split('/')
      .at(-1)!;
    expect(readDashboardToken(box, exportToken)).toBeNull();
  });

  it('API tokens are random and only their keyed hash is kept', () => {
    const one = access.newApiToken();
    const two = access.newApiToken();
    expect(one.token).toMatch(/^klik_[A-Za-z0-9_-]{43}$/);
    expect(one.token).not.toBe(two.token);
    expect(one.hash).toBe(box.hmac('api-token', one.token));
    expect(one.hash).not.toContain(one.token.slice(5));
  });
});

describe('network picture layout', () => {
  it('keeps every dot inside the box, also for a lonely member and a large network', () => {
    for (const n of [1, 2, 12, 150]) {
      const nodes = Array.from({ length: n }, (_, i) => ({
        index: i,
        name: `M${i}`,
        initials: 'M',
        organisation: i % 3,
        degree: 0,
      }));
      const edges = Array.from({ length: Math.max(0, n - 2) }, (_, i) => ({ source: i, target: i + 1, weight: 1 }));
      const placed = layoutGraph({ organisations: ['a', 'b', 'c'], nodes, edges }, 400);
      expect(placed).toHaveLength(n);
      for (const p of placed) {
        expect(p.x).toBeGreaterThanOrEqual(NODE_RADIUS);
        expect(p.x).toBeLessThanOrEqual(400 - NODE_RADIUS);
        expect(p.y).toBeGreaterThanOrEqual(NODE_RADIUS);
        expect(p.y).toBeLessThanOrEqual(400 - NODE_RADIUS);
      }
      // The same graph gives the same picture.
      expect(layoutGraph({ organisations: ['a', 'b', 'c'], nodes, edges }, 400)).toEqual(placed);
    }
  });
});
