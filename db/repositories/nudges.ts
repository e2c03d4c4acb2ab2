import { and, asc, eq, gt, lt, lte, sql } from 'drizzle-orm';
import type { EndedPause, NudgeRepo, QuietCandidate } from '../../src/core/nudges/ports.js';
import type { Locale } from '../../src/core/types.js';
import { meetings, networks, outbox, polls } from '../schema.js';
import type { Executor } from './executor.js';
import { toNetwork } from './networks.js';

const rowsOf = <T>(result: unknown): T[] => ((result as { rows?: T[] }).rows ?? []) as T[];
const toDate = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string | Date));

interface QuietRow {
  installation_id: string;
  network_id: string;
  member_id: string;
  timezone: string | null;
  locale: string | null;
  last_activity: unknown;
  last_nudged: unknown;
}

/** Facts nudges decide on. Every network-level query is scoped by installation. */
export function nudgeRepo(db: Executor): NudgeRepo {
  const planned = (installationId: string, networkId: string, from: Date, to: Date) =>
    and(
      eq(meetings.installationId, installationId),
      eq(meetings.networkId, networkId),
      eq(meetings.state, 'scheduled'),
      gt(meetings.startsAt, from),
      lte(meetings.startsAt, to),
    );
  return {
    async meetingPlanned(installationId, networkId, from, to) {
      const rows = await db
        .select({ id: meetings.id })
        .from(meetings)
        .where(planned(installationId, networkId, from, to))
        .limit(1);
      return rows.length > 0;
    },
    async meetingStarts(installationId, networkId, from, to) {
      const rows = await db
        .select({ startsAt: meetings.startsAt })
        .from(meetings)
        .where(planned(installationId, networkId, from, to))
        .orderBy(asc(meetings.startsAt));
      return rows.map((r) => r.startsAt);
    },
    async hasOpenPoll(installationId, networkId) {
      const rows = await db
        .select({ id: polls.id })
        .from(polls)
        .where(and(eq(polls.installationId, installationId), eq(polls.networkId, networkId), eq(polls.state, 'open')))
        .limit(1);
      return rows.length > 0;
    },
    async nextMeeting(installationId, networkId, after) {
      const [row] = await db
        .select({ id: meetings.id, title: meetings.title, startsAt: meetings.startsAt, place: meetings.place })
        .from(meetings)
        .where(
          and(
            eq(meetings.installationId, installationId),
            eq(meetings.networkId, networkId),
            eq(meetings.state, 'scheduled'),
            gt(meetings.startsAt, after),
          ),
        )
        .orderBy(asc(meetings.startsAt))
        .limit(1);
      return row ?? null;
    },
    async connectionsMade(installationId, networkId) {
      const result = await db.execute(sql`
        select count(distinct (a.member_id, b.member_id))::int as n
        from pairing_group_members a
        join pairing_group_members b on b.group_id = a.group_id and a.member_id < b.member_id
        where a.installation_id = ${installationId} and a.network_id = ${networkId}`);
      return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
    },
    async quietCandidates(now, quietBefore) {
      const nowIso = now.toISOString();
      // With a cut-off (the sweep's run): only members quiet that long and not DMed in the last 30 days.
      const cutoff = quietBefore
        ? sql`where q.last_activity <= ${quietBefore.toISOString()}::timestamptz
            and (q.last_nudged is null or q.last_nudged <= ${nowIso}::timestamptz - interval '30 days')`
        : sql``;
      const result = await db.execute(sql`
        select * from (
          select nm.installation_id, nm.network_id, nm.member_id, m.timezone, m.locale,
            greatest(
              nm.joined_at,
              case when nm.paused_until <= ${nowIso}::timestamptz then nm.paused_until end,
              (select max(g.check_in_at) from pairing_group_members g
                where g.network_id = nm.network_id and g.member_id = nm.member_id),
              (select max(v.updated_at) from poll_votes v join polls p on p.id = v.poll_id
                where p.network_id = nm.network_id and v.member_id = nm.member_id),
              (select max(r.responded_at) from meeting_rsvps r join meetings mt on mt.id = r.meeting_id
                where mt.network_id = nm.network_id and r.installation_id = nm.installation_id
                  and r.member_id = nm.member_id),
              (select max(t.created_at) from tips t
                where t.network_id = nm.network_id and t.author_id = nm.member_id)
            ) as last_activity,
            (select max(c.claimed_at) from job_claims c
              where c.network_id = nm.network_id and c.kind = 'quiet-member'
                and c.slot like nm.member_id::text || ':%') as last_nudged
          from network_members nm
          join networks n on n.id = nm.network_id and n.installation_id = nm.installation_id
          join members m on m.id = nm.member_id and m.installation_id = nm.installation_id
          where n.state = 'active'
            and coalesce((n.nudges ->> 'quiet-member')::boolean, true)
            and (n.paused_until is null or n.paused_until <= ${nowIso}::timestamptz)
            and (nm.status = 'active' or (nm.status = 'paused' and nm.paused_until <= ${nowIso}::timestamptz))
            and (nm.paused_until is null or nm.paused_until <= ${nowIso}::timestamptz)
            and m.forgotten_at is null
        ) q ${cutoff}`);
      return rowsOf<QuietRow>(result).map(
        (r): QuietCandidate => ({
          installationId: r.installation_id,
          networkId: r.network_id,
          memberId: r.member_id,
          timezone: r.timezone,
          locale: r.locale === 'nl' || r.locale === 'en' ? (r.locale as Locale) : null,
          lastActivity: toDate(r.last_activity) as Date,
          lastNudgedAt: toDate(r.last_nudged),
        }),
      );
    },
    async withoutCoordinator() {
      const rows = await db
        .select()
        .from(networks)
        .where(
          and(
            eq(networks.state, 'active'),
            sql`not exists (select 1 from coordinators c where c.network_id = ${networks.id})`,
          ),
        );
      return rows.map(toNetwork);
    },
    async endedPauses(now) {
      const rows = await db
        .select()
        .from(networks)
        .where(and(eq(networks.state, 'active'), lte(networks.pausedUntil, now)));
      return rows.map((r): EndedPause => ({ network: toNetwork(r), pausedUntil: r.pausedUntil as Date }));
    },
    async withdrawScheduled(installationId, networkId, from, until) {
      const rows = await db
        .update(outbox)
        .set({ status: 'withdrawn', lastError: 'network paused' })
        .where(
          and(
            eq(outbox.installationId, installationId),
            eq(outbox.networkId, networkId),
            eq(outbox.status, 'pending'),
            eq(outbox.attempts, 0),
            gt(outbox.nextAttemptAt, from),
            lt(outbox.nextAttemptAt, until),
          ),
        )
        .returning({ id: outbox.id });
      return rows.length;
    },
    async nextPauseEnd(after) {
      const [row] = await db
        .select({ at: sql<unknown>`min(${networks.pausedUntil})` })
        .from(networks)
        .where(
          and(
            eq(networks.state, 'active'),
            gt(networks.pausedUntil, after),
            sql`${networks.pausedUntil} < '9999-01-01'`,
          ),
        );
      return toDate(row?.at);
    },
  };
}
