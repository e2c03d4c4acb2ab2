/**
 * The daily purge with a fake clock, on PGlite and PostgreSQL: an installation uninstalled more than
 * 30 days ago goes with all its data (a reinstall keeps it), pairing rounds and notes older than the
 * retention go, and so do old sent/dead/cancelled outbox rows, expired holds, old processed events,
 * expired single-use links and old job claims. Each installation is purged once a day across
 * processes; the next day it runs again.
 */
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStore } from '../../db/store.js';
import type { Store } from '../../src/core/ports.js';
import { silentLogger } from '../../src/core/ports.js';
import { privacyPurgeSweep } from '../../src/scheduler/privacy-purge.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { FakeClock } from '../support/clock.js';
import { backends, createTestDatabase, type TestDatabase } from '../support/db.js';

const DAY = 86_400_000;
const NOW = '2026-06-15T03:00:00.000Z';

describe.each(backends())('daily privacy purge (%s)', (backend) => {
  let database: TestDatabase;
  let clock: FakeClock;
  let store: Store;

  const exec = async <T = Record<string, unknown>>(q: ReturnType<typeof sql>): Promise<T[]> =>
    ((await database.db.execute(q)) as unknown as { rows: T[] }).rows;
  const ago = (days: number) => new Date(new Date(NOW).getTime() - days * DAY).toISOString();
  const countOf = async (table: string, where = sql`true`) =>
    Number((await exec<{ n: string }>(sql`select count(*) as n from ${sql.identifier(table)} where ${where}`))[0]!.n);

  /** An installation with a network, a member, two rounds (old and recent) and rows of every kind. */
  async function seedInstallation(externalId: string, uninstalledDaysAgo: number | null): Promise<string> {
    const [inst] = await exec<{ id: string }>(sql`insert into installations (platform, external_id, uninstalled_at)
      values ('slack', ${externalId}, ${uninstalledDaysAgo === null ? null : ago(uninstalledDaysAgo)}) returning id`);
    const i = inst!.id;
    const [net] = await exec<{ id: string }>(sql`insert into networks (installation_id, channel_id, name, locale,
        timezone, cadence, day, time, group_size, pool, rhythm_weeks, digest, quiet_start, quiet_end, post_new_tips,
        share_notes, nudges)
      values (${i}, 'C1', 'Zorg', 'nl', 'Europe/Amsterdam', 'biweekly', 'mon', '09:00', 2, 'channel', 6, 'off',
        '08:00', '18:00', false, true, '{}'::jsonb) returning id`);
    const n = net!.id;
    const members: string[] = [];
    for (const who of ['U1', 'U2']) {
      const [m] = await exec<{ id: string }>(sql`insert into members (installation_id, platform_user_id, display_name)
        values (${i}, ${`${externalId}-${who}`}, ${who}) returning id`);
      members.push(m!.id);
    }
    // Rounds ending 25 months ago (beyond 24 months' retention) and 1 month ago, each with a note.
    for (const [number, endedDaysAgo] of [
      [1, 761],
      [2, 30],
    ] as const) {
      const [round] = await exec<{ id: string }>(sql`insert into pairing_rounds (installation_id, network_id, number,
          trigger, started_at, check_in_at, ends_at)
        values (${i}, ${n}, ${number}, 'manual', ${ago(endedDaysAgo + 14)}, ${ago(endedDaysAgo + 7)},
          ${ago(endedDaysAgo)}) returning id`);
      const [group] = await exec<{ id: string }>(sql`insert into pairing_groups (installation_id, network_id, round_id)
        values (${i}, ${n}, ${round!.id}) returning id`);
      for (const m of members) {
        await exec(sql`insert into pairing_group_members (installation_id, network_id, group_id, member_id, note)
          values (${i}, ${n}, ${group!.id}, ${m}, ${`note of round ${number}`})`);
      }
    }
    const outbox = async (key: string, status: string, createdDaysAgo: number) =>
      exec(sql`insert into outbox (installation_id, network_id, idempotency_key, target_key, target, message, status,
          next_attempt_at, created_at)
        values (${i}, ${n}, ${key}, 'channel:C1', '{"kind":"channel","channelId":"C1"}'::jsonb,
          '{"text":"x","blocks":[]}'::jsonb, ${status}, ${ago(createdDaysAgo)}, ${ago(createdDaysAgo)})`);
    await outbox('sent-old', 'sent', 31);
    await outbox('sent-new', 'sent', 29);
    await outbox('dead-old', 'dead', 40);
    await outbox('cancelled-old', 'cancelled', 40);
    await outbox('pending-old', 'pending', 40);
    await exec(sql`insert into outbox_holds (installation_id, target_key, until)
      values (${i}, 'channel:old', ${ago(1)}), (${i}, 'channel:new', ${ago(-1)})`);
    await exec(sql`insert into processed_events (event_key, installation_id, created_at)
      values (${`${externalId}:old`}, ${i}, ${ago(3)}), (${`${externalId}:new`}, ${i}, ${ago(1 / 24)})`);
    await exec(sql`insert into used_links (link_id, installation_id, kind, used_at, expires_at)
      values (${`${externalId}:old`}, ${i}, 'my-data', ${ago(2)}, ${ago(1)}),
             (${`${externalId}:new`}, ${i}, 'my-data', ${ago(0)}, ${ago(-1 / 96)})`);
    await exec(sql`insert into job_claims (installation_id, network_id, kind, slot, outcome, claimed_by, claimed_at)
      values (${i}, ${n}, 'pairing', 'old', 'run', 'w', ${ago(121)}), (${i}, ${n}, 'pairing', 'new', 'run', 'w',
        ${ago(61)})`);
    return i;
  }

  beforeEach(async () => {
    database = await createTestDatabase(backend);
    clock = new FakeClock(NOW);
    store = createStore(database.db, clock);
  });

  afterEach(async () => {
    await database.close();
  });

  it('purges what is past its time and keeps the rest', async () => {
    const active = await seedInstallation('T-active', null);
    const gone = await seedInstallation('T-gone', 31);
    const waiting = await seedInstallation('T-waiting', 29);
    const sweep = privacyPurgeSweep({ retentionMonths: 24, logger: silentLogger });

    expect(await sweep.run({ now: clock.now(), store, workerId: 'a' })).toBe(3);

    // Uninstalled 31 days ago: the installation and everything of it are gone.
    expect(await countOf('installations', sql`id = ${gone}`)).toBe(0);
    for (const table of ['networks', 'members', 'pairing_rounds', 'outbox', 'processed_events', 'job_claims']) {
      expect(await countOf(table, sql`installation_id = ${gone}`), table).toBe(0);
    }
    // Uninstalled 29 days ago: still there.
    expect(await countOf('members', sql`installation_id = ${waiting}`)).toBe(2);

    for (const i of [active, waiting]) {
      const inst = sql`installation_id = ${i}`;
      expect(await exec(sql`select number from pairing_rounds where ${inst}`)).toEqual([{ number: 2 }]);
      expect(await exec(sql`select distinct note from pairing_group_members where ${inst}`)).toEqual([
        { note: 'note of round 2' },
      ]);
      const keys = (await exec<{ k: string }>(sql`select idempotency_key as k from outbox where ${inst}`))
        .map((r) => r.k)
        .sort();
      expect(keys).toEqual(['pending-old', 'sent-new']);
      expect(await exec(sql`select target_key from outbox_holds where ${inst}`)).toEqual([
        { target_key: 'channel:new' },
      ]);
      // The dated purge claim is a processed event of today: old events go, recent ones and the claim stay.
      const events = (await exec<{ k: string }>(sql`select event_key as k from processed_events where ${inst}`))
        .map((r) => r.k)
        .sort();
      expect(events).toHaveLength(2);
      expect(events.some((k) => k.endsWith(':new'))).toBe(true);
      expect(events.some((k) => k === `klik:purge:${i}:2026-06-15`)).toBe(true);
      expect(await exec(sql`select link_id from used_links where ${inst}`)).toHaveLength(1);
      expect(await exec(sql`select slot from job_claims where ${inst}`)).toEqual([{ slot: 'new' }]);
    }
  });

  it('runs once a day across processes, again the next day, and a reinstall keeps the data', async () => {
    const waiting = await seedInstallation('T-waiting', 29);
    const first = privacyPurgeSweep({ retentionMonths: 24, logger: silentLogger });
    const second = privacyPurgeSweep({ retentionMonths: 24, logger: silentLogger });
    const both = await Promise.all([
      first.run({ now: clock.now(), store, workerId: 'a' }),
      second.run({ now: clock.now(), store, workerId: 'b' }),
    ]);
    expect(both[0] + both[1]).toBe(1);
    // Later the same day: nothing to do, in either process.
    clock.advance(6 * 3_600_000);
    expect(await first.run({ now: clock.now(), store, workerId: 'a' })).toBe(0);
    expect(
      await privacyPurgeSweep({ retentionMonths: 24, logger: silentLogger }).run({
        now: clock.now(),
        store,
        workerId: 'c',
      }),
    ).toBe(0);

    // Reinstalled a day later (uninstalled_at cleared): after 30 more days the data is still there.
    await exec(sql`update installations set uninstalled_at = null where id = ${waiting}`);
    clock.advance(31 * DAY);
    const scheduler = new Scheduler({
      store,
      clock,
      logger: silentLogger,
      workerId: 'a',
      jobs: [],
      handlers: new Map(),
      sweeps: [first],
    });
    const tick = await scheduler.tick();
    expect(tick.swept['privacy-purge']).toBe(1);
    expect(await countOf('members', sql`installation_id = ${waiting}`)).toBe(2);
    // Uninstalled again: 31 days on, the daily purge deletes it.
    await exec(sql`update installations set uninstalled_at = ${clock.now().toISOString()} where id = ${waiting}`);
    clock.advance(31 * DAY);
    expect((await scheduler.tick()).swept['privacy-purge']).toBe(1);
    expect(await countOf('installations', sql`id = ${waiting}`)).toBe(0);
    expect(await countOf('members', sql`installation_id = ${waiting}`)).toBe(0);
  });
});
