/**
 * Klik on Slack, end to end: the real Bolt app on the shared HTTP server, signed requests as Slack
 * sends them, the real core, outbox and database, and a fake Slack Web API that validates every
 * message as Slack does. Core time is a FakeClock; nothing sleeps: tests wait for Klik to be idle.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actionKey,
  clickedMessageRef,
  commandTeams,
  eventKey,
  eventTeams,
  interactionTeams,
  parseAction,
  parseCommand,
  parseEvent,
  parseViewSubmission,
  textAfterMention,
} from '../../adapters/slack/payloads.js';
import { METHOD_SCOPES } from '../../adapters/slack/scopes.js';
import { slackSignature } from '../../adapters/slack/signature.js';
import { startKlik } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { PlatformError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/ports.js';
import { translator } from '../../src/messages/i18n.js';
import { createSecretBox } from '../../src/security/crypto.js';
import type { FakeMessage, FakeSlack } from '../support/fake-slack.js';
import { RECORDED_DIR, recorded } from '../support/fixtures.js';
import { nowSeconds, post, signedCommand, signedEvent, signedInteraction } from '../support/slack-signing.js';
import {
  BOT_TOKEN,
  bootSlackStack,
  SECRET_KEY,
  SIGNING_SECRET,
  type SlackStack,
  slackButtons,
  slackText,
} from '../support/slack-stack.js';

type Obj = Record<string, unknown>;

const nl = translator('nl');
const en = translator('en');

/** Every fake Slack of this file, for the block-validation and scope checks at the end. */
const fakes: FakeSlack[] = [];
const track = (stack: SlackStack) => {
  fakes.push(stack.fake);
  return stack;
};

async function count(stack: SlackStack, table: string, where = 'true'): Promise<number> {
  const result = await stack.database.db.execute(sql.raw(`select count(*)::int as n from ${table} where ${where}`));
  return Number((result as unknown as { rows: Array<{ n: number }> }).rows[0]?.n ?? 0);
}

/** What the last slash command or click showed its author (through its response_url). */
function answer(stack: SlackStack, responseUrl: string): string {
  const last = stack.driver.lastResponse(responseUrl);
  return last ? slackText(last) : '';
}

function latestEphemeral(stack: SlackStack, userId: string, channelId?: string): FakeMessage {
  const list = stack.fake.ephemerals(userId, channelId);
  const last = list[list.length - 1];
  if (!last) throw new Error(`${userId} has seen no ephemeral`);
  return last;
}

const dmTexts = (stack: SlackStack, userId: string) => {
  const dm = stack.fake.dmOf(userId);
  return dm ? stack.fake.channelMessages(dm.id).map((m) => slackText(m)) : [];
};

// The people of the network channel.
const COORD = 'UCOORD';
const NINA = 'UNINA';
const EMMA = 'UEMMA';
const GUEST = 'UGUEST';
const STRANGER = 'USTRANGER';
const ADMIN = 'UADMIN';
const BOTX = 'UOTHERBOT';
const GONE = 'UGONE';
const NEWBIE = 'UNEWBIE';
const NET = 'CNETWERK';

function seedWorld(fake: FakeSlack, teamId: string): void {
  fake.addUser({ id: COORD, teamId, name: 'carla', displayName: 'Carla', locale: 'nl-NL' });
  fake.addUser({ id: NINA, teamId, name: 'nina', realName: 'Nina Jansen', locale: 'nl-NL' });
  fake.addUser({ id: EMMA, teamId, name: 'emma', displayName: 'Emma', locale: 'en-GB', tz: 'Europe/London' });
  fake.addUser({ id: GUEST, teamId, name: 'gijs', displayName: 'Gijs (gast)', locale: 'nl-NL', isRestricted: true });
  fake.addUser({ id: STRANGER, teamId: 'T0OTHERORG', name: 'sam', displayName: 'Sam', isStranger: true });
  fake.addUser({ id: ADMIN, teamId, name: 'ada', displayName: 'Ada', locale: 'nl-NL', isAdmin: true });
  fake.addUser({ id: BOTX, teamId, name: 'otherbot', isBot: true });
  fake.addUser({ id: GONE, teamId, name: 'weg', deleted: true });
  fake.addUser({ id: NEWBIE, teamId, name: 'nieuw', displayName: 'Noor', locale: 'nl-NL' });
  fake.addChannel({
    id: NET,
    teamId,
    name: 'leernetwerk',
    members: [COORD, NINA, EMMA, GUEST, STRANGER, ADMIN, BOTX, GONE],
  });
  fake.addChannel({ id: 'CNOKLIK', teamId, name: 'zonder-klik', members: [COORD], botInChannel: false });
}

describe('Slack over HTTP: one workspace (SLACK_BOT_TOKEN)', () => {
  let s: SlackStack;
  beforeAll(async () => {
    s = track(await bootSlackStack({ seed: (fake, team) => seedWorld(fake, team.id) }));
  });
  afterAll(async () => {
    await s?.close();
  });

  it('identifies the workspace with auth.test at start and stores the token encrypted', async () => {
    expect(s.fake.callsOf('auth.test')).toHaveLength(1);
    const result = await s.database.db.execute(
      sql`select external_id, bot_token_enc, bot_user_id from installations where platform = 'slack'`,
    );
    const rows = (result as unknown as { rows: Array<Record<string, string>> }).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]?.external_id).toBe(s.team.id);
    expect(rows[0]?.bot_user_id).toBe(s.team.botUserId);
    expect(rows[0]?.bot_token_enc).not.toContain(BOT_TOKEN);
    expect(createSecretBox(SECRET_KEY).decrypt(String(rows[0]?.bot_token_enc))).toBe(BOT_TOKEN);
  });

  it('answers a signed /klik help in the member’s language, visible only to them', async () => {
    const r = await s.driver.command(NINA, NET, 'help');
    expect(r.status).toBe(200);
    expect(answer(s, r.responseUrl)).toContain(nl('help.title'));
    const emma = await s.driver.command(EMMA, NET, 'help');
    expect(answer(s, emma.responseUrl)).toContain(en('help.title'));
    const posts = s.fake.responsePosts(r.responseUrl);
    expect(posts[0]?.response_type).toBe('ephemeral');
    expect(s.fake.callsOf('chat.postMessage')).toHaveLength(0);
  });

  it('refuses unsigned, wrongly signed and stale requests with 401, touching nothing', async () => {
    const callsBefore = s.fake.calls.length;
    const rowsBefore = [await count(s, 'processed_events'), await count(s, 'members'), await count(s, 'outbox')];
    const fields = s.driver.commandFields(NINA, NET, 'help');
    const good = signedCommand(fields, { signingSecret: SIGNING_SECRET });
    const unsigned = { body: good.body, headers: { 'content-type': good.headers['content-type'] as string } };
    const wrong = signedCommand(fields, { signingSecret: 'not-the-secret' });
    const stale = signedCommand(fields, { signingSecret: SIGNING_SECRET, timestamp: nowSeconds() - 6 * 60 });
    const future = signedCommand(fields, { signingSecret: SIGNING_SECRET, timestamp: nowSeconds() + 6 * 60 });
    const tampered = { body: good.body.replace('help', 'setup'), headers: good.headers };
    const event = signedEvent(
      s.driver.eventPayload({ type: 'app_mention', user: NINA, channel: NET, text: 'hi' }, 'Ev401'),
      {
        signingSecret: 'wrong',
      },
    );
    for (const request of [unsigned, wrong, stale, future, tampered, event]) {
      const res = await post(s.eventsUrl, request);
      expect(res.status).toBe(401);
      expect(res.body).toBe('');
    }
    await s.idle();
    expect(s.fake.calls.length).toBe(callsBefore);
    expect(s.fake.responsePosts(fields.response_url)).toEqual([]);
    expect([await count(s, 'processed_events'), await count(s, 'members'), await count(s, 'outbox')]).toEqual(
      rowsBefore,
    );
  });

  it('answers Slack’s url_verification handshake', async () => {
    const res = await post(
      s.eventsUrl,
      signedEvent({ type: 'url_verification', challenge: 'abc123', token: 't' }, { signingSecret: SIGNING_SECRET }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toContain('abc123');
  });

  it('in a channel without Klik, setup says how to invite it', async () => {
    const r = await s.driver.command(COORD, 'CNOKLIK', 'setup');
    expect(answer(s, r.responseUrl)).toContain(nl('error.notInChannel.slack'));
  });

  it('setup: a preview, then the confirm button announces and welcomes guests and Slack Connect people, not bots', async () => {
    const preview = await s.driver.command(COORD, NET, 'setup');
    expect(answer(s, preview.responseUrl)).toContain(nl('setup.preview.title'));
    await s.deliver();
    expect(s.fake.channelMessages(NET)).toEqual([]);

    const shown = latestEphemeral(s, COORD, NET);
    const click = await s.driver.click(COORD, shown, 'setup.confirm');
    expect(click.status).toBe(200);
    // The preview itself is replaced (replace_original through the response_url).
    const replaced = s.fake.findMessage(shown.ts);
    expect(replaced && slackText(replaced)).toContain('Klik draait');
    await s.deliver();

    const channel = s.fake.channelMessages(NET).map((m) => slackText(m));
    expect(channel).toHaveLength(1);
    expect(channel[0]).toContain('heeft Klik in dit kanaal gestart');
    for (const member of [NINA, GUEST, STRANGER, ADMIN]) {
      expect(dmTexts(s, member).filter((t) => t.includes('Welkom bij'))).toHaveLength(1);
    }
    expect(dmTexts(s, EMMA).filter((t) => t.includes('Welcome to'))).toHaveLength(1);
    for (const nobody of [COORD, BOTX, GONE]) expect(dmTexts(s, nobody)).toEqual([]);
  });

  it('settings, the settings form (a modal) with field errors, and saving it', async () => {
    const settings = await s.driver.command(COORD, NET, 'instellingen');
    expect(answer(s, settings.responseUrl)).toContain('Instellingen van');
    const shown = latestEphemeral(s, COORD, NET);
    expect(slackButtons(shown.blocks).map((b) => b.actionId)).toContain('settings.edit');

    await s.driver.click(COORD, shown, 'settings.edit');
    const modal = s.fake.modalOf(COORD);
    expect(modal?.view.callback_id).toBe('settings.form');

    const bad = await s.driver.submit(COORD, { time: '25:00', 'quiet-hours': 'altijd' });
    expect(bad.status).toBe(200);
    expect(bad.ack.response_action).toBe('errors');
    const errors = bad.ack.errors as Record<string, string>;
    expect(errors.time).toContain('25:00');
    expect(errors['quiet-hours']).toContain('altijd');
    expect(s.fake.modalOf(COORD)).toBeDefined();

    const before = s.fake.ephemerals(COORD, NET).length;
    const good = await s.driver.submit(COORD, { time: '10:30', purpose: 'Samen leren over dementie' });
    expect(good.ack).toEqual({});
    expect(s.fake.modalOf(COORD)).toBeUndefined();
    const after = s.fake.ephemerals(COORD, NET);
    expect(after.length).toBe(before + 1);
    expect(slackText(after[after.length - 1] as FakeMessage)).toContain('2 instellingen gewijzigd');

    const again = await s.driver.command(COORD, NET, 'instellingen');
    expect(answer(s, again.responseUrl)).toContain('10:30');
    expect(answer(s, again.responseUrl)).toContain('Samen leren over dementie');
  });

  it('coordinator add and remove take a Slack mention (<@U…|name>)', async () => {
    const add = await s.driver.command(COORD, NET, `coordinator add <@${NINA}|nina>`);
    expect(answer(s, add.responseUrl)).toContain('is nu coördinator');
    const again = await s.driver.command(COORD, NET, `coordinator toevoegen <@${NINA}|nina>`);
    expect(answer(s, again.responseUrl)).toContain('is al coördinator');
    const bot = await s.driver.command(COORD, NET, `coordinator add <@${BOTX}|otherbot>`);
    expect(answer(s, bot.responseUrl)).toContain(nl('coordinator.bot'));
    const remove = await s.driver.command(NINA, NET, `coordinator remove <@${NINA}|nina>`);
    expect(answer(s, remove.responseUrl)).toContain('is geen coördinator meer');
    const missing = await s.driver.command(COORD, NET, 'coordinator toevoegen');
    expect(answer(s, missing.responseUrl)).toContain('/klik coordinator toevoegen @naam');
  });

  it('org add and org list', async () => {
    // Slack escapes &, < and > in the command text.
    const add = await s.driver.command(COORD, NET, 'org add Zorggroep Oost &amp; West');
    expect(answer(s, add.responseUrl)).toContain('Zorggroep Oost & West');
    const list = await s.driver.command(NINA, NET, 'organisaties');
    expect(answer(s, list.responseUrl)).toContain(nl('org.list.title'));
    expect(answer(s, list.responseUrl)).toContain('Zorggroep Oost & West');
    const notCoord = await s.driver.command(NINA, NET, 'org add Iets');
    expect(answer(s, notCoord.responseUrl)).toContain(nl('error.coordinatorOnly'));
  });

  it('join, leave, pause and resume', async () => {
    const leave = await s.driver.command(NINA, NET, 'stop');
    expect(answer(s, leave.responseUrl)).toContain(nl('member.left'));
    const join = await s.driver.command(NINA, NET, 'doe-mee');
    expect(answer(s, join.responseUrl)).toContain(nl('member.joined'));
    const pause = await s.driver.command(NINA, NET, 'pauze 2 weken');
    expect(answer(s, pause.responseUrl)).toContain('Pauze tot 17 maart 2026');
    const resume = await s.driver.command(NINA, NET, 'hervat');
    expect(answer(s, resume.responseUrl)).toContain(nl('member.resumed'));
  });

  it('skip round and pause network are for coordinators (workspace admins count)', async () => {
    const member = await s.driver.command(NINA, NET, 'sla over');
    expect(answer(s, member.responseUrl)).toContain(nl('error.coordinatorOnly'));
    const skip = await s.driver.command(COORD, NET, 'skip round');
    expect(answer(s, skip.responseUrl)).toContain(nl('network.skipped'));
    const admin = await s.driver.command(ADMIN, NET, 'skip round');
    expect(answer(s, admin.responseUrl)).toContain(nl('network.skipped'));
    const pause = await s.driver.command(COORD, NET, 'pauzeer netwerk 2026-08-01');
    expect(answer(s, pause.responseUrl)).toContain('gepauzeerd tot 1 augustus 2026');
  });

  it('commands that are not built yet, unknown words and a DM without a network get a short answer', async () => {
    const mine = await s.driver.command(NINA, NET, 'mijn-gegevens');
    expect(answer(s, mine.responseUrl)).toContain('Wat Klik van je bewaart');
    const unknown = await s.driver.command(NINA, NET, 'vliegtuig');
    expect(answer(s, unknown.responseUrl)).toContain('"vliegtuig" ken ik niet');
    const dm = s.fake.addChannel({ id: 'DNINA1', teamId: s.team.id, name: NINA, members: [NINA] });
    dm.kind = 'im';
    const setupInDm = await s.driver.command(NINA, dm.id, 'setup');
    expect(answer(s, setupInDm.responseUrl)).toContain(nl('error.inChannelOnly'));
  });

  it('a click delivered twice (same action_ts) has one effect', async () => {
    await s.driver.command(COORD, NET, 'instellingen');
    const shown = latestEphemeral(s, COORD, NET);
    const { payload, responseUrl } = s.driver.clickPayload(COORD, shown, 'settings.edit');
    const opens = s.fake.callsOf('views.open').length;
    const [a, b] = await Promise.all([s.driver.sendInteraction(payload), s.driver.sendInteraction(payload)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(s.fake.callsOf('views.open').length).toBe(opens + 1);
    expect(await count(s, 'processed_events', `event_key like 'slack:action:${COORD}:%'`)).toBeGreaterThan(0);
    expect(s.fake.responsePosts(responseUrl)).toEqual([]);
    await s.driver.submit(COORD, {});
  });

  it('a redelivered event (X-Slack-Retry-Num, same event_id) has no second effect', async () => {
    const mention = { type: 'app_mention', user: NINA, channel: NET, text: `<@${s.team.botUserId}> help` };
    const before = s.fake.ephemerals(NINA, NET).length;
    expect(await s.driver.event(mention, 'EvMENTION1')).toBe(200);
    expect(await s.driver.event(mention, 'EvMENTION1', { retryNum: 1 })).toBe(200);
    expect(await s.driver.event(mention, 'EvMENTION1', { retryNum: 2 })).toBe(200);
    const after = s.fake.ephemerals(NINA, NET);
    expect(after.length).toBe(before + 1);
    expect(slackText(after[after.length - 1] as FakeMessage)).toContain(nl('help.title'));

    // A member who joins: welcomed once, however often Slack redelivers.
    s.fake.channels.get(NET)?.members.add(NEWBIE);
    const joined = { type: 'member_joined_channel', user: NEWBIE, channel: NET, channel_type: 'C', team: s.team.id };
    await s.driver.event(joined, 'EvJOIN1');
    await s.driver.event(joined, 'EvJOIN1', { retryNum: 1 });
    expect(await count(s, 'processed_events', `event_key = 'slack:event:EvJOIN1'`)).toBe(1);
    await s.deliver();
    expect(dmTexts(s, NEWBIE).filter((t) => t.includes('Welkom bij'))).toHaveLength(1);
  });

  it('member_left_channel ends pairing for that member', async () => {
    await s.driver.event({ type: 'member_left_channel', user: NEWBIE, channel: NET, channel_type: 'C' }, 'EvLEFT1');
    const result = await s.database.db.execute(
      sql`select nm.status from network_members nm join members m on m.id = nm.member_id where m.platform_user_id = ${NEWBIE}`,
    );
    expect((result as unknown as { rows: Array<{ status: string }> }).rows[0]?.status).toBe('left');
  });

  it('@Klik in a channel and a direct message to Klik work like /klik; Klik ignores its own messages', async () => {
    const before = s.fake.ephemerals(EMMA, NET).length;
    await s.driver.event(
      { type: 'app_mention', user: EMMA, channel: NET, text: `<@${s.team.botUserId}> help` },
      'EvM2',
    );
    expect(s.fake.ephemerals(EMMA, NET).length).toBe(before + 1);
    expect(slackText(latestEphemeral(s, EMMA, NET))).toContain(en('help.title'));

    const dm = s.fake.addChannel({ id: 'DEMMA1', teamId: s.team.id, name: EMMA, members: [EMMA] });
    dm.kind = 'im';
    await s.driver.event({ type: 'message', channel_type: 'im', user: EMMA, channel: dm.id, text: 'help' }, 'EvDM1');
    expect(slackText(latestEphemeral(s, EMMA, dm.id))).toContain(en('help.title'));
    const calls = s.fake.calls.length;
    await s.driver.event(
      { type: 'message', channel_type: 'im', user: s.team.botUserId, bot_id: s.team.botId, channel: dm.id, text: 'x' },
      'EvDM2',
    );
    await s.driver.event({ type: 'message', subtype: 'message_changed', channel_type: 'im', channel: dm.id }, 'EvDM3');
    expect(s.fake.calls.length).toBe(calls);
  });

  it('App Home: my networks, my profile, and pause / resume buttons', async () => {
    await s.driver.event({ type: 'app_home_opened', user: NINA, channel: 'DNINA1', tab: 'home' }, 'EvHOME1');
    const home = s.fake.homes.get(NINA);
    expect(home?.type).toBe('home');
    const text = slackText({ text: '', blocks: home?.blocks as Record<string, unknown>[] });
    expect(text).toContain('#leernetwerk');
    expect(text).toContain('Nina Jansen');
    expect(text).toContain('doet mee met koppelen');

    await s.driver.clickHome(NINA, 'home.pause');
    const paused = slackText({ text: '', blocks: s.fake.homes.get(NINA)?.blocks as Record<string, unknown>[] });
    expect(paused).toContain('Pauze tot 17 maart 2026');
    expect(paused).toContain('koppelen gepauzeerd tot 17 maart 2026');
    await s.driver.clickHome(NINA, 'home.resume');
    const resumed = slackText({ text: '', blocks: s.fake.homes.get(NINA)?.blocks as Record<string, unknown>[] });
    expect(resumed).toContain(nl('member.resumed'));

    // The messages tab opening publishes nothing.
    const publishes = s.fake.callsOf('views.publish').length;
    await s.driver.event({ type: 'app_home_opened', user: NINA, channel: 'DNINA1', tab: 'messages' }, 'EvHOME2');
    expect(s.fake.callsOf('views.publish').length).toBe(publishes);
  });

  it('channel_archive pauses the network and tells the coordinators; unarchive resumes; a retry changes nothing', async () => {
    const paused = () => count(s, 'networks', `channel_id = '${NET}' and paused_until > '9000-01-01'`);
    const notices = () => count(s, 'outbox', "idempotency_key like 'channel-state:%'");
    expect(await paused()).toBe(0);
    expect(await s.driver.event({ type: 'channel_archive', channel: NET, user: COORD }, 'EvARCH1')).toBe(200);
    await s.idle();
    expect(await paused()).toBe(1);
    const told = await notices();
    expect(told).toBeGreaterThan(0);
    expect(
      await s.driver.event({ type: 'channel_archive', channel: NET, user: COORD }, 'EvARCH1', { retryNum: 1 }),
    ).toBe(200);
    await s.idle();
    expect(await notices()).toBe(told);
    expect(await s.driver.event({ type: 'channel_unarchive', channel: NET, user: COORD }, 'EvUNARCH1')).toBe(200);
    await s.idle();
    expect(await paused()).toBe(0);
    expect(await notices()).toBe(told * 2);
  });

  it('a request from a workspace Klik does not serve is refused with a short message', async () => {
    s.fake.addTeam({ id: 'T0STRANGE', name: 'Elders' });
    s.fake.addUser({ id: 'UELDERS', teamId: 'T0STRANGE', name: 'el' });
    const members = await count(s, 'members');
    const r = await s.driver.command('UELDERS', NET, 'help', 'T0STRANGE');
    expect(r.status).toBe(200);
    expect(answer(s, r.responseUrl)).toContain('niet (meer) geïnstalleerd');
    expect(await count(s, 'members')).toBe(members);
  });
});

describe('Slack outbound: rate limits, pacing and errors', () => {
  let s: SlackStack;
  let installationId: string;
  beforeAll(async () => {
    s = track(await bootSlackStack({ seed: (fake, team) => seedWorld(fake, team.id) }));
    installationId = await s.store.transaction(async (tx) => (await tx.installations.ensure('slack', s.team.id)).id);
  });
  afterAll(async () => {
    await s?.close();
  });

  const enqueue = (key: string, target: { kind: 'channel'; channelId: string } | { kind: 'user'; memberId: string }) =>
    s.store.transaction((tx) =>
      tx.outbox.enqueue({
        installationId,
        key,
        target,
        message: { text: key, blocks: [{ type: 'section', text: key }] },
      }),
    );

  it('a 429 with Retry-After: 2 holds that target only; the message arrives once, after 2 s', async () => {
    const nina = await s.store.transaction(async (tx) =>
      tx.members.upsertFromPlatform(installationId, {
        id: NINA,
        displayName: 'Nina',
        isBot: false,
        isDeleted: false,
        isAdmin: false,
      }),
    );
    await enqueue('rate:channel', { kind: 'channel', channelId: NET });
    await enqueue('rate:dm', { kind: 'user', memberId: nina.id });
    s.fake.failNext('chat.postMessage', { status: 429, retryAfter: 2 });
    await s.deliver();
    expect(s.fake.channelMessages(NET)).toEqual([]);
    expect(dmTexts(s, NINA)).toEqual(['rate:dm']);
    expect(await count(s, 'outbox_holds', `target_key like '%${NET}%'`)).toBe(1);

    s.clock.advance(1_900);
    await s.deliver();
    expect(s.fake.channelMessages(NET)).toEqual([]);
    s.clock.advance(100);
    await s.deliver();
    await s.deliver();
    expect(s.fake.channelMessages(NET).map((m) => slackText(m))).toEqual(['rate:channel']);
    expect(await count(s, 'outbox', `status = 'dead'`)).toBe(0);
  });

  it('paces posts to one channel (one a second) without holding up other channels', async () => {
    s.clock.advance(5_000);
    const dm = s.fake.dmOf(NINA)?.id ?? '';
    await enqueue('pace:1', { kind: 'channel', channelId: NET });
    await enqueue('pace:2', { kind: 'channel', channelId: NET });
    await enqueue('pace:other', { kind: 'channel', channelId: dm });
    await s.deliver();
    expect(s.fake.channelMessages(NET).map((m) => m.text)).toEqual(['rate:channel', 'pace:1']);
    expect(s.fake.channelMessages(dm).map((m) => m.text)).toContain('pace:other');
    s.clock.advance(1_000);
    await s.deliver();
    expect(s.fake.channelMessages(NET).map((m) => m.text)).toEqual(['rate:channel', 'pace:1', 'pace:2']);
  });

  it('maps Slack’s failures to PlatformError codes', async () => {
    const ref = { id: installationId, platform: 'slack' as const, externalId: s.team.id };
    const attempt = async (failure: Parameters<FakeSlack['failNext']>[1]) => {
      s.clock.advance(2_000);
      s.fake.failNext('chat.postMessage', failure);
      try {
        await s.adapter.platform.postToChannel(ref, NET, { text: 'x', blocks: [] });
        return null;
      } catch (err) {
        return err instanceof PlatformError ? { code: err.code, retryAfterMs: err.retryAfterMs } : err;
      }
    };
    expect(await attempt({ status: 429, retryAfter: 2 })).toEqual({ code: 'rate_limited', retryAfterMs: 2_000 });
    expect(await attempt({ status: 500 })).toMatchObject({ code: 'transient' });
    expect(await attempt({ status: 502, html: true })).toMatchObject({ code: 'transient' });
    expect(await attempt({ status: 200, html: true })).toMatchObject({ code: 'transient' });
    expect(await attempt({ reset: true })).toMatchObject({ code: 'transient' });
    expect(await attempt({ error: 'not_in_channel' })).toMatchObject({ code: 'not_in_channel' });
    expect(await attempt({ error: 'channel_not_found' })).toMatchObject({ code: 'channel_not_found' });
    for (const error of ['invalid_auth', 'account_inactive', 'token_revoked']) {
      expect(await attempt({ error })).toMatchObject({ code: 'invalid_auth' });
    }
    expect(await attempt({ error: 'msg_too_long' })).toMatchObject({ code: 'permanent' });
    expect(await attempt({ error: 'internal_error' })).toMatchObject({ code: 'transient' });
  });

  it('reads users (cached, with locale) and every page of a channel’s members', async () => {
    const ref = { id: installationId, platform: 'slack' as const, externalId: s.team.id };
    const many = Array.from({ length: 205 }, (_, i) => `UMANY${String(i).padStart(3, '0')}`);
    for (const id of many) s.fake.addUser({ id, teamId: s.team.id, name: id.toLowerCase() });
    s.fake.addChannel({ id: 'CGROOT', teamId: s.team.id, name: 'groot', members: many });
    const pages = s.fake.callsOf('conversations.members').length;
    const members = await s.adapter.platform.listChannelMembers(ref, 'CGROOT');
    expect(members.filter((m) => !m.isBot)).toHaveLength(205);
    expect(s.fake.callsOf('conversations.members').length - pages).toBe(2);

    const guest = await s.adapter.platform.getUser(ref, GUEST);
    expect(guest).toMatchObject({ displayName: 'Gijs (gast)', isBot: false, isDeleted: false, locale: 'nl-NL' });
    expect(await s.adapter.platform.getUser(ref, ADMIN)).toMatchObject({ isAdmin: true });
    expect(await s.adapter.platform.getUser(ref, STRANGER)).toMatchObject({ isBot: false, isDeleted: false });
    expect(await s.adapter.platform.getUser(ref, 'UNOBODY')).toBeNull();
    const lookups = s.fake.callsOf('users.info').length;
    await s.adapter.platform.getUser(ref, GUEST);
    expect(s.fake.callsOf('users.info').length).toBe(lookups);
    expect(s.fake.callsOf('users.info').every((c) => c.args.include_locale === 'true')).toBe(true);

    await expect(s.adapter.platform.listChannelMembers(ref, 'CNOKLIK')).rejects.toMatchObject({
      code: 'not_in_channel',
    });
    s.fake.addChannel({
      id: 'GPRIVATE',
      teamId: s.team.id,
      name: 'geheim',
      members: [COORD],
      isPrivate: true,
      botInChannel: false,
    });
    await expect(s.adapter.platform.listChannelMembers(ref, 'GPRIVATE')).rejects.toMatchObject({
      code: 'channel_not_found',
    });
  });
});

describe('Slack: the ack never waits for the database', () => {
  let s: SlackStack;
  beforeAll(async () => {
    s = track(await bootSlackStack({ viewDeadlineMs: 300, seed: (fake, team) => seedWorld(fake, team.id) }));
  });
  afterAll(async () => {
    await s?.close();
  });

  /** Holds an exclusive lock on the installations table until released. */
  async function blockDatabase(): Promise<() => Promise<void>> {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => {
      locked = r;
    });
    const held = s.database.db.transaction(async (tx) => {
      await tx.execute(sql`lock table installations in access exclusive mode`);
      locked();
      await gate;
    });
    await isLocked;
    return async () => {
      release();
      await held;
    };
  }

  it('acknowledges a command at once while the database is busy, and answers once it is free', async () => {
    await s.driver.command(NINA, NET, 'help'); // warm up
    const release = await blockDatabase();
    const fields = s.driver.commandFields(NINA, NET, 'help');
    const started = Date.now();
    const res = await post(s.eventsUrl, signedCommand(fields, { signingSecret: SIGNING_SECRET }));
    const ackMs = Date.now() - started;
    expect(res.status).toBe(200);
    expect(ackMs).toBeLessThan(1_000);
    expect(s.fake.responsePosts(fields.response_url)).toEqual([]);
    await release();
    await s.idle();
    expect(answer(s, fields.response_url)).toContain(nl('help.title'));
  });

  it('a form submission waits for the core at most its deadline, then closes and answers afterwards', async () => {
    await s.driver.command(COORD, NET, 'setup');
    await s.driver.click(COORD, latestEphemeral(s, COORD, NET), 'setup.confirm');
    await s.driver.command(COORD, NET, 'instellingen');
    await s.driver.click(COORD, latestEphemeral(s, COORD, NET), 'settings.edit');
    const payload = s.driver.submissionPayload(COORD, { time: '25:00' });
    const before = s.fake.ephemerals(COORD, NET).length;
    const release = await blockDatabase();
    const started = Date.now();
    const res = await post(s.eventsUrl, signedInteraction(payload, { signingSecret: SIGNING_SECRET }));
    const ackMs = Date.now() - started;
    expect(res.status).toBe(200);
    // The field errors could not be had in time: the form closes (an empty ack) …
    expect(res.body).toBe('');
    expect(ackMs).toBeGreaterThanOrEqual(250);
    expect(ackMs).toBeLessThan(2_500);
    await release();
    await s.idle();
    // … and what to fix arrives afterwards, where the form was opened.
    const after = s.fake.ephemerals(COORD, NET);
    expect(after.length).toBe(before + 1);
    expect(slackText(after[after.length - 1] as FakeMessage)).toContain('25:00');
  });
});

/** Walks the OAuth install as a browser and Slack would; returns the callback's answer. */
async function installViaOAuth(s: SlackStack, teamId: string, installerId: string) {
  const start = await fetch(`${s.baseUrl}/slack/install`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const location = new URL(start.headers.get('location') ?? '');
  expect(location.searchParams.get('scope')).toContain('chat:write');
  expect(location.searchParams.get('redirect_uri')).toBe('http://klik.test/slack/oauth_redirect');
  const state = location.searchParams.get('state') ?? '';
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const code = s.fake.approveInstall(teamId, installerId);
  const back = await fetch(`${s.baseUrl}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, {
    headers: { cookie },
    redirect: 'manual',
  });
  return { status: back.status, body: await back.text() };
}

describe('Slack OAuth: installs into many workspaces, uninstalls', () => {
  let s: SlackStack;
  const TEAM_B = 'T0SECONDWS';
  beforeAll(async () => {
    s = track(
      await bootSlackStack({
        oauth: true,
        seed: (fake, team) => {
          seedWorld(fake, team.id);
          fake.addTeam({ id: TEAM_B, name: 'Tweede Huis' });
          fake.addUser({ id: 'UBERT', teamId: TEAM_B, name: 'bert', displayName: 'Bert', locale: 'nl-NL' });
          // A Slack Connect channel shared by both workspaces, with both bots in it.
          fake.addChannel({
            id: 'CSHARED',
            teamId: team.id,
            name: 'gedeeld',
            members: [COORD, 'UBERT'],
            sharedWith: [TEAM_B],
          });
        },
      }),
    );
  });
  afterAll(async () => {
    await s?.close();
  });

  it('refuses requests before the workspace installed Klik', async () => {
    const r = await s.driver.command(NINA, NET, 'help');
    expect(answer(s, r.responseUrl)).toContain('niet (meer) geïnstalleerd');
  });

  it('a state that does not match the browser’s cookie installs nothing', async () => {
    const code = s.fake.approveInstall(s.team.id, COORD);
    const res = await fetch(`${s.baseUrl}/slack/oauth_redirect?code=${code}&state=forged`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await count(s, 'installations', `platform = 'slack'`)).toBe(0);
  });

  it('the install flow stores the installation with its token encrypted', async () => {
    const done = await installViaOAuth(s, s.team.id, COORD);
    expect(done.status).toBe(200);
    expect(done.body).toContain('Klik is installed');
    expect(s.fake.callsOf('oauth.v2.access')).toHaveLength(1);
    const token = [...s.team.tokens][0] ?? '';
    expect(token).toMatch(/^xoxb-/);
    const result = await s.database.db.execute(
      sql`select bot_token_enc, details::text as details from installations where external_id = ${s.team.id}`,
    );
    const row = (result as unknown as { rows: Array<{ bot_token_enc: string; details: string }> }).rows[0];
    expect(row?.bot_token_enc).toBeTruthy();
    expect(row?.bot_token_enc).not.toContain(token);
    expect(row?.details).not.toContain(token);
    expect(createSecretBox(SECRET_KEY).decrypt(row?.bot_token_enc ?? '')).toBe(token);

    const r = await s.driver.command(NINA, NET, 'help');
    expect(answer(s, r.responseUrl)).toContain(nl('help.title'));
  });

  it('an event of a shared channel arriving through both installations is handled once', async () => {
    expect((await installViaOAuth(s, TEAM_B, 'UBERT')).status).toBe(200);
    const before = s.fake.ephemerals('UBERT', 'CSHARED').length;
    const botB = s.fake.team(TEAM_B).botUserId;
    const mention = { type: 'app_mention', user: 'UBERT', channel: 'CSHARED', text: `<@${botB}> help` };
    await s.driver.event(mention, 'EvSHARED1', { teamId: TEAM_B });
    await s.driver.event(mention, 'EvSHARED1', { teamId: s.team.id });
    expect(s.fake.ephemerals('UBERT', 'CSHARED').length).toBe(before + 1);
    expect(await count(s, 'processed_events', `event_key = 'slack:event:EvSHARED1'`)).toBe(1);
    expect(slackText(latestEphemeral(s, 'UBERT', 'CSHARED'))).toContain(nl('help.title'));
  });

  it('app_uninstalled deletes the tokens at once; later requests from that workspace are refused', async () => {
    s.fake.revokeTeam(s.team.id);
    expect(await s.driver.event({ type: 'app_uninstalled' }, 'EvUNINST1')).toBe(200);
    const result = await s.database.db.execute(
      sql`select bot_token_enc, uninstalled_at from installations where external_id = ${s.team.id}`,
    );
    const row = (result as unknown as { rows: Array<{ bot_token_enc: string | null; uninstalled_at: unknown }> })
      .rows[0];
    expect(row?.bot_token_enc).toBeNull();
    expect(row?.uninstalled_at).toBeTruthy();

    const calls = s.fake.calls.length;
    const r = await s.driver.command(NINA, NET, 'help');
    expect(r.status).toBe(200);
    expect(answer(s, r.responseUrl)).toContain('niet (meer) geïnstalleerd');
    const clickless = await s.driver.event({ type: 'app_mention', user: NINA, channel: NET, text: 'help' }, 'EvAfter1');
    expect(clickless).toBe(200);
    expect(s.fake.calls.length).toBe(calls);

    // The other workspace is untouched.
    const bert = await s.driver.command('UBERT', 'CSHARED', 'help', TEAM_B);
    expect(answer(s, bert.responseUrl)).toContain(nl('help.title'));
  });

  it('tokens_revoked for the bot does the same; reinstalling brings the workspace back', async () => {
    await s.driver.event({ type: 'tokens_revoked', tokens: { oauth: ['UBERT'] } }, 'EvREV0', { teamId: TEAM_B });
    const still = await s.driver.command('UBERT', 'CSHARED', 'help', TEAM_B);
    expect(answer(s, still.responseUrl)).toContain(nl('help.title'));
    await s.driver.event({ type: 'tokens_revoked', tokens: { bot: [s.fake.team(TEAM_B).botUserId] } }, 'EvREV1', {
      teamId: TEAM_B,
    });
    const refused = await s.driver.command('UBERT', 'CSHARED', 'help', TEAM_B);
    expect(answer(s, refused.responseUrl)).toContain('niet (meer) geïnstalleerd');

    expect((await installViaOAuth(s, TEAM_B, 'UBERT')).status).toBe(200);
    const back = await s.driver.command('UBERT', 'CSHARED', 'help', TEAM_B);
    expect(answer(s, back.responseUrl)).toContain(nl('help.title'));
  });
});

describe('Slack Socket Mode (SLACK_APP_TOKEN)', () => {
  let s: SlackStack;
  beforeAll(async () => {
    s = track(await bootSlackStack({ appToken: 'xapp-1-test', seed: (fake, team) => seedWorld(fake, team.id) }));
  });
  afterAll(async () => {
    await s?.close();
  });

  it('connects through apps.connections.open and answers a command over the socket', async () => {
    expect(s.fake.callsOf('apps.connections.open')).toHaveLength(1);
    expect(s.fake.socketConnections).toBe(1);
    const fields = s.driver.commandFields(NINA, NET, 'help');
    const ack = await s.fake.sendEnvelope('slash_commands', fields);
    expect(ack).toEqual({});
    await s.idle();
    expect(answer(s, fields.response_url)).toContain(nl('help.title'));
    // HTTP events are not taken in Socket Mode.
    const res = await post(s.eventsUrl, signedCommand(fields, { signingSecret: SIGNING_SECRET }));
    expect(res.status).toBe(404);
  });
});

describe('Slack wired by startKlik (src/app.ts)', () => {
  it('serves /slack/events on the shared server when Slack is configured', async () => {
    const fake = await (await import('../support/fake-slack.js')).FakeSlack.start();
    const dir = mkdtempSync(join(tmpdir(), 'klik-slack-'));
    const team = fake.addTeam({ id: 'T0WIRED', name: 'Wired', token: BOT_TOKEN });
    fake.addUser({ id: NINA, teamId: team.id, name: 'nina', locale: 'nl-NL' });
    fake.addChannel({ id: NET, teamId: team.id, name: 'leernetwerk', members: [NINA] });
    fakes.push(fake);
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      KLIK_DATA_DIR: dir,
      KLIK_SECRET_KEY: SECRET_KEY,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: fake.apiUrl,
    });
    const klik = await startKlik(config, silentLogger, { dispatchIntervalMs: 0, cron: false, host: '127.0.0.1' });
    try {
      expect(config.playground).toBe(false);
      const responseUrl = fake.newResponseUrl({ teamId: team.id, channelId: NET, userId: NINA });
      const body = new URLSearchParams({
        team_id: team.id,
        channel_id: NET,
        channel_name: 'leernetwerk',
        user_id: NINA,
        command: '/klik',
        text: 'hulp',
        response_url: responseUrl,
        trigger_id: fake.newTrigger(NINA),
      }).toString();
      const ts = String(nowSeconds());
      const res = await fetch(`http://127.0.0.1:${klik.port}/slack/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': ts,
          'x-slack-signature': slackSignature(SIGNING_SECRET, ts, body),
        },
        body,
      });
      expect(res.status).toBe(200);
      await fake.waitFor(() => fake.responsePosts(responseUrl).length > 0);
      expect(String(fake.responsePosts(responseUrl)[0]?.text)).toContain('Klik houdt je leernetwerk levend');
    } finally {
      await klik.stop();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Every recorded Slack payload (shared/fixtures/recorded), by file and name. */
function recordedSlackPayloads(): Array<{ name: string; kind: 'command' | 'interaction' | 'event'; body: Obj }> {
  const files = readdirSync(RECORDED_DIR).filter((f) => f.endsWith('.json') && f.includes('slack'));
  const out: Array<{ name: string; kind: 'command' | 'interaction' | 'event'; body: Obj }> = [];
  for (const file of files) {
    for (const [key, value] of Object.entries(recorded<Record<string, unknown>>(file))) {
      if (!value || typeof value !== 'object') continue;
      const body = value as Obj;
      const kind =
        typeof body.command === 'string'
          ? 'command'
          : body.type === 'event_callback'
            ? 'event'
            : body.type === 'block_actions' || body.type === 'view_submission'
              ? 'interaction'
              : null;
      if (kind) out.push({ name: `${file}#${key}`, kind, body });
    }
  }
  return out;
}

describe('the recorded Slack payloads', () => {
  const all = recordedSlackPayloads();

  it('are all found (commands, clicks, selects, forms, mentions, DMs, joins, two workspaces)', () => {
    expect(all.length).toBeGreaterThanOrEqual(25);
    expect(new Set(all.map((p) => p.kind))).toEqual(new Set(['command', 'interaction', 'event']));
  });

  it('parse into what the core needs', () => {
    const slash = recorded<Record<string, Obj>>('slash-commands_slack.json');
    expect(parseCommand(slash.slashCommandWithArgs)).toMatchObject({
      channelId: 'C00FAKECHAN3',
      channelName: 'support-agent-dev',
      userId: 'U00FAKEUSER2',
      text: 'some arguments here',
      isDirect: false,
      triggerId: expect.any(String),
      responseUrl: expect.stringContaining('hooks.slack.com'),
    });
    expect(commandTeams(slash.slashCommand)).toEqual(['T00FAKE00BB']);
    expect(parseViewSubmission(slash.viewSubmission)).toMatchObject({
      userId: 'U00FAKEUSER2',
      formId: 'feedback_form',
      state: '{"c":"40949e29-3f28-4d70-964a-f334eb40c5d7"}',
      values: { message: 'Hello!', category: 'feature', email: 'user@example.com' },
    });
    expect(interactionTeams(slash.viewSubmission)[0]).toBe('T00FAKE00BB');

    const actions = recorded<Record<string, Obj>>('actions-reactions_slack.json');
    const click = parseAction(actions.action);
    expect(click).toMatchObject({ userId: 'U00FAKEUSER1', actionId: 'info', value: '', channelId: 'C00FAKECHAN1' });
    expect(click && clickedMessageRef(click)).toEqual({ channelId: 'C00FAKECHAN1', messageId: '1767326126.896109' });
    expect(click && actionKey(click)).toBe('slack:action:U00FAKEUSER1:1767326130.289415:info');
    expect(parseAction(actions.staticSelectAction)?.value).toBe('greet');
    expect(parseAction(actions.radioButtonsAction)?.value).toBe('all_text');
    expect(parseEvent(actions.reaction)?.type).toBe('reaction_added');
    expect(eventKey(actions.mention)).toBe('slack:event:app_mention:C00FAKECHAN1:U00FAKEUSER1:1767326125.870439');

    const modals = recorded<Record<string, Obj>>('modals_slack.json');
    const ephemeral = parseAction(modals.ephemeralAction);
    expect(ephemeral?.container).toMatchObject({ kind: 'message', ephemeral: true });
    expect(ephemeral && clickedMessageRef(ephemeral)).toBeUndefined();
    expect(parseViewSubmission(modals.ephemeralViewSubmission)?.values).toEqual({ response: 'Hello!' });

    const joined = recorded<Record<string, Obj>>('member-joined-channel_slack.json');
    expect(parseEvent(joined.memberJoinedChannel)).toMatchObject({
      type: 'member_joined_channel',
      userId: 'U00FAKEBOT01',
      channelId: 'C00FAKECHAN1',
      botUserId: 'U00FAKEBOT01',
    });
    expect(eventKey(joined.memberJoinedChannel)).toBe('slack:event:Ev00FAKE0001');
    expect(eventTeams(joined.memberJoinedChannel)[0]).toBe('T00FAKE00AA');

    const mention = recorded<Record<string, Obj>>('channel-mention_slack.json').mention;
    const m = parseEvent(mention);
    expect(m && textAfterMention(m.text, m.botUserId)).toBe('Can you see the name of this channel: <#C00FAKECHAN2>?');
    const team1 = recorded<Record<string, Obj>>('slack-multi-workspace_team1.json').mention;
    const team2 = recorded<Record<string, Obj>>('slack-multi-workspace_team2.json').mention;
    expect(eventTeams(team1)[0]).toBe('T0A8YAUUGMU');
    expect(eventTeams(team2)[0]).toBe('T0B3ZCXXNRV');
    expect(parseEvent(recorded<Record<string, Obj>>('dm_slack-direct.json').directDM)).toMatchObject({
      type: 'message',
      channelType: 'im',
      text: 'hello hello',
    });

    for (const p of all) {
      if (p.kind === 'command') expect(parseCommand(p.body), p.name).not.toBeNull();
      if (p.kind === 'event') expect(parseEvent(p.body), p.name).not.toBeNull();
      if (p.kind === 'interaction' && p.body.type === 'block_actions')
        expect(parseAction(p.body), p.name).not.toBeNull();
      if (p.kind === 'interaction' && p.body.type === 'view_submission')
        expect(parseViewSubmission(p.body), p.name).not.toBeNull();
    }
  });

  it('carry no field the test driver leaves out (the fake speaks the same shapes)', async () => {
    const s = track(await bootSlackStack({ seed: (fake, team) => seedWorld(fake, team.id) }));
    try {
      const keys = (o: unknown) => Object.keys((o ?? {}) as Obj).sort();
      const slash = recorded<Record<string, Obj>>('slash-commands_slack.json');
      const fields = s.driver.commandFields(NINA, NET, 'help');
      for (const k of keys(slash.slashCommand)) expect(keys(fields), `command.${k}`).toContain(k);
      const actions = recorded<Record<string, Obj>>('modals_slack.json');
      await s.driver.command(COORD, NET, 'help');
      const posted: FakeMessage = {
        ts: '1.000001',
        channel: NET,
        user: s.team.botUserId,
        text: 'x',
        blocks: [
          { type: 'actions', elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'A' } }] },
        ],
      };
      const { payload } = s.driver.clickPayload(COORD, posted, 'a');
      for (const k of keys(actions.action!)) expect(keys(payload), `block_actions.${k}`).toContain(k);
      const action = (payload.actions as Obj[])[0];
      for (const k of keys((actions.action!.actions as Obj[])[0])) expect(keys(action), `action.${k}`).toContain(k);
      await s.driver.command(COORD, NET, 'setup');
      await s.driver.click(COORD, latestEphemeral(s, COORD, NET), 'setup.confirm');
      await s.driver.command(COORD, NET, 'instellingen');
      await s.driver.click(COORD, latestEphemeral(s, COORD, NET), 'settings.edit');
      const submission = s.driver.submissionPayload(COORD, {});
      for (const k of keys(actions.viewSubmission!)) expect(keys(submission), `view_submission.${k}`).toContain(k);
      for (const k of keys(actions.viewSubmission!.view)) expect(keys(submission.view), `view.${k}`).toContain(k);
      const joined = recorded<Record<string, Obj>>('member-joined-channel_slack.json').memberJoinedChannel;
      const event = s.driver.eventPayload({ type: 'member_joined_channel', user: NINA, channel: NET }, 'Ev1');
      for (const k of keys(joined)) {
        if (['enterprise_id', 'context_team_id', 'context_enterprise_id', 'event_context'].includes(k)) continue;
        expect(keys(event), `event_callback.${k}`).toContain(k);
      }
    } finally {
      await s.close();
    }
  });

  it('signed and posted as they are, each is acknowledged and none crashes Klik; unknown workspaces get nothing', async () => {
    const s = track(await bootSlackStack({ seed: (fake, team) => seedWorld(fake, team.id) }));
    try {
      for (const p of all) {
        const body = { ...p.body };
        const url = s.fake.newResponseUrl({ teamId: s.team.id, channelId: NET, userId: NINA });
        if (typeof body.response_url === 'string') body.response_url = url;
        const request =
          p.kind === 'command'
            ? signedCommand(body as Record<string, string>, { signingSecret: SIGNING_SECRET })
            : p.kind === 'interaction'
              ? signedInteraction(body, { signingSecret: SIGNING_SECRET })
              : signedEvent(body, { signingSecret: SIGNING_SECRET });
        const res = await post(s.eventsUrl, request);
        expect(res.status, p.name).toBe(200);
      }
      await s.idle();
      // Recorded workspaces are not Klik's: nothing reached the core or Slack's API after start.
      expect(s.fake.calls.map((c) => c.method)).toEqual(['auth.test']);
      expect(await count(s, 'members')).toBe(0);
    } finally {
      await s.close();
    }
  });

  it('moved into a workspace Klik serves, the recorded command, mention and DM are answered', async () => {
    const s = track(
      await bootSlackStack({
        seed: (fake, team) => {
          fake.addUser({ id: 'U00FAKEUSER1', teamId: team.id, name: 'testuser', locale: 'en-US' });
          fake.addUser({ id: 'U00FAKEUSER2', teamId: team.id, name: 'jane', locale: 'en-US' });
          fake.addChannel({ id: 'C00FAKECHAN1', teamId: team.id, name: 'chat-sdk', members: ['U00FAKEUSER1'] });
          fake.addChannel({ id: 'C00FAKECHAN3', teamId: team.id, name: 'support', members: ['U00FAKEUSER2'] });
          const dm = fake.addChannel({ id: 'D0A5319PS02', teamId: team.id, name: 'dm', members: ['U00FAKEUSER1'] });
          dm.kind = 'im';
        },
      }),
    );
    try {
      const retarget = (o: Obj): Obj =>
        JSON.parse(
          JSON.stringify(o)
            .replace(/T00FAKE00(AA|BB)/g, s.team.id)
            .replace(/U00FAKEBOT0\d/g, s.team.botUserId),
        );
      const slash = retarget(recorded<Record<string, Obj>>('slash-commands_slack.json').slashCommandWithArgs as Obj);
      const url = s.fake.newResponseUrl({ teamId: s.team.id, channelId: 'C00FAKECHAN3', userId: 'U00FAKEUSER2' });
      await post(
        s.eventsUrl,
        signedCommand({ ...(slash as Record<string, string>), response_url: url }, { signingSecret: SIGNING_SECRET }),
      );
      await s.idle();
      expect(answer(s, url)).toContain(en('error.unknownCommand', { input: 'some' }));

      const mention = retarget(recorded<Record<string, Obj>>('channel_slack.json').mention as Obj);
      await s.driver.sendEvent(mention);
      expect(slackText(latestEphemeral(s, 'U00FAKEUSER1', 'C00FAKECHAN1'))).toContain('/klik help');
      const dm = retarget(recorded<Record<string, Obj>>('dm_slack.json').dmMessage as Obj);
      await s.driver.sendEvent(dm);
      expect(slackText(latestEphemeral(s, 'U00FAKEUSER1', 'D0A5319PS02'))).toContain('/klik help');
    } finally {
      await s.close();
    }
  });
});

describe('the manifest and Slack’s limits', () => {
  it('no message Klik sent in this file was refused by Slack’s block validation', () => {
    expect(fakes.length).toBeGreaterThan(4);
    expect(fakes.flatMap((f) => f.rejections)).toEqual([]);
  });

  it('the manifest grants every scope of every Web API method Klik was seen calling', () => {
    const manifest = readFileSync(resolve(import.meta.dirname, '../../adapters/slack/manifest.yaml'), 'utf8');
    const bot = manifest.split(/\n\s*bot:\s*\n/)[1]?.split(/\n(?!\s+- )/)[0] ?? '';
    const granted = new Set([...bot.matchAll(/-\s+([a-z_:.]+)/g)].map((m) => m[1]));
    const seen = new Set(fakes.flatMap((f) => f.calls.map((c) => c.method)));
    for (const method of ['auth.test', 'users.info', 'conversations.members', 'chat.postMessage', 'views.open']) {
      expect(seen).toContain(method);
    }
    for (const method of seen) {
      expect(Object.keys(METHOD_SCOPES), `scope table lacks ${method}`).toContain(method);
      for (const scope of METHOD_SCOPES[method] ?? []) expect(granted, `${method} needs ${scope}`).toContain(scope);
    }
    for (const event of ['member_joined_channel', 'member_left_channel', 'app_mention', 'app_home_opened']) {
      expect(manifest).toContain(`- ${event}`);
    }
    expect(manifest).toContain('command: /klik');
    expect(manifest).toContain('home_tab_enabled: true');
    expect(manifest).toContain('https://klik.example.org/slack/events');
  });
});
