/**
 * Normalised input from any adapter, and the neutral replies the core returns.
 * Adapters translate platform payloads into these, and these replies into platform messages.
 */
import type { Form, Message } from '../messages/model.js';
import type { FormTrigger, MessageRef } from './ports.js';
import type { Platform } from './types.js';

export interface InstallationKey {
  platform: Platform;
  /** Slack team id, Teams tenant id, "local". */
  externalId: string;
  name?: string;
}

/** Who acted, as far as the payload tells. */
export interface Actor {
  platformUserId: string;
  displayName?: string;
  /** The platform's locale for this user ("nl-NL"), when it gives one. */
  locale?: string;
  timezone?: string;
}

export interface CommandInput {
  installation: InstallationKey;
  channelId: string;
  channelName?: string;
  /** A direct message with the bot rather than a channel. */
  isDirect: boolean;
  actor: Actor;
  /** What followed `/klik` or `@Klik`, mentions normalised to `<@id>`. */
  text: string;
  trigger?: FormTrigger;
}

export interface ActionInput {
  installation: InstallationKey;
  channelId: string;
  actor: Actor;
  actionId: string;
  value: string;
  /** The message holding the button, when known. */
  messageRef?: MessageRef;
  trigger?: FormTrigger;
}

export interface FormSubmission {
  installation: InstallationKey;
  actor: Actor;
  formId: string;
  state: string;
  values: Record<string, string>;
}

export interface MemberEvent {
  installation: InstallationKey;
  channelId: string;
  platformUserId: string;
  kind: 'joined' | 'left';
}

/**
 * What the adapter shows the person who acted.
 * - `message`: visible to them only (ephemeral / a private reply);
 * - `update`: replaces the message that held the clicked button;
 * - `form`: opens a form;
 * - `form-errors`: keeps the form open with a message per field;
 * - `none`: nothing to show.
 */
export type Reply =
  | {
      kind: 'message';
      message: Message;
      /** The database did not answer and nothing was done: the same request may be run again. */
      unavailable?: true;
    }
  | { kind: 'update'; message: Message }
  | { kind: 'form'; form: Form }
  | { kind: 'form-errors'; errors: Record<string, string> }
  | { kind: 'none' };
