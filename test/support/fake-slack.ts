/**
 * A fake Slack: the Web API methods Klik calls, `response_url`s, and a Socket Mode server, on
 * 127.0.0.1 (port 0). It keeps a model of workspaces, people, channels, DMs and group DMs, and of
 * what each person sees (posted messages, their ephemerals, open modals, their App Home), so tests
 * read the world the way a person in Slack would. Every call is recorded; blocks are validated as
 * Slack does (fake-slack-blocks.ts) and refused with `invalid_blocks`; a method can be told to
 * answer 429 with Retry-After, 500, a 502 HTML page or any Slack error.
 *
 * Slack behaviours modelled because Klik depends on them: `conversations.members` lists a public
 * channel's members to any app (bot in the channel or not) and answers `channel_not_found` for a
 * private channel without the bot; posting needs the bot in the channel (`not_in_channel`); a
 * trigger id opens one view; a response_url takes at most 5 posts.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import { type WebSocket, WebSocketServer } from 'ws';
import { messageProblems, viewProblems } from './fake-slack-blocks.js';

type Obj = Record<string, unknown>;

export interface FakeTeam {
  id: string;
  name: string;
  domain: string;
  botUserId: string;
  botId: string;
  appId: string;
  /** Valid bot tokens of this workspace. */
  tokens: Set<string>;
}

export interface FakeUser {
  id: string;
  teamId: string;
  name: string;
  realName?: string;
  displayName?: string;
  tz?: string;
  locale?: string;
  isBot?: boolean;
  deleted?: boolean;
  isAdmin?: boolean;
  isOwner?: boolean;
  isRestricted?: boolean;
  isUltraRestricted?: boolean;
  isStranger?: boolean;
}

export interface FakeChannel {
  id: string;
  teamId: string;
  name: string;
  kind: 'public' | 'private' | 'im' | 'mpim';
  members: Set<string>;
  archived?: boolean;
  /** Slack Connect: other workspaces that share this channel (and see it under the same id). */
  sharedWith?: Set<string>;
}

export interface FakeMessage {
  ts: string;
  channel: string;
  /** Who posted: the bot user for Klik's messages. */
  user: string;
  text: string;
  blocks: Obj[];
  /** For an ephemeral: the only person who sees it. */
  visibleTo?: string;
}

export interface FakeCall {
  method: string;
  args: Obj;
  teamId: string | null;
  /** The error Slack answered with, or null for ok. */
  error: string | null;
}

export interface FakeRejection {
  where: string;
  problems: string[];
}

export interface FakeFailure {
  /** HTTP status; 429 comes with Retry-After. */
  status?: number;
  retryAfter?: number;
  /** Answer an HTML page (a proxy's error page) instead of JSON. */
  html?: boolean;
  /** A Slack error code answered with HTTP 200 and ok: false. */
  error?: string;
  /** Drop the connection without an answer (ECONNRESET at the client). */
  reset?: boolean;
}

/** Where a response_url's posts go. */
interface ResponseTarget {
  teamId: string;
  channelId: string;
  userId: string;
  /** The clicked message, when the response_url came with a click. */
  source?: { ts: string; ephemeral: boolean };
  uses: number;
  /** Everything posted to it, in order (what the acting person was shown). */
  posts: Obj[];
}

export interface OpenModal {
  viewId: string;
  teamId: string;
  userId: string;
  view: Obj;
  /** Field errors from the last submission's ack. */
  errors: Record<string, string>;
}

let tsCounter = 0;
const nextTs = () => {
  tsCounter += 1;
  return `${1_772_000_000 + Math.floor(tsCounter / 1000)}.${String(tsCounter % 1_000_000).padStart(6, '0')}`;
};
const id = (prefix: string) => `${prefix}${randomBytes(5).toString('hex').toUpperCase()}`;

export class FakeSlack {
  readonly teams = new Map<string, FakeTeam>();
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  readonly messages: FakeMessage[] = [];
  /** Files shared with files.completeUploadExternal (content as uploaded to the upload URL). */
  readonly files: Array<{
    id: string;
    filename: string;
    title: string;
    channelId: string;
    threadTs: string | null;
    content: string;
  }> = [];
  private readonly pendingUploads = new Map<string, { filename: string; length: number; content: string | null }>();
  readonly calls: FakeCall[] = [];
  readonly rejections: FakeRejection[] = [];
  readonly modals = new Map<string, OpenModal>();
  readonly homes = new Map<string, Obj>();
  readonly responseTargets = new Map<string, ResponseTarget>();
  private readonly triggers = new Map<string, { userId: string; used: boolean }>();
  private readonly revoked = new Set<string>();
  private readonly failures = new Map<string, FakeFailure[]>();
  private readonly oauthCodes = new Map<string, { teamId: string; installerId: string }>();
  private readonly appTokens = new Set<string>();
  private readonly sockets = new Set<WebSocket>();
  private readonly socketAcks = new Map<string, (payload: Obj) => void>();
  private readonly waiters: Array<{ test: () => boolean; resolve: () => void }> = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  oauthClient = { id: 'client-id', secret: 'client-secret' };

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeSlack> {
    let fake: FakeSlack | undefined;
    const server = createServer((req, res) => {
      void fake?.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    fake = new FakeSlack(server, `http://127.0.0.1:${port}`);
    const f = fake;
    server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/socket')) {
        socket.destroy();
        return;
      }
      f.wss.handleUpgrade(req, socket, head, (ws) => f.acceptSocket(ws));
    });
    return fake;
  }

  /** The Web API base, as SLACK_API_URL: `http://127.0.0.1:port/api/`. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections?.();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // -------------------------------------------------------------------------------------------
  // The world

  addTeam(input: { id: string; name?: string; botUserId?: string; token?: string }): FakeTeam {
    const team: FakeTeam = {
      id: input.id,
      name: input.name ?? input.id,
      domain: (input.name ?? input.id).toLowerCase().replace(/[^a-z0-9]+/g, '-'),
      botUserId: input.botUserId ?? id('UBOT'),
      botId: id('B'),
      appId: 'AKLIK00001',
      tokens: new Set(input.token ? [input.token] : []),
    };
    this.teams.set(team.id, team);
    this.addUser({ id: team.botUserId, teamId: team.id, name: 'klik', realName: 'Klik', isBot: true });
    return team;
  }

  /** A new valid bot token for the team (what an install hands out). */
  issueToken(teamId: string): string {
    const token = `xoxb-${teamId}-${randomBytes(8).toString('hex')}`;
    this.team(teamId).tokens.add(token);
    return token;
  }

  addAppToken(token: string): void {
    this.appTokens.add(token);
  }

  addUser(user: FakeUser): FakeUser {
    this.users.set(user.id, user);
    return user;
  }

  addChannel(input: {
    teamId: string;
    name: string;
    members: string[];
    botInChannel?: boolean;
    isPrivate?: boolean;
    id?: string;
    /** Slack Connect: workspaces that share the channel; their bots are in it too. */
    sharedWith?: string[];
  }): FakeChannel {
    const team = this.team(input.teamId);
    const channel: FakeChannel = {
      id: input.id ?? id(input.isPrivate ? 'G' : 'C'),
      teamId: team.id,
      name: input.name,
      kind: input.isPrivate ? 'private' : 'public',
      members: new Set([...input.members, ...(input.botInChannel === false ? [] : [team.botUserId])]),
      ...(input.sharedWith ? { sharedWith: new Set(input.sharedWith) } : {}),
    };
    for (const other of input.sharedWith ?? []) {
      if (input.botInChannel !== false) channel.members.add(this.team(other).botUserId);
    }
    this.channels.set(channel.id, channel);
    return channel;
  }

  team(teamId: string): FakeTeam {
    const team = this.teams.get(teamId);
    if (!team) throw new Error(`fake slack: no team ${teamId}`);
    return team;
  }

  /** Uninstall as Slack does it: every bot token of the team stops working. */
  revokeTeam(teamId: string): void {
    for (const t of this.team(teamId).tokens) this.revoked.add(t);
  }

  /** The code Slack would hand the browser after someone approves the install. */
  approveInstall(teamId: string, installerId: string): string {
    const code = `code-${randomBytes(6).toString('hex')}`;
    this.oauthCodes.set(code, { teamId, installerId });
    return code;
  }

  /** The next `times` calls of `method` fail this way. */
  failNext(method: string, failure: FakeFailure, times = 1): void {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(failure);
    this.failures.set(method, queue);
  }

  newTrigger(userId: string): string {
    const trigger = `${Date.now()}.${randomBytes(6).toString('hex')}`;
    this.triggers.set(trigger, { userId, used: false });
    return trigger;
  }

  newResponseUrl(target: Omit<ResponseTarget, 'uses' | 'posts'>): string {
    const key = randomBytes(8).toString('hex');
    this.responseTargets.set(key, { ...target, uses: 0, posts: [] });
    return `${this.url}/response/${key}`;
  }

  responsePosts(url: string): Obj[] {
    const key = url.split('/').pop() ?? '';
    return this.responseTargets.get(key)?.posts ?? [];
  }

  // -------------------------------------------------------------------------------------------
  // What people see

  channelMessages(channelId: string): FakeMessage[] {
    return this.messages.filter((m) => m.channel === channelId && !m.visibleTo);
  }

  ephemerals(userId: string, channelId?: string): FakeMessage[] {
    return this.messages.filter((m) => m.visibleTo === userId && (!channelId || m.channel === channelId));
  }

  findMessage(ts: string): FakeMessage | undefined {
    return this.messages.find((m) => m.ts === ts);
  }

  /** The DM channel between the bot and this user, if Klik opened one. */
  dmOf(userId: string): FakeChannel | undefined {
    const user = this.users.get(userId);
    const bot = user ? this.teams.get(user.teamId)?.botUserId : undefined;
    return [...this.channels.values()].find(
      (c) => c.kind === 'im' && c.members.has(userId) && (!bot || c.members.has(bot)),
    );
  }

  /** The group DM of exactly these people and the bot, if Klik opened one. */
  groupOf(userIds: string[]): FakeChannel | undefined {
    const wanted = new Set(userIds);
    return [...this.channels.values()].find((c) => {
      if (c.kind !== 'mpim') return false;
      const humans = [...c.members].filter((m) => !this.users.get(m)?.isBot);
      return humans.length === wanted.size && humans.every((m) => wanted.has(m));
    });
  }

  modalOf(userId: string): OpenModal | undefined {
    return [...this.modals.values()].find((m) => m.userId === userId);
  }

  callsOf(method: string): FakeCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves once `test` holds (checked after every request the fake serves). */
  waitFor(test: () => boolean): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  private settle(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i];
      if (w?.test()) {
        this.waiters.splice(i, 1);
        w.resolve();
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const body = await readBody(req);
      const path = (req.url ?? '').split('?')[0] ?? '';
      if (req.method === 'POST' && path.startsWith('/api/')) {
        this.api(path.slice('/api/'.length), req, body, res);
      } else if (req.method === 'POST' && path.startsWith('/upload/')) {
        const upload = this.pendingUploads.get(path.slice('/upload/'.length));
        if (!upload) res.writeHead(404).end();
        else {
          upload.content = body;
          res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${Buffer.byteLength(body)}`);
        }
      } else if (req.method === 'POST' && path.startsWith('/response/')) {
        this.response(path.slice('/response/'.length), body, res);
      } else {
        res.writeHead(404).end();
      }
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
    } finally {
      this.settle();
    }
  }

  private api(method: string, req: IncomingMessage, raw: string, res: ServerResponse): void {
    const args = parseArgs(req.headers['content-type'] ?? '', raw);
    const token = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '') || String(args.token ?? '');
    const record = (teamId: string | null, error: string | null) => this.calls.push({ method, args, teamId, error });

    const failure = this.failures.get(method)?.shift();
    if (failure) {
      record(this.teamOfToken(token), failure.error ?? (failure.reset ? 'reset' : `http_${failure.status ?? 200}`));
      if (failure.reset) {
        req.socket.destroy();
      } else if (failure.html) {
        res.writeHead(failure.status ?? 502, { 'content-type': 'text/html' });
        res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
      } else if (failure.status === 429) {
        res.writeHead(429, { 'retry-after': String(failure.retryAfter ?? 1), 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      } else if (failure.status && failure.status !== 200) {
        res.writeHead(failure.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: 'internal_error' }));
      } else {
        json(res, { ok: false, error: failure.error ?? 'internal_error' });
      }
      return;
    }

    let teamId: string | null = null;
    let result: Obj;
    try {
      if (method === 'oauth.v2.access') result = this.oauthAccess(args);
      else if (method === 'apps.connections.open') result = this.connectionsOpen(token);
      else {
        teamId = this.teamOfToken(token);
        if (this.revoked.has(token)) throw new SlackApiError('token_revoked');
        if (!teamId) throw new SlackApiError('invalid_auth');
        result = this.method(method, teamId, args);
      }
    } catch (err) {
      const error = err instanceof SlackApiError ? err.code : 'internal_error';
      if (err instanceof SlackApiError && err.problems) this.rejections.push({ where: method, problems: err.problems });
      record(teamId, error);
      json(res, {
        ok: false,
        error,
        ...(err instanceof SlackApiError && err.problems ? { errors: err.problems } : {}),
      });
      return;
    }
    record(teamId, null);
    json(res, { ok: true, ...result });
  }

  private teamOfToken(token: string): string | null {
    for (const team of this.teams.values()) if (team.tokens.has(token)) return team.id;
    return null;
  }

  private method(method: string, teamId: string, args: Obj): Obj {
    const team = this.team(teamId);
    switch (method) {
      case 'auth.test':
        return {
          url: `https://${team.domain}.slack.com/`,
          team: team.name,
          user: 'klik',
          team_id: team.id,
          user_id: team.botUserId,
          bot_id: team.botId,
          is_enterprise_install: false,
        };
      case 'users.info': {
        const user = this.users.get(String(args.user ?? ''));
        if (!user) throw new SlackApiError('user_not_found');
        return { user: slackUser(user, args.include_locale === true || args.include_locale === 'true') };
      }
      case 'conversations.members': {
        const channel = this.visibleChannel(team, String(args.channel ?? ''));
        const all = [...channel.members];
        const limit = Math.max(1, Math.min(Number(args.limit ?? 100) || 100, 1000));
        const start = args.cursor ? Number(Buffer.from(String(args.cursor), 'base64').toString()) : 0;
        const page = all.slice(start, start + limit);
        const next = start + limit < all.length ? Buffer.from(String(start + limit)).toString('base64') : '';
        return { members: page, response_metadata: { next_cursor: next } };
      }
      case 'conversations.open': {
        const ids = String(args.users ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        if (ids.length === 0) throw new SlackApiError('users_list_not_supplied');
        if (ids.length > 8) throw new SlackApiError('too_many_users');
        for (const u of ids) if (!this.users.has(u)) throw new SlackApiError('user_not_found');
        const kind = ids.length === 1 ? 'im' : 'mpim';
        const wanted = new Set([...ids, team.botUserId]);
        const found = [...this.channels.values()].find(
          (c) => c.kind === kind && c.members.size === wanted.size && [...wanted].every((m) => c.members.has(m)),
        );
        const channel = found ?? {
          id: id(kind === 'im' ? 'D' : 'G'),
          teamId,
          name: kind === 'im' ? ids[0]! : `mpdm-${ids.join('--')}`,
          kind,
          members: wanted,
        };
        this.channels.set(channel.id, channel);
        return { channel: { id: channel.id } };
      }
      case 'chat.postMessage': {
        const channel = this.postableChannel(team, String(args.channel ?? ''));
        this.checkMessage(method, args);
        const message: FakeMessage = {
          ts: nextTs(),
          channel: channel.id,
          user: team.botUserId,
          text: String(args.text ?? ''),
          blocks: (args.blocks as Obj[]) ?? [],
        };
        this.messages.push(message);
        return { channel: channel.id, ts: message.ts, message: { text: message.text, ts: message.ts } };
      }
      case 'chat.postEphemeral': {
        const channel = this.postableChannel(team, String(args.channel ?? ''));
        const userId = String(args.user ?? '');
        if (!channel.members.has(userId)) throw new SlackApiError('user_not_in_channel');
        this.checkMessage(method, args);
        const message: FakeMessage = {
          ts: nextTs(),
          channel: channel.id,
          user: team.botUserId,
          text: String(args.text ?? ''),
          blocks: (args.blocks as Obj[]) ?? [],
          visibleTo: userId,
        };
        this.messages.push(message);
        return { message_ts: message.ts };
      }
      case 'chat.update': {
        const message = this.messages.find((m) => m.ts === args.ts && m.channel === args.channel && !m.visibleTo);
        if (!message) throw new SlackApiError('message_not_found');
        if (message.user !== team.botUserId) throw new SlackApiError('cant_update_message');
        this.checkMessage(method, args);
        message.text = String(args.text ?? '');
        message.blocks = (args.blocks as Obj[]) ?? [];
        return { channel: message.channel, ts: message.ts };
      }
      case 'views.open': {
        const trigger = this.triggers.get(String(args.trigger_id ?? ''));
        if (!trigger) throw new SlackApiError('invalid_trigger_id');
        if (trigger.used) throw new SlackApiError('expired_trigger_id');
        const problems = viewProblems(args.view);
        if (problems.length > 0) throw new SlackApiError('invalid_blocks', problems);
        trigger.used = true;
        const viewId = id('V');
        // A person has one modal open at a time here.
        for (const [k, m] of this.modals) if (m.userId === trigger.userId) this.modals.delete(k);
        this.modals.set(viewId, { viewId, teamId, userId: trigger.userId, view: args.view as Obj, errors: {} });
        return { view: { id: viewId, ...(args.view as Obj) } };
      }
      case 'files.getUploadURLExternal': {
        const filename = String(args.filename ?? '');
        const length = Number(args.length);
        if (!filename || !Number.isInteger(length) || length <= 0) throw new SlackApiError('invalid_arguments');
        const fileId = id('F');
        this.pendingUploads.set(fileId, { filename, length, content: null });
        return { upload_url: `${this.url}/upload/${fileId}`, file_id: fileId };
      }
      case 'files.completeUploadExternal': {
        const raw = args.files;
        const list = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{ id: string; title?: string }>;
        const channelId = String(args.channel_id ?? '');
        const team = this.team(teamId);
        if (channelId) this.visibleChannel(team, channelId);
        const shared = [];
        for (const f of list ?? []) {
          const upload = this.pendingUploads.get(f.id);
          if (!upload || upload.content === null) throw new SlackApiError('file_not_found');
          if (Buffer.byteLength(upload.content) !== upload.length) throw new SlackApiError('file_upload_size_mismatch');
          this.pendingUploads.delete(f.id);
          const file = {
            id: f.id,
            filename: upload.filename,
            title: f.title ?? upload.filename,
            channelId,
            threadTs: args.thread_ts ? String(args.thread_ts) : null,
            content: upload.content,
          };
          this.files.push(file);
          shared.push({ id: file.id, title: file.title });
        }
        return { files: shared };
      }
      case 'views.publish': {
        const problems = viewProblems(args.view);
        if (problems.length > 0) throw new SlackApiError('invalid_blocks', problems);
        const userId = String(args.user_id ?? '');
        if (!this.users.has(userId)) throw new SlackApiError('user_not_found');
        this.homes.set(userId, args.view as Obj);
        return { view: { id: id('V'), ...(args.view as Obj) } };
      }
      default:
        throw new SlackApiError('unknown_method');
    }
  }

  private checkMessage(method: string, args: Obj): void {
    const problems = messageProblems(args);
    if (problems.length > 0) throw new SlackApiError('invalid_blocks', problems);
    void method;
  }

  /** A channel the app may read: public ones always, private ones and DMs only with the bot in. */
  private visibleChannel(team: FakeTeam, channelId: string): FakeChannel {
    const channel = this.channels.get(channelId);
    if (!channel || (channel.teamId !== team.id && !channel.sharedWith?.has(team.id))) {
      throw new SlackApiError('channel_not_found');
    }
    if (channel.kind !== 'public' && !channel.members.has(team.botUserId)) throw new SlackApiError('channel_not_found');
    return channel;
  }

  private postableChannel(team: FakeTeam, channelId: string): FakeChannel {
    const channel = this.visibleChannel(team, channelId);
    if (!channel.members.has(team.botUserId)) throw new SlackApiError('not_in_channel');
    if (channel.archived) throw new SlackApiError('is_archived');
    return channel;
  }

  private oauthAccess(args: Obj): Obj {
    if (args.client_id !== this.oauthClient.id || args.client_secret !== this.oauthClient.secret) {
      throw new SlackApiError('invalid_client_id');
    }
    const grant = this.oauthCodes.get(String(args.code ?? ''));
    if (!grant) throw new SlackApiError('invalid_code');
    this.oauthCodes.delete(String(args.code));
    const team = this.team(grant.teamId);
    const token = this.issueToken(team.id);
    return {
      app_id: team.appId,
      authed_user: { id: grant.installerId },
      scope: 'commands,chat:write',
      token_type: 'bot',
      access_token: token,
      bot_user_id: team.botUserId,
      team: { id: team.id, name: team.name },
      enterprise: null,
      is_enterprise_install: false,
    };
  }

  private connectionsOpen(token: string): Obj {
    if (!this.appTokens.has(token)) throw new SlackApiError('invalid_auth');
    return { url: `${this.url.replace('http', 'ws')}/socket?ticket=${randomBytes(6).toString('hex')}` };
  }

  /** A POST to a response_url: a new ephemeral, or the clicked message replaced. */
  private response(key: string, raw: string, res: ServerResponse): void {
    const target = this.responseTargets.get(key);
    if (!target || target.uses >= 5) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ok: false, error: 'expired_url' }));
      return;
    }
    let body: Obj;
    try {
      body = JSON.parse(raw) as Obj;
    } catch {
      res.writeHead(400).end();
      return;
    }
    const problems = messageProblems(body);
    if (problems.length > 0) {
      this.rejections.push({ where: 'response_url', problems });
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: 'invalid_blocks', errors: problems }));
      return;
    }
    target.uses += 1;
    target.posts.push(body);
    const team = this.team(target.teamId);
    const text = String(body.text ?? '');
    const blocks = (body.blocks as Obj[]) ?? [];
    const replaced = body.replace_original === true && target.source ? this.findMessage(target.source.ts) : undefined;
    if (replaced) {
      replaced.text = text;
      replaced.blocks = blocks;
    } else if (body.delete_original === true && target.source) {
      const i = this.messages.findIndex((m) => m.ts === target.source?.ts);
      if (i >= 0) this.messages.splice(i, 1);
    } else {
      this.messages.push({
        ts: nextTs(),
        channel: target.channelId,
        user: team.botUserId,
        text,
        blocks,
        ...(body.response_type === 'in_channel' ? {} : { visibleTo: target.userId }),
      });
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  }

  // -------------------------------------------------------------------------------------------
  // Socket Mode

  private acceptSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('message', (data) => {
      try {
        const msg = JSON.parse(String(data)) as { envelope_id?: string; payload?: Obj };
        if (msg.envelope_id) this.socketAcks.get(msg.envelope_id)?.(msg.payload ?? {});
      } catch {
        // not for us
      }
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'AKLIK00001' } }));
    this.settle();
  }

  get socketConnections(): number {
    return this.sockets.size;
  }

  /** Sends an envelope to the connected app; resolves with its ack's payload. */
  sendEnvelope(type: 'slash_commands' | 'interactive' | 'events_api', payload: Obj): Promise<Obj> {
    const ws = [...this.sockets][0];
    if (!ws) return Promise.reject(new Error('no socket mode connection'));
    const envelopeId = randomBytes(8).toString('hex');
    return new Promise((resolve) => {
      this.socketAcks.set(envelopeId, (ack) => {
        this.socketAcks.delete(envelopeId);
        resolve(ack);
      });
      ws.send(
        JSON.stringify({
          envelope_id: envelopeId,
          type,
          payload,
          accepts_response_payload: type !== 'events_api',
          retry_attempt: 0,
          retry_reason: '',
        }),
      );
    });
  }
}

class SlackApiError extends Error {
  constructor(
    readonly code: string,
    readonly problems?: string[],
  ) {
    super(code);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Form-encoded (how @slack/web-api sends) or JSON; JSON-encoded fields (blocks, view) decoded. */
function parseArgs(contentType: string, raw: string): Obj {
  let args: Obj;
  if (contentType.includes('application/json')) args = raw ? (JSON.parse(raw) as Obj) : {};
  else args = { ...parseQuery(raw) } as Obj;
  for (const key of ['blocks', 'view', 'attachments']) {
    const v = args[key];
    if (typeof v === 'string') {
      try {
        args[key] = JSON.parse(v);
      } catch {
        // left as the string: validation will refuse it
      }
    }
  }
  return args;
}

function json(res: ServerResponse, body: Obj): void {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

function slackUser(u: FakeUser, withLocale: boolean): Obj {
  return {
    id: u.id,
    team_id: u.teamId,
    name: u.name,
    real_name: u.realName ?? u.name,
    deleted: u.deleted ?? false,
    is_bot: u.isBot ?? false,
    is_admin: u.isAdmin ?? false,
    is_owner: u.isOwner ?? false,
    is_restricted: u.isRestricted ?? false,
    is_ultra_restricted: u.isUltraRestricted ?? false,
    ...(u.isStranger ? { is_stranger: true } : {}),
    tz: u.tz ?? 'Europe/Amsterdam',
    profile: { display_name: u.displayName ?? '', real_name: u.realName ?? u.name },
    ...(withLocale && u.locale ? { locale: u.locale } : {}),
  };
}
