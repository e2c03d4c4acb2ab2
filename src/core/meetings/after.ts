/**
 * After a meeting: the host (else the network's coordinators) gets one attendance card, a button
 * that opens a form listing the members who said they were going (came / no-show); the channel is
 * asked "what will you take back to your organisation?" as a tip question (answers become tips).
 * Sent once per meeting (claimed), after the meeting's end, within a week.
 */
import { translator } from '../../messages/i18n.js';
import { actions, button, section } from '../../messages/model.js';
import { isCoordinator, type RequestContext } from '../context.js';
import type { Reply } from '../inputs.js';
import type { Store, StoreTx } from '../ports.js';
import { questionMessage } from '../tips/questions.js';
import { meetingWhen } from './announcement.js';
import { endOf } from './links.js';
import type { Attendance, MeetingRecord } from './ports.js';

export const MEETING_ATTEND = 'meeting.attend';
export const ATTENDANCE_FORM = 'meeting.attendance';
export const AFTER_KIND = 'meeting-after';
const WINDOW_MS = 7 * 86_400_000;

export async function runAfterMeetings(ctx: { store: Store; now: Date; workerId: string }): Promise<number> {
  const { store, now, workerId } = ctx;
  const candidates = await store.transaction((tx) =>
    tx.meetings.endedWithoutAttendance(new Date(now.getTime() - WINDOW_MS), now, 200),
  );
  let sent = 0;
  for (const m of candidates) {
    if (endOf(m).getTime() > now.getTime()) continue;
    sent += await store.transaction((tx) => afterMeeting(tx, m.installationId, m.id, now, workerId));
  }
  return sent;
}

async function afterMeeting(
  tx: StoreTx,
  installationId: string,
  meetingId: string,
  now: Date,
  workerId: string,
): Promise<number> {
  const meeting = await tx.meetings.get(installationId, meetingId);
  const network = meeting ? await tx.networks.get(installationId, meeting.networkId) : null;
  if (!meeting || !network || meeting.state !== 'scheduled') return 0;
  const claimed = await tx.jobClaims.claim({
    installationId,
    networkId: network.id,
    kind: AFTER_KIND,
    slot: meeting.id,
    outcome: 'run',
    claimedBy: workerId,
    at: now,
  });
  if (!claimed) return 0;
  const takers = meeting.hostId
    ? [meeting.hostId]
    : (await tx.coordinators.list(installationId, network.id)).map((c) => c.id);
  for (const memberId of takers) {
    const member = await tx.members.get(installationId, memberId);
    const locale = member?.locale ?? network.locale;
    const t = translator(locale);
    const text = t('meeting.attendance.card', {
      title: meeting.title,
      when: meetingWhen(t, meeting, locale, member?.timezone ?? network.timezone),
    });
    await tx.outbox.enqueue({
      installationId,
      networkId: network.id,
      key: `meeting:${meeting.id}:attendance:${memberId}`,
      target: { kind: 'user', memberId },
      message: {
        text: text.replace(/\*/g, ''),
        blocks: [section(text), actions(button(t('meeting.form.title'), MEETING_ATTEND, meeting.id, 'primary'))],
      },
    });
  }
  const asker = meeting.hostId ?? meeting.createdBy ?? takers[0];
  if (asker) {
    const tChannel = translator(network.locale);
    const question = await tx.tips.createQuestion({
      installationId,
      networkId: network.id,
      askedBy: asker,
      text: tChannel('meeting.takeaway', { title: meeting.title }).replace(/\*/g, ''),
      createdAt: now,
    });
    await tx.outbox.enqueue({
      installationId,
      networkId: network.id,
      // The key the tip questions use: answers then update the posted question's count.
      key: `ask:${question.id}`,
      target: { kind: 'channel', channelId: network.channelId },
      message: questionMessage(tChannel, question, 0),
    });
  }
  return 1;
}

async function mayMark(ctx: RequestContext, meeting: MeetingRecord): Promise<boolean> {
  if (meeting.hostId === ctx.member.id) return true;
  const network = await ctx.tx.networks.get(ctx.installation.id, meeting.networkId);
  return network ? isCoordinator(ctx, network) : false;
}

/**
 * Members per attendance form: one field each, and Slack allows 100 blocks a modal and Teams 28 KB
 * a card. A bigger meeting is marked in pages: each submit saves its page and offers the next.
 */
export const ATTENDANCE_PAGE = 50;

/** `<meetingId>` or `<meetingId>:<page>` (the button and the form's state). */
function attendancePage(value: string): { meetingId: string; page: number } {
  const [meetingId = '', raw = '0'] = value.split(':');
  const page = Number(raw);
  return { meetingId, page: Number.isInteger(page) && page >= 0 ? page : 0 };
}

/** The attendance form: one choice per member who said they were going, a page at a time. */
export async function openAttendanceForm(ctx: RequestContext, value: string, now: Date): Promise<Reply> {
  const { meetingId, page } = attendancePage(value);
  const meeting = await ctx.tx.meetings.get(ctx.installation.id, meetingId);
  if (!meeting) return ctx.reply('meeting.gone');
  if (meeting.state === 'cancelled') return ctx.reply('meeting.isCancelled');
  if (!(await mayMark(ctx, meeting))) return ctx.reply('meeting.attendance.notAllowed');
  if (meeting.startsAt.getTime() > now.getTime()) return ctx.reply('error.expired');
  const allGoing = (await ctx.tx.meetings.listRsvps(ctx.installation.id, meeting.id)).filter(
    (r) => r.status === 'going',
  );
  if (allGoing.length === 0) return ctx.reply('meeting.attendance.none', { title: meeting.title });
  const going = allGoing.slice(page * ATTENDANCE_PAGE, (page + 1) * ATTENDANCE_PAGE);
  if (going.length === 0) return ctx.reply('error.expired');
  const names = await ctx.tx.members.displayNames(
    ctx.installation.id,
    going.map((r) => r.memberId),
  );
  const { t } = ctx;
  const options = [
    { label: t('meeting.attended'), value: 'attended' },
    { label: t('meeting.noShow'), value: 'no_show' },
  ];
  return {
    kind: 'form',
    form: {
      formId: ATTENDANCE_FORM,
      title: t('meeting.form.title'),
      submitLabel: t('meeting.form.save'),
      cancelLabel: t('meeting.form.close'),
      intro: meeting.title,
      state: page === 0 ? meeting.id : `${meeting.id}:${page}`,
      fields: going.map((r) => ({
        type: 'select' as const,
        id: r.memberId,
        label: names.get(r.memberId) ?? '?',
        options,
        initial: r.attendance ?? 'attended',
      })),
    },
  };
}

export async function submitAttendance(
  ctx: RequestContext,
  state: string,
  values: Record<string, string>,
  now: Date,
): Promise<Reply> {
  const { meetingId, page } = attendancePage(state);
  const meeting = await ctx.tx.meetings.getForUpdate(ctx.installation.id, meetingId);
  if (!meeting) return ctx.reply('meeting.gone');
  if (!(await mayMark(ctx, meeting))) return ctx.reply('meeting.attendance.notAllowed');
  const allGoing = (await ctx.tx.meetings.listRsvps(ctx.installation.id, meeting.id))
    .filter((r) => r.status === 'going')
    .map((r) => r.memberId);
  const going = new Set(allGoing);
  const errors: Record<string, string> = {};
  const marks: Array<[string, Attendance]> = [];
  for (const [memberId, value] of Object.entries(values)) {
    if (!going.has(memberId)) errors[memberId] = ctx.t('meeting.attendance.notGoing');
    else if (value !== 'attended' && value !== 'no_show') errors[memberId] = ctx.t('settings.form.required');
    else marks.push([memberId, value]);
  }
  if (Object.keys(errors).length > 0) return { kind: 'form-errors', errors };
  for (const [memberId, value] of marks)
    await ctx.tx.meetings.setAttendance(ctx.installation.id, meeting.id, memberId, value);
  const left = allGoing.length - (page + 1) * ATTENDANCE_PAGE;
  if (left > 0) {
    // The next page is a click away (a form can only be opened from a click).
    const next = Math.min(left, ATTENDANCE_PAGE);
    return {
      kind: 'message',
      message: {
        text: ctx.t('meeting.attendance.more', { count: left }),
        blocks: [
          section(ctx.t('meeting.attendance.more', { count: left })),
          actions(
            button(
              ctx.t('meeting.attendance.next', { count: next }),
              MEETING_ATTEND,
              `${meeting.id}:${page + 1}`,
              'primary',
            ),
          ),
        ],
      },
    };
  }
  await ctx.tx.meetings.markAttendanceTaken(ctx.installation.id, meeting.id, now);
  return { kind: 'none' };
}

/** The earliest end of a meeting still waiting for its attendance card, after `after`. */
export async function nextMeetingEnd(store: Store, after: Date): Promise<Date | null> {
  const candidates = await store.transaction((tx) =>
    tx.meetings.startingBetween(
      new Date(after.getTime() - WINDOW_MS),
      new Date(after.getTime() + 45 * 86_400_000),
      200,
    ),
  );
  const ends = candidates
    .filter((m) => m.attendanceTakenAt === null)
    .map((m) => endOf(m).getTime())
    .filter((t) => t > after.getTime());
  return ends.length === 0 ? null : new Date(Math.min(...ends));
}
