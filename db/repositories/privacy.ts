/**
 * Privacy in the database: what Klik holds about a member (my-data), turning a member into an
 * anonymous tombstone (forget-me), single-use links, and the daily purges. Every statement is
 * scoped by installation id; the only cross-installation read is the list of installation ids the
 * daily purge walks.
 */
import { randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import type { ForgetResult, MyData, PrivacyRepo, PurgeCounts, PurgeLimits } from '../../src/core/privacy/ports.js';
import type { SecretBox } from '../../src/security/crypto.js';
import type { Executor } from './executor.js';

/** Computes the keyed hash of a platform id (SecretBox.hmac with KLIK_SECRET_KEY). */
export type PlatformIdHasher = (installationId: string, platformUserId: string) => string;

/** The hasher on a SecretBox: HMAC-SHA256 under a subkey of KLIK_SECRET_KEY, per installation. */
export const platformIdHasher =
  (box: Pick<SecretBox, 'hmac'>): PlatformIdHasher =>
  (installationId, platformUserId) =>
    box.hmac('forgotten-member', `${installationId}:${platformUserId}`);

/** The redacted content of an outbox row that named a forgotten member. */
const REDACTED = JSON.stringify({ text: '', blocks: [] });

function rowsOf<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

const iso = (d: Date) => d.toISOString();
const date = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
const dateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : date(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const bool = (v: unknown): boolean => v === true || v === 't' || v === 'true';
const num = (v: unknown): number => Number(v ?? 0);

/** Escapes LIKE wildcards so a platform id matches only itself. */
const likeEscaped = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function privacyRepo(db: Executor, hash: PlatformIdHasher): PrivacyRepo {
  const all = async <T>(q: SQL): Promise<T[]> => rowsOf<T>(await db.execute(q));
  const count = async (q: SQL): Promise<number> => rowsOf(await db.execute(q)).length;

  return {
    async collect(installationId, memberId) {
      const [m] = await all<Record<string, unknown>>(sql`
        select m.*, o.name as organisation_name from members m
        left join organisations o on o.id = m.organisation_id and o.installation_id = m.installation_id
        where m.installation_id = ${installationId} and m.id = ${memberId}`);
      if (!m || m.forgotten_at) return null;

      const memberships = await all<Record<string, unknown>>(sql`
        select n.id as network_id, n.name as network_name, nm.status, nm.opted_in, nm.paused_until, nm.joined_at,
               nm.left_at, exists (select 1 from coordinators c where c.installation_id = nm.installation_id
                 and c.network_id = nm.network_id and c.member_id = nm.member_id) as coordinator
        from network_members nm join networks n on n.id = nm.network_id and n.installation_id = nm.installation_id
        where nm.installation_id = ${installationId} and nm.member_id = ${memberId}
        order by nm.joined_at`);
      // Coordinators of a network they are not a member of still count.
      const coordinatorOnly = await all<Record<string, unknown>>(sql`
        select n.id as network_id, n.name as network_name from coordinators c
        join networks n on n.id = c.network_id and n.installation_id = c.installation_id
        where c.installation_id = ${installationId} and c.member_id = ${memberId}
          and not exists (select 1 from network_members nm where nm.installation_id = c.installation_id
            and nm.network_id = c.network_id and nm.member_id = c.member_id)`);

      const pairings = await all<Record<string, unknown>>(sql`
        select n.name as network_name, r.number, r.started_at, gm.check_in, gm.note, gm.share_note, gm.left_at,
          coalesce((select json_agg(case when p.forgotten_at is null then p.display_name end order by p.display_name)
             from pairing_group_members o join members p on p.id = o.member_id and p.installation_id = o.installation_id
             where o.installation_id = gm.installation_id and o.group_id = gm.group_id and o.member_id <> gm.member_id),
           '[]'::json) as partners
        from pairing_group_members gm
        join pairing_groups g on g.id = gm.group_id and g.installation_id = gm.installation_id
        join pairing_rounds r on r.id = g.round_id and r.installation_id = gm.installation_id
        join networks n on n.id = gm.network_id and n.installation_id = gm.installation_id
        where gm.installation_id = ${installationId} and gm.member_id = ${memberId}
        order by r.started_at`);

      const avoiding = await all<Record<string, unknown>>(sql`
        select n.name as network_name, case when x.forgotten_at is null then x.display_name end as name
        from pairing_exclusions e
        join networks n on n.id = e.network_id and n.installation_id = e.installation_id
        join members x on x.id = e.excluded_member_id and x.installation_id = e.installation_id
        where e.installation_id = ${installationId} and e.member_id = ${memberId}`);

      const votes = await all<Record<string, unknown>>(sql`
        select n.name as network_name, p.title, o.date, o.time, v.choice, v.updated_at
        from poll_votes v
        join polls p on p.id = v.poll_id and p.installation_id = v.installation_id
        join poll_options o on o.id = v.option_id and o.installation_id = v.installation_id
        join networks n on n.id = p.network_id and n.installation_id = p.installation_id
        where v.installation_id = ${installationId} and v.member_id = ${memberId}
        order by o.starts_at`);

      const rsvps = await all<Record<string, unknown>>(sql`
        select n.name as network_name, mt.title, mt.starts_at, r.status, r.late_cancel, r.attendance, r.responded_at
        from meeting_rsvps r
        join meetings mt on mt.id = r.meeting_id and mt.installation_id = r.installation_id
        join networks n on n.id = mt.network_id and n.installation_id = mt.installation_id
        where r.installation_id = ${installationId} and r.member_id = ${memberId}
        order by mt.starts_at`);

      const tips = await all<Record<string, unknown>>(sql`
        select n.name as network_name, t.text, t.tags, t.upvotes, t.created_at
        from tips t join networks n on n.id = t.network_id and n.installation_id = t.installation_id
        where t.installation_id = ${installationId} and t.author_id = ${memberId}
        order by t.created_at`);

      const upvoted = await all<Record<string, unknown>>(sql`
        select n.name as network_name, t.text
        from tip_votes v
        join tips t on t.id = v.tip_id and t.installation_id = v.installation_id
        join networks n on n.id = t.network_id and n.installation_id = t.installation_id
        where v.installation_id = ${installationId} and v.member_id = ${memberId}
        order by v.created_at`);

      const questions = await all<Record<string, unknown>>(sql`
        select n.name as network_name, q.text, q.created_at
        from tip_questions q join networks n on n.id = q.network_id and n.installation_id = q.installation_id
        where q.installation_id = ${installationId} and q.asked_by = ${memberId}
        order by q.created_at`);

      const partnersOf = (v: unknown): Array<string | null> => {
        const list = typeof v === 'string' ? (JSON.parse(v) as unknown) : v;
        return Array.isArray(list) ? list.map((x) => (x === null ? null : String(x))) : [];
      };
      const tagsOf = (v: unknown): string[] =>
        Array.isArray(v)
          ? v.map(String)
          : typeof v === 'string' && v.startsWith('{') && v.length > 2
            ? v.slice(1, -1).split(',')
            : [];

      const data: MyData = {
        member: {
          id: String(m.id),
          platformUserId: String(m.platform_user_id),
          displayName: String(m.display_name),
          organisation: str(m.organisation_name),
          role: str(m.role),
          canShare: str(m.can_share),
          wantsToLearn: str(m.wants_to_learn),
          nickname: str(m.nickname),
          timezone: str(m.timezone),
          locale: str(m.locale),
          createdAt: date(m.created_at),
        },
        memberships: [
          ...memberships.map((r) => ({
            networkId: String(r.network_id),
            networkName: String(r.network_name),
            status: String(r.status),
            optedIn: bool(r.opted_in),
            pausedUntil: dateOrNull(r.paused_until),
            joinedAt: date(r.joined_at),
            leftAt: dateOrNull(r.left_at),
            coordinator: bool(r.coordinator),
          })),
          ...coordinatorOnly.map((r) => ({
            networkId: String(r.network_id),
            networkName: String(r.network_name),
            status: 'coordinator',
            optedIn: false,
            pausedUntil: null,
            joinedAt: date(m.created_at),
            leftAt: null,
            coordinator: true,
          })),
        ],
        pairings: pairings.map((r) => ({
          networkName: String(r.network_name),
          round: num(r.number),
          startedAt: date(r.started_at),
          partners: partnersOf(r.partners),
          checkIn: str(r.check_in),
          note: str(r.note),
          shareNote: bool(r.share_note),
          leftAt: dateOrNull(r.left_at),
        })),
        avoiding: avoiding.map((r) => ({ networkName: String(r.network_name), name: str(r.name) })),
        votes: votes.map((r) => ({
          networkName: String(r.network_name),
          poll: String(r.title),
          date: String(r.date),
          time: str(r.time),
          choice: String(r.choice),
          updatedAt: date(r.updated_at),
        })),
        rsvps: rsvps.map((r) => ({
          networkName: String(r.network_name),
          meeting: String(r.title),
          startsAt: date(r.starts_at),
          status: String(r.status),
          lateCancel: bool(r.late_cancel),
          attendance: str(r.attendance),
          respondedAt: date(r.responded_at),
        })),
        tips: tips.map((r) => ({
          networkName: String(r.network_name),
          text: String(r.text),
          tags: tagsOf(r.tags),
          upvotes: num(r.upvotes),
          createdAt: date(r.created_at),
        })),
        upvoted: upvoted.map((r) => ({ networkName: String(r.network_name), text: String(r.text) })),
        questions: questions.map((r) => ({
          networkName: String(r.network_name),
          text: String(r.text),
          createdAt: date(r.created_at),
        })),
      };
      return data;
    },

    async networkIdsOf(installationId, memberId) {
      const rows = await all<{ network_id: string }>(sql`
        select network_id from network_members where installation_id = ${installationId} and member_id = ${memberId}
        union select network_id from coordinators where installation_id = ${installationId} and member_id = ${memberId}`);
      return rows.map((r) => String(r.network_id));
    },

    async isForgotten(installationId, platformUserId) {
      return (
        (await count(sql`select 1 from forgotten_members
          where installation_id = ${installationId} and platform_hash = ${hash(installationId, platformUserId)}`)) > 0
      );
    },

    async forgottenAmong(installationId, platformUserIds) {
      if (platformUserIds.length === 0) return new Set();
      const byHash = new Map(platformUserIds.map((id) => [hash(installationId, id), id]));
      const rows = await all<{ platform_hash: string }>(sql`
        select platform_hash from forgotten_members where installation_id = ${installationId}
          and platform_hash in (${sql.join(
            [...byHash.keys()].map((h) => sql`${h}`),
            sql`, `,
          )})`);
      return new Set(rows.map((r) => byHash.get(String(r.platform_hash))).filter((id): id is string => !!id));
    },

    async unforget(installationId, platformUserId) {
      return (
        (await count(sql`delete from forgotten_members
          where installation_id = ${installationId} and platform_hash = ${hash(installationId, platformUserId)}
          returning 1`)) > 0
      );
    },

    async forget(installationId, memberId, at) {
      const [m] = await all<{ platform_user_id: string; forgotten_at: unknown }>(sql`
        select platform_user_id, forgotten_at from members
        where installation_id = ${installationId} and id = ${memberId} for update`);
      if (!m || m.forgotten_at) return null;
      const platformUserId = String(m.platform_user_id);
      const inst = sql`installation_id = ${installationId}`;

      await db.execute(sql`insert into forgotten_members (installation_id, platform_hash, forgotten_at)
        values (${installationId}, ${hash(installationId, platformUserId)}, ${iso(at)}::timestamptz)
        on conflict do nothing`);
      await db.execute(sql`update members set platform_user_id = ${`forgotten:${randomUUID()}`}, display_name = '',
          organisation_id = null, role = null, can_share = null, wants_to_learn = null, nickname = null,
          timezone = null, locale = null, forgotten_at = ${iso(at)}::timestamptz
        where ${inst} and id = ${memberId}`);
      await db.execute(sql`update network_members set status = 'left', opted_in = false, paused_until = null,
          left_at = coalesce(left_at, ${iso(at)}::timestamptz)
        where ${inst} and member_id = ${memberId}`);
      await db.execute(sql`delete from coordinators where ${inst} and member_id = ${memberId}`);
      await db.execute(sql`delete from pairing_exclusions where ${inst} and member_id = ${memberId}`);
      await db.execute(sql`update pairing_group_members set note = null, share_note = false, note_shared_at = null
        where ${inst} and member_id = ${memberId}`);
      // Topics a group shared came from its members' profiles: the groups they were in keep none.
      await db.execute(sql`update pairing_groups set reason = jsonb_set(reason, '{sharedTopics}', '[]'::jsonb)
        where ${inst} and reason ? 'sharedTopics' and id in (select group_id from pairing_group_members
          where ${inst} and member_id = ${memberId})`);
      await db.execute(sql`update tips set author_id = null where ${inst} and author_id = ${memberId}`);
      await db.execute(sql`update tip_questions set asked_by = null where ${inst} and asked_by = ${memberId}`);
      await db.execute(sql`update polls set created_by = null where ${inst} and created_by = ${memberId}`);
      await db.execute(sql`update meetings set created_by = null where ${inst} and created_by = ${memberId}`);
      await db.execute(sql`update meetings set host_id = null where ${inst} and host_id = ${memberId}`);
      await db.execute(sql`update api_tokens set created_by = null where ${inst} and created_by = ${memberId}`);
      // They will not come to meetings still ahead: those answers go (no reminders, no phantom seat).
      // Answers and attendance of past meetings stay on the tombstone, like poll votes: tallies stay honest.
      await db.execute(sql`delete from meeting_rsvps where ${inst} and member_id = ${memberId}
        and meeting_id in (select id from meetings where ${inst} and starts_at > ${iso(at)}::timestamptz)`);

      // Messages to them, about them, or naming them: pending ones are cancelled, every one is emptied.
      const names = sql`(target->>'memberId' = ${memberId}
          or coalesce(target->'memberIds', '[]'::jsonb) ? ${memberId}
          or message::text like ${`%<@${likeEscaped(platformUserId)}|%`}
          or message::text like ${`%<@${likeEscaped(platformUserId)}>%`}
          or message::text like ${`%"${likeEscaped(platformUserId)}"%`}
          or target::text like ${`%${likeEscaped(platformUserId)}%`}
          or platform_channel_id like ${`%${likeEscaped(platformUserId)}%`})`;
      const cancelled = await count(sql`update outbox set status = 'cancelled', message = ${REDACTED}::jsonb,
          locked_until = null, locked_by = null, platform_channel_id = null, platform_message_id = null
        where ${inst} and status in ('pending', 'sending') and ${names} returning 1`);
      // A message to them in a direct conversation: where it was posted goes too (some ids embed theirs).
      const redacted = await count(sql`update outbox set message = ${REDACTED}::jsonb,
          platform_channel_id = case when target->>'kind' = 'channel' then platform_channel_id end,
          platform_message_id = case when target->>'kind' = 'channel' then platform_message_id end
        where ${inst} and status not in ('pending', 'sending', 'cancelled') and ${names} returning 1`);

      // Delivery keys of their clicks, forms and 1:1 activities (Slack's carry the user id, Teams' the
      // 1:1 conversation id): a retry of this very click finds no member to forget any more.
      const [personal] = await all<{ conversation_id: string | null }>(sql`
        select details->'teams'->'conversations'->${`personal:${platformUserId}`}->>'conversationId' as conversation_id
        from installations where id = ${installationId}`);
      const ids = [platformUserId, ...(personal?.conversation_id ? [String(personal.conversation_id)] : [])];
      for (const id of ids) {
        await db.execute(sql`delete from processed_events where ${inst} and event_key like ${`%${likeEscaped(id)}%`}`);
        await db.execute(sql`update outbox set platform_channel_id = null, platform_message_id = null
          where ${inst} and platform_channel_id = ${id}`);
      }
      // Where platforms keep their id: Slack's installer, Teams' 1:1 conversation reference.
      await db.execute(sql`update installations
        set details = jsonb_set(details, '{slack}', (details->'slack') - 'installerUserId')
        where id = ${installationId} and details->'slack'->>'installerUserId' = ${platformUserId}`);
      await db.execute(sql`update installations
        set details = details #- array['teams', 'conversations', ${`personal:${platformUserId}`}::text]
        where id = ${installationId} and details->'teams'->'conversations' ? ${`personal:${platformUserId}`}`);

      const result: ForgetResult = { cancelledMessages: cancelled, redactedMessages: redacted };
      return result;
    },

    async useLink(link) {
      return (
        (await count(sql`insert into used_links (link_id, installation_id, kind, used_at, expires_at)
          values (${link.linkId}, ${link.installationId}, ${link.kind}, ${iso(link.usedAt)}::timestamptz,
            ${iso(link.expiresAt)}::timestamptz)
          on conflict do nothing returning 1`)) > 0
      );
    },

    async installationIds() {
      const rows = await all<{ id: string }>(sql`select id from installations order by created_at`);
      return rows.map((r) => String(r.id));
    },

    async claimPurge(installationId, day, at) {
      return (
        (await count(sql`insert into processed_events (event_key, installation_id, created_at)
          values (${`klik:purge:${installationId}:${day}`}, ${installationId}, ${iso(at)}::timestamptz)
          on conflict do nothing returning 1`)) > 0
      );
    },

    async purge(installationId, limits: PurgeLimits) {
      const counts: PurgeCounts = {
        installationDeleted: false,
        rounds: 0,
        outbox: 0,
        outboxHolds: 0,
        processedEvents: 0,
        usedLinks: 0,
        jobClaims: 0,
      };
      const gone = await count(sql`delete from installations
        where id = ${installationId} and uninstalled_at is not null
          and uninstalled_at < ${iso(limits.uninstalledBefore)}::timestamptz returning 1`);
      if (gone > 0) return { ...counts, installationDeleted: true };
      const inst = sql`installation_id = ${installationId}`;
      counts.rounds = await count(sql`delete from pairing_rounds
        where ${inst} and ends_at < ${iso(limits.retentionBefore)}::timestamptz returning 1`);
      counts.outbox = await count(sql`delete from outbox
        where ${inst} and status in ('sent', 'dead', 'cancelled')
          and created_at < ${iso(limits.outboxBefore)}::timestamptz returning 1`);
      counts.outboxHolds = await count(sql`delete from outbox_holds
        where ${inst} and until < ${iso(limits.now)}::timestamptz returning 1`);
      counts.processedEvents = await count(sql`delete from processed_events
        where ${inst} and created_at < ${iso(limits.processedEventsBefore)}::timestamptz returning 1`);
      counts.usedLinks = await count(sql`delete from used_links
        where ${inst} and expires_at < ${iso(limits.now)}::timestamptz returning 1`);
      counts.jobClaims = await count(sql`delete from job_claims
        where ${inst} and claimed_at < ${iso(limits.jobClaimsBefore)}::timestamptz returning 1`);
      return counts;
    },
  };
}
