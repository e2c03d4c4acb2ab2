/**
 * `coordinator add|remove @user`: the last coordinator cannot leave without a successor. A
 * coordinator who leaves the channel stops coordinating; when none is left, the longest-standing
 * member is asked to take over.
 */
import { translator } from '../../messages/i18n.js';
import { actions, button, mention, section } from '../../messages/model.js';
import { isCoordinator, type RequestContext } from '../context.js';
import type { Reply } from '../inputs.js';
import type { StoreTx } from '../ports.js';
import { sendableFrom } from '../schedule/quiet-hours.js';
import type { Member, Network } from '../types.js';

export async function coordinatorCommand(
  ctx: RequestContext,
  input: { op: 'add' | 'remove'; userId: string },
): Promise<Reply> {
  const network = ctx.network;
  if (!network) return ctx.reply('error.noNetwork');
  if (!(await isCoordinator(ctx, network))) return ctx.reply('error.coordinatorOnly');
  const inst = ctx.installation.id;

  if (input.op === 'add') {
    const user = ctx.platform ? await ctx.platform.getUser(ctx.ref, input.userId).catch(() => null) : null;
    if (!user || user.isDeleted) return ctx.reply('coordinator.userUnknown');
    if (user.isBot) return ctx.reply('coordinator.bot');
    const member = await ctx.tx.members.upsertFromPlatform(inst, user);
    const name = mention(member.platformUserId, member.displayName);
    const added = await ctx.tx.coordinators.add(inst, network.id, member.id, ctx.member.id);
    return added ? ctx.reply('coordinator.added', { name }) : ctx.reply('coordinator.alreadyAdded', { name });
  }

  const member = await ctx.tx.members.findByPlatformId(inst, input.userId);
  const name = member ? mention(member.platformUserId, member.displayName) : mention(input.userId, input.userId);
  const current = await ctx.tx.coordinators.list(inst, network.id);
  if (!member || !current.some((c) => c.id === member.id)) return ctx.reply('coordinator.notOne', { name });
  if (current.length <= 1) return ctx.reply('coordinator.lastOne');
  await ctx.tx.coordinators.remove(inst, network.id, member.id);
  return ctx.reply('coordinator.removed', { name });
}

/** Action: "yes, I will coordinate" (value: the network id). */
export const COORDINATOR_TAKE_OVER = 'coordinator.takeOver';

/** Claimed per member asked to take over (slot: the member id), so nobody is asked twice. */
export const TAKEOVER_ASK = 'takeover-ask';
/** Unanswered this long, the next longest-standing member is asked. */
export const TAKEOVER_WAIT_DAYS = 7;

/**
 * A member left the channel: when they coordinated, they no longer do; when nobody is left to
 * coordinate, the longest-standing member is asked (a DM with a button) to take over.
 */
export async function coordinatorLeftChannel(tx: StoreTx, network: Network, member: Member, now: Date): Promise<void> {
  const inst = network.installationId;
  if (!(await tx.coordinators.isCoordinator(inst, network.id, member.id))) return;
  await tx.coordinators.remove(inst, network.id, member.id);
  if ((await tx.coordinators.list(inst, network.id)).length > 0) return;
  await askToTakeOver(tx, network, now, 'member-event', member.id);
}

/**
 * Asks the longest-standing member still in the network who was not asked before; returns whether
 * someone was asked. Once per member across processes: the claim commits with the DM.
 */
export async function askToTakeOver(
  tx: StoreTx,
  network: Network,
  now: Date,
  claimedBy: string,
  leaverId?: string,
): Promise<boolean> {
  const inst = network.installationId;
  const candidates = (await tx.members.listMemberships(inst, network.id))
    .filter((m) => m.memberId !== leaverId && m.status !== 'left')
    .sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime() || a.memberId.localeCompare(b.memberId));
  for (const successor of candidates) {
    if (await tx.jobClaims.get(network.id, TAKEOVER_ASK, successor.memberId)) continue;
    const won = await tx.jobClaims.claim({
      installationId: inst,
      networkId: network.id,
      kind: TAKEOVER_ASK,
      slot: successor.memberId,
      outcome: 'run',
      claimedBy,
      at: now,
    });
    if (!won) return false;
    const t = translator(successor.member.locale ?? network.locale);
    const text = t('nudge.takeover.ask', { name: network.name });
    let notBefore: Date;
    try {
      notBefore = sendableFrom(now, successor.member.timezone ?? network.timezone, network.quietHours);
    } catch {
      notBefore = sendableFrom(now, network.timezone, network.quietHours);
    }
    await tx.outbox.enqueue({
      installationId: inst,
      networkId: network.id,
      key: `takeover:${network.id}:${successor.memberId}`,
      target: { kind: 'user', memberId: successor.memberId },
      message: {
        text,
        blocks: [
          section(text),
          actions(button(t('nudge.takeover.button'), COORDINATOR_TAKE_OVER, network.id, 'primary')),
        ],
      },
      notBefore,
    });
    return true;
  }
  return false;
}

/** The asked member takes over, unless someone already coordinates; the channel is told. */
export async function takeOverCoordination(ctx: RequestContext, networkId: string): Promise<Reply> {
  const inst = ctx.installation.id;
  const network = await ctx.tx.networks.get(inst, networkId);
  if (!network) return ctx.reply('error.expired');
  const current = await ctx.tx.coordinators.list(inst, network.id);
  if (current.length > 0) {
    return current.some((c) => c.id === ctx.member.id)
      ? { kind: 'update', message: ctx.message('nudge.takeover.done', { name: network.name }) }
      : { kind: 'update', message: ctx.message('nudge.takeover.taken') };
  }
  const membership = await ctx.tx.members.getMembership(inst, network.id, ctx.member.id);
  if (!membership || membership.status === 'left') return ctx.reply('error.expired');
  await ctx.tx.coordinators.add(inst, network.id, ctx.member.id, null);
  const text = translator(network.locale)('nudge.takeover.announce', {
    name: mention(ctx.member.platformUserId, ctx.member.displayName),
  });
  await ctx.tx.outbox.enqueue({
    installationId: inst,
    networkId: network.id,
    key: `takeover:${network.id}:announce:${ctx.member.id}:${membership.joinedAt.toISOString()}`,
    target: { kind: 'channel', channelId: network.channelId },
    message: { text, blocks: [section(text)] },
  });
  return { kind: 'update', message: ctx.message('nudge.takeover.done', { name: network.name }) };
}
