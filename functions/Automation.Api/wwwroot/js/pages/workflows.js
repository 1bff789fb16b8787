// The workflow grid: filters, search, and an Active/Paused switch on each row.
import { h, replace, debounce } from '../dom.js';
import { api } from '../api.js';
import { pill, time, triggerLabelForType, humanizeType, fromNow, parseTime } from '../format.js';
import { pageHeader, linkButton, emptyState, errorBanner, loading, toggleSwitch, toast, button } from '../ui.js';
import { MODULES } from '../editor/vocabulary.js';
import { replaceUrl } from '../nav.js';

const PAGE_SIZE = 50;

export async function render(ctx) {
  ctx.setTitle('Workflows');
  const filters = {
    status: ctx.query.get('status') || '',
    module: ctx.query.get('module') || '',
    search: ctx.query.get('q') || '',
  };

  const messages = h('div', { class: 'messages', 'aria-live': 'polite' });
  const results = h('div', { class: 'results' });
  const search = h('input', {
    id: 'workflow-search', class: 'input', type: 'search', placeholder: 'Search by name', value: filters.search, autocomplete: 'off',
  });
  const status = select('workflow-status', [['', 'All statuses'], ['active', 'Active'], ['paused', 'Paused'], ['draft', 'Draft'], ['archived', 'Archived']], filters.status);
  const module = select('workflow-module', [['', 'All modules'], ...MODULES.map((m) => [m, humanizeType(m)])], filters.module);

  const reload = () => {
    filters.search = search.value.trim();
    filters.status = status.value;
    filters.module = module.value;
    const q = new URLSearchParams();
    if (filters.status) q.set('status', filters.status);
    if (filters.module) q.set('module', filters.module);
    if (filters.search) q.set('q', filters.search);
    replaceUrl(`/${q.toString() ? `?${q}` : ''}`);
    loadPage(null, true);
  };
  search.addEventListener('input', debounce(reload, 250));
  status.addEventListener('change', reload);
  module.addEventListener('change', reload);

  const toolbar = h('div', { class: 'toolbar', role: 'search' },
    h('div', { class: 'toolbar__search' }, h('label', { class: 'sr-only', for: 'workflow-search' }, 'Search workflows by name'), search),
    h('label', { class: 'sr-only', for: 'workflow-status' }, 'Status'), status,
    h('label', { class: 'sr-only', for: 'workflow-module' }, 'Module'), module);

  ctx.root.append(
    pageHeader({
      title: 'Workflows',
      subtitle: 'Each workflow starts when something happens to a CRM record, checks its conditions, then runs its steps in order.',
      actions: [linkButton('New workflow', '/workflows/new', { kind: 'primary', id: 'new-workflow' })],
    }),
    toolbar, messages, results);

  let rows = [];
  let token = null;

  async function loadPage(continuationToken, fresh) {
    if (fresh) replace(results, loading('Loading workflows…'));
    try {
      const page = await api('/api/workflows', {
        query: { status: filters.status, module: filters.module, search: filters.search, limit: PAGE_SIZE, continuationToken },
        signal: ctx.signal,
      });
      rows = fresh ? page.items : rows.concat(page.items);
      token = page.continuationToken || null;
      // Modules of your own (deal, ticket, ...) join the filter as soon as a workflow uses them.
      for (const m of new Set(page.items.map((w) => w.module))) {
        if (m && ![...module.options].some((o) => o.value === m)) module.append(h('option', { value: m }, humanizeType(m)));
      }
      draw();
    } catch (e) {
      if (e.name === 'AbortError') return;
      replace(results, errorBanner(e, { onRetry: () => loadPage(continuationToken, fresh) }));
    }
  }

  function draw() {
    const filtered = filters.status || filters.module || filters.search;
    if (rows.length === 0 && !token) {
      replace(results, filtered
        ? emptyState({
          title: 'No workflow matches these filters',
          body: 'Try another name, status or module, or clear the filters to see every workflow.',
          actions: [button('Clear filters', () => { search.value = ''; status.value = ''; module.value = ''; reload(); })],
          icon: '⌕',
        })
        : emptyState({
          title: 'No workflows yet',
          body: 'Create one: choose what starts it (a lead is created, a deal enters a stage…), add conditions, then the steps it runs. Test it on a sample record before you activate it.',
          actions: [linkButton('Create your first workflow', '/workflows/new', { kind: 'primary' })],
          icon: '⚡',
        }));
      return;
    }

    const table = h('table', { class: 'table table--cards', id: 'workflow-grid' },
      h('caption', { class: 'sr-only' }, 'Workflows'),
      h('thead', null, h('tr', null,
        ['Name', 'Status', 'Trigger', 'Module', 'Runs', 'Last run'].map((c) => h('th', { scope: 'col' }, c)),
        h('th', { scope: 'col', class: 'col-switch' }, 'On'))),
      h('tbody', null, rows.map(row)));
    replace(results, h('div', { class: 'table-wrap' }, table),
      token ? h('div', { class: 'more' }, button('Load more', () => loadPage(token, false))) : null);
  }

  function row(wf) {
    const statusCell = h('td', { 'data-label': 'Status' }, pill(wf.status));
    const canToggle = wf.status !== 'archived';
    const sw = canToggle
      ? toggleSwitch({
        checked: wf.status === 'active',
        label: `Active: ${wf.name}`,
        onChange: async (on) => {
          try {
            const saved = await api(`/api/workflows/${encodeURIComponent(wf.id)}/${on ? 'activate' : 'pause'}`, { method: 'POST', signal: ctx.signal });
            wf.status = saved.status;
            replace(statusCell, pill(saved.status));
            toast(on ? `“${wf.name}” is active: matching events now start runs.` : `“${wf.name}” is paused: no new runs start; waiting runs wait.`);
          } catch (e) {
            replace(messages, errorBanner(e));
            throw e;
          }
        },
      })
      : h('span', { class: 'muted' }, '—');
    const last = parseTime(wf.lastRunAt);
    return h('tr', { 'data-workflow-id': wf.id },
      h('td', { 'data-label': 'Name', class: 'cell-name' },
        h('a', { class: 'row-link', href: `/workflows/${encodeURIComponent(wf.id)}` }, wf.name),
        wf.description ? h('div', { class: 'cell-sub' }, wf.description) : null),
      statusCell,
      h('td', { 'data-label': 'Trigger' }, triggerLabelForType(wf.triggerType)),
      h('td', { 'data-label': 'Module' }, h('span', { class: 'tag' }, wf.module)),
      h('td', { 'data-label': 'Runs', class: 'num' }, String(wf.runCount ?? 0)),
      h('td', { 'data-label': 'Last run' }, last ? h('span', null, time(wf.lastRunAt), h('div', { class: 'cell-sub' }, fromNow(last))) : h('span', { class: 'muted' }, 'Never')),
      h('td', { 'data-label': 'Active', class: 'col-switch' }, sw));
  }

  await loadPage(null, true);
}

function select(id, options, value) {
  return h('select', { id, class: 'select' }, options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
}
