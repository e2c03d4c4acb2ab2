/**
 * The neutral message model: plain data that every adapter renders to its own format
 * (Block Kit, Adaptive Cards, the playground's HTML). Nothing here knows a platform.
 *
 * Text uses a small markup that every renderer understands:
 *   *bold*   _italic_   `code`   [label](https://url)   <@platformUserId|Display name>
 * Line breaks are "\n".
 */

export type ButtonStyle = 'primary' | 'danger';

export interface Button {
  type: 'button';
  label: string;
  /** Identifies the handler; the core routes actions by this id. */
  actionId: string;
  /** Opaque value handed back with the action (keep it short: platforms cap it near 2,000 chars). */
  value: string;
  style?: ButtonStyle;
  /** A plain link instead of an action (opens in the browser). */
  url?: string;
}

export interface SelectOption {
  label: string;
  value: string;
}

export interface Select {
  type: 'select';
  actionId: string;
  placeholder: string;
  options: SelectOption[];
  initial?: string;
}

export interface DateInput {
  type: 'date';
  actionId: string;
  placeholder: string;
  /** ISO date, yyyy-mm-dd. */
  initial?: string;
}

export type Interactive = Button | Select | DateInput;

export interface HeaderBlock {
  type: 'header';
  text: string;
}

export interface SectionBlock {
  type: 'section';
  text: string;
  accessory?: Interactive;
}

export interface Field {
  label: string;
  value: string;
}

export interface FieldsBlock {
  type: 'fields';
  fields: Field[];
}

export interface ContextBlock {
  type: 'context';
  text: string;
}

export interface DividerBlock {
  type: 'divider';
}

export interface ActionsBlock {
  type: 'actions';
  elements: Interactive[];
}

export type Block = HeaderBlock | SectionBlock | FieldsBlock | ContextBlock | DividerBlock | ActionsBlock;

/** A small text file to attach where the platform can post files (an `.ics` calendar file). */
export interface Attachment {
  filename: string;
  /** Shown with the file. */
  title: string;
  mimeType: string;
  content: string;
}

export interface Message {
  /** Plain-text fallback (notifications, screen readers, platforms without rich layout). */
  text: string;
  blocks: Block[];
  /** Posted with the message where the platform allows files (Slack); others ignore it. */
  file?: Attachment;
}

export interface TextFormField {
  type: 'text';
  id: string;
  label: string;
  multiline?: boolean;
  optional?: boolean;
  initial?: string;
  placeholder?: string;
  maxLength?: number;
}

export interface SelectFormField {
  type: 'select';
  id: string;
  label: string;
  optional?: boolean;
  options: SelectOption[];
  initial?: string;
}

export interface DateFormField {
  type: 'date';
  id: string;
  label: string;
  optional?: boolean;
  initial?: string;
}

export type FormField = TextFormField | SelectFormField | DateFormField;

/** A form (Slack modal, Teams card or task module, playground dialog). */
export interface Form {
  /** Routes the submission to its handler. */
  formId: string;
  title: string;
  submitLabel: string;
  cancelLabel: string;
  /** Text shown above the fields. */
  intro?: string;
  fields: FormField[];
  /** Opaque state handed back on submission (network id and the like). */
  state: string;
}

/** Convenience builders: messages are plain data, these only save typing. */
/**
 * Freezes a value all the way down. A message that never changes (help) is made once and frozen,
 * and a renderer may keep what it made of a frozen message instead of rendering it again.
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

export const msg = (text: string, blocks?: Block[]): Message => ({
  text: plainText(text),
  blocks: blocks ?? [{ type: 'section', text }],
});

export const section = (text: string, accessory?: Interactive): SectionBlock =>
  accessory ? { type: 'section', text, accessory } : { type: 'section', text };

export const button = (label: string, actionId: string, value: string, style?: ButtonStyle): Button =>
  style ? { type: 'button', label, actionId, value, style } : { type: 'button', label, actionId, value };

export const actions = (...elements: Interactive[]): ActionsBlock => ({ type: 'actions', elements });

export const context = (text: string): ContextBlock => ({ type: 'context', text });

export const fields = (items: Field[]): FieldsBlock => ({ type: 'fields', fields: items });

/** Strips the markup to plain text (for fallbacks and notifications). */
export function plainText(markup: string): string {
  return markup
    .replace(/<@[^|>]+\|([^>]+)>/g, '@$1')
    .replace(/<@([^>]+)>/g, '@$1')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)')
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,!?:;])/g, '$1$2')
    .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,!?:;])/g, '$1$2');
}

/** A mention token in the neutral markup. */
export const mention = (platformUserId: string, displayName: string): string =>
  `<@${platformUserId}|${displayName.replace(/[|>]/g, '')}>`;
