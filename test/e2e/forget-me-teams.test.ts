/**
 * forget-me through the real Teams adapter (CloudAdapter against the fake Bot Connector): the
 * confirmation card, then a scan of every text-like column finds no trace of the person's AAD id,
 * Teams id, 1:1 conversation or name. User principal names (e-mail-like) are never stored at all.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cardButtons, cardText, type FakePosted } from '../support/fake-bot-connector.js';
import { scanColumns } from '../support/privacy-scan.js';
import { bootTeamsStack, type FakeConversation, type TeamsStack } from '../support/teams-stack.js';

const TEAM = '19:team-vergeet@thread.tacv2';
const CHANNEL: FakeConversation = { kind: 'channel', id: '19:vergeet@thread.tacv2', teamId: TEAM, name: 'vergeet' };
const PEOPLE = [
  { aad: 'aad-anna', name: 'Anna de Vries' },
  { aad: 'aad-henk', name: 'Henk Jansen' },
  { aad: 'aad-fatima', name: 'Fatima el Amrani' },
  { aad: 'aad-zebq7', name: 'Zebediah Quetzalcoatl' },
];
const upn = (aad: string) => `${aad.slice(4)}@zorg.example`;

describe('forget-me through Teams', () => {
  let stack: TeamsStack;
  const personal = (aad: string) => stack.driver.personalMessages(aad);
  const lastCard = (aad: string) => personal(aad).at(-1) as FakePosted;

  beforeEach(async () => {
    stack = await bootTeamsStack({
      start: '2026-03-03T09:00:00Z',
      seed: (fake) => {
        for (const p of PEOPLE) {
          fake.addUser({ teamsId: `29:${p.aad}`, aadObjectId: p.aad, name: p.name, upn: upn(p.aad), locale: 'nl-NL' });
        }
        fake.teams.set(
          TEAM,
          PEOPLE.map((p) => `29:${p.aad}`),
        );
      },
    });
    stack.driver.channels.set(CHANNEL.id, CHANNEL);
    await stack.driver.installTeam(TEAM, 'aad-anna');
    for (const p of PEOPLE) await stack.driver.installPersonal(p.aad);
    await stack.driver.message('aad-anna', CHANNEL, 'setup');
    const preview = lastCard('aad-anna');
    const confirm = cardButtons(preview.activity).find((b) => b.actionId === 'setup.confirm')!;
    await stack.driver.post(stack.driver.submitActivity('aad-anna', preview, confirm.data));
    await stack.deliver();
    await stack.driver.message('aad-anna', CHANNEL, 'koppel nu');
    await stack.deliver();
  });

  afterEach(async () => {
    await stack?.close();
  });

  it('leaves no id, conversation or name of the person, and no user principal name of anyone', async () => {
    const needles = ['aad-zebq7', 'Zebediah', 'Quetzalcoatl'];
    const before = await scanColumns(stack.database, needles);
    expect(before.some((h) => h.table === 'members')).toBe(true);
    expect(before.some((h) => h.table === 'installations')).toBe(true);
    expect(
      await scanColumns(
        stack.database,
        PEOPLE.map((p) => upn(p.aad)),
      ),
    ).toEqual([]);

    await stack.driver.message('aad-zebq7', CHANNEL, 'vergeet-mij');
    const card = lastCard('aad-zebq7');
    expect(cardText(card.activity)).toMatch(/niet terugdraaien/);
    const yes = cardButtons(card.activity).find((b) => b.actionId === 'privacy.forget.confirm')!;
    await stack.driver.post(stack.driver.submitActivity('aad-zebq7', card, yes.data));
    await stack.deliver();
    expect(cardText((stack.fake.find(card.id) as FakePosted).activity)).toMatch(/Klik is je vergeten/);

    expect(await scanColumns(stack.database, needles)).toEqual([]);
    expect(
      await scanColumns(
        stack.database,
        PEOPLE.map((p) => upn(p.aad)),
      ),
    ).toEqual([]);
  });
});
