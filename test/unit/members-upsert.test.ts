/**
 * A member seen again with the same name, zone and locale is read, not written (no row version
 * change); a new name, zone or locale is saved; a payload without zone or locale keeps the saved one.
 * Who acts and the channel's network are read together, scoped to the installation.
 */
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStore } from '../../db/store.js';
import { defaultSettings, type PlatformUser } from '../../src/core/types.js';
import { FakeClock } from '../support/clock.js';
import { backends, createTestDatabase, type TestDatabase } from '../support/db.js';

describe.each(backends())('members seen again (%s)', (backend) => {
  let database: TestDatabase;
  const clock = new FakeClock('2026-03-03T09:00:00Z');

  beforeEach(async () => {
    database = await createTestDatabase(backend);
  });
  afterEach(async () => {
    await database.close();
  });
  const user = (more: Partial<PlatformUser> = {}): PlatformUser => ({
    id: 'U123',
    displayName: 'Anouk',
    isBot: false,
    isDeleted: false,
    isAdmin: false,
    timezone: 'Europe/Amsterdam',
    locale: 'nl-NL',
    ...more,
  });

  it('writes only what changed', async () => {
    const store = createStore(database.db, clock);
    const seen = (more?: Partial<PlatformUser>) =>
      store.transaction(async (tx) => {
        const inst = await tx.installations.ensure('slack', 'T1');
        return tx.members.upsertFromPlatform(inst.id, user(more));
      });
    const version = async () =>
      String(
        (
          (await database.db.execute(sql.raw('select xmin::text as v from members'))) as unknown as {
            rows: Array<{ v: string }>;
          }
        ).rows[0]?.v,
      );

    const first = await seen();
    const v1 = await version();
    const again = await seen();
    expect(again).toEqual(first);
    expect(await version()).toBe(v1);

    // No zone or locale in the payload: the saved ones stay, nothing is written.
    expect(await seen({ timezone: undefined, locale: undefined })).toMatchObject({
      timezone: 'Europe/Amsterdam',
      locale: 'nl',
    });
    expect(await version()).toBe(v1);

    const renamed = await seen({ displayName: 'Anouk de Vries' });
    expect(renamed).toMatchObject({ id: first.id, displayName: 'Anouk de Vries' });
    expect(await version()).not.toBe(v1);
    expect(await seen({ displayName: 'Anouk de Vries', timezone: 'America/New_York' })).toMatchObject({
      id: first.id,
      timezone: 'America/New_York',
    });
    expect(await seen({ displayName: 'Anouk de Vries', timezone: 'America/New_York', locale: 'en-US' })).toMatchObject({
      locale: 'en',
    });
  });

  it("reads who acts and the channel's network in one go, for a newcomer too", async () => {
    const store = createStore(database.db, clock);
    const found = await store.transaction(async (tx) => {
      const inst = await tx.installations.ensure('slack', 'T1');
      const other = await tx.installations.ensure('slack', 'T2');
      const anouk = await tx.members.upsertFromPlatform(inst.id, user({ id: 'U1' }));
      const network = await tx.networks.create({
        installationId: inst.id,
        channelId: 'C1',
        settings: defaultSettings('nl', 'Europe/Amsterdam', 'C1'),
        createdBy: anouk.id,
        createdAt: clock.now(),
      });
      return {
        anouk,
        network,
        both: await tx.members.findWithNetwork(inst.id, 'U1', 'C1'),
        noNetwork: await tx.members.findWithNetwork(inst.id, 'U1', 'C-elsewhere'),
        noChannel: await tx.members.findWithNetwork(inst.id, 'U1', null),
        newcomer: await tx.members.findWithNetwork(inst.id, 'U-new', 'C1'),
        // Another workspace with the same ids sees neither.
        otherWorkspace: await tx.members.findWithNetwork(other.id, 'U1', 'C1'),
      };
    });
    expect(found.both).toEqual({ member: found.anouk, network: found.network });
    expect(found.noNetwork).toEqual({ member: found.anouk, network: null });
    expect(found.noChannel).toEqual({ member: found.anouk, network: null });
    expect(found.newcomer).toEqual({ member: null, network: found.network });
    expect(found.otherWorkspace).toEqual({ member: null, network: null });
  });
});
