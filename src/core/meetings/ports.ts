/** What meetings need from the store. Every call is scoped by installation. */

export const RSVP_STATUSES = ['going', 'maybe', 'not_going', 'waitlist'] as const;
export type RsvpStatus = (typeof RSVP_STATUSES)[number];

export type MeetingState = 'scheduled' | 'cancelled';
export type Attendance = 'attended' | 'no_show';

export interface MeetingRecord {
  id: string;
  installationId: string;
  networkId: string;
  pollId: string | null;
  title: string;
  startsAt: Date;
  /** Local date YYYY-MM-DD when the meeting lasts all day. */
  allDayDate: string | null;
  endsAt: Date | null;
  place: string | null;
  hostId: string | null;
  capacity: number | null;
  state: MeetingState;
  uid: string;
  sequence: number;
  attendanceTakenAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date | null;
}

export interface RsvpRecord {
  meetingId: string;
  memberId: string;
  status: RsvpStatus;
  respondedAt: Date;
  lateCancel: boolean;
  waitlistedAt: Date | null;
  offerExpiresAt: Date | null;
  attendance: Attendance | null;
}

export interface NewMeeting {
  installationId: string;
  networkId: string;
  pollId: string | null;
  title: string;
  startsAt: Date;
  allDayDate: string | null;
  endsAt: Date | null;
  place: string | null;
  hostId: string | null;
  capacity: number | null;
  uid: string;
  createdBy: string | null;
  createdAt: Date;
}

/** The fields the details form changes. */
export type MeetingDetails = Pick<
  MeetingRecord,
  'title' | 'startsAt' | 'allDayDate' | 'endsAt' | 'place' | 'hostId' | 'capacity'
>;

export interface RsvpWrite {
  status: RsvpStatus;
  respondedAt: Date;
  lateCancel: boolean;
  waitlistedAt: Date | null;
  offerExpiresAt: Date | null;
}

/** One row of meetings.csv. */
export interface MeetingExportRow {
  id: string;
  title: string;
  startsAt: Date;
  allDayDate: string | null;
  place: string | null;
  hostName: string | null;
  capacity: number | null;
  state: string;
  going: number;
  maybe: number;
  notGoing: number;
  waitlist: number;
  attended: number;
  noShow: number;
  createdAt: Date;
}

/** One row of attendance.csv: a member's answer and attendance for one meeting. */
export interface AttendanceExportRow {
  meetingId: string;
  meetingTitle: string;
  startsAt: Date;
  memberId: string;
  memberName: string;
  status: RsvpStatus;
  lateCancel: boolean;
  attendance: Attendance | null;
  respondedAt: Date;
}

export interface MeetingRepo {
  create(input: NewMeeting): Promise<MeetingRecord>;
  get(installationId: string, meetingId: string): Promise<MeetingRecord | null>;
  /** Reads the meeting and locks its row until the transaction ends (RSVPs against a capacity). */
  getForUpdate(installationId: string, meetingId: string): Promise<MeetingRecord | null>;
  /** Saves changed details and raises SEQUENCE. */
  updateDetails(installationId: string, meetingId: string, details: MeetingDetails, at: Date): Promise<MeetingRecord>;
  /** Sets the state cancelled and raises SEQUENCE. */
  cancel(installationId: string, meetingId: string, at: Date): Promise<MeetingRecord>;
  markAttendanceTaken(installationId: string, meetingId: string, at: Date): Promise<void>;

  listRsvps(installationId: string, meetingId: string): Promise<RsvpRecord[]>;
  getRsvp(installationId: string, meetingId: string, memberId: string): Promise<RsvpRecord | null>;
  setRsvp(installationId: string, meetingId: string, memberId: string, rsvp: RsvpWrite): Promise<RsvpRecord>;
  setAttendance(installationId: string, meetingId: string, memberId: string, attendance: Attendance): Promise<boolean>;

  /** The network's meetings starting at or after `from`, earliest first (the calendar feed). */
  listForNetwork(installationId: string, networkId: string, from: Date, limit: number): Promise<MeetingRecord[]>;
  /** Scheduled meetings a member answered going, maybe or waitlist for, starting after `now`. */
  upcomingForMember(
    installationId: string,
    memberId: string,
    now: Date,
    limit: number,
  ): Promise<Array<{ meeting: MeetingRecord; status: RsvpStatus }>>;
  /** When each member last hosted a meeting of the network (members who never did are absent). */
  lastHosted(installationId: string, networkId: string): Promise<Map<string, Date>>;

  /** Across installations: scheduled meetings starting in (from, to] (sweeps). */
  startingBetween(from: Date, to: Date, limit: number): Promise<MeetingRecord[]>;
  /** Across installations: the earliest open waitlist offer's end after `after` (fake-clock jumps). */
  nextOfferExpiry(after: Date): Promise<Date | null>;
  /** Across installations: waitlist offers that ran out by `now` (sweeps). */
  expiredOffers(now: Date, limit: number): Promise<Array<{ meeting: MeetingRecord; memberId: string }>>;
  /** Across installations: scheduled meetings that started in [from, to) and have no attendance yet. */
  endedWithoutAttendance(from: Date, to: Date, limit: number): Promise<MeetingRecord[]>;

  /** meetings.csv a page at a time in start order (keyset: after the last row of the page before). */
  exportMeetings(
    installationId: string,
    networkId: string,
    after: { startsAt: Date; id: string } | null,
    limit: number,
  ): Promise<MeetingExportRow[]>;
  /** attendance.csv a page at a time (keyset on meeting start, meeting id, member id). */
  exportAttendance(
    installationId: string,
    networkId: string,
    after: { startsAt: Date; meetingId: string; memberId: string } | null,
    limit: number,
  ): Promise<AttendanceExportRow[]>;
}
