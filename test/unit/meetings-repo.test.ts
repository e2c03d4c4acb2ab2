/**
 * The meetings repository on a real database: export rows (meetings.csv and attendance.csv) paged
 * by keyset with nothing lost or repeated and scoped to one network; host rotation suggests a
 * going member who never hosted, else the one who hosted longest ago.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../db/store.js';
import { pickHost } from '../../src/core/meetings/host.js';
import type { Store } from '../../src/core/ports.js';
import { defaultSettings } from '../../src/core/types.js';
import { FakeClock } from '../support/clock.js';
import { backends, createTestDatabase, type TestDatabase } from '../support/db.js';

const NOW = new Date('2027-03-01T09:00:00Z');
const DAY = 86_400_000;

describe('host rotation (pure)', () => {
  it('never hosted first (in answer order), then the longest ago', () => {
    const last = new Map([
      ['a', new Date('2027-01-01')],
      ['b', new Date('2026-06-01')],
    ]);
    expect(pickHost(['a', 'b', 'c', 'd'], last)).toBe('c');
    expect(pickHost(['a', 'b'], last)).toBe('b');
    expect(pickHost([], last)).toBeNull();
  });
});

describe.each(backends())('meetings repository (%s)', (backend) => {
  let database: TestDatabase;
  let store: Store;
  let installationId: string;
  let networkId: string;
  let otherNetworkId: string;
  const memberIds: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    store = createStore(database.db, new FakeClock(NOW));
    await store.transaction(async (tx) => {
      const inst = await tx.installations.ensure('local', 'local');
      installationId = inst.id;
      for (const name of ['Anna', 'Henk', 'Fatima']) {
        const m = await tx.members.upsertFromPlatform(inst.id, {
          id: `U-${name}`,
          displayName: name,
          isBot: false,
          isDeleted: false,
          isAdmin: false,
        });
        memberIds.push(m.id);
      }
      const mk = (channelId: string) =>
        tx.networks.create({
          installationId: inst.id,
          channelId,
          settings: defaultSettings('nl', 'Europe/Amsterdam', channelId),
          createdBy: memberIds[0]!,
          createdAt: NOW,
        });
      networkId = (await mk('C-1')).id;
      otherNetworkId = (await mk('C-2')).id;
      // Seven meetings in network 1 (two at the same instant), one in network 2.
      const starts = [1, 2, 2, 3, 4, 5, 6].map((d) => new Date(NOW.getTime() + d * DAY));
      for (const [i, startsAt] of starts.entries()) {
        const meeting = await tx.meetings.create({
          installationId: inst.id,
          networkId,
          pollId: null,
          title: `Bijeenkomst ${i}`,
          startsAt,
          allDayDate: null,
          endsAt: null,
          place: i === 0 ? 'Zwolle, "De Hoek"' : null,
          hostId: i < 2 ? memberIds[i]! : null,
          capacity: i === 0 ? 10 : null,
          uid: `m${i}@klik`,
          createdBy: memberIds[0]!,
          createdAt: NOW,
        });
        for (const [j, memberId] of memberIds.entries()) {
          await tx.meetings.setRsvp(inst.id, meeting.id, memberId, {
            status: (['going', 'maybe', 'not_going'] as const)[(i + j) % 3]!,
            respondedAt: NOW,
            lateCancel: j === 2 && i === 0,
            waitlistedAt: null,
            offerExpiresAt: null,
          });
        }
        if (i === 0) await tx.meetings.setAttendance(inst.id, meeting.id, memberIds[0]!, 'attended');
      }
      await tx.meetings.create({
        installationId: inst.id,
        networkId: otherNetworkId,
        pollId: null,
        title: 'Van een ander netwerk',
        startsAt: new Date(NOW.getTime() + DAY),
        allDayDate: null,
        endsAt: null,
        place: null,
        hostId: memberIds[2]!,
        capacity: null,
        uid: 'other@klik',
        createdBy: memberIds[0]!,
        createdAt: NOW,
      });
    });
  });

  afterAll(async () => {
    await database.close();
  });

  it('exportMeetings pages through every meeting of the network once, in start order, with counts', async () => {
    const seen: string[] = [];
    let after: { startsAt: Date; id: string } | null = null;
    for (let page = 0; page < 10; page++) {
      const rows = await store.transaction((tx) => tx.meetings.exportMeetings(installationId, networkId, after, 2));
      if (rows.length === 0) break;
      seen.push(...rows.map((r) => r.title));
      const last = rows.at(-1)!;
      after = { startsAt: last.startsAt, id: last.id };
    }
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `Bijeenkomst ${i}`));
    const [first] = await store.transaction((tx) => tx.meetings.exportMeetings(installationId, networkId, null, 1));
    expect(first).toMatchObject({
      title: 'Bijeenkomst 0',
      place: 'Zwolle, "De Hoek"',
      hostName: 'Anna',
      capacity: 10,
      state: 'scheduled',
      going: 1,
      maybe: 1,
      notGoing: 1,
      waitlist: 0,
      attended: 1,
      noShow: 0,
    });
    const other = await store.transaction((tx) =>
      tx.meetings.exportMeetings(installationId, otherNetworkId, null, 100),
    );
    expect(other.map((r) => r.title)).toEqual(['Van een ander netwerk']);
    const foreign = await store.transaction((tx) =>
      tx.meetings.exportMeetings('00000000-0000-4000-8000-000000000000', networkId, null, 100),
    );
    expect(foreign).toEqual([]);
  });

  it('exportAttendance pages through every answer once (keyset over meeting and member)', async () => {
    const seen = new Set<string>();
    let count = 0;
    let after: { startsAt: Date; meetingId: string; memberId: string } | null = null;
    for (let page = 0; page < 20; page++) {
      const rows = await store.transaction((tx) => tx.meetings.exportAttendance(installationId, networkId, after, 4));
      if (rows.length === 0) break;
      for (const r of rows) seen.add(`${r.meetingId}:${r.memberId}`);
      count += rows.length;
      const last = rows.at(-1)!;
      after = { startsAt: last.startsAt, meetingId: last.meetingId, memberId: last.memberId };
    }
    expect(count).toBe(21);
    expect(seen.size).toBe(21);
    const all = await store.transaction((tx) => tx.meetings.exportAttendance(installationId, networkId, null, 100));
    expect(all.find((r) => r.meetingTitle === 'Bijeenkomst 0' && r.memberName === 'Fatima')).toMatchObject({
      lateCancel: true,
    });
    expect(all.find((r) => r.meetingTitle === 'Bijeenkomst 0' && r.memberName === 'Anna')).toMatchObject({
      status: 'going',
      attendance: 'attended',
    });
  });

  it('lastHosted is per network; upcomingForMember lists going, maybe and waitlist only', async () => {
    const last = await store.transaction((tx) => tx.meetings.lastHosted(installationId, networkId));
    expect([...last.keys()].sort()).toEqual([memberIds[0], memberIds[1]].sort());
    expect(pickHost(memberIds, last)).toBe(memberIds[2]);
    const upcoming = await store.transaction((tx) =>
      tx.meetings.upcomingForMember(installationId, memberIds[0]!, NOW, 100),
    );
    expect(upcoming.every((u) => u.status !== 'not_going')).toBe(true);
    expect(upcoming).toHaveLength(5);
  });
});
