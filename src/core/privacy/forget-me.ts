/**
 * `forget-me` (`vergeet-mij`): after a confirmation button, in the same request, the member leaves
 * pairing in every network of the installation and becomes an anonymous tombstone. History keeps
 * the tombstone's id (repeat avoidance for the others holds; votes and RSVPs keep tallies honest),
 * tips stay without author, and a keyed hash of the platform id stops roster syncs re-enrolling them.
 */
import { actions, button, context, type Message, section } from '../../messages/model.js';
import type { RequestContext } from '../context.js';
import type { Reply } from '../inputs.js';
import { coordinatorLeftChannel } from '../networks/coordinators.js';
import { rematchAfterLeaving } from '../rounds/leaver.js';
import type { Network } from '../types.js';

export const FORGET_CONFIRM = 'privacy.forget.confirm';
export const FORGET_CANCEL = 'privacy.forget.cancel';

async function networksOf(ctx: RequestContext): Promise<Network[]> {
  const ids = await ctx.tx.privacy.networkIdsOf(ctx.installation.id, ctx.member.id);
  const found = await Promise.all(ids.map((id) => ctx.tx.networks.get(ctx.installation.id, id)));
  return found.filter((n): n is Network => n !== null);
}

/** Networks where the member is the only coordinator. */
async function lastCoordinatorOf(ctx: RequestContext, networks: Network[]): Promise<Network[]> {
  const last: Network[] = [];
  for (const n of networks) {
    const coordinators = await ctx.tx.coordinators.list(ctx.installation.id, n.id);
    if (coordinators.length === 1 && coordinators[0]?.id === ctx.member.id) last.push(n);
  }
  return last;
}

export async function forgetMeCommand(ctx: RequestContext): Promise<Reply> {
  const { t } = ctx;
  const last = await lastCoordinatorOf(ctx, await networksOf(ctx));
  const message: Message = {
    text: t('privacy.forget.confirm'),
    blocks: [
      section(t('privacy.forget.confirm')),
      ...(last.length > 0
        ? [context(t('privacy.forget.lastCoordinator', { networks: last.map((n) => n.name).join(', ') }))]
        : []),
      actions(
        button(t('privacy.forget.yes'), FORGET_CONFIRM, ctx.member.id, 'danger'),
        button(t('privacy.forget.no'), FORGET_CANCEL, ctx.member.id),
      ),
    ],
  };
  return { kind: 'message', message };
}

export async function confirmForget(ctx: RequestContext, memberId: string, now: Date): Promise<Reply> {
  if (memberId !== ctx.member.id) return ctx.reply('privacy.forget.notYours');
  const inst = ctx.installation.id;
  const member = ctx.member;
  for (const network of await networksOf(ctx)) {
    // A coordinator stops coordinating; when none is left, the longest-standing member is asked.
    await coordinatorLeftChannel(ctx.tx, network, member, now);
    const membership = await ctx.tx.members.getMembership(inst, network.id, member.id);
    if (membership && membership.status !== 'left') {
      await ctx.tx.members.setMembership(inst, network.id, member.id, 'left', now);
      await ctx.tx.members.setOptedIn(inst, network.id, member.id, false);
      await rematchAfterLeaving(ctx.tx, network, member, now);
    }
  }
  const result = await ctx.tx.privacy.forget(inst, member.id, now);
  if (!result) return { kind: 'update', message: ctx.message('privacy.forget.already') };
  return { kind: 'update', message: ctx.message('privacy.forget.done') };
}

export async function cancelForget(ctx: RequestContext, memberId: string): Promise<Reply> {
  if (memberId !== ctx.member.id) return ctx.reply('privacy.forget.notYours');
  return { kind: 'update', message: ctx.message('privacy.forget.cancelled') };
}
