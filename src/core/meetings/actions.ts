/** Routes meeting buttons and forms to their handlers (the core app asks here first). */
import type { RequestContext } from '../context.js';
import type { Reply } from '../inputs.js';
import { ATTENDANCE_FORM, MEETING_ATTEND, openAttendanceForm, submitAttendance } from './after.js';
import { MEETING_EDIT, MEETING_HOST, MEETING_RSVP } from './announcement.js';
import { DETAILS_FORM, openDetailsForm, submitDetailsForm } from './details.js';
import { MEETING_CONFIRM } from './reconfirm.js';
import { answerMeeting, answerOffer, takeHost } from './rsvp.js';
import { MEETING_OFFER } from './waitlist.js';

const ACTIONS = new Set<string>([
  MEETING_RSVP,
  MEETING_CONFIRM,
  MEETING_HOST,
  MEETING_OFFER,
  MEETING_EDIT,
  MEETING_ATTEND,
]);
const FORMS = new Set<string>([DETAILS_FORM, ATTENDANCE_FORM]);

export const isMeetingAction = (actionId: string) => ACTIONS.has(actionId);
export const isMeetingForm = (formId: string) => FORMS.has(formId);

export async function meetingAction(ctx: RequestContext, actionId: string, value: string, now: Date): Promise<Reply> {
  switch (actionId) {
    case MEETING_RSVP:
      return answerMeeting(ctx, value, now);
    case MEETING_CONFIRM:
      return answerMeeting(ctx, value, now, true);
    case MEETING_HOST:
      return takeHost(ctx, value, now);
    case MEETING_OFFER:
      return answerOffer(ctx, value, now);
    case MEETING_EDIT:
      return openDetailsForm(ctx, value, now);
    case MEETING_ATTEND:
      return openAttendanceForm(ctx, value, now);
    default:
      return ctx.reply('error.expired');
  }
}

export async function meetingForm(
  ctx: RequestContext,
  formId: string,
  state: string,
  values: Record<string, string>,
  now: Date,
): Promise<Reply> {
  switch (formId) {
    case DETAILS_FORM:
      return submitDetailsForm(ctx, state, values, now);
    case ATTENDANCE_FORM:
      return submitAttendance(ctx, state, values, now);
    default:
      return ctx.reply('error.expired');
  }
}
