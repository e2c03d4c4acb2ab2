import { and, eq } from 'drizzle-orm';
import type { NetworkRepo } from '../../src/core/ports.js';
import type { Cadence, Locale, Network, NetworkSettings, NudgeKind, Pool, Weekday } from '../../src/core/types.js';
import { DEFAULT_NUDGES } from '../../src/core/types.js';
import { networks } from '../schema.js';
import type { Executor } from './executor.js';

type Row = typeof networks.$inferSelect;
type Insert = typeof networks.$inferInsert;

export const toNetwork = (r: Row): Network => ({
  id: r.id,
  installationId: r.installationId,
  channelId: r.channelId,
  state: r.state === 'active' ? 'active' : 'pending',
  name: r.name,
  purpose: r.purpose,
  locale: r.locale as Locale,
  timezone: r.timezone,
  cadence: r.cadence as Cadence,
  day: r.day as Weekday,
  time: r.time,
  groupSize: r.groupSize,
  pool: r.pool as Pool,
  rhythmWeeks: r.rhythmWeeks,
  digest: r.digest as Weekday | 'off',
  quietHours: { start: r.quietStart, end: r.quietEnd },
  postNewTips: r.postNewTips,
  shareNotes: r.shareNotes,
  nudges: { ...DEFAULT_NUDGES, ...(r.nudges as Partial<Record<NudgeKind, boolean>>) },
  pausedUntil: r.pausedUntil,
  skipNextRound: r.skipNextRound,
  createdAt: r.createdAt,
});

function settingsColumns(s: Partial<NetworkSettings>): Partial<Insert> {
  const out: Partial<Insert> = {};
  if (s.name !== undefined) out.name = s.name;
  if (s.purpose !== undefined) out.purpose = s.purpose;
  if (s.locale !== undefined) out.locale = s.locale;
  if (s.timezone !== undefined) out.timezone = s.timezone;
  if (s.cadence !== undefined) out.cadence = s.cadence;
  if (s.day !== undefined) out.day = s.day;
  if (s.time !== undefined) out.time = s.time;
  if (s.groupSize !== undefined) out.groupSize = s.groupSize;
  if (s.pool !== undefined) out.pool = s.pool;
  if (s.rhythmWeeks !== undefined) out.rhythmWeeks = s.rhythmWeeks;
  if (s.digest !== undefined) out.digest = s.digest;
  if (s.quietHours !== undefined) {
    out.quietStart = s.quietHours.start;
    out.quietEnd = s.quietHours.end;
  }
  if (s.postNewTips !== undefined) out.postNewTips = s.postNewTips;
  if (s.shareNotes !== undefined) out.shareNotes = s.shareNotes;
  if (s.nudges !== undefined) out.nudges = s.nudges;
  return out;
}

export function networkRepo(db: Executor): NetworkRepo {
  const scoped = (installationId: string, networkId: string) =>
    and(eq(networks.installationId, installationId), eq(networks.id, networkId));

  return {
    async findByChannel(installationId, channelId) {
      const [row] = await db
        .select()
        .from(networks)
        .where(and(eq(networks.installationId, installationId), eq(networks.channelId, channelId)));
      return row ? toNetwork(row) : null;
    },
    async get(installationId, networkId) {
      const [row] = await db.select().from(networks).where(scoped(installationId, networkId));
      return row ? toNetwork(row) : null;
    },
    async listActive() {
      // The scheduler's sweep over every installation; each row still carries its installation.
      const rows = await db.select().from(networks).where(eq(networks.state, 'active'));
      return rows.map(toNetwork);
    },
    async create({ installationId, channelId, settings, createdBy, createdAt }) {
      const [row] = await db
        .insert(networks)
        .values({
          ...settingsColumns(settings),
          installationId,
          channelId,
          createdBy,
          createdAt,
          state: 'pending',
        } as Insert)
        .returning();
      if (!row) throw new Error('network insert returned nothing');
      return toNetwork(row);
    },
    async activate(installationId, networkId) {
      const rows = await db
        .update(networks)
        .set({ state: 'active' })
        .where(and(scoped(installationId, networkId), eq(networks.state, 'pending')))
        .returning({ id: networks.id });
      return rows.length > 0;
    },
    async remove(installationId, networkId) {
      await db.delete(networks).where(scoped(installationId, networkId));
    },
    async updateSettings(installationId, networkId, settings) {
      const [row] = await db
        .update(networks)
        .set(settingsColumns(settings))
        .where(scoped(installationId, networkId))
        .returning();
      if (!row) throw new Error('network not found');
      return toNetwork(row);
    },
    async setPause(installationId, networkId, until) {
      await db.update(networks).set({ pausedUntil: until }).where(scoped(installationId, networkId));
    },
    async setSkipNextRound(installationId, networkId, skip) {
      await db.update(networks).set({ skipNextRound: skip }).where(scoped(installationId, networkId));
    },
  };
}
