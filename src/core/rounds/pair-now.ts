/** `pair now`: a coordinator runs a round at once (allowed in quiet hours: a person's explicit act). */
import { isCoordinator, type RequestContext } from '../context.js';
import { PlatformError } from '../errors.js';
import type { Reply } from '../inputs.js';
import { notInChannelReply } from '../networks/setup.js';
import type { PlatformUser } from '../types.js';
import { runRound } from './run-round.js';

export async function pairNowCommand(ctx: RequestContext, now: Date): Promise<Reply> {
  const network = ctx.network;
  if (network?.state !== 'active') return ctx.reply('error.noNetwork');
  if (!(await isCoordinator(ctx, network))) return ctx.reply('error.coordinatorOnly');
  let roster: PlatformUser[] | null = null;
  if (ctx.platform) {
    try {
      roster = await ctx.platform.listChannelMembers(ctx.ref, network.channelId);
    } catch (err) {
      if (err instanceof PlatformError && (err.code === 'not_in_channel' || err.code === 'channel_not_found')) {
        return notInChannelReply(ctx);
      }
      throw err;
    }
  }
  const outcome = await runRound(ctx.tx, network, { trigger: 'manual', slot: null, now, roster });
  if (!outcome.ok) return ctx.reply('round.notEnough');
  const text = [
    ctx.t('round.started', { groups: outcome.groups }),
    ...(outcome.repeats > 0 ? [ctx.t('round.repeats', { count: outcome.repeats })] : []),
  ].join('\n');
  return { kind: 'message', message: { text, blocks: [{ type: 'section', text }] } };
}
