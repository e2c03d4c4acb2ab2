/** Routes meeting buttons and forms to their handlers (the core app asks here first). */
import type { RequestContext } from '../context.js';
import type { Reply } from '../inputs.js';
import { MEETING_EDIT, MEETING_HOST, MEETING_RSVP } from './announcement.js';
import { answerMeeting, answerOffer, takeHost } from './rsvp.js';
import { MEETING_OFFER } from './waitlist.js';

const ACTIONS = new Set<string>([MEETING_RSVP, MEETING_HOST, MEETING_OFFER, MEETING_EDIT]);
const FORMS = new Set<string>([]);

export const isMeetingAction = (actionId: string) => ACTIONS.has(actionId);
export const isMeetingForm = (formId: string) => FORMS.has(formId);

export async function meetingAction(ctx: RequestContext, actionId: string, value: string, now: Date): Promise<Reply> {
  switch (actionId) {
    case MEETING_RSVP:
      return answerMeeting(ctx, value, now);
    case MEETING_HOST:
      return takeHost(ctx, value, now);
    case MEETING_OFFER:
      return answerOffer(ctx, value, now);
    default:
      return ctx.reply('error.expired');
  }
}

export async function meetingForm(
  ctx: RequestContext,
  formId: string,
  _state: string,
  _values: Record<string, string>,
  _now: Date,
): Promise<Reply> {
  void formId;
  return ctx.reply('error.expired');
}
