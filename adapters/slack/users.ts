/** Slack's user object → the core's PlatformUser. */
import type { PlatformUser } from '../../src/core/types.js';

export interface SlackUser {
  id?: string;
  name?: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  is_app_user?: boolean;
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  is_stranger?: boolean;
  tz?: string;
  locale?: string;
  profile?: { display_name?: string; real_name?: string };
}

/**
 * Name: display name, else real name, else the handle. Admins and owners count as admins (they
 * may act as coordinators). Guests (restricted, ultra-restricted) and people from other
 * organisations (Slack Connect strangers) are plain members: only bots and deactivated accounts
 * are left out, and that the core decides from `isBot` and `isDeleted`.
 */
export function toPlatformUser(u: SlackUser, fallbackId: string): PlatformUser {
  const id = u.id || fallbackId;
  const displayName =
    u.profile?.display_name?.trim() || u.real_name?.trim() || u.profile?.real_name?.trim() || u.name?.trim() || id;
  return {
    id,
    displayName,
    isBot: Boolean(u.is_bot) || id === 'USLACKBOT',
    isDeleted: Boolean(u.deleted),
    isAdmin: Boolean(u.is_admin || u.is_owner || u.is_primary_owner),
    ...(u.tz ? { timezone: u.tz } : {}),
    ...(u.locale ? { locale: u.locale } : {}),
  };
}
