/**
 * Network health figures from plain facts. Pure: the same facts and `now` give the same figures.
 *
 * Definitions (each figure can be worked out by hand from the facts):
 * - members now: memberships that are not `left`; members 90 days ago: who was a member at that
 *   instant by the membership timeline (below).
 * - membership timeline of a member: their recorded join/leave events. Memberships older than the
 *   event log have no events: their `joined_at` counts as a join and, when they left, `left_at` as a
 *   leave; when a member's first event is a leave, `joined_at` is the join before it.
 * - churn: joins and leaves per calendar month in the network's time zone, last 12 months, with the
 *   number of members at the end of each month (now for the current month).
 * - active: a current member with a check-in answer, poll vote, RSVP or tip in the last 8 weeks;
 *   went quiet: a current member who was active once, but not in the last 8 weeks.
 * - a group met when one of its members (still in it) answered the check-in with yes; a round's
 *   met-rate is met groups / groups; rounds whose check-in is still to come are pending and left
 *   out of the totals.
 * - connections: distinct pairs of members who were together in a group that met; crossing
 *   organisations when both have an organisation and they differ.
 * - meetings: meetings that started (not cancelled): RSVPs `going`, attended and no-shows (when the
 *   host took attendance), late cancellations (changed to not going within 24 hours of the start).
 * - tips per calendar month, last 12 months.
 */
import { DateTime } from 'luxon';
import type { MemberFact, MembershipEventFact, StatsFacts } from './ports.js';

export const ACTIVE_WINDOW_DAYS = 56;
export const MEMBERS_BEFORE_DAYS = 90;
export const MONTHS = 12;
const DAY = 86_400_000;

export interface MonthFigures {
  /** "2026-03" in the network's time zone. */
  month: string;
  joins: number;
  leaves: number;
  /** Members at the end of the month (now for the current month). */
  members: number;
  tips: number;
}

export interface RoundFigures {
  number: number;
  startedAt: Date;
  groups: number;
  met: number;
  /** The check-in is still to come. */
  pending: boolean;
  /** Null while pending, or without groups. */
  metRate: number | null;
}

export interface MeetingFigures {
  title: string;
  startsAt: Date;
  going: number;
  /** Null when the host took no attendance. */
  attended: number | null;
  noShow: number | null;
  lateCancellations: number;
}

export interface QuietMember {
  memberId: string;
  name: string;
  lastActiveAt: Date;
}

export interface NetworkStats {
  generatedAt: Date;
  timezone: string;
  members: { now: number; ninetyDaysAgo: number };
  months: MonthFigures[];
  activity: { windowDays: number; active: number; members: number; share: number | null };
  rounds: {
    count: number;
    pending: number;
    groups: number;
    met: number;
    metRate: number | null;
    list: RoundFigures[];
  };
  connections: { pairs: number; crossOrganisation: number; share: number | null };
  meetings: {
    count: number;
    going: number;
    attended: number;
    noShow: number;
    lateCancellations: number;
    list: MeetingFigures[];
  };
  tips: { lastMonths: number };
  quiet: QuietMember[];
}

type Step = { kind: 'join' | 'leave'; at: number };

/** Each member's joins and leaves in time order, with the log's gaps filled from the membership row. */
export function timelines(members: MemberFact[], events: MembershipEventFact[]): Map<string, Step[]> {
  const byMember = new Map<string, Step[]>();
  for (const e of events) {
    const list = byMember.get(e.memberId) ?? [];
    list.push({ kind: e.kind, at: e.at.getTime() });
    byMember.set(e.memberId, list);
  }
  const result = new Map<string, Step[]>();
  for (const m of members) {
    const logged = (byMember.get(m.memberId) ?? []).sort((a, b) => a.at - b.at);
    const steps: Step[] = [...logged];
    const first = logged[0];
    if (!first) {
      steps.push({ kind: 'join', at: m.joinedAt.getTime() });
      if (m.status === 'left' && m.leftAt) steps.push({ kind: 'leave', at: m.leftAt.getTime() });
    } else if (first.kind === 'leave' && m.joinedAt.getTime() <= first.at) {
      steps.unshift({ kind: 'join', at: m.joinedAt.getTime() });
    }
    result.set(m.memberId, steps);
  }
  return result;
}

function memberAt(steps: Step[], at: number): boolean {
  let inside = false;
  for (const s of steps) {
    if (s.at > at) break;
    inside = s.kind === 'join';
  }
  return inside;
}

const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** The last `count` calendar months ending with the one holding `now`, as [start, end) instants. */
export function monthWindows(now: Date, timezone: string, count: number): Array<{ key: string; from: Date; to: Date }> {
  const current = DateTime.fromJSDate(now, { zone: timezone }).startOf('month');
  const out: Array<{ key: string; from: Date; to: Date }> = [];
  for (let i = count - 1; i >= 0; i--) {
    const start = current.minus({ months: i });
    out.push({ key: start.toFormat('yyyy-LL'), from: start.toJSDate(), to: start.plus({ months: 1 }).toJSDate() });
  }
  return out;
}

export function computeStats(facts: StatsFacts, now: Date, timezone: string): NetworkStats {
  const t = now.getTime();
  const current = facts.members.filter((m) => m.status !== 'left');
  const steps = timelines(facts.members, facts.events);

  const ninetyDaysAgo = t - MEMBERS_BEFORE_DAYS * DAY;
  let before = 0;
  for (const s of steps.values()) if (memberAt(s, ninetyDaysAgo)) before++;

  const windows = monthWindows(now, timezone, MONTHS);
  const months: MonthFigures[] = windows.map((w, i) => {
    const from = w.from.getTime();
    const to = w.to.getTime();
    let joins = 0;
    let leaves = 0;
    let members = 0;
    for (const s of steps.values()) {
      for (const step of s) {
        if (step.at < from || step.at >= to) continue;
        if (step.kind === 'join') joins++;
        else leaves++;
      }
      if (i < windows.length - 1 && memberAt(s, to - 1)) members++;
    }
    if (i === windows.length - 1) members = current.length;
    const tips = facts.tipTimes.filter((d) => d.getTime() >= from && d.getTime() < to).length;
    return { month: w.key, joins, leaves, members, tips };
  });

  // Activity: each member's latest action of any kind.
  const lastActive = new Map<string, number>();
  for (const a of facts.activity) {
    const at = a.at.getTime();
    if (at > t) continue;
    if (at > (lastActive.get(a.memberId) ?? Number.NEGATIVE_INFINITY)) lastActive.set(a.memberId, at);
  }
  const windowStart = t - ACTIVE_WINDOW_DAYS * DAY;
  let active = 0;
  const quiet: QuietMember[] = [];
  for (const m of current) {
    const last = lastActive.get(m.memberId);
    if (last === undefined) continue;
    if (last >= windowStart) active++;
    else if (!m.forgotten) quiet.push({ memberId: m.memberId, name: m.displayName, lastActiveAt: new Date(last) });
  }
  quiet.sort((a, b) => b.lastActiveAt.getTime() - a.lastActiveAt.getTime() || a.name.localeCompare(b.name));

  // Rounds and the groups that met.
  const groups = [...groupsOf(facts.groupMembers).values()];
  const rounds = [...facts.rounds].sort((a, b) => a.number - b.number);
  const list: RoundFigures[] = rounds.map((r) => {
    const own = groups.filter((g) => g.roundId === r.id);
    const met = own.filter((g) => g.met).length;
    const pending = r.checkInAt.getTime() > t;
    return {
      number: r.number,
      startedAt: r.startedAt,
      groups: own.length,
      met,
      pending,
      metRate: pending ? null : ratio(met, own.length),
    };
  });
  const done = list.filter((r) => !r.pending);
  const groupsDone = done.reduce((n, r) => n + r.groups, 0);
  const metDone = done.reduce((n, r) => n + r.met, 0);

  const org = new Map(facts.members.map((m) => [m.memberId, m.organisationId]));
  const pairs = metPairs(facts);
  let crossing = 0;
  for (const key of pairs.keys()) {
    const [a, b] = key.split('|') as [string, string];
    const oa = org.get(a) ?? null;
    const ob = org.get(b) ?? null;
    if (oa !== null && ob !== null && oa !== ob) crossing++;
  }

  const meetings = [...facts.meetings].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  const meetingList: MeetingFigures[] = meetings.map((m) => ({
    title: m.title,
    startsAt: m.startsAt,
    going: m.going,
    attended: m.attendanceTaken ? m.attended : null,
    noShow: m.attendanceTaken ? m.noShow : null,
    lateCancellations: m.lateCancellations,
  }));

  return {
    generatedAt: now,
    timezone,
    members: { now: current.length, ninetyDaysAgo: before },
    months,
    activity: {
      windowDays: ACTIVE_WINDOW_DAYS,
      active,
      members: current.length,
      share: ratio(active, current.length),
    },
    rounds: {
      count: list.length,
      pending: list.length - done.length,
      groups: groupsDone,
      met: metDone,
      metRate: ratio(metDone, groupsDone),
      list,
    },
    connections: { pairs: pairs.size, crossOrganisation: crossing, share: ratio(crossing, pairs.size) },
    meetings: {
      count: meetingList.length,
      going: meetingList.reduce((n, m) => n + m.going, 0),
      attended: meetingList.reduce((n, m) => n + (m.attended ?? 0), 0),
      noShow: meetingList.reduce((n, m) => n + (m.noShow ?? 0), 0),
      lateCancellations: meetingList.reduce((n, m) => n + m.lateCancellations, 0),
      list: meetingList,
    },
    tips: { lastMonths: months.reduce((n, m) => n + m.tips, 0) },
    quiet,
  };
}

interface GroupFigures {
  roundId: string;
  /** Members still in the group (not re-matched away). */
  members: string[];
  met: boolean;
}

function groupsOf(rows: StatsFacts['groupMembers']): Map<string, GroupFigures> {
  const groups = new Map<string, GroupFigures>();
  for (const gm of rows) {
    const g = groups.get(gm.groupId) ?? { roundId: gm.roundId, members: [], met: false };
    groups.set(gm.groupId, g);
    if (gm.leftAt !== null) continue;
    g.members.push(gm.memberId);
    if (gm.checkIn === 'yes') g.met = true;
  }
  return groups;
}

/** Distinct pairs who met ("a|b" with a < b), with how many times they met. */
export function metPairs(facts: Pick<StatsFacts, 'groupMembers'>): Map<string, number> {
  const pairs = new Map<string, number>();
  for (const g of groupsOf(facts.groupMembers).values()) {
    if (!g.met) continue;
    const ids = [...new Set(g.members)].sort();
    for (let i = 0; i < ids.length; i++)
      for (let j = i + 1; j < ids.length; j++) {
        const key = `${ids[i]}|${ids[j]}`;
        pairs.set(key, (pairs.get(key) ?? 0) + 1);
      }
  }
  return pairs;
}
