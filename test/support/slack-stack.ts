/**
 * Klik with the real Slack adapter over HTTP, against the fake Slack: a real database, the real
 * core and outbox dispatcher, the real Bolt app behind the shared HTTP server, and a driver that
 * acts like people in Slack (slash commands, clicks, form submissions, events), signing every
 * request as Slack does. Core time is a FakeClock; request signatures use the real time, as Slack's.
 */

import type { Server } from 'node:http';
import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack/adapter.js';
import { parseSlackActionId } from '../../adapters/slack/render.js';
import { createStore } from '../../db/store.js';
import type { SlackConfig } from '../../src/config.js';
import type { Klik } from '../../src/core/app.js';
import type { CalendarLinks } from '../../src/core/meetings/links.js';
import { type ChatPlatform, type Logger, type Store, silentLogger } from '../../src/core/ports.js';
import type { Platform } from '../../src/core/types.js';
import { closeServer } from '../../src/http/server.js';
import type { OutboxDispatcher } from '../../src/scheduler/outbox-dispatcher.js';
import { FakeClock } from './clock.js';
import { testCore } from './core.js';
import { type Backend, createTestDatabase, type TestDatabase } from './db.js';
import { type FakeMessage, FakeSlack, type FakeTeam } from './fake-slack.js';
import { serveRouters } from './http.js';
import { post, signedCommand, signedEvent, signedInteraction } from './slack-signing.js';

type Obj = Record<string, unknown>;

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const SECRET_KEY = 'k'.repeat(40);
export const BOT_TOKEN = 'xoxb-single-workspace-token';

export interface SlackStackOptions {
  backend?: Backend;
  /** Core time; defaults to Tuesday 3 March 2026, 10:00 in Amsterdam. */
  start?: string;
  /** Many workspaces via OAuth instead of one SLACK_BOT_TOKEN. */
  oauth?: boolean;
  /** Socket Mode with this app token. */
  appToken?: string;
  paceMs?: number;
  viewDeadlineMs?: number;
  teamId?: string;
  /** Adds people and channels before Klik starts. */
  seed?: (fake: FakeSlack, team: FakeTeam) => void;
  logger?: Logger;
  /** Signed calendar links for meetings. */
  calendar?: CalendarLinks;
}

export interface SlackStack {
  fake: FakeSlack;
  team: FakeTeam;
  database: TestDatabase;
  store: Store;
  klik: Klik;
  clock: FakeClock;
  adapter: SlackAdapter;
  dispatcher: OutboxDispatcher;
  baseUrl: string;
  eventsUrl: string;
  /** Runs the outbox until nothing is due. */
  deliver(): Promise<number>;
  /** Waits until Klik has finished with every request sent so far. */
  idle(): Promise<void>;
  driver: SlackDriver;
  close(): Promise<void>;
}

export async function bootSlackStack(options: SlackStackOptions = {}): Promise<SlackStack> {
  const fake = await FakeSlack.start();
  const teamId = options.teamId ?? 'T0KLIK0001';
  const team = fake.addTeam({ id: teamId, name: 'Zorgnetwerk', ...(options.oauth ? {} : { token: BOT_TOKEN }) });
  options.seed?.(fake, team);
  if (options.appToken) fake.addAppToken(options.appToken);

  const database = await createTestDatabase(options.backend ?? 'pglite');
  const clock = new FakeClock(options.start ?? '2026-03-03T09:00:00.000Z');
  const store = createStore(database.db, clock);
  const logger = options.logger ?? silentLogger;
  const config: SlackConfig = {
    signingSecret: SIGNING_SECRET,
    apiUrl: fake.apiUrl,
    ...(options.oauth
      ? { oauth: { clientId: fake.oauthClient.id, clientSecret: fake.oauthClient.secret, stateSecret: 'state-secret' } }
      : { botToken: BOT_TOKEN }),
    ...(options.appToken ? { appToken: options.appToken } : {}),
  };
  const platforms: Partial<Record<Platform, ChatPlatform>> = {};
  let server: Server | undefined;
  const adapter = createSlackAdapter({
    config,
    database,
    store,
    klik: () => klik,
    clock,
    logger,
    secretKey: SECRET_KEY,
    publicUrl: 'http://klik.test',
    defaultLocale: 'nl',
    paceMs: options.paceMs ?? 1_000,
    ...(options.viewDeadlineMs !== undefined ? { viewDeadlineMs: options.viewDeadlineMs } : {}),
  });
  platforms.slack = adapter.platform;
  const { klik, dispatcher } = testCore({
    db: database.db,
    store,
    platforms,
    clock,
    logger,
    workerId: 'slack-test',
    ...(options.calendar ? { calendar: options.calendar } : {}),
  });
  const served = await serveRouters([{ path: '/slack', router: adapter.router }], {
    logger,
    ping: () => database.ping(),
  });
  server = served.server;
  const baseUrl = served.base;
  await adapter.start();

  const stack: SlackStack = {
    fake,
    team,
    database,
    store,
    klik,
    clock,
    adapter,
    dispatcher,
    baseUrl,
    eventsUrl: `${baseUrl}/slack/events`,
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
    driver: undefined as unknown as SlackDriver,
    async close() {
      await adapter.stop();
      await dispatcher.stop();
      if (server) await closeServer(server, 1_000);
      await fake.close();
      await database.close();
    },
  };
  stack.driver = new SlackDriver(stack);
  return stack;
}

// ---------------------------------------------------------------------------------------------
// Reading what people see

const unescapeSlack = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function textOfElement(e: unknown): string {
  const o = (e ?? {}) as Obj;
  const t = o.text as Obj | string | undefined;
  if (typeof t === 'string') return t;
  return typeof t?.text === 'string' ? t.text : '';
}

/** The text a person reads in a Slack message: blocks when there are any, else the fallback. */
export function slackText(message: { text: string; blocks: Obj[] }): string {
  const parts: string[] = [];
  for (const b of message.blocks) {
    if (b.type === 'header' || b.type === 'section') {
      const text = textOfElement(b);
      if (text) parts.push(text);
      if (Array.isArray(b.fields)) for (const f of b.fields) parts.push(String((f as Obj).text ?? ''));
      if (b.accessory && (b.accessory as Obj).type === 'button') parts.push(textOfElement(b.accessory));
    }
    if (b.type === 'context' && Array.isArray(b.elements)) for (const e of b.elements) parts.push(textOfElement(e));
    if (b.type === 'actions' && Array.isArray(b.elements)) for (const e of b.elements) parts.push(textOfElement(e));
  }
  return unescapeSlack(parts.length > 0 ? parts.join('\n') : message.text);
}

export interface SlackButton {
  actionId: string;
  rawActionId: string;
  value: string;
  label: string;
  blockId?: string;
}

export function slackButtons(blocks: Obj[]): SlackButton[] {
  const out: SlackButton[] = [];
  const add = (e: unknown, blockId: unknown) => {
    const el = (e ?? {}) as Obj;
    if (el.type !== 'button' || typeof el.action_id !== 'string') return;
    out.push({
      actionId: parseSlackActionId(el.action_id),
      rawActionId: el.action_id,
      value: typeof el.value === 'string' ? el.value : '',
      label: textOfElement(el),
      ...(typeof blockId === 'string' ? { blockId } : {}),
    });
  };
  for (const b of blocks) {
    if (b.type === 'actions' && Array.isArray(b.elements)) for (const e of b.elements) add(e, b.block_id);
    if (b.type === 'section' && b.accessory) add(b.accessory, b.block_id);
  }
  return out;
}

/** The fields of a modal, with the values they start with. */
export function modalFields(view: Obj): Array<{ id: string; type: string; initial: string; options: string[] }> {
  const blocks = Array.isArray(view.blocks) ? (view.blocks as Obj[]) : [];
  return blocks
    .filter((b) => b.type === 'input')
    .map((b) => {
      const el = (b.element ?? {}) as Obj;
      const options = Array.isArray(el.options) ? (el.options as Obj[]).map((o) => String(o.value)) : [];
      const initial =
        typeof el.initial_value === 'string'
          ? el.initial_value
          : el.initial_option
            ? String((el.initial_option as Obj).value)
            : typeof el.initial_date === 'string'
              ? el.initial_date
              : '';
      return { id: String(b.block_id), type: String(el.type), initial, options };
    });
}

// ---------------------------------------------------------------------------------------------
// Acting like people in Slack

let clickCounter = 0;
const actionTs = () => {
  clickCounter += 1;
  return `${Math.floor(Date.now() / 1000)}.${String(clickCounter).padStart(6, '0')}`;
};

/** The form fields Slack posts for a slash command. */
export interface CommandFields extends Record<string, string> {
  team_id: string;
  channel_id: string;
  user_id: string;
  text: string;
  response_url: string;
  trigger_id: string;
}

export interface CommandResult {
  status: number;
  responseUrl: string;
  triggerId: string;
}

export class SlackDriver {
  constructor(private readonly stack: SlackStack) {}

  private get fake() {
    return this.stack.fake;
  }

  private user(userId: string) {
    const u = this.fake.users.get(userId);
    if (!u) throw new Error(`no user ${userId}`);
    return u;
  }

  /** The slash-command form fields Slack posts for `/klik <text>`. */
  commandFields(userId: string, channelId: string, text: string, teamId?: string): CommandFields {
    const user = this.user(userId);
    const team = this.fake.team(teamId ?? user.teamId);
    const channel = this.fake.channels.get(channelId);
    return {
      token: 'legacy-verification-token',
      team_id: team.id,
      team_domain: team.domain,
      channel_id: channelId,
      channel_name: channel?.kind === 'im' ? 'directmessage' : (channel?.name ?? 'unknown'),
      user_id: userId,
      user_name: user.name,
      command: '/klik',
      text,
      api_app_id: team.appId,
      is_enterprise_install: 'false',
      response_url: this.fake.newResponseUrl({ teamId: team.id, channelId, userId }),
      trigger_id: this.fake.newTrigger(userId),
    };
  }

  async command(userId: string, channelId: string, text: string, teamId?: string): Promise<CommandResult> {
    const fields = this.commandFields(userId, channelId, text, teamId);
    const res = await post(this.stack.eventsUrl, signedCommand(fields, { signingSecret: SIGNING_SECRET }));
    await this.stack.idle();
    return { status: res.status, responseUrl: fields.response_url, triggerId: fields.trigger_id };
  }

  /** The block_actions payload of `userId` clicking the button with this action id on a message. */
  clickPayload(userId: string, message: FakeMessage, actionId: string): { payload: Obj; responseUrl: string } {
    const user = this.user(userId);
    const team = this.fake.team(user.teamId);
    const button = slackButtons(message.blocks).find((b) => b.actionId === actionId);
    if (!button) throw new Error(`no button ${actionId} on message ${message.ts}`);
    const ephemeral = message.visibleTo !== undefined;
    const responseUrl = this.fake.newResponseUrl({
      teamId: team.id,
      channelId: message.channel,
      userId,
      source: { ts: message.ts, ephemeral },
    });
    const channel = this.fake.channels.get(message.channel);
    return {
      responseUrl,
      payload: {
        type: 'block_actions',
        user: { id: userId, username: user.name, name: user.name, team_id: team.id },
        api_app_id: team.appId,
        token: 'legacy-verification-token',
        container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: ephemeral },
        trigger_id: this.fake.newTrigger(userId),
        team: { id: team.id, domain: team.domain },
        enterprise: null,
        is_enterprise_install: false,
        channel: { id: message.channel, name: channel?.name ?? 'unknown' },
        ...(ephemeral
          ? {}
          : {
              message: {
                type: 'message',
                user: message.user,
                ts: message.ts,
                text: message.text,
                blocks: message.blocks,
              },
            }),
        state: { values: {} },
        response_url: responseUrl,
        actions: [
          {
            type: 'button',
            action_id: button.rawActionId,
            block_id: button.blockId ?? 'b1',
            text: { type: 'plain_text', text: button.label, emoji: true },
            ...(button.value ? { value: button.value } : {}),
            action_ts: actionTs(),
          },
        ],
      },
    };
  }

  async sendInteraction(payload: Obj): Promise<{ status: number; body: string }> {
    const res = await post(this.stack.eventsUrl, signedInteraction(payload, { signingSecret: SIGNING_SECRET }));
    await this.stack.idle();
    return res;
  }

  async click(
    userId: string,
    message: FakeMessage,
    actionId: string,
  ): Promise<{ status: number; responseUrl: string }> {
    const { payload, responseUrl } = this.clickPayload(userId, message, actionId);
    const res = await this.sendInteraction(payload);
    return { status: res.status, responseUrl };
  }

  /** A click on a button of the person's App Home tab. */
  async clickHome(userId: string, actionId: string): Promise<number> {
    const user = this.user(userId);
    const team = this.fake.team(user.teamId);
    const view = this.fake.homes.get(userId);
    if (!view) throw new Error(`${userId} has no home tab`);
    const button = slackButtons((view.blocks as Obj[]) ?? []).find((b) => b.actionId === actionId);
    if (!button) throw new Error(`no button ${actionId} on the home tab`);
    const res = await this.sendInteraction({
      type: 'block_actions',
      user: { id: userId, username: user.name, name: user.name, team_id: team.id },
      api_app_id: team.appId,
      container: { type: 'view', view_id: 'VHOME' },
      trigger_id: this.fake.newTrigger(userId),
      team: { id: team.id, domain: team.domain },
      view: { id: 'VHOME', type: 'home', team_id: team.id, app_installed_team_id: team.id, blocks: view.blocks },
      actions: [
        { type: 'button', action_id: button.rawActionId, block_id: 'h1', value: button.value, action_ts: actionTs() },
      ],
    });
    return res.status;
  }

  /** The view_submission payload of the person's open modal, filled with these values. */
  submissionPayload(userId: string, values: Record<string, string>): Obj {
    const modal = this.fake.modalOf(userId);
    if (!modal) throw new Error(`${userId} has no open modal`);
    const user = this.user(userId);
    const team = this.fake.team(modal.teamId);
    const state: Record<string, Record<string, Obj>> = {};
    for (const field of modalFields(modal.view)) {
      const value = values[field.id] ?? field.initial;
      const entry: Obj =
        field.type === 'static_select'
          ? {
              type: field.type,
              selected_option: value ? { text: { type: 'plain_text', text: value }, value } : null,
            }
          : field.type === 'datepicker'
            ? { type: field.type, selected_date: value || null }
            : { type: field.type, value: value === '' ? null : value };
      state[field.id] = { [field.id]: entry };
    }
    return {
      type: 'view_submission',
      team: { id: team.id, domain: team.domain },
      user: { id: userId, username: user.name, name: user.name, team_id: team.id },
      api_app_id: team.appId,
      token: 'legacy-verification-token',
      trigger_id: this.fake.newTrigger(userId),
      view: {
        ...modal.view,
        id: modal.viewId,
        team_id: team.id,
        state: { values: state },
        hash: `${Date.now()}.abc`,
        clear_on_close: false,
        notify_on_close: false,
        previous_view_id: null,
        root_view_id: modal.viewId,
        app_id: team.appId,
        external_id: '',
        app_installed_team_id: team.id,
        bot_id: team.botId,
      },
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
  }

  /** Submits the open modal; applies the ack to the fake as Slack would (errors, update, close). */
  async submit(userId: string, values: Record<string, string>): Promise<{ status: number; ack: Obj }> {
    const payload = this.submissionPayload(userId, values);
    const res = await this.sendInteraction(payload);
    const ack = res.body ? (JSON.parse(res.body) as Obj) : {};
    const modal = this.fake.modalOf(userId);
    if (modal && res.status === 200) {
      if (ack.response_action === 'errors') modal.errors = (ack.errors as Record<string, string>) ?? {};
      else if (ack.response_action === 'update') {
        modal.view = ack.view as Obj;
        modal.errors = {};
      } else this.fake.modals.delete(modal.viewId);
    }
    return { status: res.status, ack };
  }

  /** An Events API callback for `event`, signed; `eventId` and `retryNum` as Slack sets them. */
  eventPayload(event: Obj, eventId: string, teamId?: string): Obj {
    const team = this.fake.team(teamId ?? this.stack.team.id);
    return {
      token: 'legacy-verification-token',
      team_id: team.id,
      api_app_id: team.appId,
      event: { event_ts: `${Math.floor(Date.now() / 1000)}.000100`, ...event },
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [
        { enterprise_id: null, team_id: team.id, user_id: team.botUserId, is_bot: true, is_enterprise_install: false },
      ],
      is_ext_shared_channel: false,
    };
  }

  async sendEvent(payload: Obj, retryNum?: number): Promise<number> {
    const res = await post(
      this.stack.eventsUrl,
      signedEvent(payload, { signingSecret: SIGNING_SECRET, ...(retryNum !== undefined ? { retryNum } : {}) }),
    );
    await this.stack.idle();
    return res.status;
  }

  async event(event: Obj, eventId: string, options: { retryNum?: number; teamId?: string } = {}): Promise<number> {
    return this.sendEvent(this.eventPayload(event, eventId, options.teamId), options.retryNum);
  }

  /** What a response_url was last told: the answer the acting person saw. */
  lastResponse(responseUrl: string): { text: string; blocks: Obj[] } | undefined {
    const posts = this.fake.responsePosts(responseUrl);
    const last = posts[posts.length - 1];
    return last ? { text: String(last.text ?? ''), blocks: (last.blocks as Obj[]) ?? [] } : undefined;
  }
}

export interface SlackNetworkOptions extends Omit<SlackStackOptions, 'seed'> {
  /** Slack user ids of everyone in the channel (Dutch, in Amsterdam); names are the ids, lower-cased. */
  people: readonly string[];
  channel: { id: string; name: string };
  /** Who runs `start` in the channel (and so becomes its coordinator). */
  coordinator: string;
}

/** A Slack stack with one channel of people and a network set up and confirmed in it. */
export async function bootSlackNetwork(options: SlackNetworkOptions): Promise<SlackStack> {
  const { people, channel, coordinator, ...stackOptions } = options;
  const s = await bootSlackStack({
    ...stackOptions,
    seed: (fake, team) => {
      for (const id of people)
        fake.addUser({ id, teamId: team.id, name: id.slice(1).toLowerCase(), locale: 'nl-NL', tz: 'Europe/Amsterdam' });
      fake.addChannel({ id: channel.id, teamId: team.id, name: channel.name, members: [...people] });
    },
  });
  await s.driver.command(coordinator, channel.id, 'start');
  const preview = s.fake.ephemerals(coordinator, channel.id).at(-1);
  if (!preview) throw new Error('no setup preview');
  await s.driver.click(coordinator, preview, 'setup.confirm');
  await s.idle();
  await s.deliver();
  return s;
}
