/** Domain types shared across the core. Plain data, no platform detail. */

export const LOCALES = ['nl', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const PLATFORMS = ['slack', 'teams', 'local'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const CADENCES = ['weekly', 'biweekly', 'monthly', 'off'] as const;
export type Cadence = (typeof CADENCES)[number];

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const POOLS = ['channel', 'opt-in'] as const;
export type Pool = (typeof POOLS)[number];

export const NUDGE_KINDS = [
  'pairing',
  'check-in',
  'reminders',
  'reconfirm',
  'rhythm',
  'poll-reminder',
  'digest',
  'quiet-member',
  'milestones',
] as const;
export type NudgeKind = (typeof NUDGE_KINDS)[number];

export type NetworkState = 'pending' | 'active';

/** "HH:MM" in 24-hour time. */
export type ClockTime = string;

export interface QuietHours {
  /** Start of the allowed window, "HH:MM" (nudges from here). */
  start: ClockTime;
  /** End of the allowed window, "HH:MM" (nudges until here, exclusive). */
  end: ClockTime;
}

export interface NetworkSettings {
  name: string;
  purpose: string;
  locale: Locale;
  timezone: string;
  cadence: Cadence;
  day: Weekday;
  time: ClockTime;
  groupSize: number;
  pool: Pool;
  rhythmWeeks: number;
  digest: Weekday | 'off';
  quietHours: QuietHours;
  postNewTips: boolean;
  shareNotes: boolean;
  nudges: Record<NudgeKind, boolean>;
}

export interface Network extends NetworkSettings {
  id: string;
  installationId: string;
  channelId: string;
  state: NetworkState;
  /** Nothing scheduled goes out before this instant. */
  pausedUntil: Date | null;
  /** The next pairing round is skipped once. */
  skipNextRound: boolean;
  createdAt: Date;
}

export interface Installation {
  id: string;
  platform: Platform;
  /** Slack team id, Teams tenant id, or "local". */
  externalId: string;
  name: string;
}

export interface Member {
  id: string;
  installationId: string;
  platformUserId: string;
  displayName: string;
  organisationId: string | null;
  role: string | null;
  canShare: string | null;
  wantsToLearn: string | null;
  nickname: string | null;
  timezone: string | null;
  locale: Locale | null;
}

export type MembershipStatus = 'active' | 'paused' | 'left';

export interface Membership {
  networkId: string;
  memberId: string;
  status: MembershipStatus;
  /** Said `join` (what an opt-in pool pairs). */
  optedIn: boolean;
  pausedUntil: Date | null;
  joinedAt: Date;
  leftAt: Date | null;
}

export interface Organisation {
  id: string;
  networkId: string;
  name: string;
}

/** A user as the platform describes them. */
export interface PlatformUser {
  id: string;
  displayName: string;
  isBot: boolean;
  isDeleted: boolean;
  isAdmin: boolean;
  timezone?: string;
  locale?: string;
}

export const DEFAULT_NUDGES: Record<NudgeKind, boolean> = Object.fromEntries(
  NUDGE_KINDS.map((k) => [k, true]),
) as Record<NudgeKind, boolean>;

export function defaultSettings(locale: Locale, timezone: string, name: string): NetworkSettings {
  return {
    name,
    purpose: '',
    locale,
    timezone,
    cadence: 'biweekly',
    day: 'mon',
    time: '09:00',
    groupSize: 2,
    pool: 'channel',
    rhythmWeeks: 6,
    digest: 'fri',
    quietHours: { start: '08:00', end: '18:00' },
    postNewTips: true,
    shareNotes: true,
    nudges: { ...DEFAULT_NUDGES },
  };
}
