/**
 * `GET /export/:token`: a network's CSV files behind a signed link that expires (made by `export`).
 * UTF-8 with a BOM so spreadsheets keep Dutch characters; rows are streamed a page at a time from
 * the database, so memory stays flat however many tips there are.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { type Response, Router } from 'express';
import type { Clock, Logger, Store } from '../core/ports.js';
import { EXPORT_FILES, type ExportFile, type ExportGrant, type ExportLinks } from '../core/tips/export.js';
import type { Locale } from '../core/types.js';
import { translator } from '../messages/i18n.js';
import type { SecretBox } from '../security/crypto.js';
import { writeExportFile } from './export-files.js';

const BOM = '\uFEFF';

interface TokenPayload {
  k: 'export';
  /** The link's own id: a link works once. */
  j: string;
  i: string;
  n: string;
  m: string;
  e: number;
  f: ExportFile;
}

export function exportLinks(box: Pick<SecretBox, 'sign'>, publicUrl: string): ExportLinks {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    link(grant: ExportGrant, file: ExportFile) {
      const payload: TokenPayload = {
        k: 'export',
        j: randomUUID(),
        i: grant.installationId,
        n: grant.networkId,
        m: grant.memberId,
        e: grant.expiresAt.getTime(),
        f: file,
      };
      return `${base}/export/${box.sign(JSON.stringify(payload))}`;
    },
  };
}

/** The payload of a valid, unexpired export token; null otherwise. */
export function readExportToken(box: Pick<SecretBox, 'verify'>, token: string, now: Date): TokenPayload | null {
  const raw = box.verify(token);
  if (!raw) return null;
  try {
    const p = JSON.parse(raw) as Partial<TokenPayload>;
    if (p.k !== 'export' || typeof p.i !== 'string' || typeof p.n !== 'string' || typeof p.e !== 'number') return null;
    if (typeof p.j !== 'string' || p.j.length === 0) return null;
    if (!EXPORT_FILES.includes(p.f as ExportFile) || p.e <= now.getTime()) return null;
    return p as TokenPayload;
  } catch {
    return null;
  }
}

async function write(res: Response, chunk: string): Promise<void> {
  if (!res.write(chunk)) await once(res, 'drain');
}

/** A refusal, in the network's language when known, else in both. */
function refuse(res: Response, status: number, key: 'export.link.invalid' | 'export.link.used', locale?: Locale) {
  const text = locale ? translator(locale)(key) : `${translator('nl')(key)}\n${translator('en')(key)}`;
  res.status(status).type('text/plain; charset=utf-8').setHeader('Cache-Control', 'no-store').send(text);
}

export interface ExportRouterDeps {
  store: Store;
  box: Pick<SecretBox, 'verify'>;
  clock: Clock;
  logger: Logger;
}

export function exportRouter(deps: ExportRouterDeps): Router {
  const router = Router();
  router.get('/:token', async (req, res) => {
    const now = deps.clock.now();
    const grant = readExportToken(deps.box, req.params.token, now);
    if (!grant) {
      refuse(res, 404, 'export.link.invalid');
      return;
    }
    const network = await deps.store.transaction((tx) => tx.networks.get(grant.i, grant.n));
    if (!network) {
      refuse(res, 404, 'export.link.invalid');
      return;
    }
    // Used up before the first byte goes out: a second request (a forwarded link) gets nothing.
    const first = await deps.store.transaction((tx) =>
      tx.usedLinks.claim({
        linkId: `export:${grant.j}`,
        installationId: grant.i,
        kind: 'export',
        at: now,
        expiresAt: new Date(grant.e),
      }),
    );
    if (!first) {
      refuse(res, 410, 'export.link.used', network.locale);
      return;
    }
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="klik-${grant.f}.csv"`);
    res.setHeader('Cache-Control', 'no-store');
    try {
      await write(res, BOM);
      await writeExportFile(grant.f, deps.store, network, (chunk) => write(res, chunk));
      res.end();
    } catch (err) {
      deps.logger.error({ type: err instanceof Error ? err.name : typeof err }, 'export failed');
      res.destroy();
    }
  });
  return router;
}
