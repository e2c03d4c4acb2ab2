/** `avoid @user`: a member's confidential "don't pair me with" list, respected by every round. */
import { mention } from '../../messages/model.js';
import type { RequestContext } from '../context.js';
import type { Reply } from '../inputs.js';

export async function avoidCommand(
  ctx: RequestContext,
  input: { op: 'add' | 'remove'; userId: string } | { op: 'list' },
): Promise<Reply> {
  const network = ctx.network;
  if (!network) return ctx.reply('error.noNetwork');
  const inst = ctx.installation.id;
  if (input.op === 'list') {
    const ids = await ctx.tx.pairing.exclusionsOf(inst, network.id, ctx.member.id);
    if (ids.length === 0) return ctx.reply('avoid.empty');
    const names = (await ctx.tx.members.getMany(inst, ids)).map((m) => mention(m.platformUserId, m.displayName));
    return ctx.reply('avoid.list', { names: names.join(', ') });
  }
  if (input.userId === ctx.member.platformUserId) return ctx.reply('avoid.self');
  let other = await ctx.tx.members.findByPlatformId(inst, input.userId);
  if (!other && input.op === 'add' && ctx.platform) {
    const user = await ctx.platform.getUser(ctx.ref, input.userId).catch(() => null);
    // Someone who asked Klik to forget them is not written back by another member's list.
    if (user && !user.isBot && !(await ctx.tx.privacy.isForgotten(inst, user.id)))
      other = await ctx.tx.members.upsertFromPlatform(inst, user);
  }
  if (!other) return ctx.reply('coordinator.userUnknown');
  const name = mention(other.platformUserId, other.displayName);
  if (input.op === 'add') {
    const added = await ctx.tx.pairing.addExclusion(inst, network.id, ctx.member.id, other.id);
    return added ? ctx.reply('avoid.added', { name }) : ctx.reply('avoid.already', { name });
  }
  const removed = await ctx.tx.pairing.removeExclusion(inst, network.id, ctx.member.id, other.id);
  return removed ? ctx.reply('avoid.removed', { name }) : ctx.reply('avoid.notOnList', { name });
}
