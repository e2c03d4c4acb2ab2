/**
 * Shows a core Reply the way Slack people expect:
 * - `message`: ephemeral, through the payload's `response_url` when there is one (slash commands,
 *   clicks), else `chat.postEphemeral` (mentions, direct messages, form submissions);
 * - `update`: replaces the clicked message (`replace_original` through `response_url`, else
 *   `chat.update` for a posted message); with nothing to replace it is shown like a message;
 * - `form`: `views.open` with the trigger (it lives 3 s, so this runs right after the core);
 * - `form-errors` belongs in a view submission's ack and is handled there; `none` shows nothing.
 */
import type { Reply } from '../../src/core/inputs.js';
import type { FormTrigger, Logger, MessageRef } from '../../src/core/ports.js';
import type { Locale } from '../../src/core/types.js';
import { translator } from '../../src/messages/i18n.js';
import { type Message, msg } from '../../src/messages/model.js';
import type { ActiveSlackInstallation } from './installations.js';
import type { SlackPlatform } from './platform.js';
import { renderSlackMessage } from './render.js';
import { slackTexts } from './texts.js';

/** Posts a JSON body to the payload's `response_url` (Bolt's `respond`). */
export type Respond = (body: Record<string, unknown>) => Promise<unknown>;

export interface ReplyTarget {
  inst: ActiveSlackInstallation;
  platform: SlackPlatform;
  logger: Logger;
  locale: Locale;
  userId: string;
  /** The conversation the person acted in. */
  channelId?: string;
  respond?: Respond;
  trigger?: FormTrigger;
  /** A posted (non-ephemeral) message that was clicked. */
  clicked?: MessageRef;
  /** True when the reply answers a click on a message (so `update` may replace it). */
  fromClick?: boolean;
}

async function showMessage(message: Message, to: ReplyTarget, replace: boolean): Promise<void> {
  const rendered = renderSlackMessage(message);
  if (to.respond) {
    try {
      await to.respond({
        response_type: 'ephemeral',
        replace_original: replace,
        ...(replace ? {} : { delete_original: false }),
        text: rendered.text,
        blocks: rendered.blocks,
      });
      return;
    } catch (err) {
      to.logger.warn({ errorName: (err as Error)?.name, replace }, 'slack response_url refused: posting instead');
    }
  }
  if (replace && to.clicked) {
    await to.platform.updateMessage(to.inst.ref, to.clicked, message);
    return;
  }
  if (to.channelId) {
    await to.platform.postEphemeral(to.inst.ref, to.channelId, to.userId, message);
    return;
  }
  await to.platform.postToUser(to.inst.ref, to.userId, message);
}

export async function showReply(reply: Reply, to: ReplyTarget): Promise<void> {
  switch (reply.kind) {
    case 'message':
      return showMessage(reply.message, to, false);
    case 'update':
      return showMessage(reply.message, to, to.fromClick === true);
    case 'form': {
      if (!to.trigger) return showMessage(msg(slackTexts(to.locale).formElsewhere), to, false);
      try {
        await to.platform.openForm(to.inst.ref, to.trigger, reply.form);
      } catch (err) {
        to.logger.warn({ code: (err as { code?: string }).code }, 'slack views.open failed');
        await showMessage(msg(translator(to.locale)('error.generic')), to, false);
      }
      return;
    }
    case 'form-errors':
    case 'none':
      return;
  }
}
