// Segments: saved lists of records of one module (HubSpot's active lists, Salesforce's list views), defined by
// conditions on the record. Workflows start when a record enters or leaves one (segment.entered / segment.exited).
import { h, replace } from '../dom.js';
import { api } from '../api.js';
import { time } from '../format.js';
import { pageHeader, emptyState, errorBanner, loading, linkButton, conditionTree } from '../ui.js';

export async function render(ctx) {
  ctx.setTitle('Segments');
  const body = h('div', null, loading('Loading segments…'));
  ctx.root.append(pageHeader({
    title: 'Segments',
    subtitle: 'Saved lists of records: a record is in a segment while its conditions hold. Each record’s membership is kept as its events arrive, and workflows can start when a record enters or leaves a segment.',
    actions: [linkButton('New segment', '/segments/new', { kind: 'primary', id: 'new-segment' })],
  }), body);

  try {
    const { items } = await api('/api/segments', { signal: ctx.signal });
    replace(body, items.length ? table(items) : emptyState({
      title: 'No segment yet',
      body: 'A segment lists the records of a module that match conditions, e.g. leads scoring 80 or more. Workflows can then start on segment.entered or segment.exited.',
      actions: [linkButton('New segment', '/segments/new', { kind: 'primary' })],
      icon: '◎',
    }));
  } catch (e) {
    if (e.name !== 'AbortError') replace(body, errorBanner(e, { onRetry: () => ctx.navigate('/segments', { replace: true }) }));
  }
}

function table(items) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table table--cards', id: 'segments-table' },
    h('caption', { class: 'sr-only' }, 'Segments'),
    h('thead', null, h('tr', null, ['Name', 'Module', 'Records are in it when', 'Updated'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, items.map((s) => h('tr', { 'data-segment-id': s.id },
      h('td', { 'data-label': 'Name', class: 'cell-name' },
        h('a', { href: `/segments/${encodeURIComponent(s.id)}` }, s.name),
        s.description ? h('div', { class: 'muted small' }, s.description) : null,
        h('div', null, h('code', { class: 'muted small' }, s.id))),
      h('td', { 'data-label': 'Module' }, s.module),
      h('td', { 'data-label': 'Conditions' }, conditionTree(s.conditions)),
      h('td', { 'data-label': 'Updated' }, time(s.updatedAt)))))));
}
