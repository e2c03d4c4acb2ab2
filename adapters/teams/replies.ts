/**
 * Shows a core Reply the way Teams allows (it has no ephemeral messages):
 * - `message`: in a 1:1 chat, there; from a channel or group chat, privately in the person's 1:1
 *   chat with Klik when Klik has one with them (stored reference), else as a reply in the thread
 *   where they asked (visible to the others there: Teams offers nothing private in a channel);
 * - `update`: replaces the clicked card (`updateActivity` on `replyToId`); without one, like `message`;
 * - `form`: the form card, where a message would go; it is remembered so errors can show it again;
 * - `form-errors`: the remembered form again, filled in, each error under its field;
 * - `none`: nothing.
 */
import type { Reply } from '../../src/core/inputs.js';
import type { InstallationRef, Logger } from '../../src/core/ports.js';
import type { Form } from '../../src/messages/model.js';
import { TtlCache } from '../../src/ttl-cache.js';
import { type ParsedActivity, replyRefOf } from './activities.js';
import { formActivity, formWithErrors, messageActivity } from './cards.js';
import type { TeamsConnector } from './connector.js';
import { personalKey, type TeamsConversations } from './conversations.js';
import type { TeamsPlatform } from './platform.js';

type OutActivity = ReturnType<typeof messageActivity>;

/** Forms shown, per person and form id, so a submission with errors can show the form again. */
export class FormMemory {
  private readonly forms = new TtlCache<Form>(10_000, 24 * 60 * 60_000, Date.now);
  private key = (inst: InstallationRef, userId: string, formId: string) => `${inst.id}:${userId}:${formId}`;
  remember(inst: InstallationRef, userId: string, form: Form): void {
    this.forms.set(this.key(inst, userId, form.formId), form);
  }
  get(inst: InstallationRef, userId: string, formId: string): Form | undefined {
    return this.forms.get(this.key(inst, userId, formId));
  }
}

export interface TeamsReplyTarget {
  inst: InstallationRef;
  activity: ParsedActivity;
  /** Klik's id of the person who acted. */
  userId: string;
  platform: TeamsPlatform;
  connector: TeamsConnector;
  conversations: TeamsConversations;
  forms: FormMemory;
  logger: Logger;
  /** For `form-errors`: the submitted form and its values. */
  submitted?: { formId: string; values: Record<string, string> };
}

async function showPrivately(to: TeamsReplyTarget, activity: OutActivity): Promise<void> {
  const a = to.activity;
  if (a.kind !== 'personal') {
    const personal = await to.conversations.get(to.inst.id, personalKey(to.userId));
    if (personal) {
      await to.connector.send(personal, activity);
      return;
    }
  }
  await to.connector.send(replyRefOf(a), activity, a.kind === 'channel' ? a.id : undefined);
}

export async function showTeamsReply(reply: Reply, to: TeamsReplyTarget): Promise<void> {
  switch (reply.kind) {
    case 'message':
      return showPrivately(to, messageActivity(reply.message));
    case 'update': {
      const clicked = to.activity.replyToId;
      if (clicked) {
        await to.connector.update(replyRefOf(to.activity), clicked, messageActivity(reply.message));
        return;
      }
      return showPrivately(to, messageActivity(reply.message));
    }
    case 'form':
      to.forms.remember(to.inst, to.userId, reply.form);
      return showPrivately(to, formActivity(reply.form));
    case 'form-errors': {
      const submitted = to.submitted;
      const form = submitted ? to.forms.get(to.inst, to.userId, submitted.formId) : undefined;
      if (form && submitted) return showPrivately(to, formWithErrors(form, submitted.values, reply.errors));
      const lines = Object.entries(reply.errors).map(([field, error]) => `• ${field}: ${error}`);
      return showPrivately(to, messageActivity({ text: lines.join('\n'), blocks: [] }));
    }
    case 'none':
      return;
  }
}
