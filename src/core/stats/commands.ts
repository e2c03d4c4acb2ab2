/**
 * Coordinators' network health: `stats` (the figures as a message), `dashboard` (a private,
 * single-use link to charts and the network picture) and `settings api-token [revoke]`.
 */
import { context, section } from '../../messages/model.js';
import { isCoordinator, type RequestContext } from '../context.js';
import type { Reply } from '../inputs.js';
import type { StoreTx } from '../ports.js';
import type { Network } from '../types.js';
import { DASHBOARD_VALID_MS, type StatsAccess } from './access.js';
import { computeStats, MONTHS, monthWindows, type NetworkStats } from './compute.js';
import { type NetworkGraph, networkGraph } from './graph.js';
import { statsMessage } from './message.js';

/** The figures of one network at `now` (and, when asked, the network picture). */
export async function loadStats(
  tx: StoreTx,
  network: Network,
  now: Date,
  anonymous: string,
): Promise<{ stats: NetworkStats; graph: NetworkGraph }> {
  const since = monthWindows(now, network.timezone, MONTHS)[0]?.from ?? now;
  const facts = await tx.stats.facts(network.installationId, network.id, since, now);
  return { stats: computeStats(facts, now, network.timezone), graph: networkGraph(facts, anonymous) };
}

async function coordinatorNetwork(ctx: RequestContext): Promise<Network | Reply> {
  const network = ctx.network;
  if (!network) return ctx.reply('error.noNetwork');
  if (!(await isCoordinator(ctx, network))) return ctx.reply('error.coordinatorOnly');
  return network;
}

const isReply = (x: Network | Reply): x is Reply => 'kind' in x;

export async function statsCommand(ctx: RequestContext, now: Date): Promise<Reply> {
  const network = await coordinatorNetwork(ctx);
  if (isReply(network)) return network;
  const { stats } = await loadStats(ctx.tx, network, now, ctx.t('tips.anonymous'));
  return { kind: 'message', message: statsMessage(ctx.t, ctx.locale, network.name, stats) };
}

export async function dashboardCommand(
  ctx: RequestContext,
  access: StatsAccess | undefined,
  now: Date,
): Promise<Reply> {
  const network = await coordinatorNetwork(ctx);
  if (isReply(network)) return network;
  if (!access) return ctx.reply('dashboard.unavailable');
  const url = access.dashboardLink({
    installationId: ctx.installation.id,
    networkId: network.id,
    memberId: ctx.member.id,
    locale: network.locale,
    expiresAt: new Date(now.getTime() + DASHBOARD_VALID_MS),
  });
  const text = ctx.t('dashboard.ready');
  return {
    kind: 'message',
    message: {
      text,
      blocks: [
        section(text),
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              label: ctx.t('dashboard.open'),
              actionId: DASHBOARD_OPEN,
              value: 'dashboard',
              style: 'primary',
              url,
            },
          ],
        },
        context(ctx.t('dashboard.private')),
      ],
    },
  };
}

/** The dashboard button (a link: see `link-actions.ts`). */
export const DASHBOARD_OPEN = 'dashboard.open';

const REVOKE_WORDS = new Set(['revoke', 'intrekken', 'in-trekken', 'off', 'uit', 'stop']);

/** `settings api-token` issues a token (shown once, replacing the earlier one); `… revoke` revokes. */
export async function apiTokenCommand(
  ctx: RequestContext,
  access: StatsAccess | undefined,
  value: string | undefined,
  now: Date,
): Promise<Reply> {
  const network = await coordinatorNetwork(ctx);
  if (isReply(network)) return network;
  const word = (value ?? '').trim().toLowerCase();
  if (word !== '' && !REVOKE_WORDS.has(word)) return ctx.reply('apiToken.usage');
  if (word !== '') {
    const revoked = await ctx.tx.apiTokens.revokeAll(ctx.installation.id, network.id, now);
    return ctx.reply(revoked > 0 ? 'apiToken.revoked' : 'apiToken.noneToRevoke');
  }
  if (!access) return ctx.reply('apiToken.unavailable');
  const { token, hash } = access.newApiToken();
  const replaced = await ctx.tx.apiTokens.issue({
    installationId: ctx.installation.id,
    networkId: network.id,
    tokenHash: hash,
    createdBy: ctx.member.id,
    at: now,
  });
  const text = ctx.t('apiToken.issued', { token, url: access.apiUrl(network.id) });
  return {
    kind: 'message',
    message: {
      text,
      blocks: [
        section(text),
        context(replaced > 0 ? `${ctx.t('apiToken.once')} ${ctx.t('apiToken.replaced')}` : ctx.t('apiToken.once')),
      ],
    },
  };
}
