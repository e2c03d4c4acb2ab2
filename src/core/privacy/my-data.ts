/**
 * `my-data` (`mijn-gegevens`): everything Klik holds about the caller across the installation, as a
 * private message, with a single-use link to download it all as JSON.
 */
import { formatDateTime } from '../../messages/i18n.js';
import { actions, context, fields, type Message, section } from '../../messages/model.js';
import type { RequestContext } from '../context.js';
import type { Reply } from '../inputs.js';
import { MY_DATA_VALID_MS, type MyDataLinks } from './links.js';
import type { MyData } from './ports.js';

/** The JSON download button (a link: see `link-actions.ts`). */
export const MY_DATA_DOWNLOAD = 'privacy.download';

const LATEST_PAIRINGS = 5;

const STATUS_KEYS = {
  active: 'privacy.status.active',
  paused: 'privacy.status.paused',
  left: 'privacy.status.left',
  pending: 'privacy.status.pending',
  coordinator: 'privacy.status.coordinator',
} as const;

export function myDataMessage(ctx: RequestContext, data: MyData, link: string | null): Message {
  const { t } = ctx;
  const none = t('privacy.empty');
  const m = data.member;
  const zone = m.timezone ?? ctx.network?.timezone ?? 'Europe/Amsterdam';
  const status = (s: string) => t(STATUS_KEYS[s as keyof typeof STATUS_KEYS] ?? 'privacy.status.active');
  const networks = data.memberships.map((n) => {
    const parts = n.status === 'coordinator' ? [] : [status(n.status)];
    if (n.coordinator) parts.push(t('privacy.status.coordinator'));
    return `${n.networkName} (${parts.join(', ')})`;
  });
  const latest = data.pairings.slice(-LATEST_PAIRINGS).reverse();
  const pairingLines = latest.map((p) =>
    t('privacy.myData.pairing', {
      network: p.networkName,
      date: formatDateTime(p.startedAt, ctx.locale, zone, false),
      partners: p.partners.map((x) => x ?? t('privacy.partner.forgotten')).join(', ') || none,
    }),
  );
  const counts = t('privacy.myData.counts', {
    pairings: data.pairings.length,
    notes: data.pairings.filter((p) => p.note).length,
    avoiding: data.avoiding.length,
    votes: data.votes.length,
    rsvps: data.rsvps.length,
    tips: data.tips.length,
    upvotes: data.upvoted.length,
  });
  const field = (label: Parameters<typeof t>[0], value: string | null) => ({
    label: (t as (k: string) => string)(label),
    value: value?.trim() ? value : none,
  });
  return {
    text: t('privacy.myData.title'),
    blocks: [
      { type: 'header', text: t('privacy.myData.title') },
      section(t('privacy.myData.intro')),
      fields([
        field('privacy.field.name', m.displayName),
        field('privacy.field.organisation', m.organisation),
        field('privacy.field.role', m.role),
        field('privacy.field.canShare', m.canShare),
        field('privacy.field.wantsToLearn', m.wantsToLearn),
        field('privacy.field.nickname', m.nickname),
        field('privacy.field.timezone', m.timezone),
        field('privacy.field.language', m.locale === 'nl' || m.locale === 'en' ? t(`value.locale.${m.locale}`) : null),
      ]),
      section(
        networks.length > 0
          ? t('privacy.myData.networks', { list: networks.join(', ') })
          : t('privacy.myData.noNetworks'),
      ),
      section(counts),
      ...(pairingLines.length > 0 ? [section(`${t('privacy.myData.latest')}\n${pairingLines.join('\n')}`)] : []),
      ...(link
        ? [
            actions({
              type: 'button' as const,
              label: t('privacy.myData.download'),
              actionId: MY_DATA_DOWNLOAD,
              value: 'json',
              url: link,
            }),
            context(t('privacy.myData.private')),
          ]
        : [context(t('privacy.myData.noLink'))]),
      context(t('privacy.myData.forgetHint')),
    ],
  };
}

export async function myDataCommand(ctx: RequestContext, links: MyDataLinks | undefined, now: Date): Promise<Reply> {
  const data = await ctx.tx.privacy.collect(ctx.installation.id, ctx.member.id);
  if (!data) return ctx.reply('error.generic');
  const link = links
    ? links.link({
        installationId: ctx.installation.id,
        memberId: ctx.member.id,
        locale: ctx.locale,
        expiresAt: new Date(now.getTime() + MY_DATA_VALID_MS),
      })
    : null;
  return { kind: 'message', message: myDataMessage(ctx, data, link) };
}
