/**
 * Network health end to end on the real core, PGlite and HTTP: `stats` against a seeded history with
 * answers worked out by hand (test/support/stats-history.ts), the dashboard link's life (once, 15
 * minutes, forged), the API with its token, membership events from real commands, and two
 * installations that never see each other's data.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKlik, type Klik } from '../../src/core/app.js';
import type { InstallationKey, Reply } from '../../src/core/inputs.js';
import { silentLogger } from '../../src/core/ports.js';
import { dashboardRouter, statsAccess } from '../../src/http/dashboard.js';
import { closeServer } from '../../src/http/server.js';
import { statsApiRouter, type statsJson } from '../../src/http/stats-api.js';
import type { Message } from '../../src/messages/model.js';
import { createSecretBox } from '../../src/security/crypto.js';
import { backends } from '../support/db.js';
import { serveRouters } from '../support/http.js';
import { bootLocalStack, buttonsOf, type LocalStack, textOf } from '../support/local-stack.js';
import {
  HEALTH,
  HEALTH_CHANNEL,
  HEALTH_NOW,
  HEALTH_PEOPLE,
  type SeededHealth,
  seedHealthHistory,
  seedHealthWorkspace,
} from '../support/stats-history.js';

const ONE: InstallationKey = { platform: 'local', externalId: 'local' };
const TWO: InstallationKey = { platform: 'local', externalId: 'other-workspace' };
const person = (id: string) => HEALTH_PEOPLE.find((p) => p.id === id)!;

describe.each(backends())('network health (%s)', (backend) => {
  let s: LocalStack;
  let server: Server;
  let base: string;
  let klik: Klik;
  let seeded: SeededHealth;
  const box = createSecretBox('h'.repeat(40));

  const command = (userId: string, text: string, installation = ONE, locale?: string): Promise<Reply> =>
    klik.handleCommand({
      installation,
      channelId: HEALTH_CHANNEL,
      channelName: 'gezond-netwerk',
      isDirect: false,
      actor: { platformUserId: userId, displayName: person(userId).displayName, locale: locale ?? 'nl-NL' },
      text,
    });
  const text = (reply: Reply) => {
    if (reply.kind !== 'message') throw new Error(`expected a message, got ${reply.kind}`);
    return textOf(reply.message);
  };
  const dashboardUrl = async (installation = ONE): Promise<string> => {
    const reply = await command('U-anna', 'dashboard', installation);
    const url = buttonsOf((reply as { message: Message }).message)[0]?.url;
    if (!url) throw new Error('no dashboard link');
    return url.replace('http://klik.test', base);
  };
  const issueToken = async (installation = ONE): Promise<string> => {
    const token = /klik_[A-Za-z0-9_-]+/.exec(
      text(await command('U-anna', 'instellingen api-token', installation)),
    )?.[0];
    if (!token) throw new Error('no token');
    return token;
  };
  const api = (networkId: string, token?: string) =>
    fetch(`${base}/api/networks/${networkId}/stats`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  async function setUp(installation: InstallationKey): Promise<void> {
    const preview = await command('U-anna', 'start', installation);
    const confirm = buttonsOf((preview as { message: Message }).message).find((b) => b.actionId === 'setup.confirm');
    if (!confirm) throw new Error('no setup preview');
    await klik.handleAction({
      installation,
      channelId: HEALTH_CHANNEL,
      actor: { platformUserId: 'U-anna', displayName: 'Anna de Vries', locale: 'nl-NL' },
      actionId: confirm.actionId,
      value: confirm.value,
    });
  }

  beforeEach(async () => {
    s = await bootLocalStack({ backend, start: HEALTH_NOW, seed: (ws) => seedHealthWorkspace(ws) });
    klik = createKlik({
      store: s.store,
      platforms: { local: s.platform },
      clock: s.clock,
      logger: silentLogger,
      defaults: { locale: 'nl', timezone: 'Europe/Amsterdam' },
      scheduledJobs: [],
      statsAccess: statsAccess(box, 'http://klik.test'),
    });
    await setUp(ONE);
    seeded = await seedHealthHistory(s.database.db, s.store, { platform: 'local', externalId: 'local' });
    const deps = { store: s.store, box, clock: s.clock, logger: silentLogger };
    ({ server, base } = await serveRouters([
      { path: '/dashboard', router: dashboardRouter(deps) },
      { path: '/api/networks', router: statsApiRouter(deps) },
    ]));
  });

  afterEach(async () => {
    await closeServer(server, 1_000);
    await s.close();
  });

  it('stats: the seeded history in Dutch, every figure as worked out by hand', async () => {
    const out = text(await command('U-anna', 'statistiek'));
    expect(out).toContain('gezond-netwerk in cijfers');
    expect(out).toContain('Leden\n4 (90 dagen geleden: 4)');
    expect(out).toContain('Actief in de laatste 8 weken\n3 van de 4 (75%)');
    expect(out).toContain('Koppelrondes\n3: 2 van de 4 groepjes afgesproken (50%)');
    expect(out).toContain('Nieuwe contacten\n5, waarvan 3 tussen organisaties (60%)');
    expect(out).toContain('Bijeenkomsten\n2: 7 keer ja, 3 gekomen, 1 niet gekomen, 1 laat afgemeld');
    expect(out).toContain('Tips\n3 in de laatste 12 maanden');
    // The last six months, in network time (F's return at 00:30 on 1 April counts in April).
    expect(out).toContain(
      [
        'jan: +3 / −0 · 0 tips',
        'feb: +1 / −0 · 0 tips',
        'mrt: +0 / −1 · 0 tips',
        'apr: +1 / −1 · 0 tips',
        'mei: +1 / −1 · 2 tips',
        'jun: +0 / −0 · 1 tip',
      ].join('\n'),
    );
    expect(out).toContain('#3 (wo 10 jun): 1 groepje, de check-in komt nog');
    expect(out).toContain('#2 (ma 2 mrt): 1 van de 2 groepjes afgesproken (50%)');
    expect(out).toContain('#1 (ma 2 feb): 1 van de 2 groepjes afgesproken (50%)');
    expect(out).toContain('Stil geworden (1)');
    expect(out).toContain('Bram Bakker (laatst actief di 10 mrt)');
    expect(out).toContain('/klik dashboard');
  });

  it('stats in English for an English-speaking coordinator; members are refused', async () => {
    const out = text(await command('U-anna', 'stats', ONE, 'en-GB'));
    expect(out).toContain('Members\n4 (90 days ago: 4)');
    expect(out).toContain('Pairing rounds\n3: 2 of 4 groups met (50%)');
    expect(out).toContain('New connections\n5, of which 3 across organisations (60%)');
    expect(out).toContain('Jun: +0 / −0 · 1 tip');
    expect(text(await command('U-bram', 'statistiek'))).toContain('Alleen een coördinator');
    expect(text(await command('U-bram', 'dashboard'))).toContain('Alleen een coördinator');
    expect(text(await command('U-bram', 'instellingen api-token'))).toContain('Alleen een coördinator');
  });

  it('API: a token shown once gives the figures as JSON; revoked, wrong or missing tokens get 401', async () => {
    const reply = await command('U-anna', 'instellingen api-token');
    const shown = text(reply);
    expect(shown).toContain(`http://klik.test/api/networks/${seeded.networkId}/stats`);
    expect(shown).toContain('alleen nu');
    const token = /klik_[A-Za-z0-9_-]+/.exec(shown)?.[0] ?? '';
    // Only a hash is stored.
    const stored = await s.database.db.execute(sql`select token_hash from api_tokens`);
    const hashes = (stored as unknown as { rows: Array<{ token_hash: string }> }).rows.map((r) => r.token_hash);
    expect(hashes).toHaveLength(1);
    expect(hashes[0]).not.toContain(token.slice(5));

    const res = await api(seeded.networkId, token);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as ReturnType<typeof statsJson>;
    expect(body.network.id).toBe(seeded.networkId);
    expect(body.members).toEqual(HEALTH.members);
    expect(body.activity).toMatchObject(HEALTH.activity);
    expect(body.rounds).toMatchObject(HEALTH.rounds);
    expect(body.connections).toEqual(HEALTH.connections);
    expect(body.meetings).toMatchObject(HEALTH.meetings);
    expect(body.tips).toEqual({ lastMonths: HEALTH.tips });
    expect(body.quiet).toEqual({ count: 1 });
    for (const [month, figures] of Object.entries(HEALTH.months)) {
      expect(body.months.find((m: { month: string }) => m.month === month)).toEqual({ month, ...figures });
    }
    // Nobody is named or identified in the JSON.
    const raw = JSON.stringify(body);
    for (const p of HEALTH_PEOPLE) {
      expect(raw).not.toContain(p.displayName);
      expect(raw).not.toContain(p.id);
    }
    for (const id of Object.values(seeded.memberIds)) expect(raw).not.toContain(id);

    expect((await api(seeded.networkId)).status).toBe(401);
    expect((await api(seeded.networkId, `klik_${'x'.repeat(43)}`)).status).toBe(401);
    expect((await api(randomUUID(), token)).status).toBe(404);
    expect((await api('not-a-network', token)).status).toBe(404);

    // A new token replaces the old one; revoke ends the new one too.
    const second = await issueToken();
    expect((await api(seeded.networkId, token)).status).toBe(401);
    expect((await api(seeded.networkId, second)).status).toBe(200);
    expect(text(await command('U-anna', 'instellingen api-token intrekken'))).toContain('werkt niet meer');
    const revoked = await api(seeded.networkId, second);
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toEqual({ error: 'unauthorized' });
    expect(text(await command('U-anna', 'instellingen api-token intrekken'))).toContain('geen API-token');
    expect(text(await command('U-anna', 'instellingen api-token misschien'))).toContain('api-token intrekken');
  });

  it('dashboard: the link works once, for 15 minutes; forged links get nothing', async () => {
    const reply = await command('U-anna', 'dashboard');
    expect(text(reply)).toContain('één keer, 15 minuten');
    // Slack reports a click on the link button too: it needs no answer (and uses nothing up).
    const click = await klik.handleAction({
      installation: ONE,
      channelId: HEALTH_CHANNEL,
      actor: { platformUserId: 'U-anna', displayName: 'Anna de Vries', locale: 'nl-NL' },
      actionId: 'dashboard.open',
      value: 'dashboard',
    });
    expect(click).toEqual({ kind: 'none' });
    const url = await dashboardUrl();
    // A chat app's link preview and a HEAD request see no figures and leave the link unused.
    const unfurl = await fetch(url, {
      headers: { 'user-agent': 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)' },
    });
    expect(unfurl.status).toBe(200);
    const preview = await unfurl.text();
    expect(preview).toContain('Open de link in je browser');
    expect(preview).not.toContain('Anna de Vries');
    expect((await fetch(url, { method: 'HEAD' })).status).toBe(200);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const page = await res.text();
    expect(page).toContain('<html lang="nl">');
    expect(page).toContain('name="viewport"');
    expect(page).toContain('gezond-netwerk: hoe gaat het met het netwerk?');
    for (const name of ['Anna de Vries', 'Bram Bakker', 'Dirk Dekker', 'Fatima el Amrani', 'Thebe', 'Amarant']) {
      expect(page).toContain(name);
    }
    // Left members are not in the picture; nobody is identified by a platform or internal id.
    expect(page).not.toContain('Cor Claassen');
    for (const p of HEALTH_PEOPLE) expect(page).not.toContain(p.id);
    for (const id of [...Object.values(seeded.memberIds), seeded.installationId]) expect(page).not.toContain(id);
    expect(page.match(/<g class="node"/g)).toHaveLength(HEALTH.graph.nodes);
    expect(page.match(/<line /g)).toHaveLength(HEALTH.graph.edges);
    expect(page).toContain('src="assets/chart.umd.min.js"');

    const again = await fetch(url);
    expect(again.status).toBe(410);
    const used = await again.text();
    expect(used).toContain('al een keer geopend');
    expect(used).not.toContain('Bram Bakker');

    const late = await dashboardUrl();
    s.clock.advance(15 * 60_000 + 1);
    const expired = await fetch(late);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('15 minuten');

    const fresh = await dashboardUrl();
    const [body, sig] = new URL(fresh).pathname.split('/').at(-1)!.split('.');
    const forged = await fetch(`${base}/dashboard/${body}.${sig?.slice(0, -2)}AA`);
    expect(forged.status).toBe(404);
    const forgedPage = await forged.text();
    expect(forgedPage).toContain('Deze link klopt niet.');
    expect(forgedPage).toContain('This link is not valid.');
    expect(forgedPage).not.toContain('Anna de Vries');
    expect((await fetch(`${base}/dashboard/garbage`)).status).toBe(404);
    // The forged attempt did not use up the real link.
    expect((await fetch(fresh)).status).toBe(200);

    // Two requests at once with one link: exactly one gets the page.
    const racing = await dashboardUrl();
    const statuses = (await Promise.all([fetch(racing), fetch(racing), fetch(racing)])).map((r) => r.status);
    expect(statuses.sort()).toEqual([200, 410, 410]);
  });

  it('an English network gets the page and its refusals in English', async () => {
    await command('U-anna', 'instellingen locale en');
    const url = await dashboardUrl();
    const page = await (await fetch(url)).text();
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('gezond-netwerk: network health');
    expect(page).toContain('Who met whom');
    expect(page).toContain('No organisation');
    const again = await fetch(url);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('This link has already been opened.');
  });

  it('serves the chart library and the page script from Klik itself', async () => {
    const chart = await fetch(`${base}/dashboard/assets/chart.umd.min.js`);
    expect(chart.status).toBe(200);
    expect(chart.headers.get('content-type')).toContain('javascript');
    expect(await chart.text()).toContain('Chart');
    const script = await fetch(`${base}/dashboard/assets/dashboard.js`);
    expect(await script.text()).toContain('klik-data');
    expect((await fetch(`${base}/dashboard/assets/..%2F..%2Fpackage.json`)).status).toBe(404);
  });

  it('records joins and leaves from real commands, and churn follows', async () => {
    await command('U-dirk', 'stop');
    s.clock.advance(60 * 60_000);
    await command('U-dirk', 'doe-mee');
    const events = await s.database.db.execute(
      sql`select kind from membership_events where member_id = ${seeded.memberIds.D} order by at, kind`,
    );
    expect((events as unknown as { rows: Array<{ kind: string }> }).rows.map((r) => r.kind)).toEqual([
      'join',
      'leave',
      'join',
    ]);
    const out = text(await command('U-anna', 'statistiek'));
    expect(out).toContain('Leden\n4 (90 dagen geleden: 4)');
    expect(out).toContain('jun: +1 / −1 · 1 tip');
    // A pause is no leave: no event.
    await command('U-dirk', 'pauze 2 weken');
    const after = await s.database.db.execute(
      sql`select count(*)::int as n from membership_events where member_id = ${seeded.memberIds.D}`,
    );
    expect((after as unknown as { rows: Array<{ n: number }> }).rows[0]?.n).toBe(3);
  });

  it('two installations: no command, link or API call of one sees the other', async () => {
    // The second workspace has a network on a channel with the same id, with the same people.
    await setUp(TWO);
    const other = await s.store.transaction(async (tx) => {
      const inst = await tx.installations.ensure('local', TWO.externalId);
      const network = await tx.networks.findByChannel(inst.id, HEALTH_CHANNEL);
      return { installationId: inst.id, networkId: network!.id };
    });
    expect(other.networkId).not.toBe(seeded.networkId);

    // Commands: each sees its own network.
    const two = text(await command('U-anna', 'statistiek', TWO));
    expect(two).toContain('Leden\n6 (90 dagen geleden: 0)');
    expect(two).toContain('Koppelrondes\nnog geen');
    expect(two).toContain('Nieuwe contacten\n0, waarvan 0 tussen organisaties (–)');
    expect(text(await command('U-anna', 'statistiek'))).toContain('Leden\n4 (90 dagen geleden: 4)');

    // Links: the second workspace's page shows none of the first's organisations or meetings.
    const page = await (await fetch(await dashboardUrl(TWO))).text();
    expect(page).not.toContain('Thebe');
    expect(page).not.toContain('Bezoek Thebe');
    expect(page.match(/<line /g)).toBeNull();
    // A link signed for the first installation but naming the second's network finds nothing.
    const crossed = box.sign(
      JSON.stringify({
        k: 'dashboard',
        i: seeded.installationId,
        n: other.networkId,
        m: seeded.memberIds.A,
        l: 'nl',
        e: s.clock.now().getTime() + 60_000,
        j: 'crossed-installation-link',
      }),
    );
    const crossedRes = await fetch(`${base}/dashboard/${crossed}`);
    expect(crossedRes.status).toBe(404);
    expect(await crossedRes.text()).not.toContain('Anna de Vries');

    // API: each token opens its own network only.
    const tokenOne = await issueToken(ONE);
    const tokenTwo = await issueToken(TWO);
    expect((await api(other.networkId, tokenOne)).status).toBe(404);
    expect((await api(seeded.networkId, tokenTwo)).status).toBe(404);
    const own = (await (await api(other.networkId, tokenTwo)).json()) as { members: { now: number } };
    expect(own.members.now).toBe(6);
    // Revoking in one leaves the other's token alone.
    await command('U-anna', 'instellingen api-token intrekken', TWO);
    expect((await api(seeded.networkId, tokenOne)).status).toBe(200);

    // The repository itself: facts of one installation's network asked through the other are empty.
    const leaked = await s.store.transaction((tx) =>
      tx.stats.facts(other.installationId, seeded.networkId, new Date(0), s.clock.now()),
    );
    expect(leaked).toEqual({
      members: [],
      events: [],
      rounds: [],
      groupMembers: [],
      activity: [],
      meetings: [],
      tipTimes: [],
      organisations: [],
    });
  });
});
