/**
 * `export`: a coordinator gets private, expiring links; the HTTP route streams the tips CSV
 * (UTF-8 with BOM, Dutch characters intact, tags, votes, question, author or "anoniem") and the
 * members CSV. Each link works once (410 after); a member is refused; an expired or forged link gets 404.
 */
import type { Server } from 'node:http';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKlik, type Klik } from '../../src/core/app.js';
import type { Reply } from '../../src/core/inputs.js';
import { silentLogger } from '../../src/core/ports.js';
import { exportLinks, exportRouter } from '../../src/http/export.js';
import { csvField } from '../../src/http/export-files.js';
import { closeServer } from '../../src/http/server.js';
import type { Message } from '../../src/messages/model.js';
import { createSecretBox } from '../../src/security/crypto.js';
import { serveRouters } from '../support/http.js';
import { bootLocalStack, buttonsOf, type LocalStack, textOf } from '../support/local-stack.js';

const CHANNEL = 'C-export';
const PEOPLE = [
  { id: 'U-anna', displayName: 'Anna de Vries', locale: 'nl-NL' },
  { id: 'U-henk', displayName: 'Henk Jansen', locale: 'nl-NL' },
];
describe('export', () => {
  let s: LocalStack;
  let server: Server;
  let base: string;
  let klik: Klik;
  const box = createSecretBox('e'.repeat(40));

  const exportAs = (userId: string): Promise<Reply> =>
    klik.handleCommand({
      installation: { platform: 'local', externalId: 'local' },
      channelId: CHANNEL,
      isDirect: false,
      actor: { platformUserId: userId },
      text: 'exporteer',
    });
  const link = (reply: Reply, file: string): string => {
    if (reply.kind !== 'message') throw new Error(reply.kind);
    const url = buttonsOf(reply.message).find((b) => b.value === file)?.url;
    if (!url) throw new Error(`no ${file} link`);
    return url.replace('http://klik.test', base);
  };

  beforeEach(async () => {
    s = await bootLocalStack({
      start: '2026-03-03T09:00:00Z',
      seed: (ws) => {
        for (const p of PEOPLE) ws.addUser(p);
        ws.addChannel({ id: CHANNEL, name: 'export', memberIds: PEOPLE.map((p) => p.id), botInChannel: true });
      },
    });
    await s.adapter.command('U-anna', CHANNEL, 'start');
    const preview = s.workspace.listEphemerals('U-anna', CHANNEL).at(-1)!;
    const confirm = buttonsOf(preview.message).find((b) => b.actionId === 'setup.confirm')!;
    await s.adapter.click('U-anna', preview.id, confirm.actionId, confirm.value);
    await s.deliver();
    klik = createKlik({
      store: s.store,
      platforms: { local: s.platform },
      clock: s.clock,
      logger: silentLogger,
      defaults: { locale: 'nl', timezone: 'Europe/Amsterdam' },
      scheduledJobs: [],
      exportLinks: exportLinks(box, 'http://klik.test'),
    });
    ({ server, base } = await serveRouters([
      { path: '/export', router: exportRouter({ store: s.store, box, clock: s.clock, logger: silentLogger }) },
    ]));
  });

  afterEach(async () => {
    await closeServer(server, 1_000);
    await s.close();
  });

  it('tips and members as CSV with a BOM, Dutch characters intact; anonymous after forget-me', async () => {
    await s.adapter.command('U-henk', CHANNEL, 'tip Een cliëntenraad die meedenkt, "echt" meedenkt #Participatie');
    s.clock.advance(60_000);
    await s.adapter.command('U-anna', CHANNEL, 'tip =SUM(A1) is geen formule #veilig');
    await s.adapter.command('U-henk', CHANNEL, 'tips cliëntenraad');
    const list = s.workspace.listEphemerals('U-henk', CHANNEL).at(-1)!;
    const up = buttonsOf(list.message).find((b) => b.actionId === 'tip.upvote')!;
    await s.adapter.click('U-henk', list.id, up.actionId, up.value);
    await s.database.db.execute(sql`update tips set author_id = null where text like '=SUM%'`);

    const reply = await exportAs('U-anna');
    expect(textOf((reply as { message: Message }).message)).toContain('15 minuten');
    const res = await fetch(link(reply, 'tips'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    const lines = csv.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('created_at,text,tags,upvotes,question,author');
    expect(lines[1]).toContain(
      '"Een cliëntenraad die meedenkt, ""echt"" meedenkt #Participatie",#participatie,1,,Henk Jansen',
    );
    expect(lines[2]).toContain("'=SUM(A1) is geen formule #veilig,#veilig,0,,anoniem");

    // Slack reports a click on a link button: it gets no answer (not "this button no longer works").
    const click = await klik.handleAction({
      installation: { platform: 'local', externalId: 'local' },
      channelId: CHANNEL,
      actor: { platformUserId: 'U-anna' },
      actionId: 'export.tips',
      value: 'tips',
    });
    expect(click).toEqual({ kind: 'none' });

    const members = await (await fetch(link(reply, 'members'))).text();
    expect(members).toContain('Anna de Vries');
    expect(members).toContain('Henk Jansen');
  });

  it('meetings and attendance as CSV: local start times, RSVP counts, late cancellations, attendance', async () => {
    const { anna, henk, net } = await s.store.transaction(async (tx) => {
      const inst = await tx.installations.ensure('local', 'local');
      const network = (await tx.networks.findByChannel(inst.id, CHANNEL))!;
      return {
        net: network,
        anna: (await tx.members.findByPlatformId(inst.id, 'U-anna'))!,
        henk: (await tx.members.findByPlatformId(inst.id, 'U-henk'))!,
      };
    });
    const at = s.clock.now();
    const title = 'Bedrijfsbezoek Avoord, "zorg & wonen"';
    await s.store.transaction(async (tx) => {
      const base = {
        installationId: net.installationId,
        networkId: net.id,
        pollId: null,
        endsAt: null,
        capacity: null,
        createdBy: anna.id,
        createdAt: at,
      };
      const visit = await tx.meetings.create({
        ...base,
        title,
        startsAt: new Date('2027-03-30T12:00:00Z'),
        allDayDate: null,
        place: 'Etten-Leur',
        hostId: henk.id,
        uid: 'visit@klik.test',
      });
      await tx.meetings.create({
        ...base,
        title: 'Heidag',
        startsAt: new Date('2027-04-15T22:00:00Z'),
        allDayDate: '2027-04-16',
        place: null,
        hostId: null,
        uid: 'heidag@klik.test',
      });
      const rsvp = { respondedAt: at, waitlistedAt: null, offerExpiresAt: null };
      await tx.meetings.setRsvp(net.installationId, visit.id, anna.id, { ...rsvp, status: 'going', lateCancel: false });
      await tx.meetings.setRsvp(net.installationId, visit.id, henk.id, {
        ...rsvp,
        status: 'not_going',
        lateCancel: true,
      });
      await tx.meetings.setAttendance(net.installationId, visit.id, anna.id, 'attended');
    });
    const quoted = csvField(title);
    const reply = await exportAs('U-anna');
    const meetings = (await (await fetch(link(reply, 'meetings'))).text()).trim().split('\r\n');
    expect(meetings[0]).toBe(
      'start,start_utc,title,place,host,capacity,state,going,maybe,not_going,waitlist,attended,no_show',
    );
    // 14:00 in Amsterdam (summer time) is 12:00 UTC; an all-day meeting shows its local date.
    expect(meetings[1]).toBe(
      `2027-03-30 14:00,2027-03-30T12:00:00.000Z,${quoted},Etten-Leur,Henk Jansen,,scheduled,1,0,1,0,1,0`,
    );
    expect(meetings[2]).toBe('2027-04-16,2027-04-15T22:00:00.000Z,Heidag,,,,scheduled,0,0,0,0,0,0');
    const attendance = (await (await fetch(link(reply, 'attendance'))).text()).trim().split('\r\n');
    expect(attendance[0]).toBe('meeting_start,meeting,member,answer,late_cancellation,attendance,answered_at');
    expect(attendance.slice(1).sort()).toEqual(
      [
        `2027-03-30T12:00:00.000Z,${quoted},Anna de Vries,going,no,attended,${at.toISOString()}`,
        `2027-03-30T12:00:00.000Z,${quoted},Henk Jansen,not_going,yes,,${at.toISOString()}`,
      ].sort(),
    );
    expect(quoted).toBe('"Bedrijfsbezoek Avoord, ""zorg & wonen"""');
  });

  it('each link works once: a second request (a forwarded link) gets a clear refusal and no data', async () => {
    await s.adapter.command('U-henk', CHANNEL, 'tip Geheim recept voor de kerstborrel');
    const reply = await exportAs('U-anna');
    const url = link(reply, 'tips');
    expect(await (await fetch(url)).text()).toContain('Geheim recept');
    const again = await fetch(url);
    expect(again.status).toBe(410);
    const body = await again.text();
    expect(body).toContain('al gebruikt');
    expect(body).not.toContain('Geheim');
    // The other file's link is its own: still good once.
    expect((await fetch(link(reply, 'members'))).status).toBe(200);
    // A fresh export gives fresh links.
    expect((await fetch(link(await exportAs('U-anna'), 'tips'))).status).toBe(200);
  });

  it('a reported click on any link button (download, dashboard, calendar) gets no answer', async () => {
    for (const actionId of ['export.members', 'privacy.download', 'dashboard.open', 'meeting.google', 'meeting.ics']) {
      const click = await klik.handleAction({
        installation: { platform: 'local', externalId: 'local' },
        channelId: CHANNEL,
        actor: { platformUserId: 'U-henk' },
        actionId,
        value: 'link',
      });
      expect(click, actionId).toEqual({ kind: 'none' });
    }
  });

  it('a member is refused; an expired or altered link gets 404', async () => {
    expect(textOf(((await exportAs('U-henk')) as { message: Message }).message)).toContain('Alleen een coördinator');
    const url = link(await exportAs('U-anna'), 'tips');
    const forged = await fetch(`${url.slice(0, -3)}abc`);
    expect(forged.status).toBe(404);
    expect(await forged.text()).toContain('verlopen of klopt niet');
    s.clock.advance(16 * 60_000);
    expect((await fetch(url)).status).toBe(404);
  });
});
