/**
 * The CSV files of `export`: their columns, and how each is read from the store a page at a time
 * (keyset paging), so memory stays flat however many rows a network has.
 */
import { DateTime } from 'luxon';
import type { AttendanceExportRow, MeetingExportRow } from '../core/meetings/ports.js';
import type { Store, StoreTx } from '../core/ports.js';
import type { ExportFile } from '../core/tips/export.js';
import type { TipExportRow } from '../core/tips/ports.js';
import type { Network } from '../core/types.js';
import { translator } from '../messages/i18n.js';

export type CsvValue = string | number;

/** Rows are read in pages of this many. */
export const EXPORT_PAGE = 1_000;

interface PagedSource<Row> {
  header: string[];
  /** The next page after `last` (null: the first page). */
  page(tx: StoreTx, last: Row | null, limit: number): Promise<Row[]>;
  row(r: Row): CsvValue[];
}

/** Writes one file as CSV lines, a page at a time; `write` may wait for the client (back-pressure). */
export async function writeExportFile(
  file: ExportFile,
  store: Store,
  network: Network,
  write: (chunk: string) => Promise<void>,
): Promise<void> {
  switch (file) {
    case 'tips':
      return streamPages(tipsSource(network), store, write);
    case 'meetings':
      return streamPages(meetingsSource(network), store, write);
    case 'attendance':
      return streamPages(attendanceSource(network), store, write);
    case 'members':
      return writeMembers(store, network, write);
  }
}

/** One CSV field: quoted when needed; a leading = + - @ is defused so spreadsheets show it as text. */
export function csvField(value: CsvValue): string {
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvRow = (fields: CsvValue[]) => `${fields.map(csvField).join(',')}\r\n`;

async function streamPages<Row>(
  source: PagedSource<Row>,
  store: Store,
  write: (chunk: string) => Promise<void>,
): Promise<void> {
  await write(csvRow(source.header));
  let last: Row | null = null;
  for (;;) {
    const after: Row | null = last;
    const rows: Row[] = await store.transaction((tx) => source.page(tx, after, EXPORT_PAGE));
    if (rows.length === 0) return;
    await write(rows.map((r) => csvRow(source.row(r))).join(''));
    last = rows[rows.length - 1]!;
    if (rows.length < EXPORT_PAGE) return;
  }
}

/** A meeting's start as people read it: the local date (all day) or local date and time. */
function localStart(network: Network, startsAt: Date, allDayDate: string | null): string {
  return allDayDate ?? DateTime.fromJSDate(startsAt, { zone: network.timezone }).toFormat('yyyy-MM-dd HH:mm');
}

function tipsSource(network: Network): PagedSource<TipExportRow> {
  const anonymous = translator(network.locale)('tips.anonymous');
  return {
    header: ['created_at', 'text', 'tags', 'upvotes', 'question', 'author'],
    page: (tx, last, limit) =>
      tx.tips.exportPage(
        network.installationId,
        network.id,
        last ? { createdAt: last.createdAt, id: last.id } : null,
        limit,
      ),
    row: (r) => [
      r.createdAt.toISOString(),
      r.text,
      r.tags.map((g) => `#${g}`).join(' '),
      r.upvotes,
      r.question ?? '',
      r.authorName ?? anonymous,
    ],
  };
}

function meetingsSource(network: Network): PagedSource<MeetingExportRow> {
  return {
    header: [
      'start',
      'start_utc',
      'title',
      'place',
      'host',
      'capacity',
      'state',
      'going',
      'maybe',
      'not_going',
      'waitlist',
      'attended',
      'no_show',
    ],
    page: (tx, last, limit) =>
      tx.meetings.exportMeetings(
        network.installationId,
        network.id,
        last ? { startsAt: last.startsAt, id: last.id } : null,
        limit,
      ),
    row: (r) => [
      localStart(network, r.startsAt, r.allDayDate),
      r.startsAt.toISOString(),
      r.title,
      r.place ?? '',
      r.hostName ?? '',
      r.capacity ?? '',
      r.state,
      r.going,
      r.maybe,
      r.notGoing,
      r.waitlist,
      r.attended,
      r.noShow,
    ],
  };
}

function attendanceSource(network: Network): PagedSource<AttendanceExportRow> {
  const anonymous = translator(network.locale)('tips.anonymous');
  return {
    header: ['meeting_start', 'meeting', 'member', 'answer', 'late_cancellation', 'attendance', 'answered_at'],
    page: (tx, last, limit) =>
      tx.meetings.exportAttendance(
        network.installationId,
        network.id,
        last ? { startsAt: last.startsAt, meetingId: last.meetingId, memberId: last.memberId } : null,
        limit,
      ),
    row: (r) => [
      r.startsAt.toISOString(),
      r.meetingTitle,
      r.memberName || anonymous,
      r.status,
      r.lateCancel ? 'yes' : 'no',
      r.attendance ?? '',
      r.respondedAt.toISOString(),
    ],
  };
}

/** Members are one network's roster: a few hundred rows, read at once. */
async function writeMembers(store: Store, network: Network, write: (chunk: string) => Promise<void>) {
  const { memberships, organisations } = await store.transaction(async (tx) => ({
    memberships: await tx.members.listMemberships(network.installationId, network.id),
    organisations: await tx.organisations.list(network.installationId, network.id),
  }));
  const orgName = new Map(organisations.map((o) => [o.id, o.name]));
  await write(csvRow(['name', 'organisation', 'role', 'can_share', 'wants_to_learn', 'status']));
  await write(
    memberships
      .map((m) =>
        csvRow([
          m.member.displayName,
          m.member.organisationId ? (orgName.get(m.member.organisationId) ?? '') : '',
          m.member.role ?? '',
          m.member.canShare ?? '',
          m.member.wantsToLearn ?? '',
          m.status,
        ]),
      )
      .join(''),
  );
}
