/**
 * The dashboard's one script, served as /dashboard/assets/dashboard.js. It reads the figures the page
 * carries (a JSON script element: the page makes no data requests, so its single-use link is enough)
 * and draws them with Chart.js. When done it marks `body[data-ready]`.
 */
export const DASHBOARD_SCRIPT = `'use strict';
(function () {
  var source = document.getElementById('klik-data');
  if (!source || typeof Chart === 'undefined') return;
  var data = JSON.parse(source.textContent || '{}');
  var L = data.labels;
  var css = getComputedStyle(document.documentElement);
  var color = function (name) { return css.getPropertyValue(name).trim(); };
  var c = {
    members: color('--c-members'),
    joins: color('--c-joins'),
    leaves: color('--c-leaves'),
    met: color('--c-met'),
    going: color('--c-going'),
    attended: color('--c-attended'),
    late: color('--c-late'),
    tips: color('--c-tips'),
    grid: color('--c-grid'),
    text: color('--c-text')
  };
  Chart.defaults.animation = false;
  Chart.defaults.responsive = true;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.color = c.text;
  Chart.defaults.borderColor = c.grid;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  Chart.defaults.plugins.legend.labels.boxWidth = 12;

  var charts = [];
  var draw = function (id, config) {
    var el = document.getElementById(id);
    if (!el) return;
    charts.push(new Chart(el, config));
    el.dataset.drawn = 'true';
  };
  var integer = { beginAtZero: true, ticks: { precision: 0 } };

  draw('chart-members', {
    data: {
      labels: data.months.map(function (m) { return m.label; }),
      datasets: [
        { type: 'line', label: L.members, data: data.months.map(function (m) { return m.members; }),
          borderColor: c.members, backgroundColor: c.members, tension: 0, yAxisID: 'y' },
        { type: 'bar', label: L.joins, data: data.months.map(function (m) { return m.joins; }),
          backgroundColor: c.joins, yAxisID: 'y' },
        { type: 'bar', label: L.leaves, data: data.months.map(function (m) { return -m.leaves; }),
          backgroundColor: c.leaves, yAxisID: 'y' }
      ]
    },
    options: {
      scales: { x: { stacked: true }, y: { ticks: { precision: 0 } } },
      plugins: { tooltip: { callbacks: { label: function (ctx) {
        return ctx.dataset.label + ': ' + Math.abs(ctx.parsed.y);
      } } } }
    }
  });

  draw('chart-rounds', {
    type: 'bar',
    data: {
      labels: data.rounds.map(function (r) { return r.label; }),
      datasets: [{ label: L.metRate, data: data.rounds.map(function (r) { return r.metRate; }), backgroundColor: c.met }]
    },
    options: { scales: { y: { beginAtZero: true, max: 100, ticks: { callback: function (v) { return v + '%'; } } } } }
  });

  draw('chart-meetings', {
    type: 'bar',
    data: {
      labels: data.meetings.map(function (m) { return m.label; }),
      datasets: [
        { label: L.going, data: data.meetings.map(function (m) { return m.going; }), backgroundColor: c.going },
        { label: L.attended, data: data.meetings.map(function (m) { return m.attended; }), backgroundColor: c.attended },
        { label: L.late, data: data.meetings.map(function (m) { return m.late; }), backgroundColor: c.late }
      ]
    },
    options: { scales: { y: integer } }
  });

  draw('chart-tips', {
    type: 'bar',
    data: {
      labels: data.months.map(function (m) { return m.label; }),
      datasets: [{ label: L.tips, data: data.months.map(function (m) { return m.tips; }), backgroundColor: c.tips }]
    },
    options: { scales: { y: integer }, plugins: { legend: { display: false } } }
  });

  window.klikCharts = charts;
  document.body.dataset.ready = 'true';
})();
`;
