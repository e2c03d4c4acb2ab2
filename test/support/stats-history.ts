/**
 * A network with a known history, for network health tests. Every figure has an answer worked out
 * by hand (HEALTH below). Now is Monday 15 June 2026, 12:00 in Amsterdam.
 *
 * Members (organisation; membership):
 *   A Anna de Vries (Thebe; since 10 Jan, coordinator)   B Bram Bakker (Amarant; since 10 Jan)
 *   C Cor Claassen (Thebe; 10 Jan to 20 Apr)             D Dirk Dekker (none; since 5 May)
 *   E Eva Evers (Amarant; 1 Feb to 20 May)               F Fatima el Amrani (Zorggroep Elde; since 1 Dec,
 *     away 10 Mar, back 00:30 on 1 Apr Amsterdam time)
 * A, B and C predate the event log: their rows alone tell their history.
 *
 * Rounds: #1 (2 Feb) g1 A+B met (A yes), g2 C+E did not (not yet, skipped); #2 (2 Mar) g3 A+C+E met
 * (C yes), g4 B+F did not (B said yes but had left the group); #3 (10 Jun, check-in 17 Jun: pending)
 * g5 A+D, D said yes.
 * Meetings: 20 Mar (attendance taken) A, B, C going and came, E going and did not come, F cancelled
 * late; 15 May (no attendance) A, C, F going; a cancelled one (1 Apr) and a future one (1 Jul) do
 * not count.
 * Activity: A tip 1 Jun; B last on 10 Mar (RSVP); D check-in 11 Jun; F vote 19 Apr, RSVP 21 Apr.
 * Tips: 10 and 11 May (one without author), 1 Jun; one from 30 Jun 2025, outside the 12 months.
 */
import { sql } from 'drizzle-orm';
import type { LocalWorkspace } from '../../adapters/local/workspace.js';
import type { Db } from '../../db/client.js';
import type { Store } from '../../src/core/ports.js';

export const HEALTH_NOW = '2026-06-15T10:00:00.000Z';
export const HEALTH_CHANNEL = 'C-health';

export const HEALTH_PEOPLE = [
  { key: 'A', id: 'U-anna', displayName: 'Anna de Vries', locale: 'nl-NL' },
  { key: 'B', id: 'U-bram', displayName: 'Bram Bakker', locale: 'nl-NL' },
  { key: 'C', id: 'U-cor', displayName: 'Cor Claassen', locale: 'nl-NL' },
  { key: 'D', id: 'U-dirk', displayName: 'Dirk Dekker', locale: 'nl-NL' },
  { key: 'E', id: 'U-eva', displayName: 'Eva Evers', locale: 'nl-NL' },
  { key: 'F', id: 'U-fatima', displayName: 'Fatima el Amrani', locale: 'nl-NL' },
] as const;

type Key = (typeof HEALTH_PEOPLE)[number]['key'];

/** The answers, worked out by hand from the history above. */
export const HEALTH = {
  members: { now: 4, ninetyDaysAgo: 4 },
  /** Last six months: joins, leaves, members at the month's end, tips. */
  months: {
    '2026-01': { joins: 3, leaves: 0, members: 4, tips: 0 },
    '2026-02': { joins: 1, leaves: 0, members: 5, tips: 0 },
    '2026-03': { joins: 0, leaves: 1, members: 4, tips: 0 },
    '2026-04': { joins: 1, leaves: 1, members: 4, tips: 0 },
    '2026-05': { joins: 1, leaves: 1, members: 4, tips: 2 },
    '2026-06': { joins: 0, leaves: 0, members: 4, tips: 1 },
  },
  activity: { active: 3, members: 4, share: 0.75 },
  rounds: { count: 3, pending: 1, groups: 4, met: 2, metRate: 0.5 },
  connections: { pairs: 5, crossOrganisation: 3, share: 0.6 },
  meetings: { count: 2, going: 7, attended: 3, noShow: 1, lateCancellations: 1 },
  tips: 3,
  quiet: ['Bram Bakker'],
  /** The picture: current members A, B, D, F; lines A-B and A-D; F alone. */
  graph: { nodes: 4, edges: 2 },
};

export function seedHealthWorkspace(ws: LocalWorkspace, channelId = HEALTH_CHANNEL): void {
  for (const p of HEALTH_PEOPLE)
    if (!ws.getUser(p.id)) ws.addUser({ id: p.id, displayName: p.displayName, locale: p.locale });
  ws.addChannel({
    id: channelId,
    name: 'gezond-netwerk',
    memberIds: HEALTH_PEOPLE.map((p) => p.id),
    botInChannel: true,
  });
}

export interface SeededHealth {
  installationId: string;
  networkId: string;
  memberIds: Record<Key, string>;
}

/**
 * Rewrites the history of a network that `setup` just made in `channelId` (all six enrolled "now")
 * into the one described above.
 */
export async function seedHealthHistory(
  db: Db,
  store: Store,
  installation: { platform: 'local'; externalId: string },
  channelId = HEALTH_CHANNEL,
): Promise<SeededHealth> {
  const { installationId, networkId, memberIds } = await store.transaction(async (tx) => {
    const inst = await tx.installations.ensure(installation.platform, installation.externalId);
    const network = await tx.networks.findByChannel(inst.id, channelId);
    if (!network) throw new Error('set the network up first');
    const ids = {} as Record<Key, string>;
    for (const p of HEALTH_PEOPLE) {
      const m = await tx.members.findByPlatformId(inst.id, p.id);
      if (!m) throw new Error(`no member ${p.id}`);
      ids[p.key] = m.id;
    }
    return { installationId: inst.id, networkId: network.id, memberIds: ids };
  });
  const I = installationId;
  const N = networkId;
  const M = memberIds;
  const run = (q: ReturnType<typeof sql>) => db.execute(q);
  const ts = (iso: string) => sql`${iso}::timestamptz`;

  // Organisations.
  const org = async (name: string) => {
    const res = await db.execute(
      sql`insert into organisations (installation_id, network_id, name) values (${I}, ${N}, ${name}) returning id`,
    );
    return String((res as unknown as { rows: Array<{ id: string }> }).rows[0]?.id);
  };
  const thebe = await org('Thebe');
  const amarant = await org('Amarant');
  const elde = await org('Zorggroep Elde');
  const orgOf: Record<Key, string | null> = { A: thebe, B: amarant, C: thebe, D: null, E: amarant, F: elde };
  for (const [key, o] of Object.entries(orgOf) as Array<[Key, string | null]>) {
    await run(sql`update members set organisation_id = ${o} where installation_id = ${I} and id = ${M[key]}`);
  }

  // Memberships and the event log.
  await run(sql`delete from membership_events where installation_id = ${I} and network_id = ${N}`);
  const membership = (key: Key, status: string, joined: string, left: string | null) =>
    run(sql`update network_members set status = ${status}, joined_at = ${ts(joined)},
      left_at = ${left ? ts(left) : null} where installation_id = ${I} and network_id = ${N} and member_id = ${M[key]}`);
  await membership('A', 'active', '2026-01-10T09:00:00Z', null);
  await membership('B', 'active', '2026-01-10T09:00:00Z', null);
  await membership('C', 'left', '2026-01-10T09:00:00Z', '2026-04-20T09:00:00Z');
  await membership('D', 'active', '2026-05-05T09:00:00Z', null);
  await membership('E', 'left', '2026-02-01T09:00:00Z', '2026-05-20T09:00:00Z');
  await membership('F', 'active', '2025-12-01T09:00:00Z', null);
  const event = (key: Key, kind: string, at: string) =>
    run(sql`insert into membership_events (installation_id, network_id, member_id, kind, at)
      values (${I}, ${N}, ${M[key]}, ${kind}, ${ts(at)})`);
  await event('D', 'join', '2026-05-05T09:00:00Z');
  await event('E', 'join', '2026-02-01T09:00:00Z');
  await event('E', 'leave', '2026-05-20T09:00:00Z');
  await event('F', 'leave', '2026-03-10T09:00:00Z');
  await event('F', 'join', '2026-03-31T22:30:00Z');

  // Rounds, groups and check-ins.
  const round = async (number: number, started: string, checkIn: string, ends: string) => {
    const res = await db.execute(sql`insert into pairing_rounds
      (installation_id, network_id, number, trigger, started_at, check_in_at, ends_at)
      values (${I}, ${N}, ${number}, 'manual', ${ts(started)}, ${ts(checkIn)}, ${ts(ends)}) returning id`);
    return String((res as unknown as { rows: Array<{ id: string }> }).rows[0]?.id);
  };
  const group = async (roundId: string, rows: Array<[Key, string | null, string | null, string | null]>) => {
    const res = await db.execute(sql`insert into pairing_groups (installation_id, network_id, round_id)
      values (${I}, ${N}, ${roundId}) returning id`);
    const groupId = String((res as unknown as { rows: Array<{ id: string }> }).rows[0]?.id);
    for (const [key, checkIn, at, left] of rows) {
      await run(sql`insert into pairing_group_members
        (installation_id, network_id, group_id, member_id, check_in, check_in_at, left_at)
        values (${I}, ${N}, ${groupId}, ${M[key]}, ${checkIn}, ${at ? ts(at) : null}, ${left ? ts(left) : null})`);
    }
  };
  const r1 = await round(1, '2026-02-02T08:00:00Z', '2026-02-09T08:00:00Z', '2026-02-16T08:00:00Z');
  await group(r1, [
    ['A', 'yes', '2026-02-09T10:00:00Z', null],
    ['B', null, null, null],
  ]);
  await group(r1, [
    ['C', 'not_yet', '2026-02-10T10:00:00Z', null],
    ['E', 'skipped', '2026-02-10T10:00:00Z', null],
  ]);
  const r2 = await round(2, '2026-03-02T08:00:00Z', '2026-03-09T08:00:00Z', '2026-03-16T08:00:00Z');
  await group(r2, [
    ['A', null, null, null],
    ['C', 'yes', '2026-03-09T10:00:00Z', null],
    ['E', null, null, null],
  ]);
  await group(r2, [
    ['B', 'yes', '2026-03-03T10:00:00Z', '2026-03-04T08:00:00Z'],
    ['F', null, null, null],
  ]);
  const r3 = await round(3, '2026-06-10T08:00:00Z', '2026-06-17T08:00:00Z', '2026-06-24T08:00:00Z');
  await group(r3, [
    ['A', null, null, null],
    ['D', 'yes', '2026-06-11T10:00:00Z', null],
  ]);

  // A poll vote (F).
  const poll = await db.execute(sql`insert into polls (installation_id, network_id, title, channel_id, created_at)
    values (${I}, ${N}, 'Bezoek', ${channelId}, ${ts('2026-04-18T08:00:00Z')}) returning id`);
  const pollId = String((poll as unknown as { rows: Array<{ id: string }> }).rows[0]?.id);
  const option = await db.execute(sql`insert into poll_options (installation_id, poll_id, position, date, starts_at)
    values (${I}, ${pollId}, 0, '2026-05-15', ${ts('2026-05-14T22:00:00Z')}) returning id`);
  const optionId = String((option as unknown as { rows: Array<{ id: string }> }).rows[0]?.id);
  await run(sql`insert into poll_votes (installation_id, poll_id, option_id, member_id, choice, updated_at)
    values (${I}, ${pollId}, ${optionId}, ${M.F}, 'yes', ${ts('2026-04-19T10:00:00Z')})`);

  // Meetings and RSVPs.
  let uid = 0;
  const meeting = async (title: string, starts: string, state: string, attendanceTaken: string | null) => {
    uid++;
    const res = await db.execute(sql`insert into meetings
      (installation_id, network_id, title, starts_at, state, uid, attendance_taken_at)
      values (${I}, ${N}, ${title}, ${ts(starts)}, ${state}, ${`health-${N}-${uid}`},
        ${attendanceTaken ? ts(attendanceTaken) : null}) returning id`);
    return String((res as unknown as { rows: Array<{ id: string }> }).rows[0]?.id);
  };
  const rsvp = (meetingId: string, key: Key, status: string, at: string, attendance: string | null, late = false) =>
    run(sql`insert into meeting_rsvps (installation_id, meeting_id, member_id, status, responded_at, late_cancel, attendance)
      values (${I}, ${meetingId}, ${M[key]}, ${status}, ${ts(at)}, ${late}, ${attendance})`);
  const m1 = await meeting('Bezoek Thebe', '2026-03-20T13:00:00Z', 'scheduled', '2026-03-20T17:00:00Z');
  await rsvp(m1, 'A', 'going', '2026-03-10T09:00:00Z', 'attended');
  await rsvp(m1, 'B', 'going', '2026-03-10T09:00:00Z', 'attended');
  await rsvp(m1, 'C', 'going', '2026-03-10T09:00:00Z', 'attended');
  await rsvp(m1, 'E', 'going', '2026-03-10T09:00:00Z', 'no_show');
  await rsvp(m1, 'F', 'not_going', '2026-03-19T20:00:00Z', null, true);
  const m2 = await meeting('Online intervisie', '2026-05-15T13:00:00Z', 'scheduled', null);
  await rsvp(m2, 'A', 'going', '2026-04-25T09:00:00Z', null);
  await rsvp(m2, 'C', 'going', '2026-04-10T09:00:00Z', null);
  await rsvp(m2, 'F', 'going', '2026-04-21T10:00:00Z', null);
  const cancelled = await meeting('Afgelast', '2026-04-01T13:00:00Z', 'cancelled', null);
  await rsvp(cancelled, 'A', 'going', '2026-03-25T09:00:00Z', null);
  const future = await meeting('Zomerborrel', '2026-07-01T15:00:00Z', 'scheduled', null);
  await rsvp(future, 'A', 'going', '2026-06-02T09:00:00Z', null);

  // Tips.
  const tip = (author: Key | null, at: string) =>
    run(sql`insert into tips (installation_id, network_id, author_id, text, search_config, created_at)
      values (${I}, ${N}, ${author ? M[author] : null}, 'Begin klein', 'dutch', ${ts(at)})`);
  await tip('A', '2025-06-30T10:00:00Z');
  await tip('A', '2026-05-10T10:00:00Z');
  await tip(null, '2026-05-11T10:00:00Z');
  await tip('A', '2026-06-01T10:00:00Z');

  return { installationId, networkId, memberIds };
}
