/**
 * `my-data`: a readable private message and a single-use, 15-minute JSON download of everything
 * Klik holds about the caller. Two installations share a platform user id: neither the message, the
 * link, nor forget-me of one sees or touches the other's data. Expired, used and forged links get a
 * clear page and no data.
 */
import type { Server } from 'node:http';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKlik, type Klik } from '../../src/core/app.js';
import type { Reply } from '../../src/core/inputs.js';
import { silentLogger } from '../../src/core/ports.js';
import { myDataLinks, myDataRouter } from '../../src/http/my-data.js';
import { closeServer } from '../../src/http/server.js';
import { createSecretBox } from '../../src/security/crypto.js';
import { backends } from '../support/db.js';
import { serveRouters } from '../support/http.js';
import { bootLocalStack, buttonsOf, type LocalStack, textOf } from '../support/local-stack.js';

const CHANNEL = 'C-zorg';
const PEOPLE = [
  { id: 'U-anna', displayName: 'Anna de Vries', locale: 'nl-NL' },
  { id: 'U-henk', displayName: 'Henk Jansen', locale: 'nl-NL' },
  { id: 'U-fatima', displayName: 'Fatima el Amrani', locale: 'en-GB' },
];
const HERE = { platform: 'local' as const, externalId: 'local' };
const THERE = { platform: 'local' as const, externalId: 'other-tenant' };
const MIN = 60_000;

const text = (r: Reply) => (r.kind === 'message' || r.kind === 'update' ? textOf(r.message) : `<${r.kind}>`);

describe.each(backends())('my-data (%s)', (backend) => {
  let s: LocalStack;
  let server: Server;
  let base: string;
  let klik: Klik;
  const box = createSecretBox('m'.repeat(40));
  let here: string;
  let there: string;

  const exec = async <T = Record<string, unknown>>(q: ReturnType<typeof sql>): Promise<T[]> =>
    ((await s.database.db.execute(q)) as unknown as { rows: T[] }).rows;

  const run = (installation: typeof HERE, userId: string, words: string, channelId = CHANNEL) =>
    klik.handleCommand({
      installation,
      channelId,
      channelName: 'zorg',
      isDirect: false,
      actor: { platformUserId: userId },
      text: words,
    });

  const linkOf = (reply: Reply): string => {
    if (reply.kind !== 'message') throw new Error(reply.kind);
    const url = buttonsOf(reply.message).find((b) => b.actionId === 'privacy.download')?.url;
    if (!url) throw new Error('no download link');
    return url.replace('http://klik.test', base);
  };

  beforeEach(async () => {
    s = await bootLocalStack({
      backend,
      start: '2026-03-03T09:00:00Z',
      seed: (ws) => {
        for (const p of PEOPLE) ws.addUser(p);
        ws.addChannel({ id: CHANNEL, name: 'zorg', memberIds: PEOPLE.map((p) => p.id), botInChannel: true });
      },
    });
    klik = createKlik({
      store: s.store,
      platforms: { local: s.platform },
      clock: s.clock,
      logger: silentLogger,
      defaults: { locale: 'nl', timezone: 'Europe/Amsterdam' },
      scheduledJobs: [],
      myDataLinks: myDataLinks(box, 'http://klik.test'),
    });
    ({ server, base } = await serveRouters([
      { path: '/my-data', router: myDataRouter({ store: s.store, box, clock: s.clock, logger: silentLogger }) },
    ]));

    // Installation one: a network, a profile, a round with a note, a tip, a vote and an RSVP.
    // The same channel id and person in two installations: a network in each.
    for (const inst of [HERE, THERE]) expect((await run(inst, 'U-anna', 'start')).kind).toBe('message');
    for (const inst of [HERE, THERE]) {
      const id = await s.store.transaction(async (tx) => {
        const i = await tx.installations.ensure(inst.platform, inst.externalId);
        return (await tx.networks.findByChannel(i.id, CHANNEL))!.id;
      });
      await klik.handleAction({
        installation: inst,
        channelId: CHANNEL,
        actor: { platformUserId: 'U-anna' },
        actionId: 'setup.confirm',
        value: id,
      });
    }
    here = (await s.store.transaction((tx) => tx.installations.ensure('local', 'local'))).id;
    there = (await s.store.transaction((tx) => tx.installations.ensure('local', 'other-tenant'))).id;
    const annaHere = (await s.store.transaction((tx) => tx.members.findByPlatformId(here, 'U-anna')))!;
    const annaThere = (await s.store.transaction((tx) => tx.members.findByPlatformId(there, 'U-anna')))!;
    await s.store.transaction(async (tx) => {
      await tx.members.updateProfile(here, annaHere.id, { role: 'Wijkverpleegkundige', canShare: 'Roosters maken' });
      await tx.members.updateProfile(there, annaThere.id, { role: 'Geheime rol elders', canShare: 'Niet van hier' });
    });
    await run(HERE, 'U-anna', 'koppel nu');
    await run(HERE, 'U-anna', 'tip Altijd koffie bij de overdracht #team');
    await run(THERE, 'U-anna', 'tip Tip uit de andere werkruimte #elders');
    const group = (
      await exec<{ group_id: string }>(sql`select group_id from pairing_group_members where member_id = ${annaHere.id}`)
    )[0]!.group_id;
    await s.store.transaction((tx) => tx.pairing.saveNote(here, group, annaHere.id, 'Henk kent het rooster', false));
    const network = (await s.store.transaction((tx) => tx.networks.findByChannel(here, CHANNEL)))!.id;
    await exec(sql`insert into polls (id, installation_id, network_id, title, channel_id)
      values ('00000000-0000-4000-8000-000000000001', ${here}, ${network}, 'Bedrijfsbezoek', ${CHANNEL})`);
    await exec(sql`insert into poll_options (id, installation_id, poll_id, position, date, starts_at)
      values ('00000000-0000-4000-8000-000000000002', ${here}, '00000000-0000-4000-8000-000000000001', 0,
        '2026-04-01', '2026-03-31T22:00:00Z')`);
    await exec(sql`insert into poll_votes (installation_id, poll_id, option_id, member_id, choice, updated_at)
      values (${here}, '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002',
        ${annaHere.id}, 'if_need_be', now())`);
    await exec(sql`insert into meetings (id, installation_id, network_id, title, starts_at, uid)
      values ('00000000-0000-4000-8000-000000000003', ${here}, ${network}, 'Bezoek Zonnehuis',
        '2026-04-01T08:00:00Z', 'uid-1@klik')`);
    await exec(sql`insert into meeting_rsvps (installation_id, meeting_id, member_id, status, responded_at, attendance)
      values (${here}, '00000000-0000-4000-8000-000000000003', ${annaHere.id}, 'going', now(), 'attended')`);
  });

  afterEach(async () => {
    await closeServer(server, 1_000);
    await s.close();
  });

  it('shows a readable summary in the member language and a JSON download that works once', async () => {
    const reply = await run(HERE, 'U-anna', 'mijn-gegevens');
    const shown = text(reply);
    expect(shown).toContain('Wat Klik van je bewaart');
    expect(shown).toContain('Anna de Vries');
    expect(shown).toContain('Wijkverpleegkundige');
    expect(shown).toMatch(/#zorg \(doet mee, coördinator\)/);
    expect(shown).toMatch(
      /koppelingen 1 · leernotities 1 · op je niet-met-lijst 0 · stemmen in prikkers 1 · antwoorden op bijeenkomsten 1 · tips 1/,
    );
    expect(shown).toContain('Nederlands');
    expect(shown).not.toMatch(/Geheime rol|andere werkruimte/);

    const english = text(await run(HERE, 'U-fatima', 'my-data'));
    expect(english).toContain('What Klik holds about you');
    expect(english).toContain('Fatima el Amrani');

    const url = linkOf(reply);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.headers.get('content-disposition')).toContain('attachment');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.text();
    const data = JSON.parse(body);
    expect(data.member).toMatchObject({
      platformUserId: 'U-anna',
      displayName: 'Anna de Vries',
      role: 'Wijkverpleegkundige',
    });
    expect(data.memberships).toEqual([expect.objectContaining({ networkName: '#zorg', coordinator: true })]);
    expect(data.pairings).toHaveLength(1);
    expect(data.pairings[0].note).toBe('Henk kent het rooster');
    expect(data.pairings[0].partners.length).toBeGreaterThan(0);
    expect(data.votes).toEqual([expect.objectContaining({ poll: 'Bedrijfsbezoek', choice: 'if_need_be' })]);
    expect(data.rsvps).toEqual([expect.objectContaining({ meeting: 'Bezoek Zonnehuis', attendance: 'attended' })]);
    expect(data.tips).toEqual([
      expect.objectContaining({ text: 'Altijd koffie bij de overdracht #team', tags: ['team'] }),
    ]);
    expect(body).not.toMatch(/Geheime rol|andere werkruimte|Niet van hier/);

    const again = await fetch(url);
    expect(again.status).toBe(410);
    const page = await again.text();
    expect(page).toContain('al gebruikt');
    expect(page).not.toContain('Wijkverpleegkundige');
  });

  it('refuses an expired, a forged and a cross-installation link with a page and no data', async () => {
    const url = linkOf(await run(HERE, 'U-anna', 'my-data'));
    s.clock.advance(16 * MIN);
    const expired = await fetch(url);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toMatch(/verlopen/);

    const fresh = linkOf(await run(HERE, 'U-anna', 'my-data'));
    const forged = await fetch(`${fresh.slice(0, -3)}abc`);
    expect(forged.status).toBe(404);
    const forgedPage = await forged.text();
    expect(forgedPage).toMatch(/klopt niet/);
    expect(forgedPage).toMatch(/not valid/);
    expect(forgedPage).not.toMatch(/Anna/);
    // Signed with another key: refused too.
    const other = myDataLinks(createSecretBox('x'.repeat(40)), base).link({
      installationId: here,
      memberId: (await s.store.transaction((tx) => tx.members.findByPlatformId(here, 'U-anna')))!.id,
      locale: 'nl',
      expiresAt: new Date(s.clock.now().getTime() + 10 * MIN),
    });
    expect((await fetch(other)).status).toBe(404);
    // A correctly signed grant naming one installation and a member of the other shows nothing.
    const annaThere = (await s.store.transaction((tx) => tx.members.findByPlatformId(there, 'U-anna')))!;
    const crossed = myDataLinks(box, base).link({
      installationId: here,
      memberId: annaThere.id,
      locale: 'en',
      expiresAt: new Date(s.clock.now().getTime() + 10 * MIN),
    });
    const res = await fetch(crossed);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toMatch(/Geheime rol/);
    // The fresh link itself still works once.
    expect((await fetch(fresh)).status).toBe(200);
  });

  it('forget-me in one installation leaves the same person in the other untouched', async () => {
    const confirm = await run(THERE, 'U-anna', 'vergeet-mij');
    const yes = buttonsOf((confirm as { message: Parameters<typeof buttonsOf>[0] }).message).find(
      (b) => b.actionId === 'privacy.forget.confirm',
    )!;
    const done = await klik.handleAction({
      installation: THERE,
      channelId: CHANNEL,
      actor: { platformUserId: 'U-anna' },
      actionId: yes.actionId,
      value: yes.value,
    });
    expect(text(done)).toMatch(/Klik is je vergeten/);
    expect(
      await exec(sql`select 1 from members where installation_id = ${there} and platform_user_id = 'U-anna'`),
    ).toEqual([]);
    expect(await exec(sql`select 1 from forgotten_members where installation_id = ${here}`)).toEqual([]);
    const stillHere = await s.store.transaction(async (tx) => ({
      member: await tx.members.findByPlatformId(here, 'U-anna'),
      forgotten: await tx.privacy.isForgotten(here, 'U-anna'),
      forgottenThere: await tx.privacy.isForgotten(there, 'U-anna'),
    }));
    expect(stillHere.member).toMatchObject({ displayName: 'Anna de Vries', role: 'Wijkverpleegkundige' });
    expect(stillHere.forgotten).toBe(false);
    expect(stillHere.forgottenThere).toBe(true);
    expect(text(await run(HERE, 'U-anna', 'mijn-gegevens'))).toContain('Wijkverpleegkundige');
    // A confirmation from one installation cannot be replayed in the other.
    const annaHere = stillHere.member!;
    const replay = await klik.handleAction({
      installation: HERE,
      channelId: CHANNEL,
      actor: { platformUserId: 'U-henk' },
      actionId: 'privacy.forget.confirm',
      value: annaHere.id,
    });
    expect(text(replay)).toMatch(/iemand anders/);
  });
});
