/**
 * Re-confirmations with a fake clock on a real database: 3 days and 1 day before, at the meeting's
 * local time in each member's own zone (across the spring DST change), a weekend moved to the
 * Friday before, only to members going or maybe, once each, never after the start; the network's
 * pause and the reminders / reconfirm switches are honoured.
 */
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Network } from '../../src/core/types.js';
import { meetingSweeps } from '../../src/scheduler/meeting-sweeps.js';
import { bootMeetingNetwork, calendar, meetingFromPoll, rows } from '../e2e/meetings-support.js';
import { backends } from '../support/db.js';
import { buttonsOf, type LocalStack, textOf } from '../support/local-stack.js';

const CHANNEL = 'C-netwerk';
const PEOPLE = [
  { id: 'U-anna', displayName: 'Anna de Vries', locale: 'nl-NL' },
  { id: 'U-henk', displayName: 'Henk Jansen', locale: 'nl-NL', timezone: 'Europe/Amsterdam' },
  { id: 'U-fatima', displayName: 'Fatima el Amrani', locale: 'en-US', timezone: 'America/New_York' },
  { id: 'U-joris', displayName: 'Joris Bakker', locale: 'nl-NL' },
];

describe.each(backends())('meeting re-confirmations (%s)', (backend) => {
  let s: LocalStack;
  let network: Network;
  const [reconfirm] = meetingSweeps(calendar);

  beforeEach(async () => {
    ({ s, network } = await bootMeetingNetwork({
      backend,
      start: '2026-03-16T09:00:00Z',
      people: PEOPLE,
      channelId: CHANNEL,
      coordinator: 'U-anna',
    }));
  });

  afterEach(async () => {
    await s.close();
  });

  const dms = (userId: string) =>
    s.workspace
      .listMessages(s.workspace.dmFor(userId).id)
      .filter((m) => textOf(m.message).match(/Kom je nog|Still coming|Herinnering|Reminder/));

  async function sweepAt(at: string): Promise<number> {
    s.clock.set(at);
    const n = await reconfirm!.run({ store: s.store, now: s.clock.now(), workerId: 'w1' });
    await s.deliver();
    return n;
  }

  /** Tuesday 31 March 2026, 14:00 in Amsterdam (CEST, after the change on Sunday 29 March) = 12:00 UTC. */
  const plan = () =>
    meetingFromPoll(s, network, 'U-anna', {
      title: 'Bedrijfsbezoek Avoord',
      startsAt: new Date('2026-03-31T12:00:00Z'),
      votes: { 'U-anna': 'yes', 'U-henk': 'if_need_be', 'U-fatima': 'yes', 'U-joris': 'no' },
    });

  it('3 days before falls on Saturday: Friday at the same local time; 1 day before after the DST change; each zone its own', async () => {
    await plan();
    await s.deliver();
    // New York: 08:00 EDT on the day; 3 days before is Saturday → Friday 27 March 08:00 EDT = 12:00 UTC.
    expect(await sweepAt('2026-03-27T11:59:00Z')).toBe(0);
    expect(await sweepAt('2026-03-27T12:00:00Z')).toBe(1);
    expect(dms('U-fatima')).toHaveLength(1);
    expect(textOf(dms('U-fatima')[0]!.message)).toContain('Still coming to Bedrijfsbezoek Avoord? In 4 days');
    // Amsterdam: Saturday 28 March 14:00 CET → Friday 27 March 14:00 CET = 13:00 UTC.
    expect(await sweepAt('2026-03-27T12:59:00Z')).toBe(0);
    expect(await sweepAt('2026-03-27T13:00:00Z')).toBe(2);
    expect(dms('U-anna')).toHaveLength(1);
    expect(dms('U-henk')).toHaveLength(1);
    expect(textOf(dms('U-henk')[0]!.message)).toContain(
      'Kom je nog naar Bedrijfsbezoek Avoord? Over 4 dagen: di 31 mrt 14:00',
    );
    expect(textOf(dms('U-henk')[0]!.message)).toContain('de gastheer/-vrouw rekent op het juiste aantal mensen');
    expect(buttonsOf(dms('U-henk')[0]!.message).map((b) => b.label)).toEqual(['Ja, ik kom', 'Ik kan niet']);
    expect(dms('U-joris')).toHaveLength(0);
    // Again: nothing more (claimed once).
    expect(await sweepAt('2026-03-28T10:00:00Z')).toBe(0);
    // 1 day before: Monday 30 March 14:00 CEST = 12:00 UTC (one hour earlier in UTC than the 3-day one).
    expect(await sweepAt('2026-03-30T11:59:00Z')).toBe(0);
    expect(await sweepAt('2026-03-30T12:00:00Z')).toBe(3);
    expect(textOf(dms('U-anna')[1]!.message)).toContain('Morgen: di 31 mrt 14:00');
    expect(textOf(dms('U-fatima')[1]!.message)).toContain('Tomorrow: Tue 31 Mar 08:00');
    expect(await sweepAt('2026-03-31T11:00:00Z')).toBe(0);
    const claims = await rows<{ n: number }>(
      s,
      sql`select count(*)::int as n from job_claims where kind = 'meeting-reconfirm'`,
    );
    expect(claims[0]!.n).toBe(6);
  });

  it('nextDueAt walks the re-confirmation instants in order (fake-clock jumps), then the end of the meeting', async () => {
    await plan();
    const next = (after: string) => reconfirm!.nextDueAt!(new Date(after), s.store);
    expect((await next('2026-03-16T09:00:00Z'))?.toISOString()).toBe('2026-03-27T12:00:00.000Z');
    expect((await next('2026-03-27T12:00:00Z'))?.toISOString()).toBe('2026-03-27T13:00:00.000Z');
    expect((await next('2026-03-27T13:00:00Z'))?.toISOString()).toBe('2026-03-30T12:00:00.000Z');
    expect(await next('2026-03-30T12:00:00Z')).toBeNull();
    const [, , after] = meetingSweeps(calendar);
    expect((await after!.nextDueAt!(new Date('2026-03-30T12:00:00Z'), s.store))?.toISOString()).toBe(
      '2026-03-31T14:00:00.000Z',
    );
  });

  it('one tap: "yes" confirms, "can\'t make it" cancels (late within 24 hours); nothing after the start', async () => {
    const meetingId = await plan();
    await s.deliver();
    await sweepAt('2026-03-30T12:00:00Z');
    const dm = dms('U-henk').at(-1)!;
    const yes = buttonsOf(dm.message)[0]!;
    const reply = await s.adapter.click('U-henk', dm.id, yes.actionId, yes.value);
    expect(reply.kind === 'message' ? textOf(reply.message) : reply.kind).toContain('Je komt naar');
    const annaDm = dms('U-anna').at(-1)!;
    const no = buttonsOf(annaDm.message)[1]!;
    await s.adapter.click('U-anna', annaDm.id, no.actionId, no.value);
    const saved = await rows<{ uid: string; status: string; late_cancel: boolean }>(
      s,
      sql`select m.platform_user_id as uid, r.status, r.late_cancel from meeting_rsvps r
          join members m on m.id = r.member_id where r.meeting_id = ${meetingId} order by 1`,
    );
    expect(saved).toEqual([
      { uid: 'U-anna', status: 'not_going', late_cancel: true },
      { uid: 'U-fatima', status: 'going', late_cancel: false },
      { uid: 'U-henk', status: 'going', late_cancel: false },
    ]);
    // Planned the day before: only the 1-day message, and nothing once it started.
    expect(await sweepAt('2026-04-01T12:00:00Z')).toBe(0);
  });

  it('a meeting planned 2 days ahead gets only the 1-day re-confirmation', async () => {
    s.clock.set('2026-03-29T09:00:00Z');
    await plan();
    await s.deliver();
    expect(await sweepAt('2026-03-29T09:01:00Z')).toBe(0);
    expect(await sweepAt('2026-03-30T12:00:00Z')).toBe(3);
    expect(dms('U-anna').map((m) => textOf(m.message))).toEqual([expect.stringContaining('Morgen')]);
  });

  it('a meeting moved to another date is re-confirmed again for the new date', async () => {
    const meetingId = await plan();
    await s.deliver();
    expect(await sweepAt('2026-03-30T12:00:00Z')).toBe(3);
    // Moved a week later (Tuesday 7 April, 14:00): the 3-day message comes on Friday 3 April again.
    const submit = await s.adapter.submit('U-anna', 'meeting.details', meetingId, {
      title: 'Bedrijfsbezoek Avoord',
      date: '2026-04-07',
      time: '14:00',
      place: '',
      host: 'none',
      capacity: '',
      state: 'scheduled',
    });
    expect(submit.kind).toBe('message');
    expect(await sweepAt('2026-04-03T11:59:00Z')).toBe(0);
    expect(await sweepAt('2026-04-03T12:00:00Z')).toBe(3);
    expect(textOf(dms('U-henk').at(-1)!.message)).toContain('Over 4 dagen: di 7 apr 14:00');
  });

  it('a paused network sends nothing until the pause ends; reminders off sends nothing; reconfirm off sends a plain reminder', async () => {
    await plan();
    await s.deliver();
    await s.store.transaction((tx) =>
      tx.networks.setPause(network.installationId, network.id, new Date('2026-03-28T00:00:00Z')),
    );
    expect(await sweepAt('2026-03-27T13:00:00Z')).toBe(0);
    await s.store.transaction(async (tx) => {
      await tx.networks.setPause(network.installationId, network.id, null);
      await tx.networks.updateSettings(network.installationId, network.id, {
        nudges: { ...network.nudges, reminders: false },
      });
    });
    expect(await sweepAt('2026-03-27T13:30:00Z')).toBe(0);
    await s.store.transaction((tx) =>
      tx.networks.updateSettings(network.installationId, network.id, {
        nudges: { ...network.nudges, reminders: true, reconfirm: false },
      }),
    );
    expect(await sweepAt('2026-03-30T12:00:00Z')).toBe(3);
    const reminder = dms('U-henk').at(-1)!;
    expect(textOf(reminder.message)).toContain('Herinnering: Bedrijfsbezoek Avoord is morgen');
    expect(buttonsOf(reminder.message)).toEqual([]);
  });
});
