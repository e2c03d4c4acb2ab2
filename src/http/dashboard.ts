/**
 * `GET /dashboard/:token`: a coordinator's network health page behind a signed link that works once,
 * for 15 minutes (made by `dashboard`). The page carries its figures and the network picture, so
 * loading it once is all it takes; its two scripts are public library files under
 * `/dashboard/assets/`, served by Klik itself from node_modules (no CDN: machines may be offline).
 *
 * Refusals: a forged or damaged link 404, an expired or already used one 410; never any data.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Response, Router } from 'express';
import { z } from 'zod';
import type { Clock, Logger, Store } from '../core/ports.js';
import type { DashboardGrant, StatsAccess } from '../core/stats/access.js';
import { loadStats } from '../core/stats/commands.js';
import { LOCALES, type Locale } from '../core/types.js';
import { translator } from '../messages/i18n.js';
import type { SecretBox } from '../security/crypto.js';
import { DASHBOARD_SCRIPT } from './dashboard/client.js';
import { dashboardPage, previewPage, type Refusal, refusalPage } from './dashboard/page.js';

const Payload = z.object({
  k: z.literal('dashboard'),
  i: z.string().uuid(),
  n: z.string().uuid(),
  m: z.string().uuid(),
  l: z.enum(LOCALES),
  e: z.number().int(),
  j: z.string().min(16).max(64),
});
type Payload = z.infer<typeof Payload>;

/**
 * Chat apps fetch a pasted link to show a preview (Slack, Teams, WhatsApp...). Such fetches, and HEAD
 * requests, must not use the single-use link up: they get a page without figures.
 */
const PREVIEW_AGENTS =
  /Slackbot|SkypeUriPreview|MicrosoftPreview|facebookexternalhit|WhatsApp|Twitterbot|Discordbot|TelegramBot|LinkedInBot|Googlebot|bingbot|Applebot|Iframely|Embedly|redditbot|Mastodon/i;

export const isPreviewRequest = (method: string, userAgent: string | undefined): boolean =>
  method === 'HEAD' || PREVIEW_AGENTS.test(userAgent ?? '');

/** The keyed hash stored for an API token (the token itself is never kept). */
export const apiTokenHash = (box: Pick<SecretBox, 'hmac'>, token: string): string => box.hmac('api-token', token);

export function statsAccess(box: Pick<SecretBox, 'sign' | 'hmac'>, publicUrl: string): StatsAccess {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    dashboardLink(grant: DashboardGrant) {
      const payload: Payload = {
        k: 'dashboard',
        i: grant.installationId,
        n: grant.networkId,
        m: grant.memberId,
        l: grant.locale,
        e: grant.expiresAt.getTime(),
        j: randomBytes(16).toString('base64url'),
      };
      return `${base}/dashboard/${box.sign(JSON.stringify(payload))}`;
    },
    apiUrl(networkId) {
      return `${base}/api/networks/${networkId}/stats`;
    },
    newApiToken() {
      const token = `klik_${randomBytes(32).toString('base64url')}`;
      return { token, hash: apiTokenHash(box, token) };
    },
  };
}

/** A signed dashboard token's payload (expired or not), or null when forged or damaged. */
export function readDashboardToken(box: Pick<SecretBox, 'verify'>, token: string): Payload | null {
  const raw = box.verify(token);
  if (!raw) return null;
  try {
    const parsed = Payload.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Library files the page loads, resolved once from node_modules. */
function assetFiles(): Map<string, () => string> {
  const require = createRequire(import.meta.url);
  const chartDir = dirname(require.resolve('chart.js'));
  let chart: string | undefined;
  return new Map([
    ['chart.umd.min.js', () => (chart ??= readFileSync(join(chartDir, 'chart.umd.min.js'), 'utf8'))],
    ['dashboard.js', () => DASHBOARD_SCRIPT],
  ]);
}

function securityHeaders(res: Response, nonce: string): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Robots-Tag', 'noindex, nofollow');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'none'; script-src 'self'; style-src 'nonce-${nonce}'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  );
}

export interface DashboardRouterDeps {
  store: Store;
  box: Pick<SecretBox, 'verify'>;
  clock: Clock;
  logger: Logger;
}

export function dashboardRouter(deps: DashboardRouterDeps): Router {
  const router = Router();
  const assets = assetFiles();

  router.get('/assets/:file', (req, res) => {
    const file = assets.get(req.params.file);
    if (!file) {
      res.status(404).type('text/plain').send('Not found\n');
      return;
    }
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.type('application/javascript; charset=utf-8').send(file());
  });

  const refuse = (res: Response, status: number, reason: Refusal, locale: Locale | null) => {
    const nonce = randomBytes(16).toString('base64');
    securityHeaders(res, nonce);
    const locales: Locale[] = locale ? [locale] : ['nl', 'en'];
    res
      .status(status)
      .type('text/html; charset=utf-8')
      .send(
        refusalPage(
          reason,
          locales.map((l) => ({ locale: l, t: translator(l) })),
          nonce,
        ),
      );
  };

  router.get('/:token', async (req, res) => {
    const now = deps.clock.now();
    const grant = readDashboardToken(deps.box, req.params.token);
    if (!grant) {
      refuse(res, 404, 'invalid', null);
      return;
    }
    if (grant.e <= now.getTime()) {
      refuse(res, 410, 'expired', grant.l);
      return;
    }
    const t = translator(grant.l);
    if (isPreviewRequest(req.method, req.get('user-agent'))) {
      const nonce = randomBytes(16).toString('base64');
      securityHeaders(res, nonce);
      res
        .status(200)
        .type('text/html; charset=utf-8')
        .send(previewPage(grant.l, t, nonce));
      return;
    }
    try {
      // Using the link and reading the figures is one transaction: a failure does not use it up.
      const page = await deps.store.transaction(async (tx) => {
        const first = await tx.usedLinks.claim({
          linkId: `dashboard:${grant.j}`,
          installationId: grant.i,
          kind: 'dashboard',
          at: now,
          expiresAt: new Date(grant.e),
        });
        if (!first) return 'used' as const;
        const network = await tx.networks.get(grant.i, grant.n);
        if (!network) return 'gone' as const;
        const { stats, graph } = await loadStats(tx, network, now, t('tips.anonymous'));
        return { network, stats, graph };
      });
      if (page === 'used') {
        refuse(res, 410, 'used', grant.l);
        return;
      }
      if (page === 'gone') {
        refuse(res, 404, 'invalid', grant.l);
        return;
      }
      const nonce = randomBytes(16).toString('base64');
      securityHeaders(res, nonce);
      const locale = page.network.locale;
      res
        .status(200)
        .type('text/html; charset=utf-8')
        .send(
          dashboardPage({
            name: page.network.name,
            locale,
            stats: page.stats,
            graph: page.graph,
            t: translator(locale),
            nonce,
          }),
        );
    } catch (err) {
      deps.logger.error({ type: err instanceof Error ? err.name : typeof err }, 'dashboard failed');
      res.status(500).type('text/plain; charset=utf-8').send(t('error.generic'));
    }
  });
  return router;
}
