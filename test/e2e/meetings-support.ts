/** Helpers for the meetings tests: a network set up through the local stack, a poll row, a meeting. */
import { sql } from 'drizzle-orm';
import { resolveContext } from '../../src/core/context.js';
import { createMeetingFromPoll } from '../../src/core/meetings/from-poll.js';
import type { Network } from '../../src/core/types.js';
import { calendarLinks } from '../../src/http/calendar.js';
import { createSecretBox } from '../../src/security/crypto.js';
import type { Backend } from '../support/db.js';
import { bootLocalStack, buttonsOf, type LocalStack } from '../support/local-stack.js';

export const SECRET = 'meetings-test-secret-key-0123456789abcdef';
export const PUBLIC_URL = 'https://klik.test';
export const box = createSecretBox(SECRET);
export const calendar = calendarLinks(box, PUBLIC_URL);

/**
 * A local stack (with calendar links) whose channel `channelId` ("netwerk") holds `people`, and a
 * network that `coordinator` set up and confirmed there.
 */
export async function bootMeetingNetwork(options: {
  backend: Backend;
  start: string;
  people: ReadonlyArray<{ id: string; displayName: string; locale?: string; tz?: string }>;
  channelId: string;
  coordinator: string;
}): Promise<{ s: LocalStack; network: Network }> {
  const { people, channelId } = options;
  const s = await bootLocalStack({
    backend: options.backend,
    start: options.start,
    calendar,
    seed: (ws) => {
      for (const p of people) ws.addUser(p);
      ws.addChannel({ id: channelId, name: 'netwerk', memberIds: people.map((p) => p.id), botInChannel: true });
    },
  });
  return { s, network: await setUpNetwork(s, options.coordinator, channelId) };
}

/** Runs `setup` in the channel and confirms it; returns the network. */
export async function setUpNetwork(s: LocalStack, coordinator: string, channelId: string): Promise<Network> {
  await s.adapter.command(coordinator, channelId, 'start');
  const preview = s.workspace.listEphemerals(coordinator, channelId).at(-1);
  const confirm = preview ? buttonsOf(preview.message).find((b) => b.actionId === 'setup.confirm') : undefined;
  if (!preview || !confirm) throw new Error('no setup preview');
  await s.adapter.click(coordinator, preview.id, confirm.actionId, confirm.value);
  await s.deliver();
  const installationId = await s.installationId();
  const network = await s.store.transaction((tx) => tx.networks.findByChannel(installationId, channelId));
  if (!network) throw new Error('no network');
  return network;
}

/** A finalized poll row (meetings reference their poll). */
export async function insertPoll(s: LocalStack, network: Network, title: string): Promise<string> {
  const result = await s.database.db.execute(
    sql`insert into polls (installation_id, network_id, title, channel_id, state)
        values (${network.installationId}, ${network.id}, ${title}, ${network.channelId}, 'finalized') returning id`,
  );
  return (result as unknown as { rows: Array<{ id: string }> }).rows[0]!.id;
}

export interface MeetingSpec {
  title: string;
  startsAt: Date;
  allDayDate?: string | null;
  /** platform user id → vote */
  votes: Record<string, 'yes' | 'if_need_be' | 'no'>;
}

/** Finalizes a poll into a meeting as the polls feature does, acting as `actor` in the channel. */
export async function meetingFromPoll(
  s: LocalStack,
  network: Network,
  actor: string,
  spec: MeetingSpec,
): Promise<string> {
  const pollId = await insertPoll(s, network, spec.title);
  return s.store.transaction(async (tx) => {
    const ctx = await resolveContext(
      tx,
      { platform: 'local', externalId: 'local' },
      { platformUserId: actor },
      network.channelId,
      s.platform,
      { locale: 'nl', timezone: 'Europe/Amsterdam', calendar },
    );
    const votes = [];
    for (const [userId, choice] of Object.entries(spec.votes)) {
      const member = await tx.members.findByPlatformId(network.installationId, userId);
      if (!member) throw new Error(`no member ${userId}`);
      votes.push({ memberId: member.id, choice });
    }
    const { meetingId } = await createMeetingFromPoll(ctx, {
      pollId,
      title: spec.title,
      startsAt: spec.startsAt,
      allDayDate: spec.allDayDate ?? null,
      votes,
      now: s.clock.now(),
    });
    return meetingId;
  });
}

export async function rows<T>(s: LocalStack, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = await s.database.db.execute(query);
  return (result as unknown as { rows: T[] }).rows;
}
