// One CRM record as Automation saw it: the stored snapshot, its runs across workflows, and for its recent events
// which workflows enrolled it and why the others did not.
import { h, replace } from '../dom.js';
import { api } from '../api.js';
import { pill, time, humanizeType } from '../format.js';
import { pageHeader, card, emptyState, errorBanner, loading, fieldsTable, jsonBlock, linkButton } from '../ui.js';
import { judgementsList } from '../judgements.js';

export async function render(ctx) {
  const { module, recordId } = ctx.params;
  ctx.setTitle(`${module} ${recordId}`);
  replace(ctx.root, loading('Loading record…'));

  let answer;
  try {
    answer = await api(`/api/records/${encodeURIComponent(module)}/${encodeURIComponent(recordId)}`, { signal: ctx.signal });
  } catch (e) {
    if (e.name === 'AbortError') return;
    replace(ctx.root, e.status === 404
      ? emptyState({
        title: `No ${module} “${recordId}” yet`,
        body: `${e.detail} Automation keeps a record once an event about it arrives (POST /api/events).`,
        actions: [linkButton('Look up another record', '/records', { kind: 'primary' })],
        icon: '◫',
      })
      : errorBanner(e));
    return;
  }

  const { record, runs, segments } = answer;
  const names = await workflowNames(ctx.signal);
  const events = h('div', null, loading('Loading recent events…'));

  replace(ctx.root,
    pageHeader({
      eyebrow: h('a', { class: 'crumb', href: '/records' }, '← Records'),
      title: `${humanizeType(record.module)} ${record.recordId}`,
      meta: h('div', { class: 'header-meta' },
        record.deleted ? pill('failed', 'Deleted') : null,
        h('span', { class: 'muted' }, 'Updated ', time(record.updatedAt)),
        record.lastEventId ? h('span', { class: 'muted' }, 'by event ', h('code', null, record.lastEventId)) : null),
    }),
    card({ title: 'Runs', body: runsTable(runs, names), id: 'record-runs' }),
    h('div', { class: 'record-layout' },
      card({ title: 'Recent events', body: events, id: 'record-events' }),
      h('div', null,
        card({ title: 'Segments', body: segmentsList(segments), id: 'record-segments' }),
        card({
          title: 'Snapshot',
          body: [fieldsTable(record.fields, { caption: 'Record fields' }), jsonBlock(record.fields, { label: 'As JSON', open: false })],
          id: 'record-snapshot',
        }))));

  try {
    const explained = await api(`/api/records/${encodeURIComponent(module)}/${encodeURIComponent(recordId)}/events`, { signal: ctx.signal });
    replace(events, eventsList(explained));
  } catch (e) {
    if (e.name === 'AbortError') return;
    replace(events, e.status === 404
      ? h('p', { class: 'muted' }, 'No stored event for this record.')
      : errorBanner(e));
  }
}

async function workflowNames(signal) {
  try {
    const page = await api('/api/workflows', { query: { includeArchived: true, limit: 500 }, signal });
    return Object.fromEntries(page.items.map((w) => [w.id, w.name]));
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    return {};
  }
}

// The segments the record's last event left it in (membership is kept per record as events arrive).
function segmentsList(segments) {
  if (!segments?.length) return h('p', { class: 'muted' }, 'In no segment (membership is decided at each event about the record).');
  return h('ul', { class: 'chips', 'aria-label': 'Segments of this record' },
    segments.map((s) => h('li', null, h('a', { class: 'tag', href: `/segments/${encodeURIComponent(s.id)}` }, s.name))));
}

function runsTable(runs, names) {
  if (!runs.length) {
    return h('p', { class: 'muted' }, 'No workflow has run for this record yet. A run starts when an event about it matches an active workflow’s trigger.');
  }
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table table--cards' },
    h('caption', { class: 'sr-only' }, 'Runs of this record'),
    h('thead', null, h('tr', null, ['Workflow', 'Status', 'Started', 'Error or note', ''].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, runs.map((r) => h('tr', { 'data-run-id': r.runId },
      h('td', { 'data-label': 'Workflow' }, h('a', { href: `/workflows/${encodeURIComponent(r.workflowId)}` }, names[r.workflowId] || r.workflowId), h('span', { class: 'muted' }, ` v${r.workflowVersion}`)),
      h('td', { 'data-label': 'Status' }, pill(r.status)),
      h('td', { 'data-label': 'Started' }, time(r.createdAt, { seconds: true })),
      h('td', { 'data-label': r.status === 'failed' ? 'Error' : 'Note', class: r.status === 'failed' ? 'cell-error' : 'cell-note' }, r.error ? h('span', { title: r.error }, r.error) : h('span', { class: 'muted' }, '—')),
      h('td', { class: 'cell-open' }, h('a', { class: 'btn btn--small btn--secondary', href: `/runs/${encodeURIComponent(r.runId)}` }, 'Open')))))));
}

function segmentChips(label, ids) {
  if (!ids?.length) return null;
  return h('div', { class: 'chips' }, h('span', { class: 'muted small' }, label),
    ids.map((id) => h('a', { class: 'tag', href: `/segments/${encodeURIComponent(id)}` }, id)));
}

function eventsList(explained) {
  if (!explained.items.length) return h('p', { class: 'muted' }, 'No stored event for this record.');
  return h('div', null,
    h('p', { class: 'muted small' }, 'For each event: the workflows of this module, whether the record enrolled, and why not. Where no run exists, the event is judged again against the workflow as it is now.'),
    h('ol', { class: 'events' }, explained.items.map((e) => h('li', { class: 'event', 'data-event-id': e.eventId },
      h('div', { class: 'event__head' },
        h('strong', null, humanizeType(e.type)),
        h('code', { class: 'muted small' }, e.eventId),
        h('span', { class: 'muted small' }, time(e.occurredAt, { seconds: true })),
        e.state !== 'applied' ? pill('pending', 'Not processed yet') : null),
      e.changedFields?.length ? h('div', { class: 'chips' }, h('span', { class: 'muted small' }, 'Changed: '), e.changedFields.map((f) => h('span', { class: 'tag' }, f))) : null,
      segmentChips('Entered segment: ', e.segmentsEntered),
      segmentChips('Left segment: ', e.segmentsExited),
      judgementsList(e.workflows)))),
    explained.more ? h('p', { class: 'muted small' }, 'Older events are not shown.') : null);
}
