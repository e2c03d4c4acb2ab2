/**
 * The forgotten mark is a keyed HMAC of the platform id under KLIK_SECRET_KEY (per installation):
 * the stored value is what the SecretBox computes, never the id; another key does not recognise it;
 * the same id in another installation is not marked.
 */
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { platformIdHasher } from '../../db/repositories/privacy.js';
import { createStore } from '../../db/store.js';
import { createSecretBox } from '../../src/security/crypto.js';
import { FakeClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

describe('forgotten members: a keyed hash', () => {
  let database: TestDatabase;
  const clock = new FakeClock('2026-03-03T09:00:00Z');
  const box = createSecretBox('k'.repeat(40));

  beforeEach(async () => {
    database = await createTestDatabase('pglite');
  });
  afterEach(async () => {
    await database.close();
  });

  it('stores the SecretBox HMAC and only that key recognises it', async () => {
    const store = createStore(database.db, clock, { hashPlatformId: platformIdHasher(box) });
    const { a, b, member } = await store.transaction(async (tx) => {
      const a = await tx.installations.ensure('slack', 'TA');
      const b = await tx.installations.ensure('slack', 'TB');
      const member = await tx.members.upsertFromPlatform(a.id, {
        id: 'U123ABC',
        displayName: 'Zeb',
        isBot: false,
        isDeleted: false,
        isAdmin: false,
      });
      return { a: a.id, b: b.id, member };
    });
    expect(await store.transaction((tx) => tx.privacy.forget(a, member.id, clock.now()))).not.toBeNull();
    expect(await store.transaction((tx) => tx.privacy.forget(a, member.id, clock.now()))).toBeNull();

    const rows = (
      (await database.db.execute(sql`select platform_hash from forgotten_members`)) as unknown as {
        rows: Array<{ platform_hash: string }>;
      }
    ).rows;
    expect(rows).toEqual([{ platform_hash: box.hmac('forgotten-member', `${a}:U123ABC`) }]);
    expect(rows[0]!.platform_hash).not.toContain('U123ABC');

    await store.transaction(async (tx) => {
      expect(await tx.privacy.isForgotten(a, 'U123ABC')).toBe(true);
      expect(await tx.privacy.isForgotten(b, 'U123ABC')).toBe(false);
      expect([...(await tx.privacy.forgottenAmong(a, ['U999', 'U123ABC']))]).toEqual(['U123ABC']);
    });
    const otherKey = createStore(database.db, clock, {
      hashPlatformId: platformIdHasher(createSecretBox('o'.repeat(40))),
    });
    expect(await otherKey.transaction((tx) => tx.privacy.isForgotten(a, 'U123ABC'))).toBe(false);

    expect(await store.transaction((tx) => tx.privacy.unforget(a, 'U123ABC'))).toBe(true);
    expect(await store.transaction((tx) => tx.privacy.isForgotten(a, 'U123ABC'))).toBe(false);
  });
});
