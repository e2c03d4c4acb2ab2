/**
 * When nudges fall due, as pure functions: the weekly rhythm/milestone slots, the anniversary
 * (29 February included), the quiet-member DM in the member's zone (across DST, after a pause, when
 * late) and the announcement that a network's pause has ended.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { QuietCandidate } from '../../src/core/nudges/ports.js';
import { quietDueAt, quietSendAt } from '../../src/core/nudges/quiet-member.js';
import { resumeAnnouncedAt } from '../../src/core/nudges/resume.js';
import { anniversaryJob, effectiveAt, rhythmJob } from '../../src/core/schedule/jobs.js';
import { anniversaryYears } from '../../src/core/schedule/slots.js';
import { upcomingSlots } from '../../src/core/schedule/upcoming.js';
import { defaultSettings, type Network } from '../../src/core/types.js';

const AMS = 'Europe/Amsterdam';
const wall = (d: Date, zone = AMS) => DateTime.fromJSDate(d, { zone }).toFormat('ccc yyyy-MM-dd HH:mm');

function network(over: Partial<Network> = {}): Network {
  return {
    ...defaultSettings('nl', AMS, 'Test'),
    id: 'n1',
    installationId: 'i1',
    channelId: 'C1',
    state: 'active',
    pausedUntil: null,
    skipNextRound: false,
    createdAt: new Date('2026-02-25T10:00:00Z'),
    ...over,
  };
}

const candidate = (over: Partial<QuietCandidate> = {}): QuietCandidate => ({
  installationId: 'i1',
  networkId: 'n1',
  memberId: 'm1',
  timezone: AMS,
  locale: 'nl',
  lastActivity: new Date('2026-02-25T07:00:00Z'),
  lastNudgedAt: null,
  ...over,
});

describe('nudge timing', () => {
  it('rhythm slots: every Monday at the network time, 09:00 local on both sides of the March DST change', () => {
    const n = network();
    const slots = rhythmJob.slots(n, new Date('2026-03-01T00:00:00Z'), new Date('2026-04-07T00:00:00Z'));
    expect(slots.map((s) => wall(s))).toEqual([
      'Mon 2026-03-02 09:00',
      'Mon 2026-03-09 09:00',
      'Mon 2026-03-16 09:00',
      'Mon 2026-03-23 09:00',
      'Mon 2026-03-30 09:00',
      'Mon 2026-04-06 09:00',
    ]);
    expect(slots[4]?.toISOString()).toBe('2026-03-30T07:00:00.000Z');
    // Another day and time move them; none before setup.
    const tue = rhythmJob.slots(
      network({ day: 'tue', time: '14:30' }),
      new Date('2026-02-01T00:00:00Z'),
      new Date('2026-03-04T00:00:00Z'),
    );
    expect(tue.map((s) => wall(s))).toEqual(['Tue 2026-03-03 14:30']);
  });

  it('the anniversary: on the date of setup each year, a weekend moved to Monday morning; 29 February on the 28th', () => {
    const n = network({ createdAt: new Date('2026-02-25T10:00:00Z') });
    const slots = anniversaryJob.slots(n, new Date('2026-01-01T00:00:00Z'), new Date('2029-12-31T00:00:00Z'));
    expect(slots.map((s) => wall(s))).toEqual(['Thu 2027-02-25 09:00', 'Fri 2028-02-25 09:00', 'Sun 2029-02-25 09:00']);
    // Out of a weekend, like every scheduled job: the next allowed minute (08:00 Monday).
    expect(wall(effectiveAt(anniversaryJob, n, slots[2] as Date))).toBe('Mon 2029-02-26 08:00');
    expect(anniversaryYears(n, slots[2] as Date)).toBe(3);
    const leap = network({ createdAt: new Date('2028-02-29T10:00:00Z') });
    expect(
      anniversaryJob
        .slots(leap, new Date('2028-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'))
        .map((s) => wall(s)),
    ).toEqual(['Wed 2029-02-28 09:00']);
  });

  it('settings: the milestone look is not listed; rhythm is, unless the database says it would not ask', () => {
    const n = network({ cadence: 'off', digest: 'off' });
    const from = new Date('2026-03-03T12:00:00Z');
    const up = upcomingSlots(n, [rhythmJob, anniversaryJob], from, 3);
    expect(up.map((u) => `${u.kind} ${wall(u.at)}`)).toEqual([
      'rhythm Mon 2026-03-09 09:00',
      'rhythm Mon 2026-03-16 09:00',
      'rhythm Mon 2026-03-23 09:00',
    ]);
    const quiet = upcomingSlots(n, [rhythmJob], from, 2, (_kind, at) => at > new Date('2026-03-20T00:00:00Z'));
    expect(quiet.map((u) => wall(u.at))).toEqual(['Mon 2026-03-23 09:00', 'Mon 2026-03-30 09:00']);
  });

  it('quiet member: eight weeks after the last activity, at the network time in their own zone, across DST', () => {
    const n = network();
    // 25 Feb 08:00 + 56 days = 22 April (a Wednesday) 09:00 in Amsterdam (summer time by then).
    expect(wall(quietDueAt(candidate({ lastActivity: new Date('2026-02-25T10:00:00Z') }), n))).toBe(
      'Thu 2026-04-23 09:00',
    );
    expect(wall(quietDueAt(candidate(), n))).toBe('Wed 2026-04-22 09:00');
    // In New York: 09:00 there.
    expect(wall(quietDueAt(candidate({ timezone: 'America/New_York' }), n), 'America/New_York')).toBe(
      'Wed 2026-04-22 09:00',
    );
    // An unknown zone falls back to the network's.
    expect(wall(quietDueAt(candidate({ timezone: 'Mars/Olympus' }), n))).toBe('Wed 2026-04-22 09:00');
    // A month after the last DM; a weekend waits for Monday, at the network time.
    const nudged = candidate({ lastNudgedAt: new Date('2026-04-22T07:00:00Z') });
    expect(wall(quietDueAt(nudged, n))).toBe('Fri 2026-05-22 09:00');
    const onSaturday = candidate({ lastNudgedAt: new Date('2026-04-23T07:00:00Z') });
    expect(wall(quietDueAt(onSaturday, n))).toBe('Mon 2026-05-25 09:00');
    // Both sides of the October change (25 October): 09:00 summer time, then 09:00 winter time.
    const autumn = candidate({ lastActivity: new Date('2026-08-28T07:00:00Z') });
    expect(wall(quietDueAt(autumn, n))).toBe('Fri 2026-10-23 09:00');
    expect(quietDueAt(candidate({ lastActivity: new Date('2026-08-31T07:00:00Z') }), n).toISOString()).toBe(
      '2026-10-26T08:00:00.000Z',
    );
  });

  it('quiet member: not before a network pause ends; when late, at the next local network time, not at once', () => {
    const paused = network({ pausedUntil: new Date('2026-05-04T00:00:00+02:00') });
    expect(wall(quietDueAt(candidate(), paused))).toBe('Mon 2026-05-04 09:00');
    const n = network();
    const due = quietDueAt(candidate(), n);
    const c = candidate({ timezone: 'America/New_York' });
    const dueNy = quietDueAt(c, n);
    expect(quietSendAt(c, n, dueNy, new Date(dueNy.getTime() + 60_000))).toEqual(dueNy);
    // Seen a week late at 09:00 Amsterdam (03:00 in New York): waits for 09:00 there.
    const late = new Date('2026-04-29T07:00:00Z');
    expect(wall(quietSendAt(c, n, dueNy, late), 'America/New_York')).toBe('Wed 2026-04-29 09:00');
    expect(quietSendAt(candidate(), n, due, new Date('2026-04-29T07:00:00Z')).toISOString()).toBe(
      '2026-04-29T07:00:00.000Z',
    );
  });

  it('the end of a pause is announced at the network time on its day, a weekend moved to Monday', () => {
    const n = network();
    expect(wall(resumeAnnouncedAt(n, new Date('2026-08-03T00:00:00+02:00')))).toBe('Mon 2026-08-03 09:00');
    expect(wall(resumeAnnouncedAt(n, new Date('2026-08-01T00:00:00+02:00')))).toBe('Mon 2026-08-03 09:00');
    // A network time inside quiet hours: the next allowed minute after it.
    expect(wall(resumeAnnouncedAt(network({ time: '07:00' }), new Date('2026-08-04T00:00:00+02:00')))).toBe(
      'Tue 2026-08-04 08:00',
    );
    expect(wall(resumeAnnouncedAt(n, new Date('2026-08-04T10:00:00+02:00')))).toBe('Wed 2026-08-05 09:00');
  });
});
