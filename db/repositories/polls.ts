import { and, asc, eq, gt, isNull, lte, or, type Placeholder, sql } from 'drizzle-orm';
import type {
  Choice,
  PollOptionRecord,
  PollRecord,
  PollRepo,
  PollState,
  PollVote,
} from '../../src/core/polls/ports.js';
import { pollOptions, polls, pollVotes } from '../schema.js';
import type { Executor } from './executor.js';
import { prepared } from './prepared.js';

type PollRow = typeof polls.$inferSelect;

const toPoll = (r: PollRow): PollRecord => ({
  id: r.id,
  installationId: r.installationId,
  networkId: r.networkId,
  createdBy: r.createdBy,
  title: r.title,
  channelId: r.channelId,
  deadline: r.deadline,
  hideVotes: r.hideVotes,
  state: r.state as PollState,
  version: r.version,
  remindedAt: r.remindedAt,
  closedAt: r.closedAt,
  finalizedAt: r.finalizedAt,
  meetingId: r.meetingId,
  createdAt: r.createdAt,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One poll of one installation; placeholders for the prepared statements below. */
const byId = (installationId: string | Placeholder, pollId: string | Placeholder) =>
  and(eq(polls.installationId, installationId), eq(polls.id, pollId));

/** The moment an open poll's reminder is due: a day before its deadline, or some days after creation. */
const remindAt = (remindAfterMs: number, beforeDeadlineMs: number) =>
  sql`coalesce(${polls.deadline} - (${beforeDeadlineMs} * interval '1 millisecond'), ${polls.createdAt} + (${remindAfterMs} * interval '1 millisecond'))`;

// The statements a vote runs, built once per connection (see prepared.ts).
const placeholderById = () => byId(sql.placeholder('installationId'), sql.placeholder('pollId'));

/** The poll and its option at one position: what a click on a date needs to check first. */
const pollWithOption = prepared('klik_poll_with_option', (db) =>
  db
    .select({
      poll: polls,
      option: {
        id: pollOptions.id,
        position: pollOptions.position,
        date: pollOptions.date,
        time: pollOptions.time,
        startsAt: pollOptions.startsAt,
      },
    })
    .from(polls)
    .leftJoin(
      pollOptions,
      and(
        eq(pollOptions.installationId, polls.installationId),
        eq(pollOptions.pollId, polls.id),
        eq(pollOptions.position, sql.placeholder('position')),
      ),
    )
    .where(placeholderById()),
);

const upsertVoteStatement = prepared('klik_upsert_vote', (db) =>
  db
    .insert(pollVotes)
    .values({
      installationId: sql.placeholder('installationId'),
      pollId: sql.placeholder('pollId'),
      optionId: sql.placeholder('optionId'),
      memberId: sql.placeholder('memberId'),
      choice: sql.placeholder('choice'),
      updatedAt: sql.placeholder('updatedAt'),
    })
    .onConflictDoUpdate({
      target: [pollVotes.pollId, pollVotes.optionId, pollVotes.memberId],
      set: { choice: sql`excluded.choice`, updatedAt: sql`excluded.updated_at` },
      // A vote never moves a row of another installation (ids are unguessable, this makes sure).
      setWhere: eq(pollVotes.installationId, sql.placeholder('installationId')),
    }),
);

const bumpOpenStatement = prepared('klik_poll_bump_open', (db) =>
  db
    .update(polls)
    .set({ version: sql`${polls.version} + 1` })
    .where(
      and(
        placeholderById(),
        eq(polls.state, 'open'),
        or(isNull(polls.deadline), gt(polls.deadline, sql.placeholder('now'))),
      ),
    )
    .returning(),
);

export function pollRepo(db: Executor): PollRepo {
  return {
    async create(input) {
      const [row] = await db
        .insert(polls)
        .values({
          installationId: input.installationId,
          networkId: input.networkId,
          createdBy: input.createdBy,
          title: input.title,
          channelId: input.channelId,
          deadline: input.deadline,
          hideVotes: input.hideVotes,
          createdAt: input.createdAt,
        })
        .returning();
      if (!row) throw new Error('poll insert returned nothing');
      if (input.options.length > 0)
        await db.insert(pollOptions).values(
          input.options.map((o) => ({
            installationId: input.installationId,
            pollId: row.id,
            position: o.position,
            date: o.date,
            time: o.time,
            startsAt: o.startsAt,
          })),
        );
      return toPoll(row);
    },

    async get(installationId, pollId) {
      if (!UUID.test(pollId)) return null;
      const [row] = await db.select().from(polls).where(byId(installationId, pollId));
      return row ? toPoll(row) : null;
    },

    async lock(installationId, pollId) {
      if (!UUID.test(pollId)) return null;
      const [row] = await db.select().from(polls).where(byId(installationId, pollId)).for('update');
      return row ? toPoll(row) : null;
    },

    async tryLock(installationId, pollId) {
      if (!UUID.test(pollId)) return null;
      const [row] = await db
        .select()
        .from(polls)
        .where(byId(installationId, pollId))
        .for('update', { skipLocked: true });
      return row ? toPoll(row) : null;
    },

    async options(installationId, pollId): Promise<PollOptionRecord[]> {
      if (!UUID.test(pollId)) return [];
      return db
        .select({
          id: pollOptions.id,
          position: pollOptions.position,
          date: pollOptions.date,
          time: pollOptions.time,
          startsAt: pollOptions.startsAt,
        })
        .from(pollOptions)
        .where(and(eq(pollOptions.installationId, installationId), eq(pollOptions.pollId, pollId)))
        .orderBy(asc(pollOptions.position));
    },

    async withOption(installationId, pollId, position) {
      if (!UUID.test(pollId)) return null;
      const [row] = await pollWithOption(db).execute({ installationId, pollId, position });
      return row ? { poll: toPoll(row.poll), option: row.option } : null;
    },

    async votes(installationId, pollId): Promise<PollVote[]> {
      if (!UUID.test(pollId)) return [];
      // A busy poll has thousands of votes and this runs on every render: one row per option and
      // answer, its voters joined in the order they last changed their vote, parses far faster
      // than a row per vote.
      const rows = await db
        .select({
          optionId: pollVotes.optionId,
          choice: pollVotes.choice,
          members: sql<string>`string_agg(${pollVotes.memberId}::text, ',' order by ${pollVotes.updatedAt}, ${pollVotes.memberId})`,
        })
        .from(pollVotes)
        .where(and(eq(pollVotes.installationId, installationId), eq(pollVotes.pollId, pollId)))
        .groupBy(pollVotes.optionId, pollVotes.choice);
      const out: PollVote[] = [];
      for (const r of rows) {
        const choice = r.choice as Choice;
        for (const memberId of r.members.split(',')) out.push({ optionId: r.optionId, memberId, choice });
      }
      return out;
    },

    async upsertVote(installationId, pollId, vote) {
      await upsertVoteStatement(db).execute({
        installationId,
        pollId,
        optionId: vote.optionId,
        memberId: vote.memberId,
        choice: vote.choice,
        updatedAt: vote.updatedAt,
      });
    },

    async bumpOpen(installationId, pollId, now) {
      if (!UUID.test(pollId)) return null;
      // A where-clause placeholder skips the column's encoder: the driver gets the ISO text it would.
      const [row] = await bumpOpenStatement(db).execute({ installationId, pollId, now: now.toISOString() });
      return row ? toPoll(row) : null;
    },

    async close(installationId, pollId, at) {
      await db
        .update(polls)
        .set({ state: 'closed', closedAt: at, version: sql`${polls.version} + 1` })
        .where(and(byId(installationId, pollId), eq(polls.state, 'open')));
    },

    async finalize(installationId, pollId, meetingId, at) {
      await db
        .update(polls)
        .set({ state: 'finalized', finalizedAt: at, meetingId, version: sql`${polls.version} + 1` })
        .where(byId(installationId, pollId));
    },

    async markReminded(installationId, pollId, at) {
      await db.update(polls).set({ remindedAt: at }).where(byId(installationId, pollId));
    },

    async dueToClose(now, limit) {
      return db
        .select({ installationId: polls.installationId, id: polls.id })
        .from(polls)
        .where(and(eq(polls.state, 'open'), lte(polls.deadline, now)))
        .orderBy(asc(polls.deadline))
        .limit(limit);
    },

    async dueToRemind(now, remindAfterMs, beforeDeadlineMs, limit) {
      return db
        .select({ installationId: polls.installationId, id: polls.id })
        .from(polls)
        .where(
          and(
            eq(polls.state, 'open'),
            isNull(polls.remindedAt),
            sql`${remindAt(remindAfterMs, beforeDeadlineMs)} <= ${now.toISOString()}::timestamptz`,
            sql`${remindAt(remindAfterMs, beforeDeadlineMs)} > ${polls.createdAt}`,
          ),
        )
        .limit(limit);
    },

    async nextDueAt(after, remindAfterMs, beforeDeadlineMs) {
      const iso = after.toISOString();
      const result = await db.execute(sql`
        select min(t) as at from (
          select ${polls.deadline} as t from ${polls}
            where ${polls.state} = 'open' and ${polls.deadline} > ${iso}::timestamptz
          union all
          select ${remindAt(remindAfterMs, beforeDeadlineMs)} as t from ${polls}
            where ${polls.state} = 'open' and ${polls.remindedAt} is null
              and ${remindAt(remindAfterMs, beforeDeadlineMs)} > ${polls.createdAt}
        ) due where t > ${iso}::timestamptz`);
      const raw = ((result as unknown as { rows?: Array<{ at: unknown }> }).rows ?? [])[0]?.at;
      if (raw === null || raw === undefined) return null;
      const d = raw instanceof Date ? raw : new Date(String(raw));
      return Number.isNaN(d.getTime()) ? null : d;
    },
  };
}
