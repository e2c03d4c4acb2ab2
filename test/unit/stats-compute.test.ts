/**
 * Network health figures from a hand-made history whose answers are worked out by hand in the
 * comments. Now is Monday 15 June 2026, 12:00 in Amsterdam; 90 days before is 17 March 10:00 UTC;
 * the 8-week window starts 20 April 10:00 UTC.
 */
import { describe, expect, it } from 'vitest';
import { computeStats, timelines } from '../../src/core/stats/compute.js';
import { initials, networkGraph } from '../../src/core/stats/graph.js';
import type { GroupMemberFact, MemberFact, StatsFacts } from '../../src/core/stats/ports.js';

const NOW = new Date('2026-06-15T10:00:00Z');
const TZ = 'Europe/Amsterdam';
const d = (iso: string) => new Date(iso);

const member = (
  memberId: string,
  displayName: string,
  organisationId: string | null,
  status: MemberFact['status'],
  joinedAt: string,
  leftAt: string | null = null,
): MemberFact => ({
  memberId,
  displayName,
  organisationId,
  status,
  joinedAt: d(joinedAt),
  leftAt: leftAt ? d(leftAt) : null,
  forgotten: false,
});

const gm = (
  roundId: string,
  groupId: string,
  memberId: string,
  checkIn: string | null,
  leftAt: string | null = null,
): GroupMemberFact => ({ roundId, groupId, memberId, checkIn, leftAt: leftAt ? d(leftAt) : null });

function history(): StatsFacts {
  return {
    members: [
      // A, B, C: members from before the event log (no events): joined in January.
      member('A', 'Anna de Vries', 'X', 'active', '2026-01-10T09:00:00Z'),
      member('B', 'Bram Bakker', 'Y', 'active', '2026-01-10T09:00:00Z'),
      member('C', 'Cor Claassen', 'X', 'left', '2026-01-10T09:00:00Z', '2026-04-20T09:00:00Z'),
      // D joined in May (logged); E joined in February and left in May (logged).
      member('D', 'Dirk Dekker', null, 'active', '2026-05-05T09:00:00Z'),
      member('E', 'Eva Evers', 'Y', 'left', '2026-02-01T09:00:00Z', '2026-05-20T09:00:00Z'),
      // F: member since December (before the log), left in March, back on 1 April 00:30 Amsterdam time.
      member('F', 'Fatima el Amrani', 'Z', 'active', '2025-12-01T09:00:00Z'),
    ],
    events: [
      { memberId: 'D', kind: 'join', at: d('2026-05-05T09:00:00Z') },
      { memberId: 'E', kind: 'join', at: d('2026-02-01T09:00:00Z') },
      { memberId: 'E', kind: 'leave', at: d('2026-05-20T09:00:00Z') },
      { memberId: 'F', kind: 'leave', at: d('2026-03-10T09:00:00Z') },
      { memberId: 'F', kind: 'join', at: d('2026-03-31T22:30:00Z') },
    ],
    rounds: [
      { id: 'r1', number: 1, startedAt: d('2026-02-02T08:00:00Z'), checkInAt: d('2026-02-09T08:00:00Z') },
      { id: 'r2', number: 2, startedAt: d('2026-03-02T08:00:00Z'), checkInAt: d('2026-03-09T08:00:00Z') },
      // Still waiting for its check-in (17 June).
      { id: 'r3', number: 3, startedAt: d('2026-06-10T08:00:00Z'), checkInAt: d('2026-06-17T08:00:00Z') },
    ],
    groupMembers: [
      // r1: g1 met (A yes), g2 did not (not yet / skipped) → 1 of 2.
      gm('r1', 'g1', 'A', 'yes'),
      gm('r1', 'g1', 'B', null),
      gm('r1', 'g2', 'C', 'not_yet'),
      gm('r1', 'g2', 'E', 'skipped'),
      // r2: g3 (three) met; in g4 only B said yes, but B left the group mid-round → 1 of 2.
      gm('r2', 'g3', 'A', null),
      gm('r2', 'g3', 'C', 'yes'),
      gm('r2', 'g3', 'E', null),
      gm('r2', 'g4', 'B', 'yes', '2026-03-04T08:00:00Z'),
      gm('r2', 'g4', 'F', null),
      // r3 (pending): D already said yes.
      gm('r3', 'g5', 'A', null),
      gm('r3', 'g5', 'D', 'yes'),
    ],
    activity: [
      { memberId: 'A', at: d('2026-06-01T10:00:00Z') }, // tip: active
      { memberId: 'B', at: d('2026-03-01T10:00:00Z') }, // check-in in March: went quiet
      { memberId: 'F', at: d('2026-04-19T10:00:00Z') }, // vote, just before the window
      { memberId: 'F', at: d('2026-04-21T10:00:00Z') }, // RSVP, inside: active
      { memberId: 'C', at: d('2026-05-01T10:00:00Z') }, // left the network: not counted
    ],
    meetings: [
      {
        id: 'm1',
        title: 'Bezoek Thebe',
        startsAt: d('2026-03-20T13:00:00Z'),
        attendanceTaken: true,
        going: 5,
        attended: 4,
        noShow: 1,
        lateCancellations: 1,
      },
      {
        id: 'm2',
        title: 'Online',
        startsAt: d('2026-05-15T13:00:00Z'),
        attendanceTaken: false,
        going: 3,
        attended: 0,
        noShow: 0,
        lateCancellations: 0,
      },
    ],
    tipTimes: [d('2026-06-01T10:00:00Z'), d('2026-05-10T10:00:00Z'), d('2026-05-11T10:00:00Z')],
    organisations: [
      { id: 'X', name: 'Thebe' },
      { id: 'Y', name: 'Amarant' },
      { id: 'Z', name: 'Zorggroep Elde' },
      { id: 'W', name: 'Unused' },
    ],
  };
}

describe('network health figures', () => {
  const stats = computeStats(history(), NOW, TZ);

  it('members now and 90 days ago, from events and from the rows before the log', () => {
    // Now: A, B, D, F. On 17 March: A, B, C and E (F had left on 10 March, D came in May).
    expect(stats.members).toEqual({ now: 4, ninetyDaysAgo: 4 });
  });

  it('joins, leaves and members per month in network time, and tips per month', () => {
    const byMonth = Object.fromEntries(stats.months.map((m) => [m.month, m]));
    expect(stats.months.map((m) => m.month)).toEqual([
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
    ]);
    expect(byMonth['2025-11']).toEqual({ month: '2025-11', joins: 0, leaves: 0, members: 0, tips: 0 });
    expect(byMonth['2025-12']).toEqual({ month: '2025-12', joins: 1, leaves: 0, members: 1, tips: 0 });
    expect(byMonth['2026-01']).toEqual({ month: '2026-01', joins: 3, leaves: 0, members: 4, tips: 0 });
    expect(byMonth['2026-02']).toEqual({ month: '2026-02', joins: 1, leaves: 0, members: 5, tips: 0 });
    // F's return at 00:30 on 1 April Amsterdam time counts in April, not March.
    expect(byMonth['2026-03']).toEqual({ month: '2026-03', joins: 0, leaves: 1, members: 4, tips: 0 });
    expect(byMonth['2026-04']).toEqual({ month: '2026-04', joins: 1, leaves: 1, members: 4, tips: 0 });
    expect(byMonth['2026-05']).toEqual({ month: '2026-05', joins: 1, leaves: 1, members: 4, tips: 2 });
    expect(byMonth['2026-06']).toEqual({ month: '2026-06', joins: 0, leaves: 0, members: 4, tips: 1 });
    expect(stats.tips.lastMonths).toBe(3);
  });

  it('active in the last 8 weeks, and who went quiet', () => {
    // A (tip 1 June) and F (RSVP 21 April) of A, B, D, F; D never did anything, B went quiet.
    expect(stats.activity).toEqual({ windowDays: 56, active: 2, members: 4, share: 0.5 });
    expect(stats.quiet).toEqual([{ memberId: 'B', name: 'Bram Bakker', lastActiveAt: d('2026-03-01T10:00:00Z') }]);
  });

  it('rounds with their met-rate; a pending round stays out of the totals', () => {
    expect(stats.rounds.list).toEqual([
      { number: 1, startedAt: d('2026-02-02T08:00:00Z'), groups: 2, met: 1, pending: false, metRate: 0.5 },
      { number: 2, startedAt: d('2026-03-02T08:00:00Z'), groups: 2, met: 1, pending: false, metRate: 0.5 },
      { number: 3, startedAt: d('2026-06-10T08:00:00Z'), groups: 1, met: 1, pending: true, metRate: null },
    ]);
    expect(stats.rounds).toMatchObject({ count: 3, pending: 1, groups: 4, met: 2, metRate: 0.5 });
  });

  it('distinct connections and the share across organisations', () => {
    // A-B (Thebe/Amarant), A-C (both Thebe), A-E, C-E (across), A-D (D has no organisation).
    expect(stats.connections).toEqual({ pairs: 5, crossOrganisation: 3, share: 0.6 });
  });

  it('meetings: yes, came, no-shows and late cancellations; attendance only where taken', () => {
    expect(stats.meetings).toMatchObject({ count: 2, going: 8, attended: 4, noShow: 1, lateCancellations: 1 });
    expect(stats.meetings.list[1]).toMatchObject({ title: 'Online', going: 3, attended: null, noShow: null });
  });

  it('the picture: current members by name, coloured by used organisations, a line per pair that met', () => {
    const graph = networkGraph(history(), 'anoniem');
    expect(graph.organisations).toEqual(['Amarant', 'Thebe', 'Zorggroep Elde']);
    expect(graph.nodes).toEqual([
      { index: 0, name: 'Anna de Vries', initials: 'AV', organisation: 1, degree: 2 },
      { index: 1, name: 'Bram Bakker', initials: 'BB', organisation: 0, degree: 1 },
      { index: 2, name: 'Dirk Dekker', initials: 'DD', organisation: null, degree: 1 },
      { index: 3, name: 'Fatima el Amrani', initials: 'FA', organisation: 2, degree: 0 },
    ]);
    expect(graph.edges).toEqual([
      { source: 0, target: 1, weight: 1 },
      { source: 0, target: 2, weight: 1 },
    ]);
  });

  it('an empty network has zeros and no shares', () => {
    const empty = computeStats(
      {
        members: [],
        events: [],
        rounds: [],
        groupMembers: [],
        activity: [],
        meetings: [],
        tipTimes: [],
        organisations: [],
      },
      NOW,
      TZ,
    );
    expect(empty.members).toEqual({ now: 0, ninetyDaysAgo: 0 });
    expect(empty.activity.share).toBeNull();
    expect(empty.rounds.metRate).toBeNull();
    expect(empty.connections).toEqual({ pairs: 0, crossOrganisation: 0, share: null });
  });

  it('fills the log from the membership row: a first leave gets its join', () => {
    const t = timelines(history().members, history().events);
    expect(t.get('F')?.map((s) => s.kind)).toEqual(['join', 'leave', 'join']);
    expect(t.get('C')?.map((s) => s.kind)).toEqual(['join', 'leave']);
    expect(t.get('D')?.map((s) => s.kind)).toEqual(['join']);
  });

  it('initials', () => {
    expect(initials('Anna de Vries')).toBe('AV');
    expect(initials('fatima')).toBe('F');
    expect(initials('Ümit van der Berg-Öz')).toBe('ÜB');
    expect(initials('')).toBe('?');
  });
});
