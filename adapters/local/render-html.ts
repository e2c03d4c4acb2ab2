/**
 * Renders the neutral message model (src/messages/model.ts) to HTML for the local playground.
 *
 * Pure functions, no I/O; the output is a fragment the server puts into its page. All text is
 * escaped (`& < > " '`) before markup is applied, so a member's text can never become HTML. Styling
 * is by CSS class only. The playground's script wires the hooks this markup exposes:
 *   - `[data-action-id]` on buttons (click), selects and date inputs (change), inside an
 *     `article.klik-message[data-message-id]`; buttons carry `data-value`;
 *   - `form.klik-form[data-form-id][data-state]` (submit; inputs are named by field id) and its
 *     `button[data-form-cancel]`.
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

/** Escapes text for HTML content and (quoted) attribute values. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

const link = (url: string, labelHtml: string, cls?: string): string =>
  `<a${cls ? ` class="${cls}"` : ''} href="${escapeHtml(url)}" rel="noopener" target="_blank">${labelHtml}</a>`;

/**
 * Neutral markup → HTML: tokens (links, mentions) are set aside, the rest is escaped, then `*bold*`
 * → <strong>, `_italic_` → <em>, line breaks → <br>, and the tokens are put back rendered.
 */
export function markupToHtml(markup: string): string {
  const src = cleanMarkup(markup);
  const tokens: string[] = [];
  let out = '';
  let last = 0;
  for (const m of src.matchAll(MARKUP_TOKEN_RE)) {
    const index = m.index ?? 0;
    out += escapeHtml(src.slice(last, index));
    last = index + m[0].length;
    let html: string;
    if (m[1] !== undefined && m[2] !== undefined) {
      const url = httpUrl(m[2]);
      html = url ? link(url, escapeHtml(m[1])) : escapeHtml(`${m[1]} (${m[2]})`);
    } else {
      const name = (m[4] ?? '').trim() || (m[3] ?? '');
      html = `<span class="mention">@${escapeHtml(name)}</span>`;
    }
    tokens.push(html);
    out += `${PH_OPEN}${tokens.length - 1}${PH_CLOSE}`;
  }
  out += escapeHtml(src.slice(last));
  return out
    .replace(/`([^`\n]+)`/g, '<code>$1</code>')
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,!?:;])/gm, '$1<strong>$2</strong>')
    .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,!?:;])/gm, '$1<em>$2</em>')
    .replace(/\n/g, '<br>')
    .replace(PH_RE, (_m, i: string) => tokens[Number(i)] ?? '');
}

const attr = (name: string, value: string): string => ` ${name}="${escapeHtml(value)}"`;

function renderButton(b: Button): string {
  const style = b.style === 'primary' ? ' btn-primary' : b.style === 'danger' ? ' btn-danger' : '';
  const url = b.url ? httpUrl(b.url) : null;
  if (url) return link(url, escapeHtml(b.label), `btn btn-link${style}`);
  return `<button type="button" class="btn${style}"${attr('data-action-id', b.actionId)}${attr('data-value', b.value)}>${escapeHtml(b.label)}</button>`;
}

function selectOptions(
  options: { label: string; value: string }[],
  initial: string | undefined,
  placeholder: string,
): string {
  const hasInitial = initial !== undefined && options.some((o) => o.value === initial);
  const first = `<option value=""${hasInitial ? '' : ' selected'} disabled>${escapeHtml(placeholder)}</option>`;
  const rest = options
    .map(
      (o) =>
        `<option${attr('value', o.value)}${hasInitial && o.value === initial ? ' selected' : ''}>${escapeHtml(o.label)}</option>`,
    )
    .join('');
  return first + rest;
}

function renderSelect(s: Select): string {
  return `<select class="klik-select"${attr('data-action-id', s.actionId)}${attr('aria-label', s.placeholder)}>${selectOptions(s.options, s.initial, s.placeholder)}</select>`;
}

function renderDate(d: DateInput): string {
  const value = d.initial && ISO_DATE_RE.test(d.initial) ? attr('value', d.initial) : '';
  return `<input type="date" class="klik-date"${attr('data-action-id', d.actionId)}${attr('aria-label', d.placeholder)}${value}>`;
}

function renderInteractive(e: Interactive): string {
  switch (e.type) {
    case 'button':
      return renderButton(e);
    case 'select':
      return renderSelect(e);
    case 'date':
      return renderDate(e);
    default:
      return '';
  }
}

function renderBlock(b: Block): string {
  switch (b.type) {
    case 'header':
      return `<h2 class="klik-header">${escapeHtml(plainText(cleanMarkup(b.text)))}</h2>`;
    case 'section': {
      const text = `<p class="klik-text">${markupToHtml(b.text)}</p>`;
      const accessory = b.accessory ? `<div class="klik-accessory">${renderInteractive(b.accessory)}</div>` : '';
      return `<div class="klik-section">${text}${accessory}</div>`;
    }
    case 'fields': {
      const items = b.fields
        .map(
          (f) =>
            `<div class="klik-field"><dt>${escapeHtml(plainText(cleanMarkup(f.label)))}</dt><dd>${markupToHtml(f.value)}</dd></div>`,
        )
        .join('');
      return `<dl class="klik-fields">${items}</dl>`;
    }
    case 'context':
      return `<p class="klik-context">${markupToHtml(b.text)}</p>`;
    case 'divider':
      return '<hr class="klik-divider">';
    case 'actions':
      return `<div class="klik-actions" role="group">${b.elements.map(renderInteractive).join('')}</div>`;
    default:
      return '';
  }
}

/**
 * A message as `<article class="klik-message" data-message-id="…">`. With no blocks, the plain
 * `text` is shown.
 */
export function renderHtmlMessage(m: Message, opts: { messageId: string }): string {
  const body =
    m.blocks.length > 0
      ? m.blocks.map(renderBlock).join('')
      : `<div class="klik-section"><p class="klik-text">${markupToHtml(m.text)}</p></div>`;
  return `<article class="klik-message"${attr('data-message-id', opts.messageId)}>${body}</article>`;
}

/** Marks an optional field (the playground is Dutch first). */
const OPTIONAL_MARK = '<span class="klik-optional">(optioneel)</span>';

function renderFormField(f: FormField): string {
  const required = f.optional ? '' : ' required';
  const label = `<span class="klik-label">${escapeHtml(f.label)}${f.optional ? ` ${OPTIONAL_MARK}` : ''}</span>`;
  let control: string;
  switch (f.type) {
    case 'text': {
      const max =
        f.maxLength !== undefined && f.maxLength > 0 ? attr('maxlength', String(Math.floor(f.maxLength))) : '';
      const placeholder = f.placeholder ? attr('placeholder', f.placeholder) : '';
      control = f.multiline
        ? `<textarea class="klik-input"${attr('name', f.id)} rows="4"${max}${placeholder}${required}>${escapeHtml(f.initial ?? '')}</textarea>`
        : `<input type="text" class="klik-input"${attr('name', f.id)}${attr('value', f.initial ?? '')}${max}${placeholder}${required}>`;
      break;
    }
    case 'select':
      control = `<select class="klik-input"${attr('name', f.id)}${required}>${selectOptions(f.options, f.initial, '…')}</select>`;
      break;
    case 'date': {
      const value = f.initial && ISO_DATE_RE.test(f.initial) ? attr('value', f.initial) : '';
      control = `<input type="date" class="klik-input"${attr('name', f.id)}${value}${required}>`;
      break;
    }
    default:
      return '';
  }
  // The control sits inside its label: labelled without ids that could clash on the page.
  return `<label class="klik-form-field">${label}${control}</label>`;
}

/**
 * A form as `<form class="klik-form" data-form-id="…" data-state="…">`: a title, the intro, one
 * labelled control per field (named by field id; `required` unless optional), a submit button and a
 * cancel button (`data-form-cancel`).
 */
export function renderHtmlForm(f: Form): string {
  const title = `<h2 class="klik-form-title">${escapeHtml(plainText(cleanMarkup(f.title)))}</h2>`;
  const intro = f.intro ? `<p class="klik-form-intro">${markupToHtml(f.intro)}</p>` : '';
  const fields = f.fields.map(renderFormField).join('');
  const buttons =
    '<div class="klik-form-buttons">' +
    `<button type="submit" class="btn btn-primary">${escapeHtml(f.submitLabel)}</button>` +
    `<button type="button" class="btn" data-form-cancel>${escapeHtml(f.cancelLabel)}</button>` +
    '</div>';
  return `<form class="klik-form"${attr('data-form-id', f.formId)}${attr('data-state', f.state)}${attr('aria-label', f.title)}>${title}${intro}${fields}${buttons}</form>`;
}
