/**
 * The meeting's details form (the host, whoever planned it, or a coordinator): title, date, time
 * (empty: all day), place or link, host (a member who is going), capacity, and cancelling. Every
 * saved change raises SEQUENCE, is posted in the channel and reaches calendars through the feed.
 * Bad input keeps the form open with a message per field and changes nothing.
 */
import { DateTime } from 'luxon';
import { section } from '../../messages/model.js';
import { isCoordinator, type RequestContext } from '../context.js';
import type { Reply } from '../inputs.js';
import { localDateOf, resolveLocal, wallClock } from '../schedule/quiet-hours.js';
import type { Network } from '../types.js';
import { meetingWhen } from './announcement.js';
import { MAX_TITLE } from './from-poll.js';
import type { MeetingDetails, MeetingRecord } from './ports.js';
import { announceChange } from './publish.js';
import { offerFreePlaces } from './waitlist.js';

export const DETAILS_FORM = 'meeting.details';
export const MAX_PLACE = 500;
export const MAX_CAPACITY = 1000;
const NO_HOST = 'none';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function mayEdit(ctx: RequestContext, meeting: MeetingRecord): Promise<boolean> {
  if (meeting.hostId === ctx.member.id || meeting.createdBy === ctx.member.id) return true;
  const network = await ctx.tx.networks.get(ctx.installation.id, meeting.networkId);
  return network ? isCoordinator(ctx, network) : false;
}

const pad = (n: number) => String(n).padStart(2, '0');

export async function openDetailsForm(ctx: RequestContext, meetingId: string, now: Date): Promise<Reply> {
  const meeting = await ctx.tx.meetings.get(ctx.installation.id, meetingId);
  const network = meeting ? await ctx.tx.networks.get(ctx.installation.id, meeting.networkId) : null;
  if (!meeting || !network) return ctx.reply('meeting.gone');
  if (meeting.state === 'cancelled') return ctx.reply('meeting.isCancelled');
  if (meeting.startsAt.getTime() <= now.getTime()) return ctx.reply('meeting.started');
  if (!(await mayEdit(ctx, meeting))) return ctx.reply('meeting.notAllowed');
  const { t } = ctx;
  const zone = network.timezone;
  const local = localDateOf(meeting.startsAt, zone);
  const wall = wallClock(meeting.startsAt, zone);
  const going = (await ctx.tx.meetings.listRsvps(ctx.installation.id, meeting.id)).filter((r) => r.status === 'going');
  const people = await ctx.tx.members.getMany(ctx.installation.id, [
    ...new Set([...going.map((r) => r.memberId), ...(meeting.hostId ? [meeting.hostId] : [])]),
  ]);
  return {
    kind: 'form',
    form: {
      formId: DETAILS_FORM,
      title: t('meeting.form.title'),
      submitLabel: t('meeting.form.save'),
      cancelLabel: t('meeting.form.close'),
      intro: t('meeting.form.intro'),
      state: meeting.id,
      fields: [
        { type: 'text', id: 'title', label: t('meeting.form.name'), initial: meeting.title, maxLength: MAX_TITLE },
        {
          type: 'date',
          id: 'date',
          label: t('meeting.form.date'),
          initial: meeting.allDayDate ?? `${local.year}-${pad(local.month)}-${pad(local.day)}`,
        },
        {
          type: 'text',
          id: 'time',
          label: t('meeting.form.time'),
          optional: true,
          ...(meeting.allDayDate ? {} : { initial: `${pad(wall.hour)}:${pad(wall.minute)}` }),
          maxLength: 5,
        },
        {
          type: 'text',
          id: 'place',
          label: t('meeting.form.place'),
          optional: true,
          ...(meeting.place ? { initial: meeting.place } : {}),
          maxLength: MAX_PLACE,
        },
        {
          type: 'select',
          id: 'host',
          label: t('meeting.form.host'),
          optional: true,
          options: [
            { label: t('meeting.form.noHost'), value: NO_HOST },
            ...people.map((m) => ({ label: m.displayName, value: m.id })),
          ],
          initial: meeting.hostId ?? NO_HOST,
        },
        {
          type: 'text',
          id: 'capacity',
          label: t('meeting.form.capacity'),
          optional: true,
          ...(meeting.capacity !== null ? { initial: String(meeting.capacity) } : {}),
          maxLength: 4,
        },
        {
          type: 'select',
          id: 'state',
          label: t('meeting.form.state'),
          options: [
            { label: t('meeting.form.state.on'), value: 'scheduled' },
            { label: t('meeting.form.state.cancelled'), value: 'cancelled' },
          ],
          initial: 'scheduled',
        },
      ],
    },
  };
}

const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

export async function submitDetailsForm(
  ctx: RequestContext,
  meetingId: string,
  values: Record<string, string>,
  now: Date,
): Promise<Reply> {
  const meeting = await ctx.tx.meetings.getForUpdate(ctx.installation.id, meetingId);
  const network = meeting ? await ctx.tx.networks.get(ctx.installation.id, meeting.networkId) : null;
  if (!meeting || !network) return ctx.reply('meeting.gone');
  if (meeting.state === 'cancelled') return ctx.reply('meeting.isCancelled');
  if (meeting.startsAt.getTime() <= now.getTime()) return ctx.reply('meeting.started');
  if (!(await mayEdit(ctx, meeting))) return ctx.reply('meeting.notAllowed');
  const { t } = ctx;
  const errors: Record<string, string> = {};

  const title = (values.title ?? '').normalize('NFC').trim();
  if (title === '') errors.title = t('settings.form.required');
  else if (title.length > MAX_TITLE) errors.title = t('meeting.form.tooLong', { max: MAX_TITLE });

  const dateText = (values.date ?? '').trim();
  const date = DateTime.fromISO(dateText, { zone: 'UTC' });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dateText) || !date.isValid) errors.date = t('settings.form.required');

  const timeText = (values.time ?? '').trim();
  const time = /^(\d{1,2})[:.](\d{2})$/.exec(timeText);
  const minutes = time ? Number(time[1]) * 60 + Number(time[2]) : 0;
  if (timeText !== '' && (!time || Number(time[1]) > 23 || Number(time[2]) > 59))
    errors.time = t('meeting.form.badTime');

  const place = (values.place ?? '').normalize('NFC').trim();
  if (place.length > MAX_PLACE) errors.place = t('meeting.form.tooLong', { max: MAX_PLACE });

  const hostValue = (values.host ?? NO_HOST).trim() || NO_HOST;
  let hostId: string | null = null;
  if (hostValue !== NO_HOST) {
    const rsvp = UUID.test(hostValue)
      ? await ctx.tx.meetings.getRsvp(ctx.installation.id, meeting.id, hostValue)
      : null;
    if (hostValue === meeting.hostId || rsvp?.status === 'going') hostId = hostValue;
    else errors.host = t('meeting.form.badHost');
  }

  const capacityText = (values.capacity ?? '').trim();
  const capacity = capacityText === '' ? null : Number(capacityText);
  if (capacity !== null && (!/^\d+$/.test(capacityText) || capacity < 1 || capacity > MAX_CAPACITY))
    errors.capacity = t('meeting.form.badCapacity');

  const state = values.state ?? 'scheduled';
  if (state !== 'scheduled' && state !== 'cancelled') errors.state = t('settings.form.required');

  let startsAt = meeting.startsAt;
  let allDayDate: string | null = null;
  if (!errors.date && !errors.time) {
    const local = { year: date.year, month: date.month, day: date.day };
    allDayDate = timeText === '' ? dateText : null;
    startsAt = resolveLocal(network.timezone, local, minutes);
    if (!sameTime(startsAt, meeting.startsAt) && startsAt.getTime() <= now.getTime())
      errors[timeText === '' ? 'date' : 'time'] = t('meeting.form.past');
  }
  if (Object.keys(errors).length > 0) return { kind: 'form-errors', errors };

  if (state === 'cancelled') {
    const cancelled = await ctx.tx.meetings.cancel(ctx.installation.id, meeting.id, now);
    await announceChange(ctx.tx, network, cancelled, ctx.calendar, now);
    await tellCancelled(ctx, network, cancelled);
    return ctx.reply('meeting.cancelled');
  }
  const details: MeetingDetails = {
    title,
    startsAt,
    allDayDate,
    endsAt: sameTime(startsAt, meeting.startsAt) ? meeting.endsAt : null,
    place: place === '' ? null : place,
    hostId,
    capacity,
  };
  const unchanged =
    details.title === meeting.title &&
    sameTime(details.startsAt, meeting.startsAt) &&
    details.allDayDate === meeting.allDayDate &&
    details.place === meeting.place &&
    details.hostId === meeting.hostId &&
    details.capacity === meeting.capacity;
  if (unchanged) return ctx.reply('meeting.unchanged');
  const updated = await ctx.tx.meetings.updateDetails(ctx.installation.id, meeting.id, details, now);
  await offerFreePlaces(ctx.tx, network, updated, now);
  await announceChange(ctx.tx, network, updated, ctx.calendar, now);
  return ctx.reply('meeting.saved');
}

/** Everyone who said going, maybe or is on the waitlist hears of a cancellation directly. */
async function tellCancelled(ctx: RequestContext, network: Network, meeting: MeetingRecord): Promise<void> {
  const rsvps = (await ctx.tx.meetings.listRsvps(ctx.installation.id, meeting.id)).filter(
    (r) => r.status !== 'not_going' && r.memberId !== ctx.member.id,
  );
  const members = await ctx.tx.members.getMany(
    ctx.installation.id,
    rsvps.map((r) => r.memberId),
  );
  for (const member of members) {
    const locale = member.locale ?? network.locale;
    const t = ctx.translatorFor(locale);
    const when = meetingWhen(t, meeting, locale, member.timezone ?? network.timezone);
    const text = `${t('meeting.cancelledLead')} *${meeting.title}* (${when})`;
    await ctx.tx.outbox.enqueue({
      installationId: ctx.installation.id,
      networkId: network.id,
      key: `meeting:${meeting.id}:cancelled:${member.id}`,
      target: { kind: 'user', memberId: member.id },
      message: { text: text.replace(/\*/g, ''), blocks: [section(text)] },
    });
  }
}
