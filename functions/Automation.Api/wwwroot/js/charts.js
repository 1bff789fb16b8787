// Charts with Chart.js (served by this service from /js/vendor, MIT licensed): loaded once, on the first page that
// draws one. Every chart comes with its numbers as a table, for screen readers and for copying.
import { h } from './dom.js';

let loading = null;

export function loadCharts() {
  if (window.Chart) return Promise.resolve(window.Chart);
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/js/vendor/chart.umd.min.js';
    script.onload = () => resolve(window.Chart);
    script.onerror = () => { loading = null; reject(new Error('The charting library could not be loaded.')); };
    document.head.append(script);
  });
  return loading;
}

// The palette of the dashboard's statuses, so a chart's "failed" is the pill's "failed".
export const COLORS = {
  started: '#4f46e5', succeeded: '#16a34a', failed: '#dc2626', skipped: '#94a3b8', exited: '#d97706', cancelled: '#64748b',
  sent: '#4f46e5', opened: '#0891b2', clicked: '#16a34a', unsubscribed: '#dc2626', reached: '#a5b4fc', passed: '#4f46e5', waiting: '#f59e0b',
};

/** A chart in a figure with its caption, and its data as a table under a disclosure. */
export function chartFigure({ id, caption, type, labels, datasets, options = {}, signal }) {
  const canvas = h('canvas', { id, role: 'img', 'aria-label': caption });
  const table = h('table', { class: 'table table--compact' },
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, ''), datasets.map((d) => h('th', { scope: 'col' }, d.label)))),
    h('tbody', null, labels.map((label, i) => h('tr', null, h('th', { scope: 'row' }, label), datasets.map((d) => h('td', null, String(d.data[i] ?? 0)))))));
  const figure = h('figure', { class: 'chart', 'data-chart': id },
    h('figcaption', { class: 'chart__caption' }, caption),
    h('div', { class: 'chart__canvas' }, canvas),
    h('details', { class: 'disclosure disclosure--plain' }, h('summary', null, 'The numbers'), h('div', { class: 'table-wrap' }, table)));
  loadCharts().then((Chart) => {
    if (signal?.aborted || !canvas.isConnected) return;
    const chart = new Chart(canvas, {
      type,
      data: { labels, datasets: datasets.map((d) => ({ borderWidth: type === 'line' ? 2 : 0, ...d })) },
      options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { position: 'bottom' } }, ...options },
    });
    canvas.dataset.ready = 'true';
    signal?.addEventListener('abort', () => chart.destroy());
  }).catch((e) => figure.prepend(h('p', { class: 'field__local-error' }, e.message)));
  return figure;
}
