/**
 * forget-me through the real Slack app (Bolt against the fake Slack): the slash command, the
 * confirmation button, then a scan of every text-like column finds no trace of the Slack user id or
 * name, including the delivery keys Slack's clicks leave in processed_events. A channel join event
 * for them afterwards welcomes nobody.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends } from '../support/db.js';
import { scanColumns } from '../support/privacy-scan.js';
import { bootSlackStack, type SlackStack, slackText } from '../support/slack-stack.js';

const NET = 'CVERGEET';
const ZEB = 'UZEBQ7X2';
const PEOPLE = ['UANNA', 'UHENK', 'UFATIMA', ZEB];

describe.each(backends())('forget-me through Slack (%s)', (backend) => {
  let s: SlackStack;

  beforeEach(async () => {
    s = await bootSlackStack({
      backend,
      seed: (fake, team) => {
        for (const id of PEOPLE) {
          fake.addUser({
            id,
            teamId: team.id,
            name: id.slice(1).toLowerCase(),
            realName: id === ZEB ? 'Zebediah Quetzalcoatl' : id.slice(1),
            ...(id === ZEB ? { displayName: 'Zebediah Quetzalcoatl' } : {}),
            locale: 'nl-NL',
            tz: 'Europe/Amsterdam',
          });
        }
        fake.addChannel({ id: NET, teamId: team.id, name: 'vergeten', members: PEOPLE });
      },
    });
    await s.driver.command('UANNA', NET, 'start');
    await s.driver.click('UANNA', s.fake.ephemerals('UANNA', NET).at(-1)!, 'setup.confirm');
    await s.idle();
    await s.deliver();
    await s.driver.command('UANNA', NET, 'koppel nu');
    await s.idle();
    await s.deliver();
  });

  afterEach(async () => {
    await s?.close();
  });

  it('leaves no Slack id or name anywhere, and a later join event does not re-enrol', async () => {
    const needles = [ZEB, 'Zebediah', 'Quetzalcoatl'];
    const before = await scanColumns(s.database, needles);
    expect(before.some((h) => h.table === 'members')).toBe(true);

    await s.driver.command(ZEB, NET, 'vergeet-mij');
    const confirm = s.fake.ephemerals(ZEB, NET).at(-1)!;
    expect(slackText(confirm)).toMatch(/niet terugdraaien/);
    await s.driver.click(ZEB, confirm, 'privacy.forget.confirm');
    await s.idle();
    await s.deliver();
    expect(await scanColumns(s.database, needles)).toEqual([]);

    const dm = () => (s.fake.dmOf(ZEB) ? s.fake.channelMessages(s.fake.dmOf(ZEB)!.id).length : 0);
    const dmBefore = dm();
    await s.klik.handleMemberEvent({
      installation: { platform: 'slack', externalId: s.team.id },
      channelId: NET,
      platformUserId: ZEB,
      kind: 'joined',
    });
    await s.deliver();
    expect(dm()).toBe(dmBefore);
    expect(await scanColumns(s.database, [ZEB])).toEqual([]);
  });
});
