/**
 * 200 concurrent votes on one poll, through the real Slack app: a Klik process in this process
 * (startKlik, real clock, outbox dispatcher running) against the fake Slack, on PGlite and on
 * real PostgreSQL when one answers. All 200 members click "yes"/"if need be"/"no" on one option at
 * the same moment (signed block_actions requests). Reported: time until every click was answered,
 * ack latency, time until the channel message shows the final state, Web API calls (chat.update
 * against votes), and lost votes (votes sent minus rows stored; must be 0).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { startKlik } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { POLL_CLOSE, POLL_VOTE } from '../../src/core/polls/ids.js';
import { silentLogger } from '../../src/core/ports.js';
import type { FakeMessage } from '../../test/support/fake-slack.js';
import { post, signedCommand, signedInteraction } from '../../test/support/slack-signing.js';
import { slackButtons, slackText } from '../../test/support/slack-stack.js';
import type { BenchRow, BenchSection } from '../report.js';
import { benchPostgres, freshDatabase } from '../support/postgres.js';
import { CHANNEL_ID, klikSlackEnv, SIGNING_SECRET, seedNetwork, slackWorld, TEAM_ID } from '../support/slack-world.js';

const QUICK = process.env.BENCH_QUICK === '1';
const VOTERS = QUICK ? 50 : 200;
const CODES = ['y', 'm', 'n'] as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const r1 = (x: number) => Math.round(x * 10) / 10;
const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};

/** "users.info 49, chat.postEphemeral 1": Web API calls other than chat.update, by method. */
function otherCalls(methods: string[]): string {
  const counts = new Map<string, number>();
  for (const m of methods) if (m !== 'chat.update') counts.set(m, (counts.get(m) ?? 0) + 1);
  return [...counts].map(([m, n]) => `${m} ${n}`).join(', ') || '0';
}

async function waitFor<T>(what: string, probe: () => T | undefined | null, limitMs = 60_000): Promise<T> {
  const limit = performance.now() + limitMs;
  for (;;) {
    const found = probe();
    if (found) return found;
    if (performance.now() > limit) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

async function run(backend: 'pglite' | 'postgres', adminUrl: string | null): Promise<BenchRow> {
  const world = await slackWorld(VOTERS);
  const fresh = backend === 'postgres' && adminUrl ? await freshDatabase(adminUrl, 'votes') : null;
  const dataDir = fresh ? null : mkdtempSync(join(tmpdir(), 'klik-bench-votes-'));
  const config = loadConfig({
    ...klikSlackEnv(world.fake.apiUrl),
    PORT: '0',
    PUBLIC_URL: 'http://127.0.0.1',
    ...(fresh ? { DATABASE_URL: fresh.url } : { KLIK_DATA_DIR: dataDir as string }),
  });
  const klik = await startKlik(config, silentLogger, { dispatchIntervalMs: 50, cron: false, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${klik.port}/slack/events`;
  try {
    await seedNetwork(klik.database.db, { members: VOTERS, tips: 0 });
    const creator = world.userIds[0] as string;
    const res = await post(
      url,
      signedCommand(
        {
          token: 'legacy-verification-token',
          team_id: TEAM_ID,
          team_domain: world.team.domain,
          channel_id: CHANNEL_ID,
          channel_name: 'leernetwerk',
          user_id: creator,
          user_name: 'collega0',
          command: '/klik',
          text: 'poll "Bedrijfsbezoek" 2030-03-05 2030-03-12 14:00 2030-03-19',
          api_app_id: world.team.appId,
          is_enterprise_install: 'false',
          response_url: world.fake.newResponseUrl({ teamId: TEAM_ID, channelId: CHANNEL_ID, userId: creator }),
          trigger_id: world.fake.newTrigger(creator),
        },
        { signingSecret: SIGNING_SECRET },
      ),
    );
    if (res.status !== 200) throw new Error(`poll command answered ${res.status}`);
    const poll: FakeMessage = await waitFor('the poll post', () =>
      world.fake.channelMessages(CHANNEL_ID).find((m) => slackButtons(m.blocks).some((b) => b.actionId === POLL_VOTE)),
    );
    const buttons = slackButtons(poll.blocks);
    const pollId = buttons.find((b) => b.actionId === POLL_CLOSE)?.value ?? '';
    const callsBefore = world.fake.calls.length;

    // Everyone votes on the first option at once; member i answers CODES[i % 3].
    const bodies = world.userIds.map((user, i) => {
      const value = `${pollId}:0:${CODES[i % 3]}`;
      const button = buttons.find((b) => b.actionId === POLL_VOTE && b.value === value);
      if (!button) throw new Error(`no button ${value}`);
      return signedInteraction(
        {
          type: 'block_actions',
          user: { id: user, username: `collega${i}`, name: `collega${i}`, team_id: TEAM_ID },
          api_app_id: world.team.appId,
          token: 'legacy-verification-token',
          container: { type: 'message', message_ts: poll.ts, channel_id: CHANNEL_ID, is_ephemeral: false },
          trigger_id: world.fake.newTrigger(user),
          team: { id: TEAM_ID, domain: world.team.domain },
          enterprise: null,
          is_enterprise_install: false,
          channel: { id: CHANNEL_ID, name: 'leernetwerk' },
          message: { type: 'message', user: world.team.botUserId, ts: poll.ts, text: poll.text, blocks: [] },
          state: { values: {} },
          response_url: world.fake.newResponseUrl({
            teamId: TEAM_ID,
            channelId: CHANNEL_ID,
            userId: user,
            source: { ts: poll.ts, ephemeral: false },
          }),
          actions: [
            {
              type: 'button',
              action_id: button.rawActionId,
              block_id: 'b1',
              text: { type: 'plain_text', text: button.label, emoji: true },
              value,
              action_ts: `${1_790_000_000 + i}.000001`,
            },
          ],
        },
        { signingSecret: SIGNING_SECRET },
      );
    });

    const t0 = performance.now();
    const latencies: number[] = [];
    const statuses = await Promise.all(
      bodies.map(async (b) => {
        const started = performance.now();
        const r = await post(url, b);
        latencies.push(performance.now() - started);
        return r.status;
      }),
    );
    const acked = performance.now() - t0;
    await klik.slack?.idle();
    const stored = async () =>
      Number(
        (
          (await klik.database.db.execute(
            sql`select count(*)::int as n from poll_votes where poll_id = ${pollId}::uuid`,
          )) as unknown as { rows: Array<{ n: number }> }
        ).rows[0]?.n ?? 0,
      );
    const expected = (c: string) => world.userIds.filter((_, i) => CODES[i % 3] === c).length;
    const finalTally = `✅ ${expected('y')} · 🤔 ${expected('m')} · ❌ ${expected('n')}`;
    await waitFor('the final state in the channel', () => {
      const text = slackText(world.fake.findMessage(poll.ts) as FakeMessage);
      return text.includes(finalTally) && text.includes(`(${VOTERS})`) ? text : null;
    });
    const shown = performance.now() - t0;
    // Anything still queued would be a later update: let the outbox drain and count it too.
    await sleep(1_500);
    const calls = world.fake.calls.slice(callsBefore);
    const lost = VOTERS - (await stored());
    return {
      database: backend,
      votes: VOTERS,
      'HTTP 200': statuses.filter((s) => s === 200).length,
      'all answered (ms)': Math.round(acked),
      'ack p50 (ms)': r1(percentile(latencies, 50)),
      'ack p95 (ms)': r1(percentile(latencies, 95)),
      'final state shown (ms)': Math.round(shown),
      'chat.update calls': calls.filter((c) => c.method === 'chat.update').length,
      'other Web API calls': otherCalls(calls.map((c) => c.method)),
      'lost votes': lost,
    };
  } finally {
    await klik.stop();
    await world.fake.close();
    await fresh?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function votesBench(): Promise<BenchSection> {
  const adminUrl = await benchPostgres();
  const rows: BenchRow[] = [await run('pglite', null)];
  const notes: string[] = [];
  if (adminUrl) rows.push(await run('postgres', adminUrl));
  else notes.push('No PostgreSQL answered (TEST_DATABASE_URL, BENCH_DATABASE_URL or 127.0.0.1:5432): PGlite only.');
  notes.push(
    'A vote holds the poll row lock only for its last statements (version bump, vote, the coalesced update row); the message is rendered when that row is sent, at most once a second per poll, so chat.update calls grow with seconds, not votes.',
    '"final state shown" counts from the first click until the channel message shows the final tallies.',
  );
  return {
    name: 'votes',
    description: `${VOTERS} members vote on one poll option at the same moment through signed Slack requests.`,
    rows,
    notes,
  };
}
