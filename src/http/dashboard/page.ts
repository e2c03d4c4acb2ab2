/**
 * The dashboard page and the refusal page, as HTML strings. Every text is escaped; the figures for
 * the charts travel inside the page as JSON (no data requests: the link is used up on the first
 * load). Members appear by name and initials only, never by a platform or internal id.
 */
import type { NetworkStats } from '../../core/stats/compute.js';
import type { NetworkGraph } from '../../core/stats/graph.js';
import { monthLabel, percent } from '../../core/stats/message.js';
import type { Locale } from '../../core/types.js';
import { formatDateTime, formatLongDate, type Translator } from '../../messages/i18n.js';
import { layoutGraph, NODE_RADIUS } from './layout.js';

/** The picture's box grows with the network, so dots stay readable when it is scaled to the screen. */
const graphSize = (nodes: number): number => Math.round(Math.min(560, Math.max(260, 70 * Math.sqrt(nodes) * 1.6)));

/** Organisation colours (Okabe-Ito and Tableau tones, distinguishable for most colour-blind readers). */
export const ORG_COLOURS = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#56b4e9',
  '#d55e00',
  '#f0e442',
  '#8c564b',
  '#7f7f7f',
  '#17becf',
];
const NO_ORG_COLOUR = '#c4c4c4';

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** JSON safe inside a <script> element: no "</script>", no HTML comment openers. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export const orgColour = (organisation: number | null): string =>
  organisation === null ? NO_ORG_COLOUR : (ORG_COLOURS[organisation % ORG_COLOURS.length] ?? NO_ORG_COLOUR);

const STYLE = `
:root { --c-members:#0072b2; --c-joins:#009e73; --c-leaves:#d55e00; --c-met:#0072b2; --c-going:#56b4e9;
  --c-attended:#009e73; --c-late:#d55e00; --c-tips:#e69f00; --c-grid:#e3e3e3; --c-text:#333; --bg:#f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--c-text);
  background: var(--bg); }
main { max-width: 1100px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.4rem; margin: 4px 0; }
h2 { font-size: 1.05rem; margin: 0 0 8px; }
.sub { color: #666; font-size: .9rem; margin: 0 0 16px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-bottom: 16px; }
.tile, .card { background: #fff; border-radius: 10px; padding: 12px 14px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.tile .label { font-size: .85rem; color: #666; }
.tile .value { font-size: 1.7rem; font-weight: 650; }
.tile .note { font-size: .85rem; color: #666; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 420px), 1fr)); gap: 12px;
  margin-bottom: 12px; }
.grid.people { grid-template-columns: minmax(0, 2fr) minmax(0, 1fr); align-items: start; }
.chart { position: relative; height: 260px; }
#network-graph { width: 100%; height: auto; max-height: 80vh; display: block; }
.graph line { stroke: #9aa3ad; stroke-linecap: round; }
.graph circle { stroke: #fff; stroke-width: 1.5; }
.graph text { font-size: 9px; font-weight: 600; fill: #fff; text-anchor: middle; dominant-baseline: central;
  pointer-events: none; }
.legend { list-style: none; padding: 0; margin: 8px 0 0; display: flex; flex-wrap: wrap; gap: 6px 14px; font-size: .9rem; }
.legend svg { margin-right: 6px; vertical-align: -1px; }
.hint { color: #666; font-size: .85rem; margin: 4px 0 0; }
.quiet { margin: 0; padding-left: 18px; }
.empty { color: #666; }
.refusal .card + .card { margin-top: 12px; }
@media (max-width: 700px) { .grid.people { grid-template-columns: minmax(0, 1fr); } }
@media (max-width: 480px) { main { padding: 10px; } .tile .value { font-size: 1.4rem; } .chart { height: 220px; } }
`;

function shell(locale: Locale, title: string, nonce: string, body: string, scripts = ''): string {
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
${scripts}
</body>
</html>`;
}

function graphSvg(graph: NetworkGraph, t: Translator): string {
  const size = graphSize(graph.nodes.length);
  const placed = layoutGraph(graph, size);
  const at = new Map(placed.map((p) => [p.index, p]));
  const lines = graph.edges
    .map((e) => {
      const a = at.get(e.source);
      const b = at.get(e.target);
      if (!a || !b) return '';
      return `<line x1="${a.x}" y1="${a.y}" x2="${b.x}" y2="${b.y}" stroke-width="${Math.min(6, 1 + e.weight)}"/>`;
    })
    .join('');
  const dots = graph.nodes
    .map((n) => {
      const p = at.get(n.index);
      if (!p) return '';
      const org =
        n.organisation === null ? t('dashboard.page.noOrganisation') : (graph.organisations[n.organisation] ?? '');
      return `<g class="node" data-degree="${n.degree}"><circle cx="${p.x}" cy="${p.y}" r="${NODE_RADIUS}" fill="${orgColour(n.organisation)}"><title>${escapeHtml(`${n.name} (${org})`)}</title></circle><text x="${p.x}" y="${p.y}">${escapeHtml(n.initials)}</text></g>`;
    })
    .join('');
  // Swatches are SVG (fill is an attribute): the page allows no inline style attributes.
  const swatch = (colour: string) =>
    `<svg width="12" height="12" aria-hidden="true"><circle cx="6" cy="6" r="6" fill="${colour}"/></svg>`;
  const legend = graph.organisations
    .map((name, i) => `<li>${swatch(orgColour(i))}${escapeHtml(name)}</li>`)
    .concat(
      graph.nodes.some((n) => n.organisation === null)
        ? [`<li>${swatch(NO_ORG_COLOUR)}${escapeHtml(t('dashboard.page.noOrganisation'))}</li>`]
        : [],
    )
    .join('');
  return `<svg id="network-graph" viewBox="0 0 ${size} ${size}" role="img" aria-label="${escapeHtml(t('dashboard.page.graph'))}">${lines}${dots}</svg>
<ul class="legend">${legend}</ul>`;
}

export interface DashboardPageInput {
  name: string;
  locale: Locale;
  stats: NetworkStats;
  graph: NetworkGraph;
  t: Translator;
  nonce: string;
}

export function dashboardPage(input: DashboardPageInput): string {
  const { stats: s, graph, t, locale, nonce } = input;
  const tz = s.timezone;
  const title = t('dashboard.page.title', { name: input.name });
  const date = (at: Date) => formatDateTime(at, locale, tz, false);

  const data = {
    labels: {
      members: t('dashboard.page.series.members'),
      joins: t('dashboard.page.series.joins'),
      leaves: t('dashboard.page.series.leaves'),
      metRate: t('dashboard.page.series.metRate'),
      going: t('dashboard.page.series.going'),
      attended: t('dashboard.page.series.attended'),
      late: t('dashboard.page.series.late'),
      tips: t('dashboard.page.series.tips'),
    },
    months: s.months.map((m) => ({
      label: monthLabel(m.month, locale, s.generatedAt, tz),
      joins: m.joins,
      leaves: m.leaves,
      members: m.members,
      tips: m.tips,
    })),
    rounds: s.rounds.list
      .filter((r) => !r.pending)
      .map((r) => ({
        label: t('dashboard.page.round', { number: r.number }),
        metRate: r.metRate === null ? null : Math.round(r.metRate * 100),
      })),
    meetings: s.meetings.list.map((m) => ({
      label: `${m.title.slice(0, 24)} (${date(m.startsAt)})`,
      going: m.going,
      attended: m.attended,
      late: m.lateCancellations,
    })),
  };

  const tile = (label: string, value: string, note: string, id: string) =>
    `<div class="tile" id="${id}"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div><div class="note">${escapeHtml(note)}</div></div>`;
  const chart = (id: string, heading: string, empty: boolean) =>
    `<section class="card"><h2>${escapeHtml(heading)}</h2>${
      empty
        ? `<p class="empty">${escapeHtml(t('dashboard.page.empty'))}</p>`
        : `<div class="chart"><canvas id="${id}" role="img" aria-label="${escapeHtml(heading)}"></canvas></div>`
    }</section>`;

  const quiet =
    s.quiet.length === 0
      ? `<p class="empty">${escapeHtml(t('dashboard.page.quietNone'))}</p>`
      : `<ul class="quiet">${s.quiet
          .map(
            (q) =>
              `<li>${escapeHtml(q.name)} <span class="hint">(${escapeHtml(t('dashboard.page.lastActive', { date: date(q.lastActiveAt) }))})</span></li>`,
          )
          .join('')}</ul><p class="hint">${escapeHtml(t('dashboard.page.quietHint'))}</p>`;

  const body = `<h1>${escapeHtml(title)}</h1>
<p class="sub">${escapeHtml(t('dashboard.page.generated', { date: formatLongDate(s.generatedAt, locale, tz) }))}</p>
<div class="tiles">
${tile(t('dashboard.page.members'), String(s.members.now), t('dashboard.page.membersBefore', { count: s.members.ninetyDaysAgo }), 'tile-members')}
${tile(t('dashboard.page.active'), percent(s.activity.share), t('dashboard.page.activeOf', { active: s.activity.active, members: s.activity.members }), 'tile-active')}
${tile(t('dashboard.page.metRate'), percent(s.rounds.metRate), t('dashboard.page.metOf', { met: s.rounds.met, groups: s.rounds.groups }), 'tile-met')}
${tile(t('dashboard.page.connections'), String(s.connections.pairs), t('dashboard.page.crossOrg', { pct: percent(s.connections.share) }), 'tile-connections')}
</div>
<div class="grid">
${chart('chart-members', t('dashboard.page.chart.members'), false)}
${chart('chart-rounds', t('dashboard.page.chart.rounds'), data.rounds.length === 0)}
${chart('chart-meetings', t('dashboard.page.chart.meetings'), data.meetings.length === 0)}
${chart('chart-tips', t('dashboard.page.chart.tips'), false)}
</div>
<div class="grid people">
<section class="card graph"><h2>${escapeHtml(t('dashboard.page.graph'))}</h2>${
    graph.nodes.length === 0 ? `<p class="empty">${escapeHtml(t('dashboard.page.empty'))}</p>` : graphSvg(graph, t)
  }<p class="hint">${escapeHtml(t('dashboard.page.graphHint'))}</p></section>
<section class="card"><h2>${escapeHtml(t('dashboard.page.quiet'))}</h2>${quiet}</section>
</div>
<script type="application/json" id="klik-data">${jsonForScript(data)}</script>`;

  const scripts = `<script src="assets/chart.umd.min.js"></script>
<script src="assets/dashboard.js"></script>`;
  return shell(locale, title, nonce, body, scripts);
}

export type Refusal = 'expired' | 'used' | 'invalid';

/** "This link no longer works", in the network's language when known, else in Dutch and English. */
export function refusalPage(
  reason: Refusal,
  translators: Array<{ locale: Locale; t: Translator }>,
  nonce: string,
): string {
  const first = translators[0];
  if (!first) throw new Error('a refusal needs a language');
  const key =
    reason === 'expired'
      ? 'dashboard.refused.expired'
      : reason === 'used'
        ? 'dashboard.refused.used'
        : 'dashboard.refused.invalid';
  const parts = translators
    .map(
      ({ locale, t }) =>
        `<section class="card" lang="${locale}"><h1>${escapeHtml(t('dashboard.refused.title'))}</h1><p id="refusal-${reason}">${escapeHtml(t(key))}</p></section>`,
    )
    .join('\n');
  return shell(
    first.locale,
    first.t('dashboard.refused.title'),
    nonce,
    `<div class="refusal" data-reason="${reason}">${parts}</div>`,
  );
}

/** What link previews (chat unfurls) get: a title and one line, no figures; the link stays unused. */
export function previewPage(locale: Locale, t: Translator, nonce: string): string {
  return shell(
    locale,
    'Klik',
    nonce,
    `<section class="card"><h1>Klik</h1><p id="preview">${escapeHtml(t('dashboard.preview'))}</p></section>`,
  );
}
