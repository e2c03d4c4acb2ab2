/**
 * Teams removal as an uninstall: Klik removed from a person's 1:1 while it stays in a team changes
 * nothing; removed from the tenant's last conversation, the installation is marked uninstalled (the
 * daily purge deletes its data 30 days later); added again, the mark is cleared. Teams keeps no
 * token with Klik (the app password is configuration), so there is none to delete.
 */
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bootTeamsStack, type FakeConversation, TENANT, type TeamsStack } from '../support/teams-stack.js';

const TEAM = '19:team-zorg@thread.tacv2';
const CHANNEL: FakeConversation = { kind: 'channel', id: '19:zorg@thread.tacv2', teamId: TEAM, name: 'zorg' };
const PEOPLE = ['aad-anna', 'aad-henk'];

describe('teams removal marks the tenant uninstalled', () => {
  let stack: TeamsStack;

  const installation = async () =>
    (
      (await stack.database.db.execute(
        sql`select uninstalled_at, bot_token_enc, details from installations where external_id = ${TENANT}`,
      )) as unknown as { rows: Array<{ uninstalled_at: unknown; bot_token_enc: unknown; details: unknown }> }
    ).rows[0]!;

  beforeEach(async () => {
    stack = await bootTeamsStack({
      start: '2026-03-03T09:00:00Z',
      seed: (fake) => {
        for (const aad of PEOPLE) {
          fake.addUser({ teamsId: `29:${aad}`, aadObjectId: aad, name: aad.slice(4), upn: `${aad}@zorg.example` });
        }
        fake.teams.set(
          TEAM,
          PEOPLE.map((aad) => `29:${aad}`),
        );
      },
    });
    stack.driver.channels.set(CHANNEL.id, CHANNEL);
    expect((await stack.driver.installTeam(TEAM, 'aad-anna')).status).toBe(200);
    expect((await stack.driver.installPersonal('aad-henk')).status).toBe(200);
  });

  afterEach(async () => {
    await stack?.close();
  });

  it('only the last removal counts, and adding Klik again clears it', async () => {
    const henk = stack.driver.user('aad-henk');
    const personal: FakeConversation = { kind: 'personal', id: stack.driver.personalOf('aad-henk') };
    expect(
      (
        await stack.driver.post({
          ...stack.driver.envelope(henk, personal),
          type: 'installationUpdate',
          action: 'remove',
        })
      ).status,
    ).toBe(200);
    let row = await installation();
    expect(row.uninstalled_at).toBeNull();
    expect(row.bot_token_enc).toBeNull();
    expect(JSON.stringify(row.details)).not.toContain('personal:aad-henk');

    const anna = stack.driver.user('aad-anna');
    const env = stack.driver.envelope(anna, { ...CHANNEL, id: TEAM });
    expect(
      (
        await stack.driver.post({
          ...env,
          type: 'conversationUpdate',
          membersRemoved: [{ id: stack.botId }],
          channelData: { ...(env.channelData as object), eventType: 'teamMemberRemoved' },
        })
      ).status,
    ).toBe(200);
    row = await installation();
    expect(new Date(String(row.uninstalled_at)).toISOString()).toBe('2026-03-03T09:00:00.000Z');

    stack.clock.advance(86_400_000);
    expect((await stack.driver.installTeam(TEAM, 'aad-anna')).status).toBe(200);
    expect((await installation()).uninstalled_at).toBeNull();
  });
});
