// Reports: every workflow's runs and emails over a range (the overview), and one workflow's report: runs started and
// ended per bucket, the step funnel and the emails, as charts with their numbers.
import { h, replace } from '../dom.js';
import { api } from '../api.js';
import { pageHeader, emptyState, errorBanner, loading, card } from '../ui.js';
import { pill } from '../format.js';
import { chartFigure, COLORS } from '../charts.js';

const ENDINGS = ['succeeded', 'failed', 'skipped', 'exited', 'cancelled'];
const EMAIL = ['sent', 'opened', 'clicked', 'unsubscribed'];

export async function render(ctx) {
  const id = ctx.params.id || null;
  ctx.setTitle(id ? 'Workflow report' : 'Reports');
  const range = readRange(ctx.query);
  const header = h('div');
  const body = h('div', null, loading('Building the report…'));
  ctx.root.append(header, rangeForm(ctx, range), body);

  let answer;
  try {
    answer = await api(id ? `/api/reports/workflows/${encodeURIComponent(id)}` : '/api/reports/workflows', { query: range, signal: ctx.signal });
  } catch (e) {
    if (e.name !== 'AbortError') replace(body, errorBanner(e, { onRetry: () => ctx.navigate(location.pathname + location.search, { replace: true }) }));
    return;
  }

  if (id) {
    replace(header, pageHeader({
      eyebrow: h('a', { href: `/workflows/${encodeURIComponent(id)}`, class: 'crumb' }, `← ${answer.name}`),
      title: `Report: ${answer.name}`,
      subtitle: 'Runs started and ended, how far they got, and the emails they sent, over the range below (UTC buckets).',
    }));
    replace(body, workflowReport(answer.report, ctx.signal));
  } else {
    replace(header, pageHeader({ title: 'Reports', subtitle: 'Every workflow over the range below: runs started and how they ended, and the emails they sent. Open one for its charts.' }));
    replace(body, overview(answer, ctx.signal));
  }
}

function readRange(query) {
  const out = {};
  for (const key of ['from', 'to', 'bucket']) if (query.get(key)) out[key] = query.get(key);
  return out;
}

function rangeForm(ctx, range) {
  const from = h('input', { class: 'input', type: 'date', id: 'report-from', value: range.from?.slice(0, 10) || '' });
  const to = h('input', { class: 'input', type: 'date', id: 'report-to', value: range.to?.slice(0, 10) || '' });
  const bucket = h('select', { class: 'select', id: 'report-bucket' }, ['hour', 'day', 'week'].map((b) => h('option', { value: b }, b)));
  bucket.value = range.bucket || 'day';
  return h('form', {
    class: 'toolbar report-range', 'aria-label': 'Report range',
    onsubmit: (e) => {
      e.preventDefault();
      const q = new URLSearchParams();
      if (from.value) q.set('from', from.value);
      if (to.value) q.set('to', to.value);
      q.set('bucket', bucket.value);
      ctx.navigate(`${location.pathname}?${q}`);
    },
  },
  h('label', { class: 'field__label', for: 'report-from' }, 'From'), from,
  h('label', { class: 'field__label', for: 'report-to' }, 'To'), to,
  h('label', { class: 'field__label', for: 'report-bucket' }, 'By'), bucket,
  h('button', { class: 'btn btn--secondary', type: 'submit' }, 'Show'));
}

function label(iso, bucket) {
  const d = new Date(iso);
  return bucket === 'hour' ? d.toISOString().slice(0, 13).replace('T', ' ') + ':00' : d.toISOString().slice(0, 10);
}

function workflowReport(report, signal) {
  const labels = report.buckets.map((b) => label(b.start, report.bucket));
  const t = report.totals;
  const totals = h('dl', { class: 'stats', id: 'report-totals' },
    [['Started', t.started], ['Succeeded', t.succeeded], ['Failed', t.failed], ['Skipped', t.skipped], ['Exited', t.exited], ['Emails sent', t.sent], ['Opened', t.opened], ['Clicked', t.clicked]]
      .map(([k, v]) => h('div', { class: 'stat' }, h('dt', null, k), h('dd', null, String(v)))));
  const runs = chartFigure({
    id: 'runs-chart', caption: 'Runs per bucket: started, and how those that ended ended', type: 'bar', labels, signal,
    datasets: [
      { label: 'started', type: 'line', data: report.buckets.map((b) => b.started), borderColor: COLORS.started, backgroundColor: COLORS.started },
      ...ENDINGS.map((k) => ({ label: k, data: report.buckets.map((b) => b[k]), backgroundColor: COLORS[k], stack: 'ended' })),
    ],
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
  });
  const funnel = chartFigure({
    id: 'funnel-chart', caption: 'Step funnel: runs started in the range that reached and passed each step', type: 'bar', signal,
    labels: report.funnel.map((f) => f.stepId),
    datasets: ['reached', 'passed', 'failed', 'exited', 'waiting'].map((k) => ({ label: k, data: report.funnel.map((f) => f[k]), backgroundColor: COLORS[k] })),
    options: { indexAxis: 'y', scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  const emails = chartFigure({
    id: 'email-chart', caption: 'Emails per bucket', type: 'line', labels, signal,
    datasets: EMAIL.map((k) => ({ label: k, data: report.buckets.map((b) => b[k]), borderColor: COLORS[k], backgroundColor: COLORS[k] })),
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  const perStep = report.emails.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'email-steps' },
      h('caption', { class: 'sr-only' }, 'Emails per step'),
      h('thead', null, h('tr', null, ['Step', 'Sent', 'Opened', 'Clicked', 'Unsubscribed'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, report.emails.map((e) => h('tr', { 'data-step-id': e.stepId }, h('th', { scope: 'row' }, e.stepId),
        EMAIL.map((k) => h('td', null, String(e[k]))))))))
    : h('p', { class: 'muted' }, 'No email in the range.');
  return h('div', { class: 'report' },
    totals,
    card({ title: 'Runs', body: runs }),
    card({ title: 'Step funnel', body: funnel }),
    card({ title: 'Emails', body: [emails, perStep] }));
}

function overview(answer, signal) {
  if (!answer.items.length) {
    return emptyState({ title: 'No workflows yet', body: 'Reports appear once workflows run.', icon: '▤' });
  }
  const names = answer.items.map((i) => i.name);
  const chart = chartFigure({
    id: 'overview-chart', caption: 'Runs started per workflow, and how they ended', type: 'bar', labels: names, signal,
    datasets: [
      { label: 'started', data: answer.items.map((i) => i.totals.started), backgroundColor: COLORS.started },
      ...['succeeded', 'failed'].map((k) => ({ label: k, data: answer.items.map((i) => i.totals[k]), backgroundColor: COLORS[k] })),
    ],
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  const table = h('div', { class: 'table-wrap' }, h('table', { class: 'table table--cards', id: 'reports-table' },
    h('caption', { class: 'sr-only' }, 'Workflows'),
    h('thead', null, h('tr', null, ['Workflow', 'Status', 'Started', 'Succeeded', 'Failed', 'Exited', 'Emails sent', 'Opened'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, answer.items.map((i) => h('tr', { 'data-workflow-id': i.workflowId },
      h('td', { class: 'cell-name', 'data-label': 'Workflow' }, h('a', { href: `/reports/${encodeURIComponent(i.workflowId)}` }, i.name)),
      h('td', { 'data-label': 'Status' }, pill(i.status)),
      ...[['Started', 'started'], ['Succeeded', 'succeeded'], ['Failed', 'failed'], ['Exited', 'exited'], ['Emails sent', 'sent'], ['Opened', 'opened']]
        .map(([l, k]) => h('td', { 'data-label': l }, String(i.totals[k]))))))));
  return h('div', { class: 'report' }, card({ title: 'Runs by workflow', body: chart }), table);
}
