/**
 * Buttons that are links (a URL opens in the browser). Slack still reports their click as an
 * action; it needs no answer. Every link button's action id is listed here, so the core answers
 * those clicks in one place instead of each feature doing so.
 */
import { MEETING_LINKS } from './meetings/announcement.js';
import { MY_DATA_DOWNLOAD } from './privacy/my-data.js';
import { DASHBOARD_OPEN } from './stats/commands.js';
import { EXPORT_FILES, exportLinkAction } from './tips/export.js';

const LINK_ACTIONS: ReadonlySet<string> = new Set([
  ...MEETING_LINKS,
  DASHBOARD_OPEN,
  MY_DATA_DOWNLOAD,
  ...EXPORT_FILES.map(exportLinkAction),
]);

export const isLinkAction = (actionId: string): boolean => LINK_ACTIONS.has(actionId);
