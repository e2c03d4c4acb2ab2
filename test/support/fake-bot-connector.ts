/**
 * A fake Bot Connector: the HTTP service an activity's `serviceUrl` names, on 127.0.0.1 port 0.
 * It accepts what Klik's Teams adapter sends through the SDK (posts, thread replies, updates, new
 * 1:1 chats, paged rosters, single members), records every call, keeps each conversation's
 * messages as people would see them, and can be told to fail the next matching call
 * (429 with Retry-After, 403 MessageWritesBlocked, 502 with an HTML body, …).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Obj = Record<string, unknown>;

export interface FakeTeamsUser {
  /** Bot Framework id, "29:…". */
  teamsId: string;
  aadObjectId: string;
  name: string;
  upn: string;
  userRole?: 'user' | 'guest';
  locale?: string;
}

export interface FakeCall {
  method: string;
  path: string;
  conversationId?: string;
  activityId?: string;
  body?: Obj;
  status: number;
  authorization?: string;
}

export interface FakePosted {
  id: string;
  conversationId: string;
  replyToId?: string;
  activity: Obj;
  /** Earlier versions, oldest first, when the activity was updated. */
  history: Obj[];
}

interface Failure {
  match: (call: { method: string; path: string; conversationId?: string }) => boolean;
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export class FakeBotConnector {
  readonly users = new Map<string, FakeTeamsUser>();
  /** Team id → Bot Framework ids of its members (the bot is not listed, as in Teams). */
  readonly teams = new Map<string, string[]>();
  /** Group chat id → members. */
  readonly chats = new Map<string, string[]>();
  /** Conversations whose roster answers 403 BotNotInConversationRoster (Klik not there). */
  readonly botNotIn = new Set<string>();
  /** Person's Bot Framework id → their 1:1 conversation id with the bot. */
  readonly personal = new Map<string, string>();
  readonly posted: FakePosted[] = [];
  readonly calls: FakeCall[] = [];
  private readonly failures: Failure[] = [];
  private counter = 0;

  private constructor(
    private readonly server: Server,
    readonly serviceUrl: string,
  ) {}

  static async start(): Promise<FakeBotConnector> {
    let fake: FakeBotConnector | undefined;
    const server = createServer((req, res) => {
      void fake?.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeBotConnector(server, `http://127.0.0.1:${port}/`);
    return fake;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  addUser(u: FakeTeamsUser): FakeTeamsUser {
    this.users.set(u.teamsId, u);
    return u;
  }

  userByAad(aad: string): FakeTeamsUser | undefined {
    return [...this.users.values()].find((u) => u.aadObjectId === aad);
  }

  /** The next call matching gets this answer instead (once). */
  failNext(match: Failure['match'], status: number, options: { headers?: Record<string, string>; body?: string } = {}) {
    this.failures.push({ match, status, ...options });
  }

  /** Messages in a conversation as people see them now, oldest first. */
  messages(conversationId: string): FakePosted[] {
    return this.posted.filter((p) => p.conversationId === conversationId);
  }

  find(activityId: string): FakePosted | undefined {
    return this.posted.find((p) => p.id === activityId);
  }

  private nextId(): string {
    this.counter += 1;
    return `${Date.now()}${String(this.counter).padStart(4, '0')}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: Obj | undefined;
    try {
      body = raw ? (JSON.parse(raw) as Obj) : undefined;
    } catch {
      body = undefined;
    }
    const url = new URL(req.url ?? '/', 'http://fake');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? 'GET';
    const conversationId = parts[0] === 'v3' && parts[1] === 'conversations' ? parts[2] : undefined;
    const call: FakeCall = {
      method,
      path: url.pathname,
      ...(conversationId ? { conversationId } : {}),
      ...(parts[4] ? { activityId: parts[4] } : {}),
      ...(body ? { body } : {}),
      status: 0,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    };
    this.calls.push(call);
    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      const text = typeof payload === 'string' ? payload : payload === undefined ? '' : JSON.stringify(payload);
      res.writeHead(status, {
        'content-type': typeof payload === 'string' ? 'text/html' : 'application/json',
        ...headers,
      });
      res.end(text);
    };
    const failure = this.failures.findIndex((f) =>
      f.match({ method, path: url.pathname, ...(conversationId ? { conversationId } : {}) }),
    );
    if (failure >= 0) {
      const f = this.failures.splice(failure, 1)[0] as Failure;
      return send(f.status, f.body ?? { error: { code: `Http${f.status}`, message: 'injected' } }, f.headers);
    }
    if (parts[0] !== 'v3' || parts[1] !== 'conversations') return send(404, { error: { code: 'NotFound' } });

    // POST v3/conversations: a new 1:1 chat
    if (method === 'POST' && parts.length === 2) {
      const members = Array.isArray(body?.members) ? (body.members as Obj[]) : [];
      const memberId = String(members[0]?.id ?? '');
      const user = this.users.get(memberId) ?? this.userByAad(memberId);
      if (!user) return send(404, { error: { code: 'NotFound', message: 'no such user' } });
      let id = this.personal.get(user.teamsId);
      if (!id) {
        id = `a:personal-${user.aadObjectId}`;
        this.personal.set(user.teamsId, id);
      }
      return send(201, { id });
    }
    if (!conversationId) return send(404, { error: { code: 'NotFound' } });

    // Rosters
    if (method === 'GET' && (parts[3] === 'pagedmembers' || parts[3] === 'members')) {
      if (this.botNotIn.has(conversationId)) {
        return send(403, {
          error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' },
        });
      }
      const memberIds = this.teams.get(conversationId) ?? this.chats.get(conversationId);
      if (!memberIds) return send(404, { error: { code: 'ConversationNotFound' } });
      const accounts = memberIds
        .map((id) => this.users.get(id))
        .filter((u): u is FakeTeamsUser => Boolean(u))
        .map(account);
      if (parts[3] === 'members' && parts[4]) {
        const one = accounts.find((a) => a.id === parts[4] || a.aadObjectId === parts[4]);
        return one ? send(200, one) : send(404, { error: { code: 'MemberNotFoundInConversation' } });
      }
      if (parts[3] === 'members') return send(200, accounts);
      const size = Number(url.searchParams.get('pageSize') ?? '') || 2;
      const start = Number(url.searchParams.get('continuationToken') ?? '0') || 0;
      const page = accounts.slice(start, start + size);
      const next = start + size < accounts.length ? String(start + size) : undefined;
      return send(200, { members: page, ...(next ? { continuationToken: next } : {}) });
    }

    if (parts[3] !== 'activities') return send(404, { error: { code: 'NotFound' } });
    // POST v3/conversations/{id}/activities[/{replyToId}]
    if (method === 'POST') {
      const id = this.nextId();
      const root = conversationId.split(';')[0] as string;
      this.posted.push({
        id,
        conversationId: root,
        ...(parts[4] ? { replyToId: parts[4] } : {}),
        activity: body ?? {},
        history: [],
      });
      return send(201, { id });
    }
    // PUT v3/conversations/{id}/activities/{activityId}
    if (method === 'PUT' && parts[4]) {
      const target = this.find(parts[4]);
      if (!target) return send(404, { error: { code: 'ActivityNotFound' } });
      target.history.push(target.activity);
      target.activity = body ?? {};
      return send(200, { id: target.id });
    }
    return send(405, { error: { code: 'MethodNotAllowed' } });
  }
}

function account(u: FakeTeamsUser): Obj {
  return {
    id: u.teamsId,
    name: u.name,
    aadObjectId: u.aadObjectId,
    userPrincipalName: u.upn,
    email: u.upn,
    tenantId: 'tenant',
    userRole: u.userRole ?? 'user',
    givenName: u.name.split(' ')[0],
  };
}

// ---------------------------------------------------------------------------------------------
// Reading cards as people see them

export interface CardButton {
  actionId: string;
  value: string;
  label: string;
  data: Obj;
}

function cardBodies(activity: Obj): Obj[] {
  const attachments = Array.isArray(activity.attachments) ? (activity.attachments as Obj[]) : [];
  return attachments.map((a) => (a.content ?? {}) as Obj);
}

function walk(elements: unknown, visit: (e: Obj) => void): void {
  if (!Array.isArray(elements)) return;
  for (const e of elements as Obj[]) {
    visit(e);
    walk(e.items, visit);
    walk(e.columns, visit);
    walk(e.actions, visit);
  }
}

/** The text a person reads: TextBlocks and facts (not buttons), else the activity's text. */
export function cardText(activity: Obj): string {
  const parts: string[] = [];
  for (const card of cardBodies(activity)) {
    walk(card.body, (e) => {
      if (e.type === 'TextBlock' && typeof e.text === 'string' && !String(e.id ?? '').startsWith('klik.error.'))
        parts.push(e.text);
      if (e.type === 'FactSet' && Array.isArray(e.facts))
        for (const f of e.facts as Obj[]) parts.push(`${f.title}: ${f.value}`);
    });
  }
  return parts.length > 0 ? parts.join('\n') : String(activity.text ?? '');
}

export function cardButtons(activity: Obj): CardButton[] {
  const out: CardButton[] = [];
  for (const card of cardBodies(activity)) {
    walk(card.body, (e) => {
      if (e.type !== 'Action.Submit') return;
      const data = (e.data ?? {}) as Obj;
      if (data.klik !== 'action') return;
      out.push({
        actionId: String(data.actionId),
        value: String(data.value ?? ''),
        label: String(e.title ?? ''),
        data,
      });
    });
  }
  return out;
}

export interface CardForm {
  formId: string;
  state: string;
  fields: Array<{ id: string; initial: string }>;
  errors: Record<string, string>;
}

export function cardForm(activity: Obj): CardForm | undefined {
  let form: CardForm | undefined;
  const fields: CardForm['fields'] = [];
  const errors: Record<string, string> = {};
  for (const card of cardBodies(activity)) {
    walk(card.body, (e) => {
      const id = typeof e.id === 'string' ? e.id : '';
      if (String(e.type).startsWith('Input.') && id.startsWith('field.')) {
        fields.push({ id: id.slice(6), initial: typeof e.value === 'string' ? e.value : '' });
      }
      if (e.type === 'TextBlock' && id.startsWith('klik.error.')) errors[id.slice(11)] = String(e.text);
      if (e.type === 'Action.Submit' && (e.data as Obj | undefined)?.klik === 'form') {
        const data = e.data as Obj;
        form = { formId: String(data.formId), state: String(data.state ?? ''), fields, errors };
      }
    });
  }
  return form;
}

/** The group-chat deep link's UPNs on an intro card, if it has one. */
export function deepLinkUsers(activity: Obj): string[] | undefined {
  let users: string[] | undefined;
  for (const card of cardBodies(activity)) {
    walk(card.body, (e) => {
      if (
        e.type === 'Action.OpenUrl' &&
        typeof e.url === 'string' &&
        e.url.startsWith('https://teams.microsoft.com/l/chat/0/0?')
      ) {
        const list = new URL(e.url).searchParams.get('users') ?? '';
        users = list.split(',').filter(Boolean);
      }
    });
  }
  return users;
}

export const newActivityId = (): string => randomUUID();
