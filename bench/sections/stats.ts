/**
 * Network health at scale: a network with two years of history (members coming and going, a
 * pairing round every two weeks, meetings with RSVPs, tips, votes), on PGlite and on PostgreSQL
 * when one answers. Times (p50/p95) for `stats` (facts + figures, the core's path), the dashboard
 * page (figures, the d3-force layout and the HTML) and the API's JSON.
 */
import { sql } from 'drizzle-orm';
import { type Database, openDatabase } from '../../db/client.js';
import { createStore } from '../../db/store.js';
import { systemClock } from '../../src/core/ports.js';
import { loadStats } from '../../src/core/stats/commands.js';
import { statsMessage } from '../../src/core/stats/message.js';
import { dashboardPage } from '../../src/http/dashboard/page.js';
import { statsJson } from '../../src/http/stats-api.js';
import { translator } from '../../src/messages/i18n.js';
import type { BenchRow, BenchSection } from '../report.js';
import { benchPostgres, freshDatabase } from '../support/postgres.js';

const QUICK = process.env.BENCH_QUICK === '1';
const SIZES = QUICK ? [40] : [50, 200, 500];
const RUNS = QUICK ? 3 : 10;
const NOW = new Date('2026-06-15T10:00:00Z');

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};
const round = (n: number) => Math.round(n * 10) / 10;

/**
 * One network of `members` people in 6 organisations, 52 biweekly rounds of pairs (two years) in
 * which 60% of groups met, a fifth of the members leaving and as many joining over the two years,
 * a meeting every six weeks with RSVPs from half the network, and a tip per member per month.
 */
async function seed(db: Database['db'], members: number): Promise<void> {
  await db.execute(sql`insert into installations (platform, external_id) values ('local', 'bench-stats')`);
  await db.execute(sql`
    insert into networks (installation_id, channel_id, state, name, locale, timezone, cadence, day, time,
      group_size, pool, rhythm_weeks, digest, quiet_start, quiet_end, post_new_tips, share_notes, nudges)
    select id, 'C-stats', 'active', 'Bench', 'nl', 'Europe/Amsterdam', 'biweekly', 'mon', '09:00',
      2, 'channel', 6, 'fri', '08:00', '18:00', true, true, '{}'::jsonb from installations`);
  await db.execute(sql`
    insert into organisations (installation_id, network_id, name)
    select n.installation_id, n.id, 'Organisatie ' || g from networks n, generate_series(1, 6) g`);
  await db.execute(sql`
    insert into members (installation_id, platform_user_id, display_name, organisation_id)
    select n.installation_id, 'U' || g, 'Collega ' || g,
      (select o.id from organisations o order by o.name offset (g % 6) limit 1)
    from networks n, generate_series(1, ${members}) g`);
  // Everyone joined two years ago; every fifth member left at some point, with a leave event.
  await db.execute(sql`
    insert into network_members (installation_id, network_id, member_id, status, joined_at, left_at)
    select m.installation_id, n.id, m.id,
      case when substr(m.platform_user_id, 2)::int % 5 = 0 then 'left' else 'active' end,
      ${NOW.toISOString()}::timestamptz - interval '730 days',
      case when substr(m.platform_user_id, 2)::int % 5 = 0
        then ${NOW.toISOString()}::timestamptz - (substr(m.platform_user_id, 2)::int % 700) * interval '1 day' end
    from members m, networks n`);
  await db.execute(sql`
    insert into membership_events (installation_id, network_id, member_id, kind, at)
    select installation_id, network_id, member_id, 'leave', left_at from network_members where left_at is not null`);
  await db.execute(sql`
    insert into pairing_rounds (installation_id, network_id, number, trigger, started_at, check_in_at, ends_at)
    select n.installation_id, n.id, r, 'scheduled',
      ${NOW.toISOString()}::timestamptz - (730 - r * 14) * interval '1 day',
      ${NOW.toISOString()}::timestamptz - (723 - r * 14) * interval '1 day',
      ${NOW.toISOString()}::timestamptz - (716 - r * 14) * interval '1 day'
    from networks n, generate_series(1, 52) r`);
  // Pairs: member k with member k + r (mod n), one group per pair, in every round.
  await db.execute(sql`
    insert into pairing_groups (installation_id, network_id, round_id, reason)
    select r.installation_id, r.network_id, r.id, jsonb_build_object('k', k)
    from pairing_rounds r, generate_series(1, ${Math.floor(members / 2)}) k`);
  await db.execute(sql`
    insert into pairing_group_members (installation_id, network_id, group_id, member_id, check_in, check_in_at)
    select g.installation_id, g.network_id, g.id, m.id,
      case when ((g.reason->>'k')::int + r.number) % 10 < 6 then 'yes' else null end,
      case when ((g.reason->>'k')::int + r.number) % 10 < 6 then r.check_in_at end
    from pairing_groups g
    join pairing_rounds r on r.id = g.round_id
    cross join lateral (values (0), (1)) side(s)
    join members m on m.platform_user_id = 'U' || (1 + (((g.reason->>'k')::int * 2 + side.s * (1 + r.number)) % ${members}))
    on conflict do nothing`);
  await db.execute(sql`
    insert into meetings (installation_id, network_id, title, starts_at, uid, attendance_taken_at)
    select n.installation_id, n.id, 'Bijeenkomst ' || g, ${NOW.toISOString()}::timestamptz - g * interval '42 days',
      'bench-' || g, ${NOW.toISOString()}::timestamptz - g * interval '42 days' + interval '1 day'
    from networks n, generate_series(1, 17) g`);
  await db.execute(sql`
    insert into meeting_rsvps (installation_id, meeting_id, member_id, status, responded_at, late_cancel, attendance)
    select mt.installation_id, mt.id, m.id,
      case when substr(m.platform_user_id, 2)::int % 9 = 0 then 'not_going' else 'going' end,
      mt.starts_at - interval '5 days', substr(m.platform_user_id, 2)::int % 9 = 0,
      case when substr(m.platform_user_id, 2)::int % 9 = 0 then null
        when substr(m.platform_user_id, 2)::int % 7 = 0 then 'no_show' else 'attended' end
    from meetings mt, members m where substr(m.platform_user_id, 2)::int % 2 = 0`);
  await db.execute(sql`
    insert into tips (installation_id, network_id, author_id, text, search_config, created_at)
    select m.installation_id, n.id, m.id, 'Tip ' || g, 'dutch', ${NOW.toISOString()}::timestamptz - g * interval '30 days'
    from members m, networks n, generate_series(1, 24) g`);
}

async function measure(database: Database, label: string, members: number): Promise<BenchRow> {
  await seed(database.db, members);
  const store = createStore(database.db, systemClock);
  const network = await store.transaction(async (tx) => {
    const inst = await tx.installations.ensure('local', 'bench-stats');
    return (await tx.networks.findByChannel(inst.id, 'C-stats'))!;
  });
  const t = translator('nl');
  const time = async (fn: () => Promise<unknown>) => {
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await fn();
      ms.push(performance.now() - t0);
    }
    return ms;
  };
  let sample: Awaited<ReturnType<typeof loadStats>> | undefined;
  const stats = await time(async () => {
    sample = await store.transaction((tx) => loadStats(tx, network, NOW, 'anoniem'));
    statsMessage(t, 'nl', network.name, sample.stats);
  });
  const page = await time(async () => {
    const { stats: s, graph } = await store.transaction((tx) => loadStats(tx, network, NOW, 'anoniem'));
    dashboardPage({ name: network.name, locale: 'nl', stats: s, graph, t, nonce: 'bench' });
  });
  const api = await time(async () => {
    const { stats: s } = await store.transaction((tx) => loadStats(tx, network, NOW, ''));
    JSON.stringify(statsJson(network, s));
  });
  return {
    database: label,
    members,
    rounds: sample?.stats.rounds.count ?? 0,
    connections: sample?.stats.connections.pairs ?? 0,
    'stats p50 ms': round(percentile(stats, 50)),
    'stats p95 ms': round(percentile(stats, 95)),
    'dashboard p50 ms': round(percentile(page, 50)),
    'dashboard p95 ms': round(percentile(page, 95)),
    'api p50 ms': round(percentile(api, 50)),
  };
}

export async function statsBench(): Promise<BenchSection> {
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  for (const members of SIZES) {
    const lite = await openDatabase({ kind: 'pglite', dataDir: null });
    try {
      await lite.migrate();
      rows.push(await measure(lite, 'pglite', members));
    } finally {
      await lite.close();
    }
  }
  const adminUrl = await benchPostgres();
  if (adminUrl) {
    for (const members of SIZES) {
      const fresh = await freshDatabase(adminUrl, 'stats');
      const pgdb = await openDatabase({ kind: 'postgres', url: fresh.url });
      try {
        await pgdb.migrate();
        rows.push(await measure(pgdb, 'postgres', members));
      } finally {
        await pgdb.close();
        await fresh.drop();
      }
    }
  } else {
    notes.push('No PostgreSQL answered: PGlite only.');
  }
  notes.push(
    `${RUNS} runs each. stats = facts from the database + figures + the message; dashboard = the same + the network picture's layout (d3-force, 300 ticks) + HTML; api = figures + JSON.`,
  );
  return {
    name: 'stats',
    description:
      'Network health on a network with two years of history: 52 biweekly rounds of pairs, 60% met, a fifth of the members left, a meeting every six weeks, a tip per member per month.',
    rows,
    notes,
  };
}
