/**
 * The Slack side of the process benches: a fake Slack (test/support/fake-slack.ts, the same one the
 * contract tests use) with one workspace, `people` people in one channel with Klik, and the env a
 * Klik process needs to talk to it. Plus the network, its members and tips written straight into
 * Klik's database, the way an earlier `/klik setup` and `/klik tip` would have left them.
 */
import { sql } from 'drizzle-orm';
import { type Db, openDatabase } from '../../db/client.js';
import { FakeSlack, type FakeTeam } from '../../test/support/fake-slack.js';

export const TEAM_ID = 'TBENCH0001';
export const CHANNEL_ID = 'CBENCH0001';
export const BOT_TOKEN = 'xoxb-bench-token';
export const SIGNING_SECRET = 'bench-signing-secret-0123456789abcdef';
export const SECRET_KEY = 'b'.repeat(44);

export interface SlackWorld {
  fake: FakeSlack;
  team: FakeTeam;
  userIds: string[];
}

export const userId = (i: number) => `UB${String(i).padStart(6, '0')}`;

export async function slackWorld(people: number): Promise<SlackWorld> {
  const fake = await FakeSlack.start();
  const team = fake.addTeam({ id: TEAM_ID, name: 'Bench zorgnetwerk', token: BOT_TOKEN });
  const userIds: string[] = [];
  for (let i = 0; i < people; i++) {
    const id = userId(i);
    fake.addUser({
      id,
      teamId: TEAM_ID,
      name: `collega${i}`,
      realName: `Collega ${i}`,
      tz: 'Europe/Amsterdam',
      locale: 'nl-NL',
    });
    userIds.push(id);
  }
  fake.addChannel({ id: CHANNEL_ID, teamId: TEAM_ID, name: 'leernetwerk', members: userIds });
  return { fake, team, userIds };
}

/** Environment for a Klik process served by this fake Slack. */
export function klikSlackEnv(apiUrl: string): Record<string, string> {
  return {
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: apiUrl,
    KLIK_SECRET_KEY: SECRET_KEY,
    KLIK_PLAYGROUND: '0',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
  };
}

export interface SeededNetwork {
  installationId: string;
  networkId: string;
  tipIds: string[];
}

/**
 * An active network in the bench channel (the first person coordinates it), `members` members
 * with active memberships, and `tips` tips. Needs the installation Klik wrote at its start.
 */
export async function seedNetwork(db: Db, options: { members: number; tips: number }): Promise<SeededNetwork> {
  const rows = async <T>(q: ReturnType<typeof sql>) => ((await db.execute(q)) as unknown as { rows: T[] }).rows;
  // Klik listens before it has asked Slack whose token it holds (auth.test): give it time.
  let installationId: string | undefined;
  for (const limit = Date.now() + 60_000; !installationId && Date.now() < limit; ) {
    const inst = await rows<{ id: string }>(sql`select id from installations where external_id = ${TEAM_ID}`);
    installationId = inst[0]?.id;
    if (!installationId) await new Promise((r) => setTimeout(r, 200));
  }
  if (!installationId) throw new Error('Klik has not recorded the bench workspace within 60 s');
  const net = await rows<{ id: string }>(
    sql`insert into networks (installation_id, channel_id, state, name, locale, timezone, cadence, day, time,
         group_size, pool, rhythm_weeks, digest, quiet_start, quiet_end, post_new_tips, share_notes, nudges)
       values (${installationId}, ${CHANNEL_ID}, 'active', 'Bench', 'nl', 'Europe/Amsterdam', 'biweekly', 'mon',
         '09:00', 2, 'channel', 6, 'fri', '08:00', '18:00', true, true, '{}'::jsonb) returning id`,
  );
  const networkId = net[0]?.id as string;
  const count = Math.max(1, options.members);
  await db.execute(
    sql`insert into members (installation_id, platform_user_id, display_name)
       select ${installationId}, 'UB' || lpad(g::text, 6, '0'), 'Collega ' || g from generate_series(0, ${count} - 1) g`,
  );
  await db.execute(
    sql`insert into network_members (installation_id, network_id, member_id, status, joined_at)
       select installation_id, ${networkId}, id, 'active', now() from members where installation_id = ${installationId}`,
  );
  await db.execute(
    sql`insert into coordinators (installation_id, network_id, member_id)
       select installation_id, ${networkId}, id from members
       where installation_id = ${installationId} and platform_user_id = 'UB000000'`,
  );
  const tips = await rows<{ id: string }>(
    sql`insert into tips (installation_id, network_id, author_id, text, tags, search_config)
       select ${installationId}, ${networkId},
         (select id from members where installation_id = ${installationId} and platform_user_id = 'UB000000'),
         'Tip ' || g || ': plan de overdracht samen met de familie', array['overdracht'], 'dutch'
       from generate_series(1, ${options.tips}) g returning id`,
  );
  return { installationId, networkId, tipIds: tips.map((r) => r.id) };
}

/** seedNetwork on a PostgreSQL database another process (a Klik under test) is using. */
export async function seedNetworkAt(url: string, options: { members: number; tips: number }): Promise<SeededNetwork> {
  const database = await openDatabase({ kind: 'postgres', url });
  try {
    return await seedNetwork(database.db, options);
  } finally {
    await database.close();
  }
}
