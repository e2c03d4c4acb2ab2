/**
 * Fault suite: several Klik processes on one PostgreSQL database, one killed with SIGKILL in the
 * middle of a pairing round. Each process is a real child (`scripts/start.mjs`, as `npm start`)
 * with the Slack adapter, its outbox loop and its scheduler; they all talk to one fake Slack in
 * this test, reached through a TCP proxy that makes every answer slow (so the round takes a while
 * and the kill lands mid-round).
 *
 * Three processes start. A network is set up (welcome DMs for its 40 members) and `koppel nu`
 * makes 20 group intros; once a third of the intros are out, one process is killed. Its leases
 * are then expired by the test (what waiting out the 2-minute lease would do) and the two others
 * finish the round. Then the same with the two left: a second network, a second round, one of
 * them killed mid-round, the last one finishes. Each time: every group has its intro and every
 * outbox row went out, and at most one message went out twice (the one the killed process may
 * have had in flight: product.md's one window). Duplicates are counted as the same text posted
 * twice in one conversation, and as posts beyond the rows sent.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyPostgresDatabase, hasPostgres, requirePostgresInCi } from '../support/db.js';
import { type FakeChannel, FakeSlack, type FakeTeam } from '../support/fake-slack.js';
import { freePort, type KlikChild, spawnKlik, waitFor } from '../support/process.js';
import { post, signedCommand, signedInteraction } from '../support/slack-signing.js';
import { SIGNING_SECRET, SlackDriver, type SlackStack } from '../support/slack-stack.js';
import { TcpProxy } from '../support/tcp-proxy.js';

requirePostgresInCi();

const BOT_TOKEN = 'xoxb-fault-processes';
const NETS = ['CROUND1', 'CROUND2'] as const;
/** Each network its own 40 people, so every group DM of the second round is new. */
const membersOf = (net: string) =>
  Array.from({ length: 40 }, (_, i) => `U${net.slice(-1)}M${String(i + 1).padStart(3, '0')}`);

/**
 * SIGKILL to the Klik process itself. `scripts/start.mjs` (what spawnKlik runs) starts Klik as its
 * own child: killing the wrapper would leave Klik running, so the signal goes to the wrapper's child.
 */
async function killKlik(proc: KlikChild): Promise<void> {
  const wrapper = proc.child.pid;
  if (!wrapper) throw new Error('no pid');
  const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(wrapper)], { encoding: 'utf8' }).trim();
  const klik = Number(out.split(/\s+/)[0]);
  if (!klik) throw new Error('the Klik process was not found');
  const exited = new Promise((r) => (proc.child.exitCode !== null ? r(null) : proc.child.once('exit', r)));
  process.kill(klik, 'SIGKILL');
  await exited;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, test: () => Promise<boolean> | boolean, attempts = 600): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await test()) return;
    await sleep(100);
  }
  throw new Error(`never: ${what}`);
}

describe.skipIf(!hasPostgres)('Klik processes on one database, one killed with SIGKILL mid-round', () => {
  let fake: FakeSlack;
  let team: FakeTeam;
  let proxy: TcpProxy;
  let direct: pg.Pool;
  let drop: () => Promise<void>;
  const procs: KlikChild[] = [];
  const dirs: string[] = [];

  const count = async (q: string): Promise<number> => Number((await direct.query<{ n: number }>(q)).rows[0]?.n ?? 0);
  const workerOf = (p: KlikChild) => /"workerId":"(klik-[0-9a-f]{8})"/.exec(p.output())?.[1];
  const humans = (c: FakeChannel) => [...c.members].filter((m) => !fake.users.get(m)?.isBot);
  const posts = () => fake.messages.filter((m) => !m.visibleTo);
  const postsIn = (c: FakeChannel) => posts().filter((m) => m.channel === c.id).length;
  const alive = () => procs.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
  /** Messages posted more than once: the same text twice in one conversation. */
  const repeats = () => {
    const seen = new Map<string, number>();
    for (const m of posts())
      seen.set(`${m.channel}\u0000${m.text}`, (seen.get(`${m.channel}\u0000${m.text}`) ?? 0) + 1);
    return [...seen.values()].reduce((sum, k) => sum + k - 1, 0);
  };
  const rowsPosted = () =>
    count("select count(*)::int as n from outbox where status = 'sent' and target->>'kind' <> 'update'");

  beforeAll(async () => {
    fake = await FakeSlack.start();
    team = fake.addTeam({ id: 'T0ROUND', name: 'Ronde', token: BOT_TOKEN });
    for (const net of NETS) {
      const members = membersOf(net);
      for (const id of members) fake.addUser({ id, teamId: team.id, name: id.toLowerCase(), locale: 'nl-NL' });
      fake.addChannel({ id: net, teamId: team.id, name: net.toLowerCase(), members });
    }
    proxy = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(fake.url).port) });
    const database = await createEmptyPostgresDatabase();
    drop = database.drop;
    direct = new pg.Pool({ connectionString: database.url, max: 2 });

    for (let i = 0; i < 3; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'klik-proc-'));
      dirs.push(dir);
      procs.push(
        spawnKlik(
          {
            DATABASE_URL: database.url,
            KLIK_DATA_DIR: dir,
            KLIK_PLAYGROUND: '0',
            KLIK_SECRET_KEY: 'p'.repeat(40),
            SLACK_SIGNING_SECRET: SIGNING_SECRET,
            SLACK_BOT_TOKEN: BOT_TOKEN,
            SLACK_API_URL: `${proxy.url}/api/`,
          },
          await freePort(),
        ),
      );
    }
    await Promise.all(procs.map((p) => waitFor(`http://127.0.0.1:${p.port}/readyz`, 200, p)));
    await until('every process named its outbox worker', () => procs.every((p) => workerOf(p) !== undefined));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(alive().map((p) => p.stop()));
    await proxy?.close();
    await direct?.end();
    await drop?.();
    await fake?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }, 60_000);

  /** Sets up a network through `via`, pairs it, and kills `via` once a third of the intros are out. */
  async function roundWithKill(net: string, via: KlikChild): Promise<void> {
    proxy.latencyMs = 0;
    const eventsUrl = `http://127.0.0.1:${via.port}/slack/events`;
    const members = membersOf(net);
    const coord = members[0] as string;
    const driver = new SlackDriver({ fake, team, eventsUrl, idle: async () => {} } as unknown as SlackStack);
    const command = async (text: string) => {
      const fields = driver.commandFields(coord, net, text);
      const res = await post(eventsUrl, signedCommand(fields, { signingSecret: SIGNING_SECRET }));
      expect(res.status).toBe(200);
      await fake.waitFor(() => fake.responsePosts(fields.response_url).length > 0);
    };
    const networksBefore = await count('select count(*)::int as n from networks');
    await command('start');
    const preview = fake.ephemerals(coord, net).at(-1);
    if (!preview) throw new Error('no setup preview');
    const { payload } = driver.clickPayload(coord, preview, 'setup.confirm');
    expect((await post(eventsUrl, signedInteraction(payload, { signingSecret: SIGNING_SECRET }))).status).toBe(200);
    await until(
      'the network exists',
      async () => (await count('select count(*)::int as n from networks')) > networksBefore,
    );

    const groupsBefore = await count('select count(*)::int as n from pairing_groups');
    proxy.latencyMs = 25;
    await command('koppel nu');
    const groups = members.length / 2;
    await until(
      'the round is planned',
      async () => (await count('select count(*)::int as n from pairing_groups')) === groupsBefore + groups,
    );
    const intros = () =>
      [...fake.channels.values()].filter(
        (c) => c.kind === 'mpim' && members.includes(humans(c)[0] ?? '') && postsIn(c) > 0,
      );
    await until('a third of the intros are out', () => intros().length >= groups / 3);
    const killed = workerOf(via);
    // Best when it holds a batch it is sending: wait a little for that, then kill it anyway.
    const holding = `select count(*)::int as n from outbox where status = 'sending' and locked_by = '${killed}'`;
    for (let i = 0; i < 50 && intros().length < (groups * 2) / 3 && (await count(holding)) === 0; i++) await sleep(10);
    await killKlik(via);
    expect(intros().length).toBeLessThan(groups);
    // What the 2-minute lease would do in time: the killed worker's claims run out.
    await direct.query(
      `update outbox set locked_until = now() - interval '1 second' where status = 'sending' and locked_by = $1`,
      [killed],
    );
    await until(
      'the others finished the round',
      async () =>
        (await count("select count(*)::int as n from outbox where status <> 'sent' and next_attempt_at <= now()")) ===
        0,
    );
    expect(await count("select count(*)::int as n from outbox where status = 'dead'")).toBe(0);
    expect(intros()).toHaveLength(groups);
    expect(intros().flatMap(humans).sort()).toEqual([...members].sort());
  }

  it('three processes: every intro and welcome delivered, at most one once more', async () => {
    await roundWithKill(NETS[0], procs[0] as KlikChild);
    expect(alive()).toHaveLength(2);
    expect(repeats()).toBeLessThanOrEqual(1);
    const extra = posts().length - (await rowsPosted());
    expect(extra).toBeGreaterThanOrEqual(0);
    expect(extra).toBeLessThanOrEqual(1);
    expect(fake.rejections).toEqual([]);
  }, 120_000);

  it('two processes: the same, one more killed (at most one more message once more)', async () => {
    const before = { repeats: repeats(), extra: posts().length - (await rowsPosted()) };
    await roundWithKill(NETS[1], procs[1] as KlikChild);
    expect(alive()).toHaveLength(1);
    expect(repeats() - before.repeats).toBeLessThanOrEqual(1);
    const extra = posts().length - (await rowsPosted()) - before.extra;
    expect(extra).toBeGreaterThanOrEqual(0);
    expect(extra).toBeLessThanOrEqual(1);
    expect(fake.rejections).toEqual([]);
  }, 120_000);
});
