/**
 * Renders the neutral message model (src/messages/model.ts) to Slack Block Kit.
 *
 * Pure functions, no I/O. Every payload stays inside Slack's documented limits: oversized input is
 * split or trimmed, never sent as an invalid payload. Text from members is escaped (`&`, `<`, `>`)
 * so it can never become a Slack control sequence (`<!channel>`, a link, a mention); only the
 * mention and link tokens of the neutral markup become Slack tokens.
 */
import type {
  ActionsBlockElement,
  Datepicker,
  InputBlock,
  KnownBlock,
  ModalView,
  PlainTextElement,
  PlainTextInput,
  PlainTextOption,
  Button as SlackButton,
  SectionBlock as SlackSectionBlock,
  StaticSelect,
} from '@slack/types';
import { cleanMarkup, httpUrl, MARKUP_TOKEN_RE } from '../../src/messages/markup.js';
import {
  type Block,
  type Button,
  type DateInput,
  deepFreeze,
  type Form,
  type FormField,
  type Interactive,
  type Message,
  plainText,
  type Select,
  type SelectOption,
} from '../../src/messages/model.js';

/** Slack's limits (https://docs.slack.dev/reference/block-kit). */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  contextText: 3000,
  headerText: 150,
  elementsPerActions: 25,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  optionsPerSelect: 100,
  optionText: 75,
  optionValue: 150,
  placeholder: 150,
  fallbackText: 4000,
  viewTitle: 24,
  viewButton: 24,
  privateMetadata: 3000,
  inputLabel: 2000,
  inputMaxLength: 3000,
} as const;

export interface SlackRenderOptions {
  /** Text of the context block that ends a message trimmed to 50 blocks. Default "…". */
  moreNotice?: string;
}

/** Separates an actionId from the counter that makes it unique within one message. */
const SUFFIX = '::';
const SUFFIX_RE = /::\d+$/;

/**
 * The core's actionId for a Slack `action_id`: strips the `::n` suffix that `renderSlackMessage`
 * adds when one message holds the same actionId more than once.
 */
export function parseSlackActionId(id: string): string {
  return id.replace(SUFFIX_RE, '');
}

// ---------------------------------------------------------------------------------------------
// Markup → mrkdwn
// ---------------------------------------------------------------------------------------------

const SLACK_USER_ID_RE = /^[UW][A-Z0-9]{2,}$/;
/** Longer tokens degrade to plain text so every atom fits any Slack text limit. */
const MAX_TOKEN_LENGTH = 1000;

interface Atom {
  s: string;
  /** A place where text may break: a line break or a space. */
  ws?: 'nl' | 'sp';
}

const escapeMrkdwn = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A line break, a space, or a run of up to 32 other characters (whole code points): long words
 * can still be cut, and a long text makes a few hundred atoms rather than one per character.
 */
const TEXT_PIECE_RE = /(\n)|([ \t])|[^\n \t]{1,32}/gu;

function pushText(atoms: Atom[], text: string): void {
  for (const m of text.matchAll(TEXT_PIECE_RE)) {
    if (m[1]) atoms.push({ s: '\n', ws: 'nl' });
    else if (m[2]) atoms.push({ s: ' ', ws: 'sp' });
    else atoms.push({ s: escapeMrkdwn(m[0]) });
  }
}

/** Converts neutral markup to mrkdwn, as indivisible pieces (so splitting never breaks a token). */
function mrkdwnAtoms(markup: string): Atom[] {
  const src = cleanMarkup(markup);
  const atoms: Atom[] = [];
  let last = 0;
  for (const m of src.matchAll(MARKUP_TOKEN_RE)) {
    const index = m.index ?? 0;
    pushText(atoms, src.slice(last, index));
    last = index + m[0].length;
    if (m[1] !== undefined && m[2] !== undefined) {
      const label = m[1];
      const url = httpUrl(m[2]);
      const token = url ? `<${escapeMrkdwn(url).replace(/\|/g, '%7C')}|${escapeMrkdwn(label)}>` : undefined;
      if (token && token.length <= MAX_TOKEN_LENGTH) atoms.push({ s: token });
      else if (url) pushText(atoms, label);
      else pushText(atoms, `${label} (${m[2]})`);
    } else {
      const id = m[3] ?? '';
      const name = (m[4] ?? '').trim();
      if (SLACK_USER_ID_RE.test(id)) atoms.push({ s: `<@${id}>` });
      else pushText(atoms, `@${name || id}`);
    }
  }
  pushText(atoms, src.slice(last));
  return atoms;
}

const join = (atoms: Atom[], from: number, to: number): string => {
  let out = '';
  for (let i = from; i < to; i++) out += (atoms[i] as Atom).s;
  return out;
};

const atomsLength = (atoms: Atom[]): number => atoms.reduce((n, a) => n + a.s.length, 0);

/**
 * Splits atoms into chunks of at most `max` characters, preferring line breaks, then spaces.
 * Chunks are trimmed and never empty.
 */
function packAtoms(atoms: Atom[], max: number): string[] {
  const chunks: string[] = [];
  const n = atoms.length;
  let i = 0;
  while (i < n) {
    while (i < n && (atoms[i] as Atom).ws) i++;
    if (i >= n) break;
    let len = 0;
    let j = i;
    let lastNl = -1;
    let lastSp = -1;
    while (j < n && len + (atoms[j] as Atom).s.length <= max) {
      const a = atoms[j] as Atom;
      if (a.ws === 'nl') lastNl = j;
      else if (a.ws === 'sp') lastSp = j;
      len += a.s.length;
      j++;
    }
    let end: number;
    if (j >= n) end = n;
    else if (lastNl > i) end = lastNl;
    else if (lastSp > i) end = lastSp;
    else end = Math.max(j, i + 1);
    const chunk = join(atoms, i, end).trimEnd();
    if (chunk) chunks.push(chunk);
    i = end;
  }
  return chunks;
}

/** The mrkdwn of `markup`, cut at a word or line boundary to fit `max` (ending in "…" when cut). */
function truncateAtoms(atoms: Atom[], max: number): string {
  if (atomsLength(atoms) <= max) return join(atoms, 0, atoms.length).trim();
  const budget = max - 1;
  let len = 0;
  let j = 0;
  let lastWs = -1;
  while (j < atoms.length && len + (atoms[j] as Atom).s.length <= budget) {
    if ((atoms[j] as Atom).ws) lastWs = j;
    len += (atoms[j] as Atom).s.length;
    j++;
  }
  const end = lastWs > j / 2 ? lastWs : j;
  return `${join(atoms, 0, end).trimEnd()}…`;
}

/** Neutral markup → Slack mrkdwn, escaped, in one piece. */
export function toMrkdwn(markup: string): string {
  const atoms = mrkdwnAtoms(markup);
  return join(atoms, 0, atoms.length);
}

/** Cuts plain text to `max` UTF-16 units at a word boundary where possible, ending in "…". */
export function truncatePlain(text: string, max: number): string {
  const s = text.trim();
  if (s.length <= max) return s;
  const chars = Array.from(s);
  let out = '';
  for (const ch of chars) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  const sp = out.search(/\s\S*$/);
  if (sp > out.length / 2) out = out.slice(0, sp);
  return `${out.trimEnd()}…`;
}

const plain = (text: string, max: number): PlainTextElement => ({
  type: 'plain_text',
  text: truncatePlain(cleanMarkup(text).replace(/\s*\n\s*/g, ' '), max) || '…',
  emoji: true,
});

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

class ActionIds {
  private readonly used = new Set<string>();
  /** The next suffix to try per actionId (a poll repeats one actionId 60 times). */
  private readonly next = new Map<string, number>();

  /** A message-unique action_id; `parseSlackActionId` gives back the original. */
  take(actionId: string): string {
    let id = actionId;
    if (this.used.has(id) || SUFFIX_RE.test(id)) {
      let n = this.next.get(actionId) ?? 1;
      do id = `${actionId}${SUFFIX}${n++}`;
      while (this.used.has(id));
      this.next.set(actionId, n);
    }
    this.used.add(id);
    return id;
  }
}

const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isIsoDate(s: string | undefined): s is string {
  const m = s ? ISO_DATE_RE.exec(s) : null;
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

function cutValue(value: string, max: number): string {
  if (value.length <= max) return value;
  let out = '';
  for (const ch of value) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
}

function slackOptions(options: SelectOption[]): PlainTextOption[] {
  const seen = new Set<string>();
  const out: PlainTextOption[] = [];
  for (const o of options) {
    if (out.length >= SLACK_LIMITS.optionsPerSelect) break;
    // A longer value would be cut and reach the core changed: leave such an option out.
    if (o.value.length > SLACK_LIMITS.optionValue || seen.has(o.value)) continue;
    seen.add(o.value);
    out.push({ text: plain(o.label || o.value, SLACK_LIMITS.optionText), value: o.value });
  }
  return out;
}

function renderButton(b: Button, ids: ActionIds): SlackButton {
  const el: SlackButton = {
    type: 'button',
    action_id: ids.take(b.actionId),
    text: plain(b.label, SLACK_LIMITS.buttonText),
  };
  if (b.value) el.value = cutValue(b.value, SLACK_LIMITS.buttonValue);
  const url = b.url ? httpUrl(b.url) : null;
  if (url && url.length <= SLACK_LIMITS.buttonUrl) el.url = url;
  if (b.style) el.style = b.style;
  return el;
}

function renderSelect(s: Select, ids: ActionIds): StaticSelect | null {
  const options = slackOptions(s.options);
  if (options.length === 0) return null; // Slack refuses a select without options
  const el: StaticSelect = {
    type: 'static_select',
    action_id: ids.take(s.actionId),
    options,
  };
  if (s.placeholder.trim()) el.placeholder = plain(s.placeholder, SLACK_LIMITS.placeholder);
  const initial = options.find((o) => o.value === s.initial);
  if (initial) el.initial_option = initial;
  return el;
}

function renderDate(d: DateInput, ids: ActionIds): Datepicker {
  const el: Datepicker = { type: 'datepicker', action_id: ids.take(d.actionId) };
  if (d.placeholder.trim()) el.placeholder = plain(d.placeholder, SLACK_LIMITS.placeholder);
  if (isIsoDate(d.initial)) el.initial_date = d.initial;
  return el;
}

function renderInteractive(e: Interactive, ids: ActionIds): SlackButton | StaticSelect | Datepicker | null {
  switch (e.type) {
    case 'button':
      return renderButton(e, ids);
    case 'select':
      return renderSelect(e, ids);
    case 'date':
      return renderDate(e, ids);
    default:
      return null;
  }
}

function renderBlock(b: Block, ids: ActionIds): KnownBlock[] {
  switch (b.type) {
    case 'header': {
      const text = plainText(cleanMarkup(b.text))
        .replace(/\s*\n\s*/g, ' ')
        .trim();
      return text ? [{ type: 'header', text: plain(text, SLACK_LIMITS.headerText) }] : [];
    }
    case 'section': {
      const chunks = packAtoms(mrkdwnAtoms(b.text), SLACK_LIMITS.sectionText);
      const accessory = b.accessory ? renderInteractive(b.accessory, ids) : null;
      if (chunks.length === 0) {
        // A section needs text: show a lone accessory as an actions block instead.
        return accessory ? [{ type: 'actions', elements: [accessory] }] : [];
      }
      return chunks.map((text, i) => {
        const s: SlackSectionBlock = { type: 'section', text: { type: 'mrkdwn', text } };
        if (i === 0 && accessory) s.accessory = accessory;
        return s;
      });
    }
    case 'fields': {
      const texts: string[] = [];
      for (const f of b.fields) {
        // The label is shown bold: plain text, one line, without stars, at most 200 chars.
        const labelText = truncatePlain(plainText(cleanMarkup(f.label)).replace(/\s+/g, ' ').replace(/\*/g, ''), 200);
        const atoms: Atom[] = [];
        if (labelText) atoms.push({ s: `*${escapeMrkdwn(labelText)}*` });
        const value = mrkdwnAtoms(f.value.trim());
        if (labelText && value.length > 0) atoms.push({ s: '\n', ws: 'nl' });
        atoms.push(...value);
        const text = truncateAtoms(atoms, SLACK_LIMITS.fieldText);
        if (text) texts.push(text);
      }
      const out: KnownBlock[] = [];
      for (let i = 0; i < texts.length; i += SLACK_LIMITS.fieldsPerSection) {
        out.push({
          type: 'section',
          fields: texts.slice(i, i + SLACK_LIMITS.fieldsPerSection).map((text) => ({ type: 'mrkdwn', text })),
        });
      }
      return out;
    }
    case 'context': {
      const text = truncateAtoms(mrkdwnAtoms(b.text), SLACK_LIMITS.contextText);
      return text ? [{ type: 'context', elements: [{ type: 'mrkdwn', text }] }] : [];
    }
    case 'divider':
      return [{ type: 'divider' }];
    case 'actions': {
      const elements = b.elements
        .map((e) => renderInteractive(e, ids))
        .filter((e): e is SlackButton | StaticSelect | Datepicker => e !== null);
      const out: KnownBlock[] = [];
      for (let i = 0; i < elements.length; i += SLACK_LIMITS.elementsPerActions) {
        const chunk: ActionsBlockElement[] = elements.slice(i, i + SLACK_LIMITS.elementsPerActions);
        out.push({ type: 'actions', elements: chunk });
      }
      return out;
    }
    default:
      return [];
  }
}

function fallbackSource(m: Message): string {
  if (m.text.trim()) return m.text;
  return m.blocks
    .map((b) => (b.type === 'header' || b.type === 'section' || b.type === 'context' ? plainText(b.text) : ''))
    .filter((t) => t.trim())
    .join('\n');
}

/**
 * A Slack message: `blocks` within Slack's limits (≤ 50 blocks, section text ≤ 3,000 chars, …) and a
 * `text` fallback for notifications (≤ 4,000 chars). Duplicate actionIds get a `::n` suffix; read
 * them back with `parseSlackActionId`.
 */
export function renderSlackMessage(m: Message, opts: SlackRenderOptions = {}): { text: string; blocks: KnownBlock[] } {
  // A frozen message never changes (see deepFreeze): what it renders to is kept with it.
  if (!Object.isFrozen(m) || opts.moreNotice !== undefined) return renderFresh(m, opts);
  let rendered = renderedFrozen.get(m);
  if (!rendered) {
    // Frozen too: every answer shares it, so nothing on the way to Slack may change it.
    rendered = deepFreeze(renderFresh(m, opts));
    renderedFrozen.set(m, rendered);
  }
  return rendered;
}

const renderedFrozen = new WeakMap<Message, { text: string; blocks: KnownBlock[] }>();

function renderFresh(m: Message, opts: SlackRenderOptions): { text: string; blocks: KnownBlock[] } {
  const ids = new ActionIds();
  let blocks = m.blocks.flatMap((b) => renderBlock(b, ids));
  if (blocks.length > SLACK_LIMITS.blocksPerMessage) {
    blocks = blocks.slice(0, SLACK_LIMITS.blocksPerMessage - 1);
    while (blocks.length > 0 && blocks[blocks.length - 1]?.type === 'divider') blocks.pop();
    const notice = truncateAtoms(mrkdwnAtoms(opts.moreNotice ?? '…'), SLACK_LIMITS.contextText) || '…';
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: notice }] });
  }
  const text = truncateAtoms(mrkdwnAtoms(fallbackSource(m)), SLACK_LIMITS.fallbackText);
  return { text, blocks };
}

// ---------------------------------------------------------------------------------------------
// Modals
// ---------------------------------------------------------------------------------------------

function renderInputBlock(f: FormField): InputBlock | null {
  const label = plain(f.label || f.id, SLACK_LIMITS.inputLabel);
  let element: InputBlock['element'];
  switch (f.type) {
    case 'text': {
      const maxLength = Math.min(
        Math.max(1, Math.floor(f.maxLength ?? SLACK_LIMITS.inputMaxLength)),
        SLACK_LIMITS.inputMaxLength,
      );
      const el: PlainTextInput = { type: 'plain_text_input', action_id: f.id, multiline: f.multiline ?? false };
      el.max_length = maxLength;
      if (f.initial) el.initial_value = cutValue(f.initial, maxLength);
      if (f.placeholder?.trim()) el.placeholder = plain(f.placeholder, SLACK_LIMITS.placeholder);
      element = el;
      break;
    }
    case 'select': {
      const options = slackOptions(f.options);
      if (options.length === 0) return null;
      const el: StaticSelect = { type: 'static_select', action_id: f.id, options };
      const initial = options.find((o) => o.value === f.initial);
      if (initial) el.initial_option = initial;
      element = el;
      break;
    }
    case 'date': {
      const el: Datepicker = { type: 'datepicker', action_id: f.id };
      if (isIsoDate(f.initial)) el.initial_date = f.initial;
      element = el;
      break;
    }
    default:
      return null;
  }
  return { type: 'input', block_id: f.id, label, optional: f.optional ?? false, element };
}

/**
 * A Slack modal for a form: callback_id = formId, private_metadata = state, one input block per
 * field (block_id = action_id = field id). Throws a RangeError when the state is longer than Slack's
 * 3,000 characters (cutting it would hand the handler corrupted state).
 */
export function renderSlackModal(f: Form): ModalView {
  if (f.state.length > SLACK_LIMITS.privateMetadata) {
    throw new RangeError(`Form ${f.formId}: state is ${f.state.length} chars, Slack allows 3,000`);
  }
  const seen = new Set<string>();
  const inputs: InputBlock[] = [];
  for (const field of f.fields) {
    if (seen.has(field.id)) continue; // block_id must be unique within a view
    seen.add(field.id);
    const block = renderInputBlock(field);
    if (block) inputs.push(block);
  }
  const fields = inputs.slice(0, SLACK_LIMITS.blocksPerView);
  const introRoom = SLACK_LIMITS.blocksPerView - fields.length;
  const intro: KnownBlock[] = f.intro
    ? packAtoms(mrkdwnAtoms(f.intro), SLACK_LIMITS.sectionText)
        .slice(0, introRoom)
        .map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }))
    : [];
  const view: ModalView = {
    type: 'modal',
    callback_id: f.formId,
    private_metadata: f.state,
    title: plain(f.title || 'Klik', SLACK_LIMITS.viewTitle),
    close: plain(f.cancelLabel || '×', SLACK_LIMITS.viewButton),
    blocks: [...intro, ...fields],
  };
  // Slack refuses a submit button on a view without input blocks.
  if (fields.length > 0) view.submit = plain(f.submitLabel || 'OK', SLACK_LIMITS.viewButton);
  return view;
}

/**
 * A view_submission's `view.state.values` as `{ fieldId: value }`: plain_text_input → value,
 * static_select → selected_option.value, datepicker → selected_date; an empty input gives ''.
 * Unknown element types and malformed entries are skipped.
 */
export function readSlackViewValues(state: {
  values: Record<string, Record<string, unknown>>;
}): Record<string, string> {
  const out: Record<string, string> = {};
  const values: unknown = state?.values;
  if (!values || typeof values !== 'object') return out;
  for (const block of Object.values(values as Record<string, unknown>)) {
    if (!block || typeof block !== 'object') continue;
    for (const [actionId, raw] of Object.entries(block as Record<string, unknown>)) {
      if (!raw || typeof raw !== 'object' || actionId === '__proto__') continue;
      const el = raw as { type?: unknown; value?: unknown; selected_option?: unknown; selected_date?: unknown };
      let value: string | undefined;
      switch (el.type) {
        case 'plain_text_input':
          value = typeof el.value === 'string' ? el.value : '';
          break;
        case 'static_select':
        case 'radio_buttons': {
          const opt = el.selected_option as { value?: unknown } | null | undefined;
          value = opt && typeof opt.value === 'string' ? opt.value : '';
          break;
        }
        case 'datepicker':
          value = typeof el.selected_date === 'string' ? el.selected_date : '';
          break;
        default:
          value = undefined;
      }
      if (value !== undefined) out[actionId] = value;
    }
  }
  return out;
}
