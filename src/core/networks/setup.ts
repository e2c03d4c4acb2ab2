/**
 * `setup`: creates the network in this channel (pending), shows the coordinator who will be
 * greeted, and only on their confirmation announces Klik in the channel and welcomes each member.
 */
import { dayName } from '../../messages/i18n.js';
import { actions, button, context, type Message, mention, section } from '../../messages/model.js';
import type { KlikDefaults } from '../context.js';
import { isCoordinator, type RequestContext } from '../context.js';
import { PlatformError } from '../errors.js';
import type { Reply } from '../inputs.js';
import { enqueueWelcome } from '../members/welcome.js';
import { defaultSettings, type Member, type Network, type PlatformUser } from '../types.js';

export const SETUP_CONFIRM = 'setup.confirm';
export const SETUP_CANCEL = 'setup.cancel';

const PREVIEW_NAMES = 30;

export const isHuman = (u: PlatformUser): boolean => !u.isBot && !u.isDeleted;

export function notInChannelReply(ctx: RequestContext): Reply {
  const key =
    ctx.installation.platform === 'slack'
      ? 'error.notInChannel.slack'
      : ctx.installation.platform === 'teams'
        ? 'error.notInChannel.teams'
        : 'error.notInChannel.local';
  return { kind: 'message', message: { text: ctx.t(key), blocks: [section(ctx.t(key))] } };
}

/** The channel's human members, or null when the bot cannot see the channel. */
async function channelHumans(ctx: RequestContext, channelId: string): Promise<PlatformUser[] | null> {
  if (!ctx.platform) return [];
  try {
    const humans = (await ctx.platform.listChannelMembers(ctx.ref, channelId)).filter(isHuman);
    // Whoever asked Klik to forget them is neither listed nor welcomed.
    const forgotten = await ctx.tx.privacy.forgottenAmong(
      ctx.installation.id,
      humans.map((u) => u.id),
    );
    return humans.filter((u) => !forgotten.has(u.id));
  } catch (err) {
    if (err instanceof PlatformError && (err.code === 'not_in_channel' || err.code === 'channel_not_found'))
      return null;
    throw err;
  }
}

function previewMessage(ctx: RequestContext, network: Network, others: PlatformUser[]): Message {
  const { t } = ctx;
  const names = others.slice(0, PREVIEW_NAMES).map((u) => mention(u.id, u.displayName));
  const more = others.length - names.length;
  const list =
    others.length === 0
      ? t('setup.preview.none')
      : `${t('setup.preview.body', { count: others.length })}\n${names.join(', ')}${more > 0 ? ` +${more}` : ''}`;
  return {
    text: t('setup.preview.title'),
    blocks: [
      { type: 'header', text: t('setup.preview.title') },
      section(list),
      context(
        t('setup.preview.settings', {
          cadence: t(`value.cadence.${network.cadence}`),
          day: dayName(network.day, ctx.locale),
          time: network.time,
          timezone: network.timezone,
        }),
      ),
      ...(network.purpose ? [] : [context(t('setup.preview.purposeHint'))]),
      actions(
        button(t('setup.confirm'), SETUP_CONFIRM, network.id, 'primary'),
        button(t('setup.cancel'), SETUP_CANCEL, network.id),
      ),
    ],
  };
}

export async function setupCommand(
  ctx: RequestContext,
  input: { channelId: string; channelName?: string; isDirect: boolean },
  defaults: KlikDefaults,
  now: Date,
): Promise<Reply> {
  if (input.isDirect) return ctx.reply('error.inChannelOnly');
  let network = ctx.network;
  if (network?.state === 'active') return ctx.reply('setup.already');
  if (network && !(await isCoordinator(ctx, network))) return ctx.reply('error.coordinatorOnly');

  const humans = await channelHumans(ctx, input.channelId);
  if (humans === null) return notInChannelReply(ctx);

  if (!network) {
    const name = input.channelName ? `#${input.channelName.replace(/^#/, '')}` : 'Klik';
    network = await ctx.tx.networks.create({
      installationId: ctx.installation.id,
      channelId: input.channelId,
      settings: defaultSettings(defaults.locale, defaults.timezone, name),
      createdBy: ctx.member.id,
      createdAt: now,
    });
    await ctx.tx.coordinators.add(ctx.installation.id, network.id, ctx.member.id, null);
    await ctx.tx.members.setMembership(ctx.installation.id, network.id, ctx.member.id, 'active', now);
  }
  const others = humans.filter((u) => u.id !== ctx.member.platformUserId);
  return { kind: 'message', message: previewMessage(ctx, network, others) };
}

function announcement(ctx: RequestContext, network: Network, coordinator: Member): Message {
  const t = ctx.tChannel;
  const blocks = [
    { type: 'header' as const, text: t('setup.announce.title', { name: network.name }) },
    section(t('setup.announce.body', { coordinator: mention(coordinator.platformUserId, coordinator.displayName) })),
    ...(network.purpose ? [section(t('setup.announce.purpose', { purpose: network.purpose }))] : []),
    context(t('setup.announce.footer')),
  ];
  return { text: t('setup.announce.title', { name: network.name }), blocks };
}

/** The coordinator confirmed the preview: activate, announce and welcome, all in one transaction. */
export async function confirmSetup(ctx: RequestContext, networkId: string, now: Date): Promise<Reply> {
  const network = await ctx.tx.networks.get(ctx.installation.id, networkId);
  if (!network) return { kind: 'update', message: ctx.message('error.expired') };
  if (!(await isCoordinator(ctx, network))) return ctx.reply('error.coordinatorOnly');
  if (network.state === 'active') return { kind: 'update', message: ctx.message('setup.alreadyStarted') };

  const humans = await channelHumans(ctx, network.channelId);
  if (humans === null) return notInChannelReply(ctx);

  // A double click: the second transaction waits on the row and finds it already active.
  if (!(await ctx.tx.networks.activate(ctx.installation.id, network.id))) {
    return { kind: 'update', message: ctx.message('setup.alreadyStarted') };
  }
  const active = { ...network, state: 'active' as const };
  const channelCtx = { ...ctx, network: active, tChannel: ctx.translatorFor(active.locale) };
  await ctx.tx.outbox.enqueue({
    installationId: ctx.installation.id,
    networkId: network.id,
    key: `setup:${network.id}:announce`,
    target: { kind: 'channel', channelId: network.channelId },
    message: announcement(channelCtx, active, ctx.member),
  });
  let welcomed = 0;
  for (const user of humans) {
    const member = await ctx.tx.members.upsertFromPlatform(ctx.installation.id, user);
    await ctx.tx.members.setMembership(ctx.installation.id, network.id, member.id, 'active', now);
    if (member.id === ctx.member.id) continue;
    if (await enqueueWelcome(ctx.tx, active, member, now)) welcomed++;
  }
  return { kind: 'update', message: ctx.message('setup.started', { count: welcomed }) };
}

export async function cancelSetup(ctx: RequestContext, networkId: string): Promise<Reply> {
  const network = await ctx.tx.networks.get(ctx.installation.id, networkId);
  if (!network || network.state === 'active') return { kind: 'update', message: ctx.message('error.expired') };
  if (!(await isCoordinator(ctx, network))) return ctx.reply('error.coordinatorOnly');
  await ctx.tx.networks.remove(ctx.installation.id, network.id);
  return { kind: 'update', message: ctx.message('setup.cancelled') };
}
