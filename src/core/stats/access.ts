/**
 * What the process gives network health to reach people outside chat: signed dashboard links, the
 * API's address and fresh API tokens. Absent when Klik serves no HTTP (the commands say so).
 */
import type { Locale } from '../types.js';

/** Dashboard links work this long, once. */
export const DASHBOARD_VALID_MS = 15 * 60_000;

export interface DashboardGrant {
  installationId: string;
  networkId: string;
  memberId: string;
  /** The language of the page (the network's). */
  locale: Locale;
  expiresAt: Date;
}

export interface StatsAccess {
  /** A signed, single-use link to the dashboard. */
  dashboardLink(grant: DashboardGrant): string;
  /** Where `GET /api/networks/:id/stats` lives for this network. */
  apiUrl(networkId: string): string;
  /** A new random API token and the keyed hash to store in its place. */
  newApiToken(): { token: string; hash: string };
}
