import { and, asc, desc, eq, gt, gte, lt, or, sql } from 'drizzle-orm';
import type { TipRecord, TipRepo } from '../../src/core/tips/ports.js';
import { members, tipQuestions, tips, tipVotes } from '../schema.js';
import type { Executor } from './executor.js';

type TipRow = typeof tips.$inferSelect;

const toTip = (r: Pick<TipRow, keyof TipRecord>): TipRecord => ({
  id: r.id,
  networkId: r.networkId,
  authorId: r.authorId,
  questionId: r.questionId,
  text: r.text,
  tags: r.tags,
  upvotes: r.upvotes,
  createdAt: r.createdAt,
});

const columns = {
  id: tips.id,
  networkId: tips.networkId,
  authorId: tips.authorId,
  questionId: tips.questionId,
  text: tips.text,
  tags: tips.tags,
  upvotes: tips.upvotes,
  createdAt: tips.createdAt,
};

/** Searches matching at most this many tips are ranked exactly, over every match. */
export const EXACT_RANK_LIMIT = 4_000;
/** Beyond that, the newest tips looked at for matches, and the matches ranked. */
export const RECENT_WINDOW = 40_000;
export const COMMON_RANK_MATCHES = 2_000;

interface RawTipRow {
  id: string;
  network_id: string;
  author_id: string | null;
  question_id: string | null;
  text: string;
  tags: string[];
  upvotes: number;
  created_at: Date | string;
}

const fromRaw = (r: RawTipRow): TipRecord => ({
  id: r.id,
  networkId: r.network_id,
  authorId: r.author_id,
  questionId: r.question_id,
  text: r.text,
  tags: r.tags,
  upvotes: Number(r.upvotes),
  createdAt: r.created_at instanceof Date ? r.created_at : new Date(r.created_at),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function tipRepo(db: Executor): TipRepo {
  return {
    async exportPage(installationId, networkId, after, limit) {
      const conditions = [eq(tips.installationId, installationId), eq(tips.networkId, networkId)];
      if (after) {
        const afterId = sql`${after.id}::uuid`;
        const later = or(
          gt(tips.createdAt, after.createdAt),
          and(eq(tips.createdAt, after.createdAt), sql`${tips.id} > ${afterId}`),
        );
        if (later) conditions.push(later);
      }
      return db
        .select({
          id: tips.id,
          createdAt: tips.createdAt,
          text: tips.text,
          tags: tips.tags,
          upvotes: tips.upvotes,
          question: tipQuestions.text,
          authorName: members.displayName,
        })
        .from(tips)
        .leftJoin(tipQuestions, eq(tipQuestions.id, tips.questionId))
        .leftJoin(members, eq(members.id, tips.authorId))
        .where(and(...conditions))
        .orderBy(asc(tips.createdAt), asc(tips.id))
        .limit(limit);
    },
    async createQuestion(input) {
      const [row] = await db
        .insert(tipQuestions)
        .values({
          installationId: input.installationId,
          networkId: input.networkId,
          askedBy: input.askedBy,
          text: input.text,
          createdAt: input.createdAt,
        })
        .returning();
      if (!row) throw new Error('question insert returned nothing');
      return { id: row.id, networkId: row.networkId, text: row.text, createdAt: row.createdAt };
    },
    async getQuestion(installationId, questionId) {
      if (!UUID.test(questionId)) return null;
      const [row] = await db
        .select()
        .from(tipQuestions)
        .where(and(eq(tipQuestions.installationId, installationId), eq(tipQuestions.id, questionId)));
      return row ? { id: row.id, networkId: row.networkId, text: row.text, createdAt: row.createdAt } : null;
    },
    async answerCount(installationId, questionId) {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(tips)
        .where(and(eq(tips.installationId, installationId), eq(tips.questionId, questionId)));
      return Number(row?.n ?? 0);
    },
    async create(input) {
      const [row] = await db
        .insert(tips)
        .values({
          installationId: input.installationId,
          networkId: input.networkId,
          authorId: input.authorId,
          questionId: input.questionId ?? null,
          text: input.text,
          tags: input.tags,
          searchConfig: input.searchConfig,
          createdAt: input.createdAt,
        })
        .returning(columns);
      if (!row) throw new Error('tip insert returned nothing');
      return toTip(row);
    },
    async get(installationId, tipId) {
      if (!UUID.test(tipId)) return null;
      const [row] = await db
        .select(columns)
        .from(tips)
        .where(and(eq(tips.installationId, installationId), eq(tips.id, tipId)));
      return row ? toTip(row) : null;
    },
    async update(installationId, tipId, text, tags, at) {
      if (!UUID.test(tipId)) return null;
      const [row] = await db
        .update(tips)
        .set({ text, tags, updatedAt: at })
        .where(and(eq(tips.installationId, installationId), eq(tips.id, tipId)))
        .returning(columns);
      return row ? toTip(row) : null;
    },
    async remove(installationId, tipId) {
      if (!UUID.test(tipId)) return false;
      const rows = await db
        .delete(tips)
        .where(and(eq(tips.installationId, installationId), eq(tips.id, tipId)))
        .returning({ id: tips.id });
      return rows.length > 0;
    },
    async search(installationId, networkId, q) {
      const conditions = [eq(tips.installationId, installationId), eq(tips.networkId, networkId)];
      if (q.tags.length > 0) conditions.push(sql`${tips.tags} @> ${sql.param(q.tags)}::text[]`);
      const words = q.words.trim();
      if (words === '') {
        const rows = await db
          .select(columns)
          .from(tips)
          .where(and(...conditions))
          .orderBy(desc(tips.createdAt), desc(tips.upvotes), desc(tips.id))
          .limit(q.limit)
          .offset(q.offset);
        return rows.map(toTip);
      }
      // The same configuration the tip was indexed with: a constant, so the GIN index applies.
      const config = q.searchConfig === 'dutch' ? sql`'dutch'::regconfig` : sql`'english'::regconfig`;
      const query = sql`websearch_to_tsquery(${config}, ${words})`;
      const scope = and(...conditions);
      // How many tips match, counted no further than EXACT_RANK_LIMIT: cheap through the GIN index.
      const probe = (await db.execute(
        sql`select count(*)::int as n from (select 1 from ${tips} where ${scope} and ${tips.search} @@ ${query} limit ${EXACT_RANK_LIMIT + 1}) m`,
      )) as unknown as { rows: Array<{ n: number }> };
      if ((probe.rows[0]?.n ?? 0) <= EXACT_RANK_LIMIT) {
        const rows = await db
          .select(columns)
          .from(tips)
          .where(and(scope, sql`${tips.search} @@ ${query}`))
          .orderBy(
            desc(sql`ts_rank(${tips.search}, ${query})`),
            desc(tips.upvotes),
            desc(tips.createdAt),
            desc(tips.id),
          )
          .limit(q.limit)
          .offset(q.offset);
        return rows.map(toTip);
      }
      // A very common word: ranking every match would read most of the network's tips. Rank the newest
      // matches instead (at most COMMON_RANK_MATCHES, found among the RECENT_WINDOW newest tips),
      // walking the (network, created_at) index from the newest tip and stopping once enough matched.
      const result = (await db.execute(sql`
        select m.id, m.network_id, m.author_id, m.question_id, m.text, m.tags, m.upvotes, m.created_at
        from (
          select r.* from (
            select id, network_id, author_id, question_id, text, tags, upvotes, created_at, search
            from ${tips} where ${scope}
            order by created_at desc limit ${RECENT_WINDOW}
          ) r
          where r.search @@ ${query}
          limit ${COMMON_RANK_MATCHES}
        ) m
        order by ts_rank(m.search, ${query}) desc, m.upvotes desc, m.created_at desc, m.id desc
        limit ${q.limit} offset ${q.offset}`)) as unknown as { rows: RawTipRow[] };
      return result.rows.map(fromRaw);
    },
    async upvote(installationId, tipId, memberId) {
      if (!UUID.test(tipId)) return false;
      const inserted = await db
        .insert(tipVotes)
        .values({ installationId, tipId, memberId })
        .onConflictDoNothing()
        .returning({ tipId: tipVotes.tipId });
      if (inserted.length === 0) return false;
      await db
        .update(tips)
        .set({ upvotes: sql`${tips.upvotes} + 1` })
        .where(and(eq(tips.installationId, installationId), eq(tips.id, tipId)));
      return true;
    },
    async createdBetween(installationId, networkId, from, to) {
      const rows = await db
        .select(columns)
        .from(tips)
        .where(
          and(
            eq(tips.installationId, installationId),
            eq(tips.networkId, networkId),
            gte(tips.createdAt, from),
            lt(tips.createdAt, to),
          ),
        )
        .orderBy(desc(tips.createdAt), desc(tips.id));
      return rows.map(toTip);
    },
    async mostUpvoted(installationId, networkId, limit) {
      const rows = await db
        .select(columns)
        .from(tips)
        .where(and(eq(tips.installationId, installationId), eq(tips.networkId, networkId), gt(tips.upvotes, 0)))
        .orderBy(desc(tips.upvotes), desc(tips.createdAt))
        .limit(limit);
      return rows.map(toTip);
    },
  };
}
