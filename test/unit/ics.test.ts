/**
 * Calendar files and the feed, parsed with ical.js: the right start in UTC, all-day meetings as
 * DATE values, the same UID and a higher SEQUENCE after a change, CANCELLED after a cancellation.
 * The feed route (real HTTP, real database): a network's token shows only that network's meetings;
 * forged, garbage and foreign tokens get 404 with no data.
 */
import type { Server } from 'node:http';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../db/store.js';
import { feedIcs, meetingIcs } from '../../src/core/meetings/ics.js';
import type { MeetingRecord } from '../../src/core/meetings/ports.js';
import { type Store, silentLogger } from '../../src/core/ports.js';
import { defaultSettings } from '../../src/core/types.js';
import { calendarLinks, calendarRouter } from '../../src/http/calendar.js';
import { closeServer } from '../../src/http/server.js';
import { createSecretBox } from '../../src/security/crypto.js';
import { FakeClock } from '../support/clock.js';
import { backends, createTestDatabase, type TestDatabase } from '../support/db.js';
import { serveRouters } from '../support/http.js';

const NOW = new Date('2027-03-01T09:00:00Z');

function record(overrides: Partial<MeetingRecord> = {}): MeetingRecord {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    installationId: '22222222-2222-4222-8222-222222222222',
    networkId: '33333333-3333-4333-8333-333333333333',
    pollId: null,
    title: 'Bedrijfsbezoek Avoord; rondleiding, lunch',
    startsAt: new Date('2027-03-09T13:00:00Z'),
    allDayDate: null,
    endsAt: null,
    place: 'Avoord, Etten-Leur',
    hostId: null,
    capacity: null,
    state: 'scheduled',
    uid: 'abc-123@klik',
    sequence: 0,
    attendanceTakenAt: null,
    createdBy: null,
    createdAt: NOW,
    updatedAt: null,
    ...overrides,
  };
}

function events(ics: string) {
  const cal = new ICAL.Component(ICAL.parse(ics));
  return { cal, events: cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v)) };
}

describe('calendar files', () => {
  it('a timed meeting: start and end in UTC, summary and place unescaped, METHOD:PUBLISH', () => {
    const {
      cal,
      events: [e],
    } = events(meetingIcs(record(), NOW));
    expect(cal.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(e!.uid).toBe('abc-123@klik');
    expect(e!.summary).toBe('Bedrijfsbezoek Avoord; rondleiding, lunch');
    expect(e!.location).toBe('Avoord, Etten-Leur');
    expect(e!.startDate.isDate).toBe(false);
    expect(e!.startDate.zone.tzid).toBe('UTC');
    expect(e!.startDate.toJSDate().toISOString()).toBe('2027-03-09T13:00:00.000Z');
    expect(e!.endDate.toJSDate().toISOString()).toBe('2027-03-09T15:00:00.000Z');
    expect(e!.sequence).toBe(0);
    expect(e!.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
  });

  it('an all-day meeting is a DATE value, ending the next day (exclusive)', () => {
    const {
      events: [e],
    } = events(meetingIcs(record({ allDayDate: '2027-03-02', startsAt: new Date('2027-03-01T23:00:00Z') }), NOW));
    expect(e!.startDate.isDate).toBe(true);
    expect(e!.startDate.toString()).toBe('2027-03-02');
    expect(e!.endDate.isDate).toBe(true);
    expect(e!.endDate.toString()).toBe('2027-03-03');
  });

  it('a changed meeting keeps its UID and has a higher SEQUENCE; a cancelled one says CANCELLED', () => {
    const first = events(meetingIcs(record(), NOW)).events[0]!;
    const changed = events(
      meetingIcs(record({ sequence: 1, startsAt: new Date('2027-03-10T08:30:00Z'), updatedAt: NOW }), NOW),
    ).events[0]!;
    expect(changed.uid).toBe(first.uid);
    expect(changed.sequence).toBeGreaterThan(first.sequence);
    expect(changed.startDate.toJSDate().toISOString()).toBe('2027-03-10T08:30:00.000Z');
    const {
      cal,
      events: [cancelled],
    } = events(meetingIcs(record({ sequence: 2, state: 'cancelled' }), NOW));
    expect(cal.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(cancelled!.uid).toBe(first.uid);
    expect(cancelled!.sequence).toBe(2);
    expect(cancelled!.component.getFirstPropertyValue('status')).toBe('CANCELLED');
  });

  it('a feed holds every meeting; an empty feed is still a valid calendar', () => {
    const feed = events(
      feedIcs(
        [
          record(),
          record({ id: '44444444-4444-4444-8444-444444444444', uid: 'b@klik', allDayDate: '2027-04-01', title: 'Dag' }),
        ],
        'Klik: Netwerk, Zuid',
        NOW,
      ),
    );
    expect(feed.events.map((e) => e.uid)).toEqual(['abc-123@klik', 'b@klik']);
    expect(feed.cal.getFirstPropertyValue('x-wr-calname')).toBe('Klik: Netwerk, Zuid');
    const empty = events(feedIcs([], 'Klik: Leeg, of niet', NOW));
    expect(empty.events).toEqual([]);
    expect(empty.cal.getFirstPropertyValue('x-wr-calname')).toBe('Klik: Leeg, of niet');
  });
});

describe.each(backends())('the calendar feed route (%s)', (backend) => {
  let database: TestDatabase;
  let store: Store;
  let server: Server;
  let base: string;
  const box = createSecretBox('calendar-route-secret-0123456789abcdefgh');
  const links = calendarLinks(box, 'https://klik.test');
  const ids: Record<'a' | 'b', { installationId: string; networkId: string; meetingId: string }> = {} as never;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    const clock = new FakeClock(NOW);
    store = createStore(database.db, clock);
    for (const [key, external, title] of [
      ['a', 'T-a', 'Alleen van A'],
      ['b', 'T-b', 'Alleen van B'],
    ] as const) {
      ids[key] = await store.transaction(async (tx) => {
        const inst = await tx.installations.ensure('slack', external);
        const creator = await tx.members.upsertFromPlatform(inst.id, {
          id: `U-${key}`,
          displayName: key,
          isBot: false,
          isDeleted: false,
          isAdmin: false,
        });
        const network = await tx.networks.create({
          installationId: inst.id,
          channelId: 'C-same',
          settings: defaultSettings('nl', 'Europe/Amsterdam', `Netwerk ${key}`),
          createdBy: creator.id,
          createdAt: NOW,
        });
        const meeting = await tx.meetings.create({
          installationId: inst.id,
          networkId: network.id,
          pollId: null,
          title,
          startsAt: new Date('2027-03-09T13:00:00Z'),
          allDayDate: null,
          endsAt: null,
          place: null,
          hostId: null,
          capacity: null,
          uid: `${key}@klik`,
          createdBy: creator.id,
          createdAt: NOW,
        });
        return { installationId: inst.id, networkId: network.id, meetingId: meeting.id };
      });
    }
    ({ server, base } = await serveRouters([
      { path: '/calendar', router: calendarRouter({ store, box, clock, logger: silentLogger }) },
    ]));
  });

  afterAll(async () => {
    await closeServer(server, 1_000);
    await database.close();
  });

  const local = (url: string) => url.replace('https://klik.test', base);

  it("a network's feed parses and holds only that network's meetings", async () => {
    for (const key of ['a', 'b'] as const) {
      const res = await fetch(local(links.feedUrl(ids[key].installationId, ids[key].networkId)));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/calendar');
      const body = await res.text();
      const parsed = events(body).events;
      expect(parsed.map((e) => e.summary)).toEqual([key === 'a' ? 'Alleen van A' : 'Alleen van B']);
      expect(body).not.toContain(key === 'a' ? 'Alleen van B' : 'Alleen van A');
    }
  });

  it("one meeting's file parses; a token never reaches another network's meeting", async () => {
    const a = ids.a;
    const b = ids.b;
    const own = await fetch(local(links.meetingUrl(a.installationId, a.networkId, a.meetingId)));
    expect(own.status).toBe(200);
    expect(events(await own.text()).events[0]!.uid).toBe('a@klik');
    for (const url of [
      links.meetingUrl(a.installationId, a.networkId, b.meetingId), // B's meeting under A's network
      links.meetingUrl(b.installationId, a.networkId, a.meetingId), // A's network under B's installation
      links.feedUrl(a.installationId, b.networkId), // B's network under A's installation
    ]) {
      const res = await fetch(local(url));
      expect(res.status).toBe(404);
      const body = await res.text();
      expect(body).not.toContain('BEGIN:VCALENDAR');
      expect(body).not.toContain('Alleen');
    }
  });

  it('forged and garbage tokens are 404 with no data', async () => {
    const good = links.feedUrl(ids.a.installationId, ids.a.networkId);
    const token = good.slice(good.lastIndexOf('/') + 1, -'.ics'.length);
    const [payload, sig] = token.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ k: 'cal', i: ids.b.installationId, n: ids.b.networkId }),
    ).toString('base64url');
    const otherKey = calendarLinks(createSecretBox('another-secret-0123456789abcdefghijklmn'), base);
    for (const path of [
      `/calendar/${forgedPayload}.${sig}.ics`,
      `/calendar/${payload}.${'A'.repeat(sig!.length)}.ics`,
      `/calendar/${payload}.ics`,
      `/calendar/${token}`,
      '/calendar/garbage.ics',
      `/calendar/${'x'.repeat(5000)}.ics`,
      '/calendar/%00.ics',
      new URL(otherKey.feedUrl(ids.a.installationId, ids.a.networkId)).pathname,
      `/calendar/${box.sign('{"k":"cal","i":"x","n":"y"}')}.ics`,
      `/calendar/${box.sign('not json')}.ics`,
      `/calendar/${box.sign(JSON.stringify({ k: 'export', i: ids.a.installationId, n: ids.a.networkId }))}.ics`,
    ]) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path.slice(0, 60)).toBe(404);
      expect(await res.text()).not.toContain('BEGIN:VCALENDAR');
    }
  });
});
