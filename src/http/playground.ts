/**
 * The local playground: a simulated chat workspace in the browser, to try Klik without Slack or
 * Teams. Server-rendered HTML, one small script, no build step.
 *
 *   GET  /                          the page (?as=U-anna&conversation=C-…&lang=nl|en)
 *   GET  /playground/view           the live parts of the page as HTML (same query)
 *   GET  /playground/events         Server-Sent Events: `change` on every workspace change
 *   GET  /playground/app.css        styles
 *   GET  /playground/app.js         the script
 *   POST /playground/command        { as, conversation, text }
 *   POST /playground/action         { as, messageId, actionId, value }
 *   POST /playground/form           { as, formId, state, values }
 *   POST /playground/form/cancel    { as }
 *   POST /playground/channel        { as, conversation, op: join | leave | add-klik | remove-klik }
 *
 * POST bodies are JSON, checked with zod; bad input gets 400 and a short message, never a stack.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { LocalAdapter } from '../../adapters/local/adapter.js';
import { escapeHtml, renderHtmlForm, renderHtmlMessage } from '../../adapters/local/render-html.js';
import {
  type Conversation,
  type EphemeralMessage,
  type LocalUser,
  type LocalWorkspace,
  LocalWorkspaceError,
  type PostedMessage,
} from '../../adapters/local/workspace.js';

export interface PlaygroundDeps {
  adapter: LocalAdapter;
  workspace: LocalWorkspace;
  /** Called after every request that may have written to the outbox (e.g. `dispatcher.kick()`). */
  onActivity?: () => void;
}

// ---------------------------------------------------------------------------------------------
// Page language

type Lang = 'nl' | 'en';

const STRINGS = {
  nl: {
    title: 'Klik-speeltuin',
    tagline: 'speeltuin',
    youAre: 'Je bent',
    switchUser: 'Wissel',
    language: 'Taal',
    channels: 'Kanalen',
    direct: 'Directe berichten',
    conversations: 'Gesprekken',
    klikDm: 'Klik',
    app: 'app',
    onlyYou: 'Alleen zichtbaar voor jou',
    edited: 'bewerkt',
    you: 'jij',
    typed: 'Je typte',
    composer: 'Typ /klik help en druk op Enter',
    composerLabel: 'Opdracht voor Klik',
    send: 'Verstuur',
    empty: 'Hier staan nog geen berichten. Typ /klik help om te beginnen.',
    members: (n: number) => (n === 1 ? '1 lid' : `${n} leden`),
    klikIn: 'Klik zit in dit kanaal',
    klikNotIn: 'Klik zit niet in dit kanaal',
    addKlik: 'Klik toevoegen',
    removeKlik: 'Klik verwijderen',
    join: 'Lid worden',
    leave: 'Kanaal verlaten',
    notMember: 'Je bent geen lid van dit kanaal.',
    dmHeader: 'Klik · direct bericht',
    groupHeader: 'Groepsgesprek',
    note: 'Een nagebootste werkruimte: alles wat Klik hier stuurt, blijft op deze computer.',
    formErrors: 'Kijk dit nog even na:',
    failed: 'Dat lukte niet',
    offline: 'Verbinding kwijt, opnieuw verbinden…',
    slashOnly: 'Alleen /klik-opdrachten werken hier.',
  },
  en: {
    title: 'Klik playground',
    tagline: 'playground',
    youAre: 'You are',
    switchUser: 'Switch',
    language: 'Language',
    channels: 'Channels',
    direct: 'Direct messages',
    conversations: 'Conversations',
    klikDm: 'Klik',
    app: 'app',
    onlyYou: 'Only visible to you',
    edited: 'edited',
    you: 'you',
    typed: 'You typed',
    composer: 'Type /klik help and press Enter',
    composerLabel: 'Command for Klik',
    send: 'Send',
    empty: 'No messages here yet. Type /klik help to start.',
    members: (n: number) => (n === 1 ? '1 member' : `${n} members`),
    klikIn: 'Klik is in this channel',
    klikNotIn: 'Klik is not in this channel',
    addKlik: 'Add Klik',
    removeKlik: 'Remove Klik',
    join: 'Join channel',
    leave: 'Leave channel',
    notMember: 'You are not a member of this channel.',
    dmHeader: 'Klik · direct message',
    groupHeader: 'Group conversation',
    note: 'A simulated workspace: everything Klik sends here stays on this computer.',
    formErrors: 'Please check:',
    failed: 'That did not work',
    offline: 'Connection lost, reconnecting…',
    slashOnly: 'Only /klik commands work here.',
  },
} as const;

type Strings = (typeof STRINGS)[Lang];

const langOf = (raw: unknown): Lang => (raw === 'en' ? 'en' : 'nl');

// ---------------------------------------------------------------------------------------------
// Who and where

interface View {
  user: LocalUser;
  conversation: Conversation;
  lang: Lang;
}

const queryValue = (raw: unknown): string | undefined =>
  typeof raw === 'string' && raw.length > 0 && raw.length <= 200 ? raw : undefined;

/** The acting user and the conversation, falling back to sensible defaults for missing values. */
function resolveView(workspace: LocalWorkspace, query: Request['query']): View | null {
  const lang = langOf(query.lang);
  const humans = workspace.listHumans();
  const asId = queryValue(query.as);
  const user = humans.find((u) => u.id === asId) ?? humans[0];
  if (!user) return null;
  const wanted = queryValue(query.conversation);
  let conversation: Conversation | undefined;
  if (wanted === `D-${user.id}`) conversation = workspace.dmFor(user.id);
  else if (wanted && workspace.canView(user.id, wanted)) conversation = workspace.getConversation(wanted);
  if (!conversation) {
    const channels = workspace.listChannels();
    conversation =
      channels.find((c) => c.memberIds.includes(user.id) && c.botInChannel) ??
      channels.find((c) => c.memberIds.includes(user.id)) ??
      channels[0] ??
      workspace.dmFor(user.id);
  }
  return { user, conversation, lang };
}

const href = (v: { as: string; conversation: string; lang: Lang }): string =>
  `/?as=${encodeURIComponent(v.as)}&conversation=${encodeURIComponent(v.conversation)}&lang=${v.lang}`;

const e = escapeHtml;

function conversationTitle(workspace: LocalWorkspace, c: Conversation, s: Strings, viewer: string): string {
  if (c.kind === 'channel') return `# ${c.name}`;
  if (c.kind === 'dm') return s.klikDm;
  return c.memberIds
    .filter((id) => id !== viewer)
    .map((id) => workspace.getUser(id)?.displayName ?? id)
    .join(', ');
}

// ---------------------------------------------------------------------------------------------
// Rendering

const timeFormat = new Intl.DateTimeFormat('nl-NL', {
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/Amsterdam',
});

function renderSidebar(workspace: LocalWorkspace, v: View): string {
  const s = STRINGS[v.lang];
  const link = (c: Conversation, label: string, extra = '') => {
    const current = c.id === v.conversation.id ? ' aria-current="page"' : '';
    return `<li><a class="conv-link${extra}" href="${e(href({ as: v.user.id, conversation: c.id, lang: v.lang }))}"${current} data-conversation="${e(c.id)}">${label}</a></li>`;
  };
  const channels = workspace
    .listChannels()
    .map((c) => {
      const member = c.memberIds.includes(v.user.id);
      const badge = c.botInChannel ? '' : ` <span class="badge badge-muted" title="${e(s.klikNotIn)}">–Klik</span>`;
      return link(c, `<span class="hash">#</span> ${e(c.name)}${badge}`, member ? '' : ' conv-link-outside');
    })
    .join('');
  const dm = workspace.getConversation(`D-${v.user.id}`) ?? {
    id: `D-${v.user.id}`,
    kind: 'dm' as const,
    name: '',
    memberIds: [v.user.id],
    botInChannel: true,
  };
  const dmCount = workspace.listMessages(dm.id).length;
  const groups = workspace
    .listConversationsFor(v.user.id)
    .filter((c) => c.kind === 'group')
    .map((c) => link(c, e(conversationTitle(workspace, c, s, v.user.id))))
    .join('');
  const count = dmCount > 0 ? ` <span class="badge">${dmCount}</span>` : '';
  return (
    `<h2 class="side-title">${e(s.channels)}</h2><ul class="conv-list">${channels}</ul>` +
    `<h2 class="side-title">${e(s.direct)}</h2><ul class="conv-list">` +
    `${link(dm, `<span class="avatar avatar-klik" aria-hidden="true">K</span> ${e(s.klikDm)} <span class="app-badge">${e(s.app)}</span>${count}`)}${groups}</ul>` +
    `<p class="side-note">${e(s.note)}</p>`
  );
}

function renderHeader(workspace: LocalWorkspace, v: View): string {
  const s = STRINGS[v.lang];
  const c = v.conversation;
  if (c.kind !== 'channel') {
    const title = c.kind === 'dm' ? s.dmHeader : `${s.groupHeader}: ${conversationTitle(workspace, c, s, v.user.id)}`;
    return `<h1 class="conv-title">${e(title)}</h1>`;
  }
  const member = c.memberIds.includes(v.user.id);
  const op = (name: string, label: string, cls = 'btn btn-small') =>
    `<button type="button" class="${cls}" data-channel-op="${e(name)}">${e(label)}</button>`;
  const klik = c.botInChannel
    ? `<span class="pill pill-ok">${e(s.klikIn)}</span>`
    : `<span class="pill pill-warn">${e(s.klikNotIn)}</span>`;
  return (
    `<h1 class="conv-title"># ${e(c.name)}</h1>` +
    `<p class="conv-meta"><span>${e(s.members(c.memberIds.length))}</span> ${klik}</p>` +
    `<div class="conv-ops">${c.botInChannel ? op('remove-klik', s.removeKlik) : op('add-klik', s.addKlik, 'btn btn-small btn-primary')}` +
    `${member ? op('leave', s.leave) : op('join', s.join, 'btn btn-small btn-primary')}</div>` +
    (member ? '' : `<p class="conv-warning">${e(s.notMember)}</p>`)
  );
}

type Item = { kind: 'posted'; m: PostedMessage } | { kind: 'ephemeral'; m: EphemeralMessage };

function renderMessages(workspace: LocalWorkspace, v: View): string {
  const s = STRINGS[v.lang];
  const items: Item[] = [
    ...workspace.listMessages(v.conversation.id).map((m): Item => ({ kind: 'posted', m })),
    ...workspace.listEphemerals(v.user.id, v.conversation.id).map((m): Item => ({ kind: 'ephemeral', m })),
  ].sort((a, b) => a.m.seq - b.m.seq);
  if (items.length === 0) return `<p class="empty">${e(s.empty)}</p>`;
  return items
    .map((item) => {
      const m = item.m;
      const time = `<time datetime="${e(m.postedAt.toISOString())}">${e(timeFormat.format(m.postedAt))}</time>`;
      const edited = m.updatedAt ? ` <span class="edited">(${e(s.edited)})</span>` : '';
      const ephemeral = item.kind === 'ephemeral';
      const only = ephemeral ? ` <span class="only-you">${e(s.onlyYou)}</span>` : '';
      const typed =
        ephemeral && item.m.command
          ? `<p class="typed"><span class="sr-only">${e(s.typed)}: </span><code>${e(item.m.command)}</code></p>`
          : '';
      return (
        `<div class="msg${ephemeral ? ' msg-ephemeral' : ''}" data-item="${e(m.id)}">` +
        `<span class="avatar avatar-klik" aria-hidden="true">K</span><div class="msg-body">` +
        `<div class="msg-meta"><strong class="msg-author">Klik</strong> <span class="app-badge">${e(s.app)}</span> ${time}${edited}${only}</div>` +
        `${typed}${renderHtmlMessage(m.message, { messageId: m.id })}</div></div>`
      );
    })
    .join('');
}

function renderFormPart(workspace: LocalWorkspace, v: View): { html: string; key: string } {
  const open = workspace.getOpenForm(v.user.id);
  if (!open) return { html: '', key: '' };
  const s = STRINGS[v.lang];
  const labels = new Map(open.form.fields.map((f) => [f.id, f.label]));
  const errors = Object.entries(open.errors);
  const errorList =
    errors.length > 0
      ? `<div class="form-errors" role="alert"><p>${e(s.formErrors)}</p><ul>${errors
          .map(([id, text]) => `<li><strong>${e(labels.get(id) ?? id)}</strong>: ${e(text)}</li>`)
          .join('')}</ul></div>`
      : '';
  const key = `${open.openedAt.getTime()}:${open.triggerId}:${JSON.stringify(open.errors)}`;
  return { html: errorList + renderHtmlForm(open.form), key };
}

/** The parts of the page that change: the script swaps each `[data-part]` into place. */
function renderParts(workspace: LocalWorkspace, v: View): string {
  const form = renderFormPart(workspace, v);
  return (
    `<div data-part="sidebar">${renderSidebar(workspace, v)}</div>` +
    `<div data-part="header">${renderHeader(workspace, v)}</div>` +
    `<div data-part="messages">${renderMessages(workspace, v)}</div>` +
    `<div data-part="form" data-form-key="${e(form.key)}">${form.html}</div>`
  );
}

function renderPage(workspace: LocalWorkspace, v: View): string {
  const s = STRINGS[v.lang];
  const people = workspace
    .listHumans()
    .map(
      (u) =>
        `<option value="${e(u.id)}"${u.id === v.user.id ? ' selected' : ''}>${e(u.displayName)}${u.organisation ? ` · ${e(u.organisation)}` : ''}</option>`,
    )
    .join('');
  const langLink = (l: Lang, label: string) =>
    `<a href="${e(href({ as: v.user.id, conversation: v.conversation.id, lang: l }))}" lang="${l}"${l === v.lang ? ' aria-current="true"' : ''}>${label}</a>`;
  const form = renderFormPart(workspace, v);
  return `<!doctype html>
<html lang="${v.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(s.title)}</title>
<link rel="stylesheet" href="/playground/app.css">
<script src="/playground/app.js" defer></script>
</head>
<body data-as="${e(v.user.id)}" data-conversation="${e(v.conversation.id)}" data-lang="${v.lang}" data-failed="${e(s.failed)}" data-offline="${e(s.offline)}" data-slash-only="${e(s.slashOnly)}">
<header class="topbar">
<a class="brand" href="${e(href({ as: v.user.id, conversation: v.conversation.id, lang: v.lang }))}"><span class="logo" aria-hidden="true">K</span> Klik <span class="tagline">${e(s.tagline)}</span></a>
<form class="as-form" method="get" action="/">
<label for="as-select">${e(s.youAre)}</label>
<select id="as-select" name="as">${people}</select>
<input type="hidden" name="conversation" value="${e(v.conversation.id)}">
<input type="hidden" name="lang" value="${v.lang}">
<noscript><button type="submit" class="btn btn-small">${e(s.switchUser)}</button></noscript>
</form>
<nav class="langs" aria-label="${e(s.language)}">${langLink('nl', 'NL')} ${langLink('en', 'EN')}</nav>
</header>
<div class="layout">
<nav id="sidebar" class="sidebar" aria-label="${e(s.conversations)}">${renderSidebar(workspace, v)}</nav>
<main class="conversation">
<div id="conversation-header" class="conv-header">${renderHeader(workspace, v)}</div>
<section id="messages" class="messages" aria-live="polite">${renderMessages(workspace, v)}</section>
<form id="composer" class="composer" autocomplete="off">
<input id="composer-input" name="text" type="text" maxlength="2000" required placeholder="${e(s.composer)}" aria-label="${e(s.composerLabel)}" enterkeyhint="send">
<button type="submit" class="btn btn-primary">${e(s.send)}</button>
</form>
<p id="status" class="status" role="status" aria-live="polite"></p>
</main>
</div>
<dialog id="form-dialog" class="form-dialog" data-form-key="${e(form.key)}">${form.html}</dialog>
</body>
</html>
`;
}

// ---------------------------------------------------------------------------------------------
// Input

const id = z.string().trim().min(1).max(200);
const commandBody = z.object({ as: id, conversation: id, text: z.string().trim().min(1).max(2000) });
const actionBody = z.object({
  as: id,
  messageId: id,
  actionId: z.string().min(1).max(255),
  value: z.string().max(2000),
});
const formBody = z.object({
  as: id,
  formId: z.string().min(1).max(255),
  state: z.string().max(3000),
  values: z
    .record(z.string().max(100), z.string().max(5000))
    .refine((v) => Object.keys(v).length <= 50, 'too many values'),
});
const cancelBody = z.object({ as: id });
const channelBody = z.object({ as: id, conversation: id, op: z.enum(['join', 'leave', 'add-klik', 'remove-klik']) });

class BadInput extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadInput';
  }
}

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new BadInput(`${where}${issue?.message ?? 'invalid input'}`.slice(0, 200));
}

// ---------------------------------------------------------------------------------------------
// Router

export function playgroundRouter(deps: PlaygroundDeps): Router {
  const { adapter, workspace } = deps;
  const router = express.Router();
  const json = express.json({ limit: '64kb', type: 'application/json' });
  const activity = () => {
    try {
      deps.onActivity?.();
    } catch {
      // A failing hook must not fail the person's request.
    }
  };

  const page = (res: Response) =>
    res
      .set(
        'Content-Security-Policy',
        "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
      )
      .set('X-Content-Type-Options', 'nosniff')
      .set('Referrer-Policy', 'no-referrer')
      .set('Cache-Control', 'no-store');

  router.get('/', (req, res) => {
    const view = resolveView(workspace, req.query);
    page(res).type('html');
    if (!view) {
      res.send('<!doctype html><meta charset="utf-8"><title>Klik</title><p>No people in this workspace yet.</p>');
      return;
    }
    res.send(renderPage(workspace, view));
  });

  router.get('/playground/view', (req, res) => {
    const view = resolveView(workspace, req.query);
    page(res).type('html');
    if (!view) {
      res.status(404).send('');
      return;
    }
    res.send(renderParts(workspace, view));
  });

  router.get('/playground/app.css', (_req, res) => {
    res.type('css').set('Cache-Control', 'no-cache').send(APP_CSS);
  });

  router.get('/playground/app.js', (_req, res) => {
    res.type('js').set('Cache-Control', 'no-cache').send(APP_JS);
  });

  router.get('/playground/events', (req, res) => {
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.write(`retry: 2000\nevent: hello\ndata: ${workspace.version}\n\n`);
    const onChange = (version: number) => {
      res.write(`event: change\ndata: ${version}\n\n`);
    };
    workspace.events.on('change', onChange);
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), 25_000);
    heartbeat.unref();
    let closed = false;
    const cleanup = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      workspace.events.off('change', onChange);
    };
    req.on('close', cleanup);
    res.on('close', cleanup);
    res.on('error', cleanup);
  });

  router.post('/playground/command', json, async (req, res) => {
    const body = parseBody(commandBody, req.body);
    const text = body.text;
    if (text.startsWith('/') && !/^\/klik(\s|$)/i.test(text)) throw new BadInput('only /klik commands work here');
    const reply = await adapter.command(
      body.as,
      body.conversation === `D-${body.as}` ? workspace.dmFor(body.as).id : body.conversation,
      text,
    );
    activity();
    res.json({ ok: true, reply: { kind: reply.kind } });
  });

  router.post('/playground/action', json, async (req, res) => {
    const body = parseBody(actionBody, req.body);
    const reply = await adapter.click(body.as, body.messageId, body.actionId, body.value);
    activity();
    res.json({ ok: true, reply: { kind: reply.kind } });
  });

  router.post('/playground/form', json, async (req, res) => {
    const body = parseBody(formBody, req.body);
    const reply = await adapter.submit(body.as, body.formId, body.state, body.values);
    activity();
    res.json({ ok: true, reply: { kind: reply.kind } });
  });

  router.post('/playground/form/cancel', json, (req, res) => {
    const body = parseBody(cancelBody, req.body);
    adapter.cancelForm(body.as);
    res.json({ ok: true });
  });

  router.post('/playground/channel', json, async (req, res) => {
    const body = parseBody(channelBody, req.body);
    const user = workspace.getUser(body.as);
    const channel = workspace.getConversation(body.conversation);
    if (!user || user.isBot) throw new BadInput('unknown user');
    if (channel?.kind !== 'channel') throw new BadInput('unknown channel');
    if (body.op === 'join') workspace.join(channel.id, user.id);
    else if (body.op === 'leave') workspace.leave(channel.id, user.id);
    else workspace.setBotInChannel(channel.id, body.op === 'add-klik');
    await adapter.idle();
    activity();
    res.json({ ok: true });
  });

  // Errors of this router: short JSON for the script, never a stack trace.
  router.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!req.path.startsWith('/playground/')) {
      next(err);
      return;
    }
    if (res.headersSent) return;
    if (err instanceof BadInput || err instanceof LocalWorkspaceError) {
      res.status(400).json({ error: err.message });
      return;
    }
    const status = (err as { status?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const type = (err as { type?: unknown }).type;
      res.status(status).json({
        error:
          type === 'entity.parse.failed'
            ? 'invalid JSON'
            : type === 'entity.too.large'
              ? 'body too large'
              : 'bad request',
      });
      return;
    }
    res.status(500).json({ error: 'something went wrong' });
  });

  return router;
}

// ---------------------------------------------------------------------------------------------
// Client script (plain ES2017, no build step). It never builds HTML from strings: the server
// renders (and escapes) every part.

const APP_JS = `'use strict';
(function () {
  var body = document.body;
  var me = { as: body.dataset.as, conversation: body.dataset.conversation, lang: body.dataset.lang };
  var statusEl = document.getElementById('status');
  var messagesEl = document.getElementById('messages');
  var dialog = document.getElementById('form-dialog');
  var composer = document.getElementById('composer');
  var input = document.getElementById('composer-input');

  function qs() {
    return 'as=' + encodeURIComponent(me.as) + '&conversation=' + encodeURIComponent(me.conversation) + '&lang=' + encodeURIComponent(me.lang);
  }
  function setStatus(text, isError) {
    statusEl.textContent = text || '';
    statusEl.classList.toggle('status-error', !!isError);
  }
  function nearBottom() {
    return messagesEl.scrollHeight - messagesEl.scrollTop - messagesEl.clientHeight < 80;
  }
  function toBottom() { messagesEl.scrollTop = messagesEl.scrollHeight; }

  async function post(path, payload) {
    var res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    var data = {};
    try { data = await res.json(); } catch (err) { data = {}; }
    if (!res.ok) throw new Error((data && data.error) || String(res.status));
    return data;
  }

  function syncDialog() {
    var hasForm = !!dialog.querySelector('form.klik-form');
    if (hasForm && !dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal(); else dialog.setAttribute('open', '');
      var first = dialog.querySelector('input, textarea, select');
      if (first) first.focus();
    } else if (!hasForm && dialog.open) {
      dialog.close();
    }
  }

  function apply(html) {
    var doc = new DOMParser().parseFromString(html, 'text/html');
    var stick = nearBottom();
    var parts = doc.querySelectorAll('[data-part]');
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i];
      var name = part.getAttribute('data-part');
      if (name === 'sidebar') document.getElementById('sidebar').innerHTML = part.innerHTML;
      else if (name === 'header') document.getElementById('conversation-header').innerHTML = part.innerHTML;
      else if (name === 'messages') {
        messagesEl.innerHTML = part.innerHTML;
        if (stick) toBottom();
      } else if (name === 'form') {
        var key = part.getAttribute('data-form-key') || '';
        // Only a different form (or new errors) replaces the dialog: typing is never lost.
        if (key !== (dialog.getAttribute('data-form-key') || '')) {
          dialog.setAttribute('data-form-key', key);
          dialog.innerHTML = part.innerHTML;
        }
        syncDialog();
      }
    }
  }

  var refreshing = false;
  var again = false;
  async function refresh() {
    if (refreshing) { again = true; return; }
    refreshing = true;
    try {
      do {
        again = false;
        var res = await fetch('/playground/view?' + qs(), { headers: { accept: 'text/html' } });
        if (res.ok) apply(await res.text());
      } while (again);
    } catch (err) {
      setStatus(body.dataset.offline, true);
    } finally {
      refreshing = false;
    }
  }

  composer.addEventListener('submit', async function (ev) {
    ev.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    if (text.charAt(0) === '/' && !/^\\/klik(\\s|$)/i.test(text)) { setStatus(body.dataset.slashOnly, true); return; }
    input.disabled = true;
    setStatus('');
    try {
      await post('/playground/command', { as: me.as, conversation: me.conversation, text: text });
      input.value = '';
      await refresh();
      toBottom();
    } catch (err) {
      setStatus(body.dataset.failed + ': ' + err.message, true);
    } finally {
      input.disabled = false;
      input.focus();
    }
  });

  document.addEventListener('click', async function (ev) {
    var target = ev.target instanceof Element ? ev.target : null;
    if (!target) return;
    var op = target.closest('[data-channel-op]');
    if (op) {
      op.disabled = true;
      try {
        await post('/playground/channel', { as: me.as, conversation: me.conversation, op: op.getAttribute('data-channel-op') });
        setStatus('');
        await refresh();
      } catch (err) {
        setStatus(body.dataset.failed + ': ' + err.message, true);
        op.disabled = false;
      }
      return;
    }
    var button = target.closest('button[data-action-id]');
    if (button) {
      var message = button.closest('[data-message-id]');
      if (!message) return;
      button.disabled = true;
      try {
        await post('/playground/action', {
          as: me.as,
          messageId: message.getAttribute('data-message-id'),
          actionId: button.getAttribute('data-action-id'),
          value: button.getAttribute('data-value') || ''
        });
        setStatus('');
        await refresh();
      } catch (err) {
        setStatus(body.dataset.failed + ': ' + err.message, true);
        button.disabled = false;
      }
      return;
    }
    if (target.closest('[data-form-cancel]')) {
      ev.preventDefault();
      await post('/playground/form/cancel', { as: me.as }).catch(function () {});
      await refresh();
    }
  });

  document.addEventListener('change', async function (ev) {
    var el = ev.target instanceof Element ? ev.target : null;
    if (!el) return;
    if (el.id === 'as-select') {
      var url = '/?as=' + encodeURIComponent(el.value) + '&conversation=' + encodeURIComponent(me.conversation) + '&lang=' + encodeURIComponent(me.lang);
      window.location.assign(url);
      return;
    }
    if (!el.matches('select[data-action-id], input[data-action-id]')) return;
    var message = el.closest('[data-message-id]');
    if (!message) return;
    try {
      await post('/playground/action', {
        as: me.as,
        messageId: message.getAttribute('data-message-id'),
        actionId: el.getAttribute('data-action-id'),
        value: el.value
      });
      await refresh();
    } catch (err) {
      setStatus(body.dataset.failed + ': ' + err.message, true);
    }
  });

  document.addEventListener('submit', async function (ev) {
    var form = ev.target instanceof Element ? ev.target.closest('form.klik-form') : null;
    if (!form) return;
    ev.preventDefault();
    var values = {};
    new FormData(form).forEach(function (v, k) { values[k] = typeof v === 'string' ? v : ''; });
    try {
      await post('/playground/form', { as: me.as, formId: form.getAttribute('data-form-id'), state: form.getAttribute('data-state') || '', values: values });
      await refresh();
    } catch (err) {
      setStatus(body.dataset.failed + ': ' + err.message, true);
    }
  });

  dialog.addEventListener('cancel', function (ev) {
    ev.preventDefault();
    post('/playground/form/cancel', { as: me.as }).catch(function () {}).then(refresh);
  });

  var events = new EventSource('/playground/events');
  events.addEventListener('change', function () { refresh(); });
  events.addEventListener('hello', function () { setStatus(''); refresh(); });
  events.onerror = function () { setStatus(body.dataset.offline, false); };

  syncDialog();
  toBottom();
  var current = document.querySelector('#sidebar [aria-current="page"]');
  if (current && current.scrollIntoView) current.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  body.setAttribute('data-ready', 'true');
  input.focus();
})();
`;

// ---------------------------------------------------------------------------------------------
// Styles: calm, readable, mobile first.

const APP_CSS = `:root {
  --bg: #f6f4ef;
  --panel: #ffffff;
  --ink: #22303a;
  --muted: #5f6b73;
  --line: #e2ddd3;
  --side: #2f4a4f;
  --side-ink: #e8efee;
  --side-muted: #a9bcbb;
  --accent: #2f7a6d;
  --accent-ink: #ffffff;
  --accent-soft: #e3f1ee;
  --warn-soft: #fbefd9;
  --warn-ink: #7a5412;
  --danger: #a3423b;
  --ephemeral: #f1f5fb;
  --radius: 10px;
  color-scheme: light;
}
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body {
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink);
  background: var(--bg);
  display: flex;
  flex-direction: column;
}
a { color: var(--accent); }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.topbar {
  display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem;
  padding: .6rem 1rem; background: var(--panel); border-bottom: 1px solid var(--line);
}
.brand { display: flex; align-items: center; gap: .4rem; font-weight: 700; font-size: 1.1rem; color: var(--ink); text-decoration: none; }
.tagline { font-weight: 400; color: var(--muted); }
.logo, .avatar {
  display: inline-grid; place-items: center; width: 1.8rem; height: 1.8rem; flex: none;
  border-radius: 8px; background: var(--accent); color: var(--accent-ink); font-weight: 700; font-size: .9rem;
}
.as-form { display: flex; align-items: center; gap: .4rem; margin-left: auto; }
.as-form label { white-space: nowrap; }
.as-form select { font: inherit; padding: .3rem .4rem; border: 1px solid var(--line); border-radius: 6px; background: var(--panel); max-width: 16rem; }
.langs a { text-decoration: none; padding: .15rem .35rem; border-radius: 5px; color: var(--muted); }
.langs a[aria-current] { background: var(--accent-soft); color: var(--ink); font-weight: 600; }
.layout { flex: 1; display: grid; grid-template-columns: 16rem 1fr; min-height: 0; }
.sidebar { background: var(--side); color: var(--side-ink); padding: .8rem .6rem; overflow-y: auto; }
.side-title { font-size: .78rem; letter-spacing: .06em; text-transform: uppercase; color: var(--side-muted); margin: .8rem .5rem .3rem; }
.conv-list { list-style: none; margin: 0; padding: 0; }
.conv-link { display: flex; align-items: center; gap: .35rem; padding: .3rem .5rem; border-radius: 6px; color: var(--side-ink); text-decoration: none; }
.conv-link:hover { background: rgba(255,255,255,.08); }
.conv-link[aria-current="page"] { background: rgba(255,255,255,.18); font-weight: 600; }
.conv-link-outside { color: var(--side-muted); }
.conv-link .avatar { width: 1.3rem; height: 1.3rem; font-size: .7rem; border-radius: 5px; }
.hash { opacity: .7; }
.badge { margin-left: auto; font-size: .75rem; background: rgba(255,255,255,.2); border-radius: 999px; padding: 0 .45rem; }
.badge-muted { background: transparent; border: 1px solid var(--side-muted); color: var(--side-muted); }
.app-badge { font-size: .68rem; text-transform: uppercase; letter-spacing: .04em; background: var(--accent-soft); color: var(--accent); border-radius: 4px; padding: 0 .3rem; }
.side-note { font-size: .8rem; color: var(--side-muted); margin: 1.2rem .5rem 0; }
.conversation { display: flex; flex-direction: column; min-height: 0; min-width: 0; background: var(--panel); }
.conv-header { display: flex; flex-wrap: wrap; align-items: center; gap: .3rem 1rem; padding: .7rem 1rem; border-bottom: 1px solid var(--line); }
.conv-title { font-size: 1.15rem; margin: 0; }
.conv-meta { margin: 0; color: var(--muted); font-size: .9rem; display: flex; gap: .6rem; align-items: center; flex-wrap: wrap; }
.conv-ops { display: flex; gap: .4rem; margin-left: auto; }
.conv-warning { flex-basis: 100%; margin: 0; color: var(--warn-ink); font-size: .9rem; }
.pill { border-radius: 999px; padding: .05rem .55rem; font-size: .8rem; }
.pill-ok { background: var(--accent-soft); color: var(--accent); }
.pill-warn { background: var(--warn-soft); color: var(--warn-ink); }
.messages { flex: 1; overflow-y: auto; padding: 1rem; display: flex; flex-direction: column; gap: .9rem; }
.empty { color: var(--muted); margin: auto; text-align: center; max-width: 26rem; }
.msg { display: flex; gap: .6rem; align-items: flex-start; }
.msg-body { min-width: 0; flex: 1; }
.msg-meta { display: flex; flex-wrap: wrap; align-items: baseline; gap: .4rem; font-size: .85rem; color: var(--muted); }
.msg-author { color: var(--ink); font-size: 1rem; }
.edited { font-size: .8rem; }
.msg-ephemeral .msg-body { background: var(--ephemeral); border-left: 3px solid #8aa6c8; border-radius: 0 var(--radius) var(--radius) 0; padding: .4rem .7rem; }
.only-you { font-size: .78rem; color: #41618a; background: #dde7f4; border-radius: 4px; padding: 0 .35rem; }
.typed { margin: .2rem 0; color: var(--muted); font-size: .9rem; }
.klik-message { overflow-wrap: anywhere; }
.klik-header { font-size: 1.05rem; margin: .2rem 0 .3rem; }
.klik-section { display: flex; gap: .6rem; align-items: flex-start; flex-wrap: wrap; }
.klik-text { margin: .2rem 0; flex: 1 1 16rem; }
.klik-context { margin: .25rem 0; color: var(--muted); font-size: .88rem; }
.klik-fields { display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); gap: .4rem 1rem; margin: .4rem 0; }
.klik-field dt { font-weight: 600; font-size: .88rem; }
.klik-field dd { margin: 0; }
.klik-divider { border: 0; border-top: 1px solid var(--line); margin: .6rem 0; }
.klik-actions { display: flex; flex-wrap: wrap; gap: .4rem; margin: .5rem 0 .2rem; }
.mention { background: var(--accent-soft); color: var(--accent); border-radius: 4px; padding: 0 .2rem; }
.btn {
  font: inherit; font-size: .95rem; cursor: pointer; border-radius: 7px; padding: .4rem .85rem;
  border: 1px solid var(--line); background: var(--panel); color: var(--ink); text-decoration: none; display: inline-block;
}
.btn:hover { border-color: #c8c0b2; }
.btn:focus-visible, .conv-link:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible { outline: 3px solid #9cc9bf; outline-offset: 1px; }
.btn:disabled { opacity: .6; cursor: progress; }
.btn-primary { background: var(--accent); border-color: var(--accent); color: var(--accent-ink); }
.btn-primary:hover { background: #276a5e; }
.btn-danger { background: var(--danger); border-color: var(--danger); color: #fff; }
.btn-small { font-size: .85rem; padding: .2rem .6rem; }
.klik-select, .klik-date, .klik-input { font: inherit; padding: .35rem .5rem; border: 1px solid var(--line); border-radius: 7px; background: var(--panel); color: var(--ink); }
.composer { display: flex; gap: .5rem; padding: .7rem 1rem; border-top: 1px solid var(--line); background: var(--panel); }
.composer input { flex: 1; min-width: 0; font: inherit; padding: .6rem .8rem; border: 1px solid #cfc8bb; border-radius: var(--radius); }
.status { margin: 0; padding: 0 1rem .5rem; min-height: 1.2rem; font-size: .88rem; color: var(--muted); background: var(--panel); }
.status-error { color: var(--danger); }
.form-dialog { border: 0; border-radius: 14px; padding: 0; width: min(34rem, calc(100vw - 1.5rem)); max-height: calc(100vh - 2rem); box-shadow: 0 20px 60px rgba(20,30,35,.25); }
.form-dialog::backdrop { background: rgba(34,48,58,.45); }
.form-errors { margin: 1rem 1.2rem 0; padding: .6rem .8rem; background: #fbe9e7; color: #6d2620; border-radius: 8px; }
.form-errors p, .form-errors ul { margin: 0; }
.klik-form { display: flex; flex-direction: column; gap: .8rem; padding: 1.2rem; }
.klik-form-title { margin: 0; font-size: 1.2rem; }
.klik-form-intro { margin: 0; color: var(--muted); }
.klik-form-field { display: flex; flex-direction: column; gap: .25rem; }
.klik-label { font-weight: 600; }
.klik-optional { font-weight: 400; color: var(--muted); }
.klik-form-buttons { display: flex; gap: .5rem; justify-content: flex-end; }
@media (max-width: 720px) {
  body { font-size: 15px; }
  .layout { grid-template-columns: 1fr; grid-template-rows: auto 1fr; }
  .sidebar { padding: .4rem .5rem; display: flex; gap: .3rem; overflow-x: auto; overflow-y: hidden; white-space: nowrap; }
  .side-title, .side-note { display: none; }
  .conv-list { display: flex; gap: .2rem; }
  .as-form { margin-left: 0; width: 100%; }
  .as-form select { flex: 1; max-width: none; }
  .conv-ops { margin-left: 0; }
  .messages { padding: .7rem; }
}
@media (prefers-reduced-motion: no-preference) {
  .btn, .conv-link { transition: background-color .15s ease, border-color .15s ease; }
}
`;
