import { createTeamsAdapter, type TeamsAdapter } from '../../adapters/teams/adapter.js';
import type { PaceLimit } from '../../adapters/teams/pacer.js';
import { createStore } from '../../db/store.js';
import type { TeamsConfig } from '../../src/config.js';
import type { Klik } from '../../src/core/app.js';
import type { CalendarLinks } from '../../src/core/meetings/links.js';
import { type ChatPlatform, type Logger, type Store, silentLogger } from '../../src/core/ports.js';
import type { Platform } from '../../src/core/types.js';
import { closeServer } from '../../src/http/server.js';
import type { OutboxDispatcher } from '../../src/scheduler/outbox-dispatcher.js';
import { FakeClock } from './clock.js';
import { testCore } from './core.js';
import { type Backend, createTestDatabase, type TestDatabase } from './db.js';
import {
  cardButtons,
  type FakeBotConnector as Fake,
  FakeBotConnector,
  type FakePosted,
  type FakeTeamsUser,
} from './fake-bot-connector.js';
import { serveRouters } from './http.js';
import { channelToken, FakeCredentialsFactory, OpenIdServer } from './teams-auth.js';

type Obj = Record<string, unknown>;

export const TENANT = 'a1b2c3d4-e5f6-7890-abcd-ef1234567890';
export const APP_ID = '11111111-2222-3333-4444-555555555555';

export interface TeamsStackOptions {
  backend?: Backend;
  start?: string;
  /** Bot Framework authentication with this app id, against a local OpenID server. */
  auth?: boolean;
  /** Overrides the OpenID metadata URL (e.g. one that cannot be fetched). */
  openIdMetadataUrl?: string;
  paceLimits?: readonly PaceLimit[];
  seed?: (fake: Fake) => void;
  logger?: Logger;
  /** Signed calendar links for meetings. */
  calendar?: CalendarLinks;
}

export interface TeamsStack {
  fake: FakeBotConnector;
  database: TestDatabase;
  store: Store;
  klik: Klik;
  clock: FakeClock;
  adapter: TeamsAdapter;
  dispatcher: OutboxDispatcher;
  baseUrl: string;
  messagesUrl: string;
  botId: string;
  appId: string;
  openId?: OpenIdServer;
  deliver(): Promise<number>;
  idle(): Promise<void>;
  driver: TeamsDriver;
  close(): Promise<void>;
}

export async function bootTeamsStack(options: TeamsStackOptions = {}): Promise<TeamsStack> {
  const fake = await FakeBotConnector.start();
  options.seed?.(fake);
  const database = await createTestDatabase(options.backend ?? 'pglite');
  const clock = new FakeClock(options.start ?? '2026-03-03T09:00:00.000Z');
  const store = createStore(database.db, clock);
  const logger = options.logger ?? silentLogger;
  const openId = options.auth ? await OpenIdServer.start() : undefined;
  const appId = options.auth ? APP_ID : '';
  const config: TeamsConfig = options.auth
    ? { appId, appPassword: 'not-used', tenantId: TENANT, appType: 'SingleTenant' }
    : { appType: 'SingleTenant' };
  const platforms: Partial<Record<Platform, ChatPlatform>> = {};
  const adapter = createTeamsAdapter({
    config,
    database,
    store,
    klik: () => klik,
    clock,
    logger,
    ...(options.paceLimits ? { paceLimits: options.paceLimits } : {}),
    ...(options.auth
      ? {
          openIdMetadataUrl: options.openIdMetadataUrl ?? openId?.metadataUrl,
          credentialsFactory: new FakeCredentialsFactory(APP_ID),
        }
      : {}),
  });
  platforms.teams = adapter.platform;
  const { klik, dispatcher } = testCore({
    db: database.db,
    store,
    platforms,
    clock,
    logger,
    workerId: 'teams-test',
    ...(options.calendar ? { calendar: options.calendar } : {}),
  });
  const { server, base: baseUrl } = await serveRouters([{ path: '/api/messages', router: adapter.router }], {
    logger,
    ping: () => database.ping(),
  });
  await adapter.start();

  const stack: TeamsStack = {
    fake,
    database,
    store,
    klik,
    clock,
    adapter,
    dispatcher,
    baseUrl,
    messagesUrl: `${baseUrl}/api/messages`,
    botId: `28:${appId || 'klik-local-bot'}`,
    appId,
    ...(openId ? { openId } : {}),
    async deliver() {
      let total = 0;
      for (let i = 0; i < 50; i++) {
        const n = await dispatcher.runOnce();
        if (n === 0) return total;
        total += n;
      }
      throw new Error('outbox did not drain');
    },
    idle: () => adapter.idle(),
    driver: undefined as unknown as TeamsDriver,
    async close() {
      await adapter.stop();
      await dispatcher.stop();
      await closeServer(server, 1_000);
      await fake.close();
      await openId?.close();
      await database.close();
    },
  };
  stack.driver = new TeamsDriver(stack);
  return stack;
}

// ---------------------------------------------------------------------------------------------
// Acting like Teams

export interface FakeConversation {
  kind: 'channel' | 'groupChat' | 'personal';
  /** Channel id, chat id or 1:1 id. */
  id: string;
  teamId?: string;
  name?: string;
}

let activityCounter = 0;
const nextActivityId = () => {
  activityCounter += 1;
  return `${Date.now()}${String(activityCounter).padStart(5, '0')}`;
};

export class TeamsDriver {
  constructor(private readonly stack: TeamsStack) {}

  private get fake() {
    return this.stack.fake;
  }

  user(idOrAad: string): FakeTeamsUser {
    const u = this.fake.users.get(idOrAad) ?? this.fake.userByAad(idOrAad);
    if (!u) throw new Error(`no user ${idOrAad}`);
    return u;
  }

  /** The person's 1:1 conversation id with Klik (as Teams would name it). */
  personalOf(aad: string): string {
    const u = this.user(aad);
    let id = this.fake.personal.get(u.teamsId);
    if (!id) {
      id = `a:personal-${u.aadObjectId}`;
      this.fake.personal.set(u.teamsId, id);
    }
    return id;
  }

  /** The envelope every activity shares, shaped like the recorded payloads. */
  envelope(user: FakeTeamsUser, conv: FakeConversation, activityId = nextActivityId()): Obj {
    const conversationId = conv.kind === 'channel' ? `${conv.id};messageid=${activityId}` : conv.id;
    return {
      id: activityId,
      channelId: 'msteams',
      serviceUrl: this.fake.serviceUrl,
      timestamp: new Date().toISOString(),
      from: { id: user.teamsId, name: user.name, aadObjectId: user.aadObjectId },
      conversation: {
        ...(conv.kind === 'personal' ? {} : { isGroup: true }),
        conversationType: conv.kind,
        tenantId: TENANT,
        id: conversationId,
        ...(conv.name ? { name: conv.name } : {}),
      },
      recipient: { id: this.stack.botId, name: 'Klik' },
      channelData: {
        tenant: { id: TENANT },
        ...(conv.kind === 'channel'
          ? {
              teamsChannelId: conv.id,
              teamsTeamId: conv.teamId,
              channel: { id: conv.id, name: conv.name },
              team: { id: conv.teamId },
            }
          : {}),
      },
      ...(user.locale ? { locale: user.locale } : {}),
    };
  }

  /** `@Klik <text>` (in a 1:1: just the text); `@Name` in the text becomes an `<at>` mention. */
  messageActivity(aad: string, conv: FakeConversation, text: string): Obj {
    const user = this.user(aad);
    const entities: Obj[] = [];
    let body = text.replace(/@([\p{L}][\p{L}\d-]*)/gu, (all, first: string) => {
      const mentioned = [...this.fake.users.values()].find((u) => u.name.split(' ')[0] === first);
      if (!mentioned) return all;
      entities.push({
        type: 'mention',
        text: `<at>${mentioned.name}</at>`,
        mentioned: { id: mentioned.teamsId, name: mentioned.name },
      });
      return `<at>${mentioned.name}</at>`;
    });
    if (conv.kind !== 'personal') {
      body = `<at>Klik</at> ${body}`;
      entities.unshift({ type: 'mention', text: '<at>Klik</at>', mentioned: { id: this.stack.botId, name: 'Klik' } });
    }
    entities.push({
      type: 'clientInfo',
      locale: user.locale ?? 'nl-NL',
      country: 'NL',
      platform: 'Web',
      timezone: 'Europe/Amsterdam',
    });
    return { ...this.envelope(user, conv), type: 'message', text: body, textFormat: 'plain', entities };
  }

  /** A click on a card's Action.Submit: a message activity whose value is the button's data. */
  submitActivity(aad: string, card: FakePosted, data: Obj): Obj {
    const user = this.user(aad);
    const conv = this.conversationOf(card.conversationId);
    return {
      ...this.envelope(user, conv, `f:${nextActivityId()}`),
      type: 'message',
      replyToId: card.id,
      value: data,
      channelData: {
        ...((this.envelope(user, conv).channelData as Obj) ?? {}),
        source: { name: 'message' },
        legacy: { replyToId: `1:${card.id}` },
      },
    };
  }

  conversationOf(conversationId: string): FakeConversation {
    if (conversationId.startsWith('a:')) return { kind: 'personal', id: conversationId };
    for (const [teamId] of this.fake.teams)
      if (conversationId === teamId) return { kind: 'channel', id: teamId, teamId };
    const channel = this.channels.get(conversationId);
    if (channel) return channel;
    return { kind: 'groupChat', id: conversationId };
  }

  /** Channels by id, registered by the tests' world. */
  readonly channels = new Map<string, FakeConversation>();

  async post(activity: Obj, authorization?: string | null): Promise<{ status: number; body: string }> {
    const token =
      authorization === undefined && this.stack.openId
        ? `Bearer ${channelToken(this.stack.openId.key, this.stack.appId, String(activity.serviceUrl))}`
        : authorization;
    const res = await fetch(this.stack.messagesUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
      body: JSON.stringify(activity),
    });
    const body = await res.text();
    await this.stack.idle();
    return { status: res.status, body };
  }

  async message(aad: string, conv: FakeConversation, text: string) {
    return this.post(this.messageActivity(aad, conv, text));
  }

  /** Klik installed for a person (personal scope): Teams sends installationUpdate in the 1:1 chat. */
  async installPersonal(aad: string) {
    const user = this.user(aad);
    const conv: FakeConversation = { kind: 'personal', id: this.personalOf(aad) };
    return this.post({ ...this.envelope(user, conv), type: 'installationUpdate', action: 'add' });
  }

  /** Klik added to a team: conversationUpdate in the General channel, the bot among membersAdded. */
  async installTeam(teamId: string, byAad: string) {
    const user = this.user(byAad);
    const conv: FakeConversation = { kind: 'channel', id: teamId, teamId };
    const env = this.envelope(user, conv);
    return this.post({
      ...env,
      conversation: { ...(env.conversation as Obj), id: teamId },
      type: 'conversationUpdate',
      membersAdded: [{ id: this.stack.botId }],
      channelData: { ...(env.channelData as Obj), eventType: 'teamMemberAdded' },
    });
  }

  /** Messages a person sees in their 1:1 chat with Klik. */
  personalMessages(aad: string): FakePosted[] {
    const id = this.fake.personal.get(this.user(aad).teamsId);
    return id ? this.fake.messages(id) : [];
  }
}

export interface TeamsNetworkOptions extends Omit<TeamsStackOptions, 'seed'> {
  /** Everyone in the team: Teams users with a personal chat with Klik, Dutch by default. */
  people: ReadonlyArray<{ aad: string; name: string }>;
  team: string;
  channel: FakeConversation;
  /** Who runs `setup` in the channel (and so becomes its coordinator). */
  coordinator: string;
}

/** A Teams stack with one team, its people, and a network set up and confirmed in `channel`. */
export async function bootTeamsNetwork(options: TeamsNetworkOptions): Promise<TeamsStack> {
  const { people, team, channel, coordinator, ...stackOptions } = options;
  const stack = await bootTeamsStack({
    ...stackOptions,
    seed: (fake) => {
      for (const p of people)
        fake.addUser({
          teamsId: `29:${p.aad}`,
          aadObjectId: p.aad,
          name: p.name,
          upn: `${p.aad.slice(4)}@zorg.example`,
          userRole: 'user',
          locale: 'nl-NL',
        });
      fake.teams.set(
        team,
        people.map((p) => `29:${p.aad}`),
      );
    },
  });
  stack.driver.channels.set(channel.id, channel);
  await stack.driver.installTeam(team, coordinator);
  for (const p of people) await stack.driver.installPersonal(p.aad);
  await stack.driver.message(coordinator, channel, 'setup');
  const preview = stack.driver.personalMessages(coordinator).at(-1) as FakePosted;
  const confirm = cardButtons(preview.activity).find((b) => b.actionId === 'setup.confirm');
  await stack.driver.post(stack.driver.submitActivity(coordinator, preview, confirm?.data ?? {}));
  stack.clock.advance(1_100);
  await stack.deliver();
  return stack;
}
