/** `org add <name>` (coordinators) and `org list` (anyone). */
import { section } from '../../messages/model.js';
import { isCoordinator, type RequestContext } from '../context.js';
import type { Reply } from '../inputs.js';

const MAX_NAME = 100;

export async function orgAdd(ctx: RequestContext, rawName: string): Promise<Reply> {
  const network = ctx.network;
  if (!network) return ctx.reply('error.noNetwork');
  if (!(await isCoordinator(ctx, network))) return ctx.reply('error.coordinatorOnly');
  const name = rawName.trim().replace(/\s+/g, ' ');
  if (name.length > MAX_NAME) return ctx.reply('org.tooLong');
  const added = await ctx.tx.organisations.add(ctx.installation.id, network.id, name);
  return added ? ctx.reply('org.added', { name }) : ctx.reply('org.exists', { name });
}

export async function orgList(ctx: RequestContext): Promise<Reply> {
  const network = ctx.network;
  if (!network) return ctx.reply('error.noNetwork');
  const orgs = await ctx.tx.organisations.list(ctx.installation.id, network.id);
  if (orgs.length === 0) return ctx.reply('org.list.empty');
  const title = ctx.t('org.list.title');
  const list = orgs.map((o) => `• ${o.name}`).join('\n');
  return {
    kind: 'message',
    message: { text: `${title}: ${orgs.map((o) => o.name).join(', ')}`, blocks: [section(`*${title}*\n${list}`)] },
  };
}
