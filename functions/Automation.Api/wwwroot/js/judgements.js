// What became of one event for each workflow of its module (enrolled with its run, skipped with the trace, or why
// not), as GET /api/records/{module}/{id}/events and GET /api/events explain it. Shared by the record and events pages.
import { h } from './dom.js';
import { pill } from './format.js';
import { traceTable } from './ui.js';

export function judgementsList(workflows) {
  if (!workflows.length) return h('p', { class: 'muted small' }, 'No workflow of this module existed.');
  return h('ul', { class: 'judgements' }, workflows.map((w) => h('li', { class: 'judgement', 'data-workflow-id': w.workflowId, 'data-outcome': w.outcome },
    h('div', { class: 'judgement__head' },
      pill(w.outcome),
      h('a', { href: `/workflows/${encodeURIComponent(w.workflowId)}` }, w.name),
      w.runId ? h('a', { class: 'small', href: `/runs/${encodeURIComponent(w.runId)}` }, 'Open run') : null),
    h('div', { class: 'judgement__reason' }, w.reason),
    w.conditions ? h('details', { class: 'disclosure' }, h('summary', null, 'Conditions now'), traceTable(w.conditions)) : null)));
}
