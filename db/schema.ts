/**
 * Klik's tables. Every row belongs to exactly one installation (`installation_id`); members are
 * keyed by internal UUIDs everywhere, never by platform ids.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** PostgreSQL's full-text document type (drizzle has none built in). */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const tstz = (name: string) => timestamp(name, { withTimezone: true });

export const installations = pgTable(
  'installations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    platform: text('platform').notNull(),
    externalId: text('external_id').notNull(),
    name: text('name').notNull().default(''),
    /** Bot token, AES-256-GCM encrypted with KLIK_SECRET_KEY (adapters fill it). */
    botTokenEnc: text('bot_token_enc'),
    botUserId: text('bot_user_id'),
    /** Platform-specific installation details (encrypted where secret). */
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    uninstalledAt: tstz('uninstalled_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('installations_platform_external').on(t.platform, t.externalId)],
);

const installationId = () =>
  uuid('installation_id')
    .notNull()
    .references(() => installations.id, { onDelete: 'cascade' });

export const networks = pgTable(
  'networks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    installationId: installationId(),
    channelId: text('channel_id').notNull(),
    state: text('state').notNull().default('pending'),
    name: text('name').notNull(),
    purpose: text('purpose').notNull().default(''),
    locale: text('locale').notNull(),
    timezone: text('timezone').notNull(),
    cadence: text('cadence').notNull(),
    day: text('day').notNull(),
    time: text('time').notNull(),
    groupSize: integer('group_size').notNull(),
    pool: text('pool').notNull(),
    rhythmWeeks: integer('rhythm_weeks').notNull(),
    digest: text('digest').notNull(),
    quietStart: text('quiet_start').notNull(),
    quietEnd: text('quiet_end').notNull(),
    postNewTips: boolean('post_new_tips').notNull(),
    shareNotes: boolean('share_notes').notNull(),
    nudges: jsonb('nudges').$type<Record<string, boolean>>().notNull(),
    pausedUntil: tstz('paused_until'),
    skipNextRound: boolean('skip_next_round').notNull().default(false),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('networks_installation_channel').on(t.installationId, t.channelId)],
);

export const members = pgTable(
  'members',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    installationId: installationId(),
    platformUserId: text('platform_user_id').notNull(),
    displayName: text('display_name').notNull().default(''),
    organisationId: uuid('organisation_id'),
    role: text('role'),
    canShare: text('can_share'),
    wantsToLearn: text('wants_to_learn'),
    nickname: text('nickname'),
    timezone: text('timezone'),
    locale: text('locale'),
    /** Set by forget-me: the row stays as an anonymous tombstone (history keeps its id). */
    forgottenAt: tstz('forgotten_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('members_installation_platform_user').on(t.installationId, t.platformUserId)],
);

export const networkMembers = pgTable(
  'network_members',
  {
    installationId: installationId(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    status: text('status').notNull().default('active'),
    optedIn: boolean('opted_in').notNull().default(false),
    pausedUntil: tstz('paused_until'),
    joinedAt: tstz('joined_at').notNull(),
    leftAt: tstz('left_at'),
  },
  (t) => [
    primaryKey({ columns: [t.networkId, t.memberId] }),
    index('network_members_installation').on(t.installationId),
  ],
);

export const coordinators = pgTable(
  'coordinators',
  {
    installationId: installationId(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    addedBy: uuid('added_by'),
    addedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.networkId, t.memberId] })],
);

export const organisations = pgTable(
  'organisations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    installationId: installationId(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('organisations_network_name').on(t.networkId, sql`lower(${t.name})`)],
);

/**
 * Every message Klik sends. Written in the same transaction as the change that causes it;
 * dispatchers claim rows with FOR UPDATE SKIP LOCKED.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Monotonic order of writing, so one target's messages go out in order. */
    seq: integer('seq').generatedAlwaysAsIdentity(),
    installationId: installationId(),
    networkId: uuid('network_id'),
    idempotencyKey: text('idempotency_key').notNull(),
    /** Groups rows that share a rate limit (a channel, a member's DM). */
    targetKey: text('target_key').notNull(),
    target: jsonb('target').notNull(),
    message: jsonb('message').notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: tstz('next_attempt_at').notNull(),
    lockedUntil: tstz('locked_until'),
    lockedBy: text('locked_by'),
    platformMessageId: text('platform_message_id'),
    platformChannelId: text('platform_channel_id'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    sentAt: tstz('sent_at'),
  },
  (t) => [
    uniqueIndex('outbox_installation_key').on(t.installationId, t.idempotencyKey),
    index('outbox_due').on(t.status, t.nextAttemptAt),
  ],
);

/** A rate limit on one target (Retry-After): only that target's rows wait. */
export const outboxHolds = pgTable(
  'outbox_holds',
  {
    installationId: installationId(),
    targetKey: text('target_key').notNull(),
    until: tstz('until').notNull(),
  },
  (t) => [primaryKey({ columns: [t.installationId, t.targetKey] })],
);

/** One row per (network, job kind, slot): whoever inserts it runs the slot. */
export const jobClaims = pgTable(
  'job_claims',
  {
    installationId: installationId(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    slot: text('slot').notNull(),
    outcome: text('outcome').notNull(),
    claimedBy: text('claimed_by').notNull(),
    claimedAt: tstz('claimed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.networkId, t.kind, t.slot] })],
);

/**
 * Deduplicates platform deliveries (Slack retries, double clicks, a shared channel's event arriving
 * through two installations). Keys are namespaced by platform ("slack:event:Ev1"); the key alone is
 * unique, so the second installation's copy is recognised; the row records the first receiver.
 */
export const processedEvents = pgTable(
  'processed_events',
  {
    eventKey: text('event_key').primaryKey(),
    installationId: installationId(),
    receivedAt: createdAt(),
  },
  (t) => [index('processed_events_received').on(t.receivedAt)],
);

/** A pairing round of a network: scheduled (its slot) or manual (`pair now`). */
export const pairingRounds = pgTable(
  'pairing_rounds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    installationId: installationId(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    /** Position in the network's sequence of rounds (1, 2, ...). */
    number: integer('number').notNull(),
    trigger: text('trigger').notNull(),
    /** The scheduler's slot key, or null for a manual round. */
    slot: text('slot'),
    startedAt: tstz('started_at').notNull(),
    checkInAt: tstz('check_in_at').notNull(),
    endsAt: tstz('ends_at').notNull(),
    /** What the planner reported (repeats, cross-organisation share...). */
    report: jsonb('report').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    uniqueIndex('pairing_rounds_network_number').on(t.networkId, t.number),
    uniqueIndex('pairing_rounds_network_slot').on(t.networkId, t.slot),
  ],
);

export const pairingGroups = pgTable(
  'pairing_groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    installationId: installationId(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    roundId: uuid('round_id')
      .notNull()
      .references(() => pairingRounds.id, { onDelete: 'cascade' }),
    /** Why they were matched, as catalog data (shared interests, organisations, the starter). */
    reason: jsonb('reason').$type<Record<string, unknown>>().notNull().default({}),
    /** Position of the conversation starter in the catalog, to avoid repeating it soon. */
    starter: text('starter'),
    createdAt: createdAt(),
  },
  (t) => [index('pairing_groups_round').on(t.roundId)],
);

/** Who was in a group, and their check-in answer. Pairs met = pairs within a group. */
export const pairingGroupMembers = pgTable(
  'pairing_group_members',
  {
    installationId: installationId(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    groupId: uuid('group_id')
      .notNull()
      .references(() => pairingGroups.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    /** yes | not_yet | skipped, or null before an answer. */
    checkIn: text('check_in'),
    checkInAt: tstz('check_in_at'),
    /** "What did you learn about your new connection?" */
    note: text('note'),
    shareNote: boolean('share_note').notNull().default(false),
    noteSharedAt: tstz('note_shared_at'),
    /** Left the group mid-round (their partners were re-matched). */
    leftAt: tstz('left_at'),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.memberId] }),
    index('pairing_group_members_network_member').on(t.networkId, t.memberId),
  ],
);

/** A member's confidential "don't pair me with" list. */
export const pairingExclusions = pgTable(
  'pairing_exclusions',
  {
    installationId: installationId(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    excludedMemberId: uuid('excluded_member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.networkId, t.memberId, t.excludedMemberId] })],
);

/** A tip: the network's shared sheet of lessons. Stays when its author leaves. */
export const tips = pgTable(
  'tips',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    installationId: installationId(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    /** Null after the author asked to be forgotten: the tip stays, without author. */
    authorId: uuid('author_id').references(() => members.id, { onDelete: 'set null' }),
    /** The question this tip answers, when it does. */
    questionId: uuid('question_id').references(() => tipQuestions.id, { onDelete: 'set null' }),
    text: text('text').notNull(),
    /** `#words` of the text, lower-cased, accents kept. */
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    /** The text search configuration of the network's locale when the tip was saved (`dutch`, `english`). */
    searchConfig: text('search_config').notNull(),
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs(
        sql`to_tsvector(case search_config when 'dutch' then 'dutch'::regconfig else 'english'::regconfig end, text)`,
      ),
    upvotes: integer('upvotes').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at'),
  },
  (t) => [
    index('tips_network_created').on(t.networkId, t.createdAt),
    index('tips_search').using('gin', t.search),
    index('tips_tags').using('gin', t.tags),
    index('tips_question').on(t.questionId),
    // A member's latest tip (the quiet-member nudge), their tips (my-data, forget-me).
    index('tips_network_author').on(t.networkId, t.authorId),
  ],
);

/** One upvote per member per tip. */
export const tipVotes = pgTable(
  'tip_votes',
  {
    installationId: installationId(),
    tipId: uuid('tip_id')
      .notNull()
      .references(() => tips.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tipId, t.memberId] })],
);

/** A coordinator's question to the network (`ask`); answers are tips linked to it. */
export const tipQuestions = pgTable(
  'tip_questions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    installationId: installationId(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    askedBy: uuid('asked_by').references(() => members.id, { onDelete: 'set null' }),
    text: text('text').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('tip_questions_network').on(t.networkId)],
);

/** A date poll (`poll`): open → closed → finalized. */
export const polls = pgTable(
  'polls',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    installationId: installationId(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    createdBy: uuid('created_by').references(() => members.id, { onDelete: 'set null' }),
    title: text('title').notNull(),
    /** The channel the poll was posted in (the network's channel). */
    channelId: text('channel_id').notNull(),
    deadline: tstz('deadline'),
    hideVotes: boolean('hide_votes').notNull().default(false),
    /** open | closed | finalized */
    state: text('state').notNull().default('open'),
    /** Bumped on every vote; the channel message is refreshed from the latest version. */
    version: integer('version').notNull().default(0),
    remindedAt: tstz('reminded_at'),
    closedAt: tstz('closed_at'),
    finalizedAt: tstz('finalized_at'),
    /** The meeting the poll became. */
    meetingId: uuid('meeting_id'),
    createdAt: createdAt(),
  },
  (t) => [index('polls_network_state').on(t.networkId, t.state), index('polls_open_deadline').on(t.state, t.deadline)],
);

/** One option of a poll: a date (all day) or a date and time, in network time. */
export const pollOptions = pgTable(
  'poll_options',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    installationId: installationId(),
    pollId: uuid('poll_id')
      .notNull()
      .references(() => polls.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    /** Local date, YYYY-MM-DD. */
    date: text('date').notNull(),
    /** Local time HH:MM, or null for an all-day option. */
    time: text('time'),
    /** The option's start as an instant (start of the day in network time when all day). */
    startsAt: tstz('starts_at').notNull(),
  },
  (t) => [uniqueIndex('poll_options_poll_position').on(t.pollId, t.position)],
);

/** One vote per (poll, option, member), written by upsert: concurrent clicks lose nothing. */
export const pollVotes = pgTable(
  'poll_votes',
  {
    installationId: installationId(),
    pollId: uuid('poll_id')
      .notNull()
      .references(() => polls.id, { onDelete: 'cascade' }),
    optionId: uuid('option_id')
      .notNull()
      .references(() => pollOptions.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    /** yes | if_need_be | no */
    choice: text('choice').notNull(),
    updatedAt: tstz('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.pollId, t.optionId, t.memberId] }),
    index('poll_votes_poll_member').on(t.pollId, t.memberId),
    // A member's votes across polls (the quiet-member nudge, my-data, forget-me).
    index('poll_votes_member').on(t.memberId),
  ],
);

/** A meeting of the network, from a finalized poll or planned directly. */
export const meetings = pgTable(
  'meetings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    installationId: installationId(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    pollId: uuid('poll_id').references(() => polls.id, { onDelete: 'set null' }),
    title: text('title').notNull(),
    startsAt: tstz('starts_at').notNull(),
    /** Local date YYYY-MM-DD when the meeting lasts all day (calendar files use a DATE value). */
    allDayDate: text('all_day_date'),
    endsAt: tstz('ends_at'),
    /** A place or an online link. */
    place: text('place'),
    hostId: uuid('host_id').references(() => members.id, { onDelete: 'set null' }),
    capacity: integer('capacity'),
    /** scheduled | cancelled */
    state: text('state').notNull().default('scheduled'),
    /** Calendar UID, stable over changes. */
    uid: text('uid').notNull(),
    /** Calendar SEQUENCE: raised on every change or cancellation. */
    sequence: integer('sequence').notNull().default(0),
    attendanceTakenAt: tstz('attendance_taken_at'),
    createdBy: uuid('created_by').references(() => members.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at'),
  },
  (t) => [uniqueIndex('meetings_uid').on(t.uid), index('meetings_network_starts').on(t.networkId, t.startsAt)],
);

/** A member's answer for a meeting, and afterwards their attendance. */
export const meetingRsvps = pgTable(
  'meeting_rsvps',
  {
    installationId: installationId(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    /** going | maybe | not_going | waitlist */
    status: text('status').notNull(),
    respondedAt: tstz('responded_at').notNull(),
    /** Changed to not_going within 24 hours before the start. */
    lateCancel: boolean('late_cancel').notNull().default(false),
    /** Place in the waitlist (order of joining it). */
    waitlistedAt: tstz('waitlisted_at'),
    /** A freed place offered to this waitlisted member, open until then. */
    offerExpiresAt: tstz('offer_expires_at'),
    /** attended | no_show, marked by the host afterwards. */
    attendance: text('attendance'),
  },
  (t) => [
    primaryKey({ columns: [t.meetingId, t.memberId] }),
    index('meeting_rsvps_member').on(t.installationId, t.memberId),
  ],
);

/** Joins and leaves over time (churn): one row per change of membership. */
export const membershipEvents = pgTable(
  'membership_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    installationId: installationId(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    /** join | leave */
    kind: text('kind').notNull(),
    at: tstz('at').notNull(),
  },
  (t) => [index('membership_events_network_at').on(t.networkId, t.at)],
);

/**
 * Members who asked to be forgotten: a keyed HMAC of their platform id (KLIK_SECRET_KEY), so a roster
 * sync does not re-enrol or re-welcome them. The one trace forget-me keeps.
 */
export const forgottenMembers = pgTable(
  'forgotten_members',
  {
    installationId: installationId(),
    platformHash: text('platform_hash').notNull(),
    forgottenAt: tstz('forgotten_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.installationId, t.platformHash] })],
);

/** API tokens a coordinator issues for `GET /api/networks/:id/stats`; only a hash is kept. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    installationId: installationId(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdBy: uuid('created_by').references(() => members.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    lastUsedAt: tstz('last_used_at'),
    revokedAt: tstz('revoked_at'),
  },
  (t) => [uniqueIndex('api_tokens_hash').on(t.tokenHash)],
);

/** Single-use links (dashboard, export): a link's id is written when it is first used. */
export const usedLinks = pgTable(
  'used_links',
  {
    linkId: text('link_id').primaryKey(),
    installationId: installationId(),
    kind: text('kind').notNull(),
    usedAt: tstz('used_at').notNull(),
    expiresAt: tstz('expires_at').notNull(),
  },
  (t) => [index('used_links_expires').on(t.expiresAt)],
);
