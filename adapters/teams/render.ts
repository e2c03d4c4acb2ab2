/**
 * Renders the neutral message model (src/messages/model.ts) to Adaptive Cards 1.4 for Microsoft
 * Teams, and parses what a card's Action.Submit sends back.
 *
 * Pure functions, no I/O. Card buttons post `activity.value` = the button's `data` merged with the
 * card's input values (each input's id becomes a key). Klik tags its data with `klik: 'action'` or
 * `klik: 'form'` so `readTeamsSubmit` can tell its own submissions from anything else.
 */

import { cleanMarkup, httpUrl, MARKUP_TOKEN_RE, PH_CLOSE, PH_OPEN, PH_RE } from '../../src/messages/markup.js';
import {
  type Block,
  type Button,
  type DateInput,
  type Form,
  type FormField,
  type Interactive,
  type Message,
  plainText,
  type Select,
} from '../../src/messages/model.js';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive' as const;
const SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
const VERSION = '1.4';

/**
 * Byte budget for the attachment's JSON. Teams refuses messages over about 28 KB, and that counts the
 * whole activity (ids, conversation, service URL), so the card keeps 2 KB of headroom.
 */
export const TEAMS_MAX_CARD_BYTES = 26 * 1024;
/** Teams shows at most six actions per ActionSet (more are hidden on desktop). */
export const TEAMS_MAX_ACTIONS_PER_SET = 6;
/** Same cap as Slack's private_metadata, so a form's state behaves alike on every platform. */
export const TEAMS_MAX_STATE = 3000;
/** Prefix of a form input's id: keeps field ids apart from the keys of the submit data. */
export const TEAMS_FIELD_PREFIX = 'field.';

export interface TeamsAttachment {
  contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
  content: AdaptiveCard;
}

/** The parts of the Adaptive Card schema Klik uses (plain JSON). */
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: CardElement[];
}
export type CardElement = Record<string, unknown> & { type: string };

export interface TeamsRenderOptions {
  /** Text of the TextBlock that ends a card trimmed to fit 28 KB. Default "…". */
  moreNotice?: string;
  /** Title of the button that submits a select or date in a message. Default "OK". */
  submitLabel?: string;
}

export type TeamsSubmit =
  | { kind: 'action'; actionId: string; value: string }
  | { kind: 'form'; formId: string; state: string; values: Record<string, string> };

// ---------------------------------------------------------------------------------------------
// Markup → Adaptive Card markdown
// ---------------------------------------------------------------------------------------------

/** Characters that would end a markdown link label or destination early. */
const mdLabel = (s: string): string => s.replace(/[[\]]/g, (c) => (c === '[' ? '(' : ')'));
const mdUrl = (s: string): string =>
  s.replace(/[()\s<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

/**
 * Neutral markup → the Commonmark subset of Adaptive Cards: `*bold*` → `**bold**`, `_italic_` stays,
 * http(s) links stay `[label](url)` (others become "label (url)" text), mentions → `**Name**`, and
 * line breaks become paragraph breaks (Teams drops a single "\n" on some clients).
 */
export function toCardMarkdown(markup: string): string {
  const src = cleanMarkup(markup);
  const tokens: string[] = [];
  const withPlaceholders = src.replace(
    MARKUP_TOKEN_RE,
    (_all, label?: string, rawUrl?: string, id?: string, name?: string) => {
      let out: string;
      if (label !== undefined && rawUrl !== undefined) {
        const url = httpUrl(rawUrl);
        out = url ? `[${mdLabel(label)}](${mdUrl(url)})` : `${label} (${rawUrl})`;
      } else {
        const who = (name ?? '').replace(/\*/g, '').trim() || id || '';
        out = `**${who}**`;
      }
      tokens.push(out);
      return `${PH_OPEN}${tokens.length - 1}${PH_CLOSE}`;
    },
  );
  return (
    withPlaceholders
      .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,!?:;])/gm, '$1**$2**')
      // Adaptive Cards have no inline code: a command reads best in bold.
      .replace(/`([^`\n]+)`/g, '**$1**')
      .replace(/\n+/g, '\n\n')
      .replace(PH_RE, (_m, i: string) => tokens[Number(i)] ?? '')
  );
}

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

const textBlock = (text: string, extra: Record<string, unknown> = {}): CardElement => ({
  type: 'TextBlock',
  text,
  wrap: true,
  ...extra,
});

class InputIds {
  private n = 0;
  next(): string {
    this.n += 1;
    return `klik.input.${this.n}`;
  }
}

function buttonAction(b: Button): Record<string, unknown> {
  const url = b.url ? httpUrl(b.url) : null;
  const action: Record<string, unknown> = url
    ? { type: 'Action.OpenUrl', title: b.label, url }
    : { type: 'Action.Submit', title: b.label, data: { klik: 'action', actionId: b.actionId, value: b.value } };
  if (b.style === 'primary') action.style = 'positive';
  if (b.style === 'danger') action.style = 'destructive';
  return action;
}

function actionSets(actions: Record<string, unknown>[]): CardElement[] {
  const sets: CardElement[] = [];
  for (let i = 0; i < actions.length; i += TEAMS_MAX_ACTIONS_PER_SET) {
    sets.push({ type: 'ActionSet', actions: actions.slice(i, i + TEAMS_MAX_ACTIONS_PER_SET) });
  }
  return sets;
}

/** An input plus the ActionSet whose button submits it (the data names the input to read). */
function inputWithSubmit(e: Select | DateInput, ids: InputIds, submitLabel: string): CardElement[] {
  const id = ids.next();
  let input: CardElement;
  if (e.type === 'select') {
    input = {
      type: 'Input.ChoiceSet',
      id,
      style: 'compact',
      placeholder: e.placeholder,
      choices: e.options.map((o) => ({ title: o.label, value: o.value })),
    };
    if (e.initial !== undefined && e.options.some((o) => o.value === e.initial)) input.value = e.initial;
  } else {
    input = { type: 'Input.Date', id, placeholder: e.placeholder };
    if (e.initial && ISO_DATE_RE.test(e.initial)) input.value = e.initial;
  }
  const submit = {
    type: 'Action.Submit',
    title: submitLabel,
    data: { klik: 'action', actionId: e.actionId, value: '', input: id },
  };
  return [input, { type: 'ActionSet', actions: [submit] }];
}

function renderInteractives(elements: Interactive[], ids: InputIds, submitLabel: string): CardElement[] {
  const out: CardElement[] = [];
  let buttons: Record<string, unknown>[] = [];
  const flush = () => {
    out.push(...actionSets(buttons));
    buttons = [];
  };
  for (const e of elements) {
    if (e.type === 'button') buttons.push(buttonAction(e));
    else if (e.type === 'select' || e.type === 'date') {
      flush();
      if (e.type === 'select' && e.options.length === 0) continue;
      out.push(...inputWithSubmit(e, ids, submitLabel));
    }
  }
  flush();
  return out;
}

/** One neutral block → card elements; `null` for a divider (it marks the next element instead). */
function renderBlock(b: Block, ids: InputIds, submitLabel: string): CardElement[] | null {
  switch (b.type) {
    case 'header': {
      const text = plainText(cleanMarkup(b.text))
        .replace(/\s*\n\s*/g, ' ')
        .trim();
      return text ? [textBlock(text, { size: 'Medium', weight: 'Bolder' })] : [];
    }
    case 'section': {
      const out: CardElement[] = [];
      const text = toCardMarkdown(b.text).trim();
      if (text) out.push(textBlock(text));
      if (b.accessory) out.push(...renderInteractives([b.accessory], ids, submitLabel));
      return out;
    }
    case 'fields': {
      const facts = b.fields
        .map((f) => ({ title: plainText(cleanMarkup(f.label)).trim(), value: toCardMarkdown(f.value).trim() }))
        .filter((f) => f.title || f.value);
      return facts.length > 0 ? [{ type: 'FactSet', facts }] : [];
    }
    case 'context': {
      const text = toCardMarkdown(b.text).trim();
      return text ? [textBlock(text, { isSubtle: true, size: 'Small' })] : [];
    }
    case 'divider':
      return null;
    case 'actions':
      return renderInteractives(b.elements, ids, submitLabel);
    default:
      return [];
  }
}

const attachment = (body: CardElement[]): TeamsAttachment => ({
  contentType: ADAPTIVE_CARD_CONTENT_TYPE,
  content: { type: 'AdaptiveCard', $schema: SCHEMA, version: VERSION, body },
});

/** Size of an attachment as Teams counts it: UTF-8 bytes of its JSON. */
export function cardBytes(a: unknown): number {
  return Buffer.byteLength(JSON.stringify(a), 'utf8');
}

/** Keeps whole groups (one per neutral block) while the card fits; cuts a text group that does not. */
function fitGroups(groups: CardElement[][], notice: string): CardElement[] {
  const all = groups.flat();
  if (cardBytes(attachment(all)) <= TEAMS_MAX_CARD_BYTES) return all;
  const noticeBlock = textBlock(notice, { isSubtle: true, size: 'Small' });
  const fits = (body: CardElement[]) => cardBytes(attachment([...body, noticeBlock])) <= TEAMS_MAX_CARD_BYTES;
  // Largest prefix of whole groups that fits with the notice (binary search: size grows with k).
  let lo = 0;
  let hi = groups.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(groups.slice(0, mid).flat())) lo = mid;
    else hi = mid - 1;
  }
  const kept = groups.slice(0, lo).flat();
  const next = groups[lo];
  const first = next?.[0];
  if (first && first.type === 'TextBlock' && typeof first.text === 'string') {
    // Cut the next text at a line or word boundary, as long a piece as fits.
    const chars = Array.from(first.text);
    let a = 0;
    let b = chars.length;
    const cut = (n: number) => {
      let t = chars.slice(0, n).join('');
      const ws = t.search(/\s\S*$/);
      if (ws > t.length / 2) t = t.slice(0, ws);
      return `${t.trimEnd()}…`;
    };
    while (a < b) {
      const mid = Math.ceil((a + b) / 2);
      if (fits([...kept, { ...first, text: cut(mid) }])) a = mid;
      else b = mid - 1;
    }
    if (a > 0) kept.push({ ...first, text: cut(a) });
  }
  return [...kept, noticeBlock];
}

/**
 * An Adaptive Card 1.4 attachment for a message. Buttons are Action.Submit with
 * `data: { klik: 'action', actionId, value }` (url buttons: Action.OpenUrl); a select or date is an
 * input followed by a button whose data names the input (`input`); read clicks with `readTeamsSubmit`.
 * The attachment's JSON stays within TEAMS_MAX_CARD_BYTES: trailing blocks give way to "…".
 */
export function renderAdaptiveCard(m: Message, opts: TeamsRenderOptions = {}): TeamsAttachment {
  const ids = new InputIds();
  const submitLabel = opts.submitLabel ?? 'OK';
  const groups: CardElement[][] = [];
  let separator = false;
  for (const b of m.blocks) {
    const els = renderBlock(b, ids, submitLabel);
    if (els === null) {
      separator = groups.length > 0;
      continue;
    }
    if (els.length === 0) continue;
    if (separator) {
      els[0] = { ...(els[0] as CardElement), separator: true };
      separator = false;
    }
    groups.push(els);
  }
  if (groups.length === 0) {
    const text = toCardMarkdown(m.text).trim();
    if (text) groups.push([textBlock(text)]);
  }
  return attachment(fitGroups(groups, opts.moreNotice ?? '…'));
}

// ---------------------------------------------------------------------------------------------
// Forms
// ---------------------------------------------------------------------------------------------

function renderField(f: FormField): CardElement | null {
  const base = { id: `${TEAMS_FIELD_PREFIX}${f.id}`, label: f.label, isRequired: !f.optional };
  switch (f.type) {
    case 'text': {
      const el: CardElement = { type: 'Input.Text', ...base, isMultiline: f.multiline ?? false };
      if (f.maxLength !== undefined && f.maxLength > 0) el.maxLength = Math.floor(f.maxLength);
      if (f.initial) el.value = f.initial;
      if (f.placeholder) el.placeholder = f.placeholder;
      return el;
    }
    case 'select': {
      if (f.options.length === 0) return null;
      const el: CardElement = {
        type: 'Input.ChoiceSet',
        ...base,
        style: 'compact',
        choices: f.options.map((o) => ({ title: o.label, value: o.value })),
      };
      if (f.initial !== undefined && f.options.some((o) => o.value === f.initial)) el.value = f.initial;
      return el;
    }
    case 'date': {
      const el: CardElement = { type: 'Input.Date', ...base };
      if (f.initial && ISO_DATE_RE.test(f.initial)) el.value = f.initial;
      return el;
    }
    default:
      return null;
  }
}

/**
 * A form as an Adaptive Card: title, intro, one input per field (id = "field." + field id) and an
 * Action.Submit with `data: { klik: 'form', formId, state }`. Teams has no cancel for a card in a
 * conversation, so `cancelLabel` is not shown. Throws a RangeError when the state is longer than
 * 3,000 characters (the same cap as Slack).
 */
export function renderTeamsForm(f: Form): TeamsAttachment {
  if (f.state.length > TEAMS_MAX_STATE) {
    throw new RangeError(`Form ${f.formId}: state is ${f.state.length} chars, Klik allows 3,000`);
  }
  const body: CardElement[] = [];
  const title = plainText(cleanMarkup(f.title)).trim();
  if (title) body.push(textBlock(title, { size: 'Medium', weight: 'Bolder' }));
  const intro = f.intro ? toCardMarkdown(f.intro).trim() : '';
  if (intro) body.push(textBlock(intro));
  const seen = new Set<string>();
  for (const field of f.fields) {
    if (seen.has(field.id)) continue;
    seen.add(field.id);
    const el = renderField(field);
    if (el) body.push(el);
  }
  body.push({
    type: 'ActionSet',
    actions: [
      {
        type: 'Action.Submit',
        title: f.submitLabel,
        style: 'positive',
        data: { klik: 'form', formId: f.formId, state: f.state },
      },
    ],
  });
  return attachment(body);
}

// ---------------------------------------------------------------------------------------------
// Parsing Action.Submit
// ---------------------------------------------------------------------------------------------

const MAX_ID = 255;
const MAX_VALUE = 10_000;
const MAX_FIELDS = 100;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_ID;

/** Own enumerable data property only: never runs a getter, never reads the prototype chain. */
function own(obj: Record<string, unknown>, key: string): unknown {
  const d = Object.getOwnPropertyDescriptor(obj, key);
  return d && 'value' in d ? d.value : undefined;
}

function parse(v: unknown): TeamsSubmit | null {
  if (!isRecord(v)) return null;
  const kind = own(v, 'klik');
  if (kind === 'action') {
    const actionId = own(v, 'actionId');
    if (!isId(actionId)) return null;
    const input = own(v, 'input');
    let value: unknown;
    if (input !== undefined) {
      if (!isId(input) || FORBIDDEN_KEYS.has(input)) return null;
      value = own(v, input) ?? '';
    } else {
      value = own(v, 'value') ?? '';
    }
    if (typeof value !== 'string' || value.length > MAX_VALUE) return null;
    return { kind: 'action', actionId, value };
  }
  if (kind === 'form') {
    const formId = own(v, 'formId');
    const state = own(v, 'state') ?? '';
    if (!isId(formId) || typeof state !== 'string' || state.length > TEAMS_MAX_STATE) return null;
    const values: Record<string, string> = {};
    let count = 0;
    for (const key of Object.keys(v)) {
      if (!key.startsWith(TEAMS_FIELD_PREFIX)) continue;
      const id = key.slice(TEAMS_FIELD_PREFIX.length);
      const value = own(v, key);
      if (!isId(id) || FORBIDDEN_KEYS.has(id)) continue;
      if (typeof value !== 'string' || value.length > MAX_VALUE) return null;
      if (++count > MAX_FIELDS) return null;
      values[id] = value;
    }
    return { kind: 'form', formId, state, values };
  }
  return null;
}

/**
 * Reads an Action.Submit's `activity.value` (untrusted). Returns null for anything that is not a
 * well-formed Klik submission: other bots' cards, wrong types, oversized strings, hostile objects.
 * Form fields come back without their "field." prefix; an input Teams did not send is absent.
 */
export function readTeamsSubmit(value: unknown): TeamsSubmit | null {
  try {
    return parse(value);
  } catch {
    return null; // a Proxy or exotic object that throws on inspection
  }
}
