/**
 * Klik messages and forms as Teams activities: one Adaptive Card each (render.ts), a form shown
 * again with its errors under the fields, and the group-chat deep link of an intro.
 */
import type { Activity } from 'botbuilder';
import { type Form, type Message, plainText } from '../../src/messages/model.js';
import {
  type CardElement,
  renderAdaptiveCard,
  renderTeamsForm,
  TEAMS_FIELD_PREFIX,
  type TeamsAttachment,
} from './render.js';

/** Prefix of the TextBlock that shows a field's error (so people and tests can find it). */
export const ERROR_ID_PREFIX = 'klik.error.';

export function cardActivity(attachment: TeamsAttachment, summary = ''): Partial<Activity> {
  return {
    type: 'message',
    attachments: [attachment],
    ...(summary ? { summary: summary.slice(0, 200) } : {}),
  };
}

export const messageActivity = (m: Message): Partial<Activity> =>
  cardActivity(renderAdaptiveCard(m), plainText(m.text));

export const formActivity = (f: Form): Partial<Activity> => cardActivity(renderTeamsForm(f), plainText(f.title));

/** The form again, filled with what was submitted, each error under its field. */
export function formWithErrors(
  form: Form,
  values: Record<string, string>,
  errors: Record<string, string>,
): Partial<Activity> {
  const filled: Form = {
    ...form,
    fields: form.fields.map((f) => (values[f.id] !== undefined ? { ...f, initial: values[f.id] } : f)),
  };
  const attachment = renderTeamsForm(filled);
  const body: CardElement[] = [];
  for (const el of attachment.content.body) {
    body.push(el);
    const id =
      typeof el.id === 'string' && el.id.startsWith(TEAMS_FIELD_PREFIX) ? el.id.slice(TEAMS_FIELD_PREFIX.length) : '';
    const error = id ? errors[id] : undefined;
    if (error) {
      body.push({
        type: 'TextBlock',
        id: `${ERROR_ID_PREFIX}${id}`,
        text: error,
        wrap: true,
        color: 'Attention',
        size: 'Small',
      });
    }
  }
  return cardActivity({ ...attachment, content: { ...attachment.content, body } }, plainText(form.title));
}

/** Opens a group chat with these people (by UPN) in Teams: bots cannot create group chats themselves. */
export function groupChatLink(upns: string[]): string {
  return `https://teams.microsoft.com/l/chat/0/0?users=${upns.map((u) => encodeURIComponent(u)).join(',')}`;
}

/** An intro for one member of a group: the message plus a button that opens the group chat. */
export function introMessage(m: Message, link: string | null, label: string): Message {
  if (!link) return m;
  const blocks = m.blocks.length > 0 ? m.blocks : [{ type: 'section' as const, text: m.text }];
  return {
    ...m,
    blocks: [
      ...blocks,
      { type: 'actions', elements: [{ type: 'button', label, actionId: 'teams.groupchat', value: '', url: link }] },
    ],
  };
}
