/**
 * Teams end to end: the real CloudAdapter behind Klik's HTTP server, the fake Bot Connector as the
 * activities' serviceUrl, a real database, the real core and outbox. Authentication uses a local
 * RSA key and OpenID metadata served here; outbound calls carry a fake credential.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEAMS_BLOCKED } from '../../adapters/teams/errors.js';
import { loadConfig } from '../../src/config.js';
import { PlatformError } from '../../src/core/errors.js';
import { cardProblems } from '../support/adaptive-cards.js';
import { cardButtons, cardForm, cardText, deepLinkUsers, type FakePosted } from '../support/fake-bot-connector.js';
import { recorded } from '../support/fixtures.js';
import { BOT_FRAMEWORK_ISSUER, channelToken, makeKey, OUTBOUND_TOKEN, signToken } from '../support/teams-auth.js';
import { APP_ID, bootTeamsStack, type FakeConversation, TENANT, type TeamsStack } from '../support/teams-stack.js';

type Obj = Record<string, unknown>;

const PEOPLE = [
  { aad: 'aad-carla', name: 'Carla Coördinator', locale: 'nl-NL' },
  { aad: 'aad-anna', name: 'Anna Achterberg', locale: 'nl-NL' },
  { aad: 'aad-emma', name: 'Emma English', locale: 'en-GB', guest: true },
  { aad: 'aad-otto', name: 'Otto Overig', locale: 'nl-NL' },
];
const TEAM = '19:team-zorg@thread.tacv2';
const CHANNEL: FakeConversation = { kind: 'channel', id: '19:zorg@thread.tacv2', teamId: TEAM, name: 'zorg' };
const CHAT: FakeConversation = { kind: 'groupChat', id: '19:groepje@thread.v2' };

function seed(stack: TeamsStack['fake']) {
  for (const p of PEOPLE) {
    stack.addUser({
      teamsId: `29:${p.aad}`,
      aadObjectId: p.aad,
      name: p.name,
      upn: `${p.aad.slice(4)}@${p.guest ? 'gast.example' : 'zorg.example'}`,
      userRole: p.guest ? 'guest' : 'user',
      locale: p.locale,
    });
  }
  stack.teams.set(
    TEAM,
    PEOPLE.map((p) => `29:${p.aad}`),
  );
  stack.chats.set(
    CHAT.id,
    PEOPLE.slice(0, 2).map((p) => `29:${p.aad}`),
  );
}

/** Every card Klik sent parses as an Adaptive Card with no unknown elements and stays under 28 KB. */
function checkCards(stack: TeamsStack) {
  for (const p of stack.fake.posted) {
    for (const version of [...p.history, p.activity]) {
      expect(cardProblems(version)).toEqual([]);
    }
  }
}

describe('teams, unauthenticated local mode (TEAMS_ENABLED=1)', () => {
  let stack: TeamsStack;
  const postedSince = (n: number) => stack.fake.posted.slice(n);
  const personalOf = (aad: string) => stack.driver.personalMessages(aad);
  const lastText = (aad: string) => cardText((personalOf(aad).at(-1) as FakePosted).activity);

  beforeAll(async () => {
    stack = await bootTeamsStack({ seed });
    stack.driver.channels.set(CHANNEL.id, CHANNEL);
    expect((await stack.driver.installTeam(TEAM, 'aad-carla')).status).toBe(200);
    for (const p of PEOPLE.slice(0, 3)) await stack.driver.installPersonal(p.aad);
  });
  afterAll(async () => {
    checkCards(stack);
    await stack?.close();
  });

  it('@Klik help is answered in a channel, a group chat and a 1:1', async () => {
    await stack.driver.message('aad-carla', CHANNEL, 'help');
    expect(lastText('aad-carla')).toContain('Klik houdt je leernetwerk levend');
    // Otto has no 1:1 with Klik yet: the answer is a reply in the thread.
    const n = stack.fake.posted.length;
    await stack.driver.message('aad-otto', CHANNEL, 'help');
    const thread = postedSince(n);
    expect(thread).toHaveLength(1);
    expect(thread[0]?.replyToId).toBeDefined();
    expect(cardText((thread[0] as FakePosted).activity)).toContain('Klik houdt je leernetwerk levend');

    await stack.driver.message('aad-emma', CHAT, 'help');
    expect(lastText('aad-emma')).toContain('Klik keeps your learning network alive');
    await stack.driver.message('aad-anna', { kind: 'personal', id: stack.driver.personalOf('aad-anna') }, 'hulp');
    expect(lastText('aad-anna')).toContain('Klik houdt je leernetwerk levend');
  });

  it('a delivery seen before is dropped (conversation id + activity id)', async () => {
    const activity = stack.driver.messageActivity('aad-carla', CHANNEL, 'help');
    const n = stack.fake.posted.length;
    await stack.driver.post(activity);
    await stack.driver.post(activity);
    expect(postedSince(n)).toHaveLength(1);
  });

  it('setup → confirm card click updates the card (PUT), then settings form with field errors', async () => {
    await stack.driver.message('aad-carla', CHANNEL, 'setup');
    const preview = personalOf('aad-carla').at(-1) as FakePosted;
    const confirm = cardButtons(preview.activity).find((b) => b.actionId === 'setup.confirm');
    expect(confirm).toBeDefined();
    await stack.driver.post(stack.driver.submitActivity('aad-carla', preview, confirm?.data ?? {}));
    const put = stack.fake.calls.filter((c) => c.method === 'PUT' && c.activityId === preview.id);
    expect(put).toHaveLength(1);
    expect(cardText((stack.fake.find(preview.id) as FakePosted).activity)).toContain('Klik draait');
    await stack.deliver();
    expect(
      stack.fake
        .messages(CHANNEL.id)
        .map((p) => cardText(p.activity))
        .join(),
    ).toContain('heeft Klik in dit kanaal gestart');

    await stack.driver.message('aad-carla', CHANNEL, 'instellingen');
    const settings = personalOf('aad-carla').at(-1) as FakePosted;
    const edit = cardButtons(settings.activity).find((b) => b.actionId === 'settings.edit');
    await stack.driver.post(stack.driver.submitActivity('aad-carla', settings, edit?.data ?? {}));
    const formCard = personalOf('aad-carla').at(-1) as FakePosted;
    const form = cardForm(formCard.activity);
    expect(form?.formId).toBe('settings.form');
    const values = (over: Record<string, string>) => {
      const data: Obj = { klik: 'form', formId: form?.formId, state: form?.state };
      for (const f of form?.fields ?? []) data[`field.${f.id}`] = over[f.id] ?? f.initial;
      return data;
    };
    await stack.driver.post(stack.driver.submitActivity('aad-carla', formCard, values({ time: '25:00' })));
    const again = cardForm((personalOf('aad-carla').at(-1) as FakePosted).activity);
    expect(again?.errors.time).toContain('25:00');
    await stack.driver.post(stack.driver.submitActivity('aad-carla', formCard, values({ time: '10:30' })));
    expect(lastText('aad-carla')).toContain('1 instelling');
  });

  it('every subcommand reaches its use case, mentions included', async () => {
    const say = async (aad: string, text: string) => {
      await stack.driver.message(aad, CHANNEL, text);
      return lastText(aad);
    };
    expect(await say('aad-carla', 'coordinator toevoegen @Anna')).toContain('Anna Achterberg');
    expect(await say('aad-anna', 'instellingen')).toContain('Instellingen van');
    expect(await say('aad-carla', 'org add Zorggroep Noord')).toContain('Zorggroep Noord');
    expect(await say('aad-anna', 'organisaties')).toContain('Zorggroep Noord');
    for (const [cmd, expected] of [
      ['stop', /pauze|stop|niet meer/i],
      ['doe-mee', /doe|mee|weer/i],
      ['pauze 2 weken', /pauze|tot/i],
      ['hervat', /weer|hervat/i],
      ['sla over', /overgeslagen|sla|volgende/i],
      ['pauzeer netwerk 31-12-2026', /2026|gepauzeerd|pauze/i],
      ['tip samen eten helpt', /tip is bewaard|tip is saved/i],
    ] as const) {
      expect(await say('aad-anna', cmd)).toMatch(expected);
    }
  });

  it('pair now: each member gets a 1:1 intro with a group-chat deep link of their group', async () => {
    await stack.driver.message('aad-carla', CHANNEL, 'hervat');
    await stack.driver.message('aad-carla', CHANNEL, 'koppel nu');
    await stack.deliver();
    stack.clock.advance(2_000);
    await stack.deliver();
    for (const p of PEOPLE) {
      const intro = stack.driver.personalMessages(p.aad).find((m) => deepLinkUsers(m.activity));
      expect(intro, p.aad).toBeDefined();
      const upns = deepLinkUsers((intro as FakePosted).activity) ?? [];
      expect(upns).toContain(`${p.aad.slice(4)}@${p.guest ? 'gast.example' : 'zorg.example'}`);
      expect(upns.length).toBeGreaterThanOrEqual(2);
    }
    // Otto had no 1:1 yet: Klik created it in the tenant (POST v3/conversations).
    expect(stack.fake.calls.some((c) => c.method === 'POST' && c.path === '/v3/conversations')).toBe(true);
  });

  it('the recorded Teams payloads parse without crashing', async () => {
    const files = [
      'channel_teams.json',
      'dm_teams.json',
      'actions-reactions_teams.json',
      'teams.json',
      'streaming_teams.json',
    ];
    for (const file of files) {
      for (const [name, payload] of Object.entries(recorded(file))) {
        if (typeof payload !== 'object' || payload === null) continue;
        const activity = { ...(payload as Obj), serviceUrl: stack.fake.serviceUrl };
        const res = await stack.driver.post(activity);
        expect(res.status, `${file} ${name}`).toBe(200);
      }
    }
  });
});

describe('teams throttling and refusals', () => {
  let stack: TeamsStack;
  beforeAll(async () => {
    stack = await bootTeamsStack({ seed });
    stack.driver.channels.set(CHANNEL.id, CHANNEL);
    await stack.driver.installTeam(TEAM, 'aad-carla');
    for (const p of PEOPLE) await stack.driver.installPersonal(p.aad);
    // A message in the channel: Klik learns the channel's conversation reference.
    await stack.driver.message('aad-carla', CHANNEL, 'help');
  });
  afterAll(async () => {
    await stack?.close();
  });
  const inst = async () => ({ id: await installationId(stack), platform: 'teams' as const, externalId: TENANT });
  const msg = (text: string) => ({ text, blocks: [] });

  it('429 with Retry-After → rate_limited with the wait; the outbox sends it once later', async () => {
    const platform = stack.adapter.platform;
    stack.fake.failNext((c) => c.method === 'POST' && c.conversationId === CHANNEL.id, 429, {
      headers: { 'retry-after': '7' },
    });
    const err = await platform.postToChannel(await inst(), CHANNEL.id, msg('eerste')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlatformError);
    expect((err as PlatformError).code).toBe('rate_limited');
    expect((err as PlatformError).retryAfterMs).toBe(7_000);

    const id = await installationId(stack);
    await stack.store.transaction((tx) =>
      tx.outbox.enqueue({
        installationId: id,
        key: 'e2e:429',
        target: { kind: 'channel', channelId: CHANNEL.id },
        message: msg('via de outbox'),
      }),
    );
    stack.fake.failNext((c) => c.method === 'POST' && c.conversationId === CHANNEL.id, 429, {
      headers: { 'retry-after': '30' },
    });
    await stack.deliver();
    const texts = () => stack.fake.messages(CHANNEL.id).map((p) => cardText(p.activity));
    expect(texts()).not.toContain('via de outbox');
    stack.clock.advance(10_000);
    await stack.deliver();
    expect(texts()).not.toContain('via de outbox');
    stack.clock.advance(21_000);
    await stack.deliver();
    await stack.deliver();
    expect(texts().filter((t) => t === 'via de outbox')).toHaveLength(1);
  });

  it('502 with an HTML body → transient', async () => {
    stack.fake.failNext((c) => c.method === 'POST' && c.conversationId === CHANNEL.id, 502, {
      body: '<html>Bad gateway</html>',
    });
    stack.clock.advance(5_000);
    const err = await stack.adapter.platform.postToChannel(await inst(), CHANNEL.id, msg('x')).catch((e: unknown) => e);
    expect((err as PlatformError).code).toBe('transient');
  });

  it('paces a conversation at 7 a second: the 8th is refused with the wait, never blocked', async () => {
    stack.clock.advance(60_000);
    const i = await inst();
    for (let n = 0; n < 7; n++) await stack.adapter.platform.postToChannel(i, CHANNEL.id, msg(`snel ${n}`));
    const err = await stack.adapter.platform.postToChannel(i, CHANNEL.id, msg('te snel')).catch((e: unknown) => e);
    expect((err as PlatformError).code).toBe('rate_limited');
    expect((err as PlatformError).retryAfterMs).toBeGreaterThan(0);
  });

  it('403 MessageWritesBlocked marks the member unreachable and stops sends to them', async () => {
    const i = await inst();
    const otto = stack.driver.personalOf('aad-otto');
    stack.fake.failNext((c) => c.method === 'POST' && c.conversationId === otto, 403, {
      body: JSON.stringify({ error: { code: 'MessageWritesBlocked', message: 'Thread is blocked' } }),
    });
    const first = await stack.adapter.platform.postToUser(i, 'aad-otto', msg('hoi')).catch((e: unknown) => e);
    expect((first as PlatformError).code).toBe('permanent');
    expect((first as PlatformError).message).toBe(TEAMS_BLOCKED);
    const calls = stack.fake.calls.length;
    const second = await stack.adapter.platform.postToUser(i, 'aad-otto', msg('hoi')).catch((e: unknown) => e);
    expect((second as PlatformError).message).toBe(TEAMS_BLOCKED);
    expect(stack.fake.calls.length).toBe(calls);
  });
});

describe('teams with Bot Framework authentication', () => {
  let stack: TeamsStack;
  beforeAll(async () => {
    stack = await bootTeamsStack({ seed, auth: true });
    stack.driver.channels.set(CHANNEL.id, CHANNEL);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const helpActivity = () => stack.driver.messageActivity('aad-carla', CHANNEL, 'help');

  it('refuses missing, malformed, foreign-issuer, wrongly signed and wrong-audience tokens with 401, touching nothing', async () => {
    const key = stack.openId?.key;
    if (!key) throw new Error('no key');
    const activity = helpActivity();
    const serviceUrl = String(activity.serviceUrl);
    const other = makeKey(key.kid);
    const cases: Array<[string, string | null]> = [
      ['missing', null],
      ['malformed', 'Bearer not-a-jwt'],
      ['not bearer', `Basic ${channelToken(key, APP_ID, serviceUrl)}`],
      [
        'foreign issuer',
        `Bearer ${signToken(key, { iss: 'https://evil.example', aud: APP_ID, serviceurl: serviceUrl })}`,
      ],
      ['wrongly signed', `Bearer ${channelToken(other, APP_ID, serviceUrl)}`],
      ['other audience', `Bearer ${channelToken(key, 'someone-else', serviceUrl)}`],
      ['other serviceUrl', `Bearer ${channelToken(key, APP_ID, 'https://smba.example/')}`],
      [
        'expired',
        `Bearer ${signToken(key, { iss: BOT_FRAMEWORK_ISSUER, aud: APP_ID, serviceurl: serviceUrl, exp: 1000, nbf: 900, iat: 900 })}`,
      ],
    ];
    for (const [name, header] of cases) {
      const res = await stack.driver.post({ ...activity, id: `${activity.id}-${name}` }, header);
      expect(res.status, name).toBe(401);
    }
    expect(stack.fake.calls).toEqual([]);
    const rows = await stack.database.db.execute('select count(*)::int as n from processed_events');
    expect((rows as unknown as { rows: Array<{ n: number }> }).rows[0]?.n).toBe(0);
  });

  it('a valid token passes; Klik answers with its outbound credential', async () => {
    await stack.driver.installPersonal('aad-carla');
    const res = await stack.driver.post(helpActivity());
    expect(res.status).toBe(200);
    expect(cardText((stack.driver.personalMessages('aad-carla').at(-1) as FakePosted).activity)).toContain(
      'Klik houdt',
    );
    expect(stack.fake.calls.length).toBeGreaterThan(0);
    for (const c of stack.fake.calls) expect(c.authorization).toBe(`Bearer ${OUTBOUND_TOKEN}`);
  });

  it('a Bot Framework token whose signing keys cannot be fetched gets 401, not 500', async () => {
    const broken = await bootTeamsStack({
      seed,
      auth: true,
      openIdMetadataUrl: 'http://127.0.0.1:9/.well-known/openid',
    });
    try {
      const key = broken.openId?.key;
      if (!key) throw new Error('no key');
      const activity = broken.driver.messageActivity('aad-carla', CHANNEL, 'help');
      const res = await broken.driver.post(
        activity,
        `Bearer ${channelToken(key, APP_ID, String(activity.serviceUrl))}`,
      );
      expect(res.status).toBe(401);
      expect(broken.fake.calls).toEqual([]);
    } finally {
      await broken.close();
    }
  });
});

it('TEAMS_ENABLED=1 without an app id is refused when NODE_ENV=production', () => {
  expect(() => loadConfig({ NODE_ENV: 'production', TEAMS_ENABLED: '1', KLIK_SECRET_KEY: 'x'.repeat(40) })).toThrow(
    /TEAMS_ENABLED=1 without MICROSOFT_APP_ID/,
  );
});

async function installationId(stack: TeamsStack): Promise<string> {
  return stack.store.transaction(async (tx) => (await tx.installations.ensure('teams', TENANT)).id);
}
