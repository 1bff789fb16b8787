// One workflow: its flow and stats, its runs (filters, paging, live refresh) and its versions.
import { h, replace } from '../dom.js';
import { api } from '../api.js';
import { pill, time, statusLabel, parseTime, fromNow } from '../format.js';
import {
  pageHeader, linkButton, button, card, emptyState, errorBanner, loading, tabs, toast, confirmDialog, jsonBlock,
} from '../ui.js';
import { workflowFlow } from '../flow.js';
import { loadActions } from '../actions.js';
import { replaceUrl } from '../nav.js';

const RUN_STATUSES = ['running', 'waiting', 'succeeded', 'failed', 'skipped', 'exited', 'cancelled'];
const RUNS_PAGE = 25;
const REFRESH_MS = 3000;

export async function render(ctx) {
  const id = ctx.params.id;
  const tab = ctx.params.tab || 'overview';
  const base = `/workflows/${encodeURIComponent(id)}`;
  const messages = h('div', { class: 'messages', 'aria-live': 'polite' });
  ctx.root.append(loading('Loading workflow…'));

  let wf;
  try {
    wf = await api(`/api/workflows/${encodeURIComponent(id)}`, { signal: ctx.signal });
  } catch (e) {
    if (e.name === 'AbortError') return;
    replace(ctx.root, e.status === 404
      ? emptyState({ title: 'This workflow does not exist', body: e.detail, actions: [linkButton('Back to workflows', '/', { kind: 'primary' })], icon: '?' })
      : errorBanner(e, { onRetry: () => ctx.navigate(location.pathname + location.search, { replace: true }) }));
    return;
  }

  ctx.setTitle(wf.name);
  const header = h('div');
  const drawHeader = () => replace(header, pageHeader({
    eyebrow: h('a', { href: '/', class: 'crumb' }, '← Workflows'),
    title: wf.name,
    meta: h('div', { class: 'header-meta' }, pill(wf.status), h('span', { class: 'tag' }, wf.module), h('span', { class: 'muted' }, `Version ${wf.version}`),
      h('span', { class: 'muted' }, 'Updated ', time(wf.updatedAt))),
    actions: headerActions(),
  }));

  function headerActions() {
    if (wf.status === 'archived') return [];
    const toggle = wf.status === 'active'
      ? button('Pause', () => setStatus('pause'), { id: 'pause-workflow' })
      : button('Activate', () => setStatus('activate'), { kind: 'primary', id: 'activate-workflow' });
    return [
      linkButton('View report', `/reports/${encodeURIComponent(wf.id)}`, { id: 'view-report' }),
      linkButton('Test', `${base}/edit?test=1`, { id: 'test-workflow-link', title: 'Open the editor with the Test panel' }),
      linkButton('Edit', `${base}/edit`, { id: 'edit-workflow' }),
      toggle,
      button('Archive', archive, { kind: 'ghost', id: 'archive-workflow' }),
    ];
  }

  async function setStatus(action) {
    try {
      wf = await api(`/api/workflows/${encodeURIComponent(id)}/${action}`, { method: 'POST', signal: ctx.signal });
      replace(messages);
      toast(action === 'activate' ? 'Active: matching events now start runs.' : 'Paused: no new runs start; waiting runs wait until it is active again.');
      drawHeader();
    } catch (e) {
      if (e.name !== 'AbortError') replace(messages, errorBanner(e));
    }
  }

  async function archive() {
    const ok = await confirmDialog({
      title: `Archive “${wf.name}”?`,
      body: 'It stops enrolling records, its waiting runs are cancelled when they next wake, and it can no longer be edited. Its history stays readable.',
      confirm: 'Archive', danger: true,
    });
    if (!ok) return;
    try {
      wf = await api(`/api/workflows/${encodeURIComponent(id)}`, { method: 'DELETE', signal: ctx.signal });
      toast('Archived.');
      drawHeader();
    } catch (e) {
      if (e.name !== 'AbortError') replace(messages, errorBanner(e));
    }
  }

  drawHeader();
  const content = h('div', { class: 'tab-panel' });
  replace(ctx.root, header, messages,
    tabs([
      { key: 'overview', label: 'Overview', href: base },
      { key: 'runs', label: 'Runs', href: `${base}/runs` },
      { key: 'versions', label: 'Versions', href: `${base}/versions`, count: wf.version },
    ], tab),
    content);

  if (tab === 'runs') await runsTab(ctx, wf, content);
  else if (tab === 'versions') await versionsTab(ctx, wf, content);
  else await overviewTab(ctx, wf, content);
}

async function overviewTab(ctx, wf, content) {
  const stats = h('div', { class: 'stats' }, loading('Loading stats…'));
  const flow = h('div', null, loading());
  const emails = h('div');
  replace(content,
    wf.description ? h('p', { class: 'description' }, wf.description) : null,
    stats,
    emails,
    card({ title: 'How it works', body: flow }));

  const [statsResult, actionsResult] = await Promise.allSettled([
    api(`/api/workflows/${encodeURIComponent(wf.id)}/stats`, { signal: ctx.signal }),
    loadActions(),
  ]);
  replace(flow, workflowFlow(wf, actionsResult.status === 'fulfilled' ? actionsResult.value : []));
  if (statsResult.status === 'fulfilled') {
    replace(stats, statsCards(statsResult.value, wf));
    replace(emails, emailStats(statsResult.value.email, wf));
  }
  else if (statsResult.reason?.name !== 'AbortError') replace(stats, errorBanner(statsResult.reason));
}

function statsCards(stats, wf) {
  const by = stats.byStatus || {};
  const base = `/workflows/${encodeURIComponent(wf.id)}/runs`;
  const stat = (label, value, status, extra) => h('a', {
    class: ['stat', status && `stat--${status}`], href: status ? `${base}?status=${status}` : base,
  }, h('div', { class: 'stat__label' }, label), h('div', { class: 'stat__value' }, String(value ?? 0)), extra ? h('div', { class: 'stat__extra' }, extra) : null);
  const last = parseTime(stats.lastRunAt);
  const cards = [
    stat('Runs', stats.runCount, null, last ? h('span', null, 'Last ', time(stats.lastRunAt), ` · ${fromNow(last)}`) : 'No run yet'),
    ...['succeeded', 'failed', 'waiting', 'running', 'skipped', 'exited', 'cancelled']
      .filter((s) => s !== 'running' || by.running)
      .map((s) => stat(statusLabel(s), by[s], s)),
  ];
  return cards;
}

/** Sent, opened, clicked and unsubscribed, for the whole workflow and per send_email step, with rates of the sent. */
function emailStats(email, wf) {
  const emailSteps = (wf.steps || []).filter((st) => st.action === 'send_email');
  if (!email || (!emailSteps.length && !email.sent)) return null;
  const rate = (n, sent) => (sent ? ` (${Math.round((100 * n) / sent)}%)` : '');
  const cells = (c, label) => [
    h('td', { 'data-label': 'Sent', class: 'num' }, String(c.sent ?? 0)),
    ...[['Opened', c.opened], ['Clicked', c.clicked], ['Unsubscribed', c.unsubscribed]]
      .map(([name, n]) => h('td', { 'data-label': name, class: 'num', 'aria-label': `${label}: ${name.toLowerCase()} ${n ?? 0}` }, `${n ?? 0}${rate(n ?? 0, c.sent)}`)),
  ];
  const stepIds = [...new Set([...emailSteps.map((st) => st.id), ...Object.keys(email.steps || {})])];
  const zero = { sent: 0, opened: 0, clicked: 0, unsubscribed: 0 };
  return card({
    title: 'Emails',
    id: 'email-stats',
    body: h('div', { class: 'table-wrap' }, h('table', { class: 'table table--compact table--cards' },
      h('caption', { class: 'sr-only' }, 'Emails sent by this workflow, and how many were opened, clicked and unsubscribed from'),
      h('thead', null, h('tr', null, ['Step', 'Sent', 'Opened', 'Clicked', 'Unsubscribed'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null,
        stepIds.map((id) => h('tr', { 'data-step-id': id }, h('th', { scope: 'row', 'data-label': 'Step' }, id), cells(email.steps?.[id] || zero, id))),
        stepIds.length > 1 ? h('tr', { class: 'total' }, h('th', { scope: 'row', 'data-label': 'Step' }, 'All steps'), cells(email, 'All steps')) : null))),
  });
}

async function runsTab(ctx, wf, content) {
  const filters = { status: ctx.query.get('status') || '', recordId: ctx.query.get('recordId') || '' };
  const status = h('select', { id: 'runs-status', class: 'select' },
    h('option', { value: '' }, 'All statuses'),
    RUN_STATUSES.map((s) => h('option', { value: s, selected: s === filters.status }, statusLabel(s))));
  const record = h('input', { id: 'runs-record', class: 'input', type: 'search', placeholder: 'Record id', value: filters.recordId, autocomplete: 'off' });
  const live = h('span', { class: 'live muted small', 'aria-live': 'off' });
  const results = h('div');
  const pager = h('div', { class: 'pager' });
  const tokens = [null]; // token of each page seen; the last one is the page shown
  let next = null;
  let shown = null;

  const apply = () => {
    filters.status = status.value;
    filters.recordId = record.value.trim();
    const q = new URLSearchParams();
    if (filters.status) q.set('status', filters.status);
    if (filters.recordId) q.set('recordId', filters.recordId);
    replaceUrl(`/workflows/${encodeURIComponent(wf.id)}/runs${q.toString() ? `?${q}` : ''}`);
    tokens.length = 1;
    load(true);
  };
  status.addEventListener('change', apply);
  record.addEventListener('change', apply);
  record.addEventListener('keydown', (e) => { if (e.key === 'Enter') apply(); });

  replace(content,
    h('div', { class: 'toolbar', role: 'search' },
      h('label', { class: 'sr-only', for: 'runs-status' }, 'Run status'), status,
      h('div', { class: 'toolbar__search' }, h('label', { class: 'sr-only', for: 'runs-record' }, 'Record id'), record),
      button('Refresh', () => load(false), { id: 'refresh-runs' }),
      live),
    results, pager);

  async function load(showLoading) {
    if (showLoading) replace(results, loading('Loading runs…'));
    try {
      const page = await api(`/api/workflows/${encodeURIComponent(wf.id)}/runs`, {
        query: { status: filters.status, recordId: filters.recordId, limit: RUNS_PAGE, continuationToken: tokens[tokens.length - 1] },
        signal: ctx.signal,
      });
      next = page.continuationToken || null;
      // Redraw only when something changed, so that a refresh does not take the keyboard focus away.
      const snapshot = JSON.stringify(page);
      if (snapshot !== shown || showLoading) replace(results, runsTable(page.items, wf, filters));
      shown = snapshot;
      drawPager();
      live.textContent = tokens.length === 1 ? 'Updates every few seconds' : '';
    } catch (e) {
      if (e.name === 'AbortError') return;
      replace(results, errorBanner(e, { onRetry: () => load(true) }));
    }
  }

  function drawPager() {
    replace(pager,
      tokens.length > 1 ? button('← Newer', () => { tokens.pop(); load(true); }, { id: 'runs-newer' }) : null,
      tokens.length > 1 || next ? h('span', { class: 'muted' }, `Page ${tokens.length}`) : null,
      next ? button('Older →', () => { tokens.push(next); load(true); }, { id: 'runs-older' }) : null);
  }

  await load(true);

  // The first page follows new runs while the tab is open; older pages stay still.
  const timer = setInterval(() => {
    if (document.visibilityState === 'visible' && tokens.length === 1) load(false);
  }, REFRESH_MS);
  ctx.signal.addEventListener('abort', () => clearInterval(timer));
}

function runsTable(runs, wf, filters) {
  if (runs.length === 0) {
    const filtered = filters.status || filters.recordId;
    return emptyState(filtered
      ? { title: 'No run matches these filters', body: 'Clear the status or record filter to see every run.', icon: '⌕' }
      : wf.status === 'active'
        ? { title: 'No runs yet', body: `Runs appear here as soon as an event about a ${wf.module} matches the trigger. Send one from your CRM, or POST it to /api/events.`, icon: '◷' }
        : { title: 'No runs yet', body: 'Activate the workflow: from then on, each matching event starts a run that shows up here.', icon: '◷' });
  }
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table table--cards', id: 'runs-table' },
    h('caption', { class: 'sr-only' }, 'Runs, newest first'),
    h('thead', null, h('tr', null, ['Started', 'Record', 'Status', 'Actions run', 'Version', 'Error or note', ''].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, runs.map((r) => h('tr', { 'data-run-id': r.runId, 'data-status': r.status },
      h('td', { 'data-label': 'Started' }, time(r.createdAt, { seconds: true })),
      h('td', { 'data-label': 'Record' }, h('a', { href: `/records/${encodeURIComponent(r.module)}/${encodeURIComponent(r.recordId)}` }, r.recordId)),
      h('td', { 'data-label': 'Status' }, pill(r.status),
        r.status === 'skipped' ? h('div', { class: 'cell-sub' }, 'Conditions not met') : null,
        r.status === 'waiting' && r.wakeAt ? h('div', { class: 'cell-sub', 'data-wake-at': r.wakeAt }, 'Wakes ', time(r.wakeAt, { seconds: true, withRelative: true })) : null),
      h('td', { 'data-label': 'Actions run', class: 'num' }, String(r.stepsExecuted ?? 0)),
      h('td', { 'data-label': 'Version', class: 'num' }, `v${r.workflowVersion}`),
      h('td', { 'data-label': r.status === 'failed' ? 'Error' : 'Note', class: r.status === 'failed' ? 'cell-error' : 'cell-note' }, r.error ? h('span', { title: r.error }, r.error) : h('span', { class: 'muted' }, '—')),
      h('td', { class: 'cell-open' }, h('a', { class: 'btn btn--small btn--secondary', href: `/runs/${encodeURIComponent(r.runId)}`, 'aria-label': `Open run of ${r.recordId} started ${r.createdAt}` }, 'Open')))))));
}

async function versionsTab(ctx, wf, content) {
  replace(content, loading('Loading versions…'));
  try {
    const versions = await api(`/api/workflows/${encodeURIComponent(wf.id)}/versions`, { signal: ctx.signal });
    replace(content, h('ol', { class: 'versions' }, versions.map((v) => h('li', { class: 'version' },
      h('div', { class: 'version__head' },
        h('strong', null, `Version ${v.version}`),
        v.version === wf.version ? h('span', { class: 'tag tag--accent' }, 'Current') : null,
        h('span', { class: 'muted' }, 'Saved ', time(v.updatedAt || v.createdAt)),
        h('span', { class: 'muted' }, `${(v.steps || []).length} step${(v.steps || []).length === 1 ? '' : 's'}`)),
      jsonBlock(stripMeta(v), { label: 'Definition', open: false })))));
  } catch (e) {
    if (e.name !== 'AbortError') replace(content, errorBanner(e));
  }
}

function stripMeta(v) {
  const { status, createdAt, updatedAt, ...rest } = v;
  return rest;
}
