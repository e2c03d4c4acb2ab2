/**
 * `GET /api/networks/:id/stats`: a network's figures as JSON, for a coordinator's API token
 * (`Authorization: Bearer`, issued by `settings api-token`). A missing, unknown or revoked token
 * gets 401; a token for another network (or a network that is gone) gets 404. Neither carries data.
 * The JSON names nobody: quiet members are a count.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Clock, Logger, Store } from '../core/ports.js';
import { loadStats } from '../core/stats/commands.js';
import type { NetworkStats } from '../core/stats/compute.js';
import type { Network } from '../core/types.js';
import type { SecretBox } from '../security/crypto.js';
import { apiTokenHash } from './dashboard.js';

const NetworkId = z.string().uuid();
const BEARER = /^Bearer\s+(klik_[A-Za-z0-9_-]{20,100})\s*$/;

const round = (share: number | null) => (share === null ? null : Math.round(share * 10_000) / 10_000);

export function statsJson(network: Network, s: NetworkStats) {
  return {
    network: { id: network.id, name: network.name },
    generatedAt: s.generatedAt.toISOString(),
    timezone: s.timezone,
    members: s.members,
    months: s.months,
    activity: { ...s.activity, share: round(s.activity.share) },
    rounds: {
      count: s.rounds.count,
      pending: s.rounds.pending,
      groups: s.rounds.groups,
      met: s.rounds.met,
      metRate: round(s.rounds.metRate),
      list: s.rounds.list.map((r) => ({ ...r, startedAt: r.startedAt.toISOString(), metRate: round(r.metRate) })),
    },
    connections: { ...s.connections, share: round(s.connections.share) },
    meetings: {
      count: s.meetings.count,
      going: s.meetings.going,
      attended: s.meetings.attended,
      noShow: s.meetings.noShow,
      lateCancellations: s.meetings.lateCancellations,
      list: s.meetings.list.map((m) => ({ ...m, startsAt: m.startsAt.toISOString() })),
    },
    tips: s.tips,
    quiet: { count: s.quiet.length },
  };
}

export interface StatsApiDeps {
  store: Store;
  box: Pick<SecretBox, 'hmac'>;
  clock: Clock;
  logger: Logger;
}

/** Mounted at `/api/networks`. */
export function statsApiRouter(deps: StatsApiDeps): Router {
  const router = Router();
  router.get('/:id/stats', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const token = BEARER.exec(req.get('authorization') ?? '')?.[1];
    if (!token) {
      res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'unauthorized' });
      return;
    }
    const now = deps.clock.now();
    try {
      const result = await deps.store.transaction(async (tx) => {
        const record = await tx.apiTokens.use(apiTokenHash(deps.box, token), now);
        if (!record) return 401 as const;
        const id = NetworkId.safeParse(req.params.id);
        if (!id.success || id.data !== record.networkId) return 404 as const;
        const network = await tx.networks.get(record.installationId, id.data);
        if (!network) return 404 as const;
        const { stats } = await loadStats(tx, network, now, '');
        return statsJson(network, stats);
      });
      if (result === 401) {
        res.status(401).set('WWW-Authenticate', 'Bearer error="invalid_token"').json({ error: 'unauthorized' });
        return;
      }
      if (result === 404) {
        res.status(404).json({ error: 'not found' });
        return;
      }
      res.status(200).json(result);
    } catch (err) {
      deps.logger.error({ type: err instanceof Error ? err.name : typeof err }, 'stats api failed');
      res.status(500).json({ error: 'something went wrong' });
    }
  });
  return router;
}
