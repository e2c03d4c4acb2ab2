/**
 * `GET /my-data/:token`: everything Klik holds about one member as a JSON download, behind the
 * private link `my-data` gives them. The link is signed, valid 15 minutes and works once (its id is
 * written to `used_links` on first use); an expired, used or forged link gets a short page, no data.
 */
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import type { Clock, Logger, Store } from '../core/ports.js';
import type { MyDataGrant, MyDataLinks } from '../core/privacy/links.js';
import type { Locale } from '../core/types.js';
import { translator } from '../messages/i18n.js';
import type { SecretBox } from '../security/crypto.js';

interface TokenPayload {
  k: 'my-data';
  /** Link id: single use. */
  id: string;
  i: string;
  m: string;
  l: Locale;
  e: number;
}

export function myDataLinks(box: Pick<SecretBox, 'sign'>, publicUrl: string): MyDataLinks {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    link(grant: MyDataGrant) {
      const payload: TokenPayload = {
        k: 'my-data',
        id: randomUUID(),
        i: grant.installationId,
        m: grant.memberId,
        l: grant.locale,
        e: grant.expiresAt.getTime(),
      };
      return `${base}/my-data/${box.sign(JSON.stringify(payload))}`;
    },
  };
}

/** A signed my-data token's payload (expired or not); null when forged or malformed. */
export function readMyDataToken(box: Pick<SecretBox, 'verify'>, token: string): TokenPayload | null {
  const raw = box.verify(token);
  if (!raw) return null;
  try {
    const p = JSON.parse(raw) as Partial<TokenPayload>;
    if (p.k !== 'my-data' || typeof p.id !== 'string' || typeof p.i !== 'string' || typeof p.m !== 'string')
      return null;
    if (typeof p.e !== 'number' || (p.l !== 'nl' && p.l !== 'en')) return null;
    return p as TokenPayload;
  } catch {
    return null;
  }
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

type PageKey = 'privacy.page.expired' | 'privacy.page.used' | 'privacy.page.invalid';

/** A short page in the member's language (both languages when the link says none). */
function refusalPage(key: PageKey, locale: Locale | null): string {
  const locales: Locale[] = locale ? [locale] : ['nl', 'en'];
  const body = locales
    .map((l) => {
      const t = translator(l);
      return `<section lang="${l}"><h1>${escapeHtml(t('privacy.page.title'))}</h1><p>${escapeHtml(t(key).replace(/`/g, ''))}</p></section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="${locale ?? 'nl'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Klik</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#222}h1{font-size:1.3rem}</style>
</head><body>
${body}
</body></html>`;
}

export interface MyDataRouterDeps {
  store: Store;
  box: Pick<SecretBox, 'verify'>;
  clock: Clock;
  logger: Logger;
}

export function myDataRouter(deps: MyDataRouterDeps): Router {
  const router = Router();
  router.get('/:token', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Robots-Tag', 'noindex');
    const refuse = (status: number, key: PageKey, locale: Locale | null) => {
      res.status(status).type('html').send(refusalPage(key, locale));
    };
    const grant = readMyDataToken(deps.box, req.params.token);
    if (!grant) return refuse(404, 'privacy.page.invalid', null);
    const now = deps.clock.now();
    if (grant.e <= now.getTime()) return refuse(410, 'privacy.page.expired', grant.l);
    try {
      const outcome = await deps.store.transaction(async (tx) => {
        const first = await tx.privacy.useLink({
          linkId: `my-data:${grant.id}`,
          installationId: grant.i,
          kind: 'my-data',
          usedAt: now,
          expiresAt: new Date(grant.e),
        });
        if (!first) return { kind: 'used' as const };
        const data = await tx.privacy.collect(grant.i, grant.m);
        return data ? { kind: 'data' as const, data } : { kind: 'gone' as const };
      });
      if (outcome.kind === 'used') return refuse(410, 'privacy.page.used', grant.l);
      if (outcome.kind === 'gone') return refuse(404, 'privacy.page.invalid', grant.l);
      res.status(200);
      res.setHeader('Content-Disposition', 'attachment; filename="klik-my-data.json"');
      res.type('application/json').send(JSON.stringify({ generatedAt: now.toISOString(), ...outcome.data }, null, 2));
    } catch (err) {
      // The installation may be gone (a foreign key on used_links): no data, a plain refusal.
      deps.logger.warn({ type: err instanceof Error ? err.name : typeof err }, 'my-data download failed');
      refuse(404, 'privacy.page.invalid', grant.l);
    }
  });
  return router;
}
