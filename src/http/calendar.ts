/**
 * `GET /calendar/:token.ics`: a network's meetings as a subscribable feed, or one meeting's file.
 * The token is signed with KLIK_SECRET_KEY and names one installation and network (and, for a
 * file, one meeting): a token never reaches another network's meetings. Anything that does not
 * verify is a 404 with no data.
 */
import { Router } from 'express';
import { feedIcs, meetingIcs } from '../core/meetings/ics.js';
import type { CalendarLinks } from '../core/meetings/links.js';
import type { Clock, Logger, Store } from '../core/ports.js';
import type { SecretBox } from '../security/crypto.js';

/** Meetings in the feed: from this long ago on. */
const FEED_PAST_MS = 180 * 86_400_000;
const FEED_LIMIT = 500;
const MAX_TOKEN = 600;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isId = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

type CalendarToken = { k: 'cal'; i: string; n: string } | { k: 'ics'; i: string; n: string; m: string };

export function calendarLinks(box: Pick<SecretBox, 'sign'>, publicUrl: string): CalendarLinks {
  const base = `${publicUrl.replace(/\/+$/, '')}/calendar`;
  return {
    feedUrl(installationId, networkId) {
      const token: CalendarToken = { k: 'cal', i: installationId, n: networkId };
      return `${base}/${box.sign(JSON.stringify(token))}.ics`;
    },
    meetingUrl(installationId, networkId, meetingId) {
      const token: CalendarToken = { k: 'ics', i: installationId, n: networkId, m: meetingId };
      return `${base}/${box.sign(JSON.stringify(token))}.ics`;
    },
  };
}

export function readCalendarToken(box: Pick<SecretBox, 'verify'>, token: string): CalendarToken | null {
  if (token.length > MAX_TOKEN) return null;
  const raw = box.verify(token);
  if (!raw) return null;
  try {
    const p = JSON.parse(raw) as Record<string, unknown>;
    if (!isId(p.i) || !isId(p.n)) return null;
    if (p.k === 'cal') return { k: 'cal', i: p.i, n: p.n };
    if (p.k === 'ics' && isId(p.m)) return { k: 'ics', i: p.i, n: p.n, m: p.m };
    return null;
  } catch {
    return null;
  }
}

export interface CalendarRouterDeps {
  store: Store;
  box: Pick<SecretBox, 'verify'>;
  clock: Clock;
  logger: Logger;
}

export function calendarRouter(deps: CalendarRouterDeps): Router {
  const router = Router();
  router.get('/:file', async (req, res) => {
    const notFound = () => res.status(404).type('text/plain').send('Not found');
    const file = req.params.file;
    if (!file.endsWith('.ics')) return notFound();
    const token = readCalendarToken(deps.box, file.slice(0, -'.ics'.length));
    if (!token) return notFound();
    try {
      const now = deps.clock.now();
      const body = await deps.store.transaction(async (tx) => {
        const network = await tx.networks.get(token.i, token.n);
        if (!network) return null;
        if (token.k === 'ics') {
          const meeting = await tx.meetings.get(token.i, token.m);
          return meeting && meeting.networkId === network.id ? meetingIcs(meeting, now) : null;
        }
        const meetings = await tx.meetings.listForNetwork(
          token.i,
          network.id,
          new Date(now.getTime() - FEED_PAST_MS),
          FEED_LIMIT,
        );
        return feedIcs(meetings, `Klik: ${network.name}`, now);
      });
      if (body === null) return notFound();
      res
        .status(200)
        .set('Cache-Control', 'private, max-age=300')
        .set('Content-Disposition', `${token.k === 'ics' ? 'attachment' : 'inline'}; filename="klik.ics"`)
        .type('text/calendar; charset=utf-8')
        .send(body);
    } catch (err) {
      deps.logger.error({ err: err instanceof Error ? err.name : typeof err }, 'calendar failed');
      res.status(500).type('text/plain').send('Error');
    }
  });
  return router;
}
