/**
 * `skip round` and `pause network <until>`: a coordinator's hold on the schedule. The scheduler
 * skips paused slots; the channel is told when the pause ends (src/core/nudges/resume.ts).
 */
import { formatLongDate } from '../../messages/i18n.js';
import type { Until } from '../commands/types.js';
import { isCoordinator, type RequestContext } from '../context.js';
import type { Reply } from '../inputs.js';
import { resolveUntil } from '../members/membership.js';

export async function skipRoundCommand(ctx: RequestContext): Promise<Reply> {
  const network = ctx.network;
  if (!network) return ctx.reply('error.noNetwork');
  if (!(await isCoordinator(ctx, network))) return ctx.reply('error.coordinatorOnly');
  await ctx.tx.networks.setSkipNextRound(ctx.installation.id, network.id, true);
  return ctx.reply('network.skipped');
}

export async function pauseNetworkCommand(ctx: RequestContext, until: Until, now: Date): Promise<Reply> {
  const network = ctx.network;
  if (!network) return ctx.reply('error.noNetwork');
  if (!(await isCoordinator(ctx, network))) return ctx.reply('error.coordinatorOnly');
  const end = resolveUntil(until, now, network.timezone);
  if (end <= now) return ctx.reply('member.pastDate');
  if (end.getTime() - now.getTime() > 366 * 86_400_000) return ctx.reply('member.tooFar');
  await ctx.tx.networks.setPause(ctx.installation.id, network.id, end);
  // Nothing scheduled goes out until then: what was queued for later (a check-in) is withdrawn.
  await ctx.tx.nudges.withdrawScheduled(ctx.installation.id, network.id, now, end);
  return ctx.reply('network.paused', { until: formatLongDate(end, ctx.locale, network.timezone) });
}
