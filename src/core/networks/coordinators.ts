/** `coordinator add|remove @user`: the last coordinator cannot leave without a successor. */
import { mention } from '../../messages/model.js';
import { isCoordinator, type RequestContext } from '../context.js';
import type { Reply } from '../inputs.js';

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
