/**
 * `export` (coordinator): a private, expiring download link to the network's CSV files. The link
 * is made by the process (it signs with KLIK_SECRET_KEY); the HTTP server streams the files.
 */
import { context, section } from '../../messages/model.js';
import { isCoordinator, type RequestContext } from '../context.js';
import type { Reply } from '../inputs.js';

const FILE_LABELS = {
  tips: 'export.file.tips',
  members: 'export.file.members',
  meetings: 'export.file.meetings',
  attendance: 'export.file.attendance',
} as const;

/** The action id of a file's download button (a link: see `link-actions.ts`). */
export const exportLinkAction = (file: ExportFile): string => `export.${file}`;

/** Download links are valid this long. */
export const EXPORT_VALID_MS = 15 * 60_000;

export const EXPORT_FILES = ['tips', 'members', 'meetings', 'attendance'] as const;
export type ExportFile = (typeof EXPORT_FILES)[number];

export interface ExportGrant {
  installationId: string;
  networkId: string;
  memberId: string;
  expiresAt: Date;
}

/** Makes signed download links; absent when the process serves no HTTP downloads. */
export interface ExportLinks {
  link(grant: ExportGrant, file: ExportFile): string;
}

export async function exportCommand(ctx: RequestContext, links: ExportLinks | undefined, now: Date): Promise<Reply> {
  const network = ctx.network;
  if (!network) return ctx.reply('error.noNetwork');
  if (!(await isCoordinator(ctx, network))) return ctx.reply('error.coordinatorOnly');
  if (!links) return ctx.reply('export.unavailable');
  const grant: ExportGrant = {
    installationId: ctx.installation.id,
    networkId: network.id,
    memberId: ctx.member.id,
    expiresAt: new Date(now.getTime() + EXPORT_VALID_MS),
  };
  const { t } = ctx;
  const text = t('export.ready');
  const linkButton = (file: ExportFile) => ({
    type: 'button' as const,
    label: t(FILE_LABELS[file]),
    actionId: exportLinkAction(file),
    value: file,
    url: links.link(grant, file),
  });
  return {
    kind: 'message',
    message: {
      text,
      blocks: [
        section(text),
        { type: 'actions', elements: EXPORT_FILES.map(linkButton) },
        context(t('export.private')),
      ],
    },
  };
}
