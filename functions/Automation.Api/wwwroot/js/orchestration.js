// A run's Durable orchestration as GET /api/runs/{id}/orchestration reads it from the task hub: its runtime status
// and its history in plain words. The run page shows it; Durable Functions Monitor shows the same rows.
import { h } from './dom.js';
import { pill, time, humanizeType } from './format.js';
import { definitionList, errorBanner } from './ui.js';

// The task hub's statuses, coloured like the run statuses they correspond to.
const STATUS_PILLS = {
  Pending: 'pending',
  Running: 'running',
  ContinuedAsNew: 'running',
  Suspended: 'waiting',
  Completed: 'succeeded',
  Failed: 'failed',
  Terminated: 'cancelled',
  Canceled: 'cancelled',
};

// Events the orchestration sends itself to replay its code; every episode has a pair, and they say nothing an admin
// can use, so the list leaves them out (Durable Functions Monitor can show them).
const REPLAY_MARKERS = new Set(['OrchestratorStarted', 'OrchestratorCompleted']);

// The events RunOrchestrator waits for (RunEvents), in an admin's words.
const RAISED = {
  RunNow: 'an admin’s “Run now”',
  RecordChanged: 'an event about the record (exit conditions checked)',
  Decision: 'the decision the step waited for',
};

/**
 * The card's body. `state` is { view } with the API's answer, { missing: detail } for a 404, or { error } for any other
 * failure; `run` is the run it belongs to.
 */
export function orchestrationBody(state, run) {
  if (run.status === 'skipped') {
    return h('p', { class: 'muted', id: 'orchestration-none' }, 'No orchestration: the run was skipped when its event came, so nothing ran in the task hub.');
  }
  if (!state) return h('p', { class: 'muted' }, 'Loading…');
  if (state.error) return errorBanner(state.error);
  if (state.missing !== undefined) {
    return h('p', { class: 'muted', id: 'orchestration-none' }, 'The task hub has no orchestration for this run (yet). ', state.missing || '');
  }

  const view = state.view;
  const events = shown(view.history || []);
  const status = h('span', { id: 'orchestration-status' }, pill(STATUS_PILLS[view.runtimeStatus] || 'unknown', view.runtimeStatus || 'Unknown'));
  const facts = definitionList([
    ['Status', status],
    ['Created', time(view.createdAt, { seconds: true })],
    ['Last updated', time(view.lastUpdatedAt, { seconds: true })],
    ['Orchestrator', h('code', null, view.name || '—')],
  ]);
  facts.classList.add('meta--inline');
  return [
    facts,
    h('p', { class: 'muted small orch__monitor' },
      'The same history is in Durable Functions Monitor: task hub ', h('code', null, view.hub), ', instance ', h('code', null, view.instanceId),
      '. ', run.retries ? 'A retry starts a new execution of the instance: only the latest is listed here.' : null),
    events.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'table table--compact orch__history', id: 'orchestration-history' },
        h('caption', { class: 'sr-only' }, 'Orchestration history, oldest first'),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Time'), h('th', { scope: 'col' }, 'Event'), h('th', { scope: 'col' }, 'Detail'))),
        h('tbody', null, events.map(({ event, at }) => h('tr', { 'data-event-type': event.eventType },
          h('td', null, time(at, { seconds: true })),
          h('td', { class: 'orch__event' }, eventTitle(event)),
          h('td', null, eventDetail(event)))))))
      : h('p', { class: 'muted' }, 'No history yet.'),
  ];
}

/**
 * The events worth reading, each with the time to show. A timer's row is written when the timer is created, so its
 * TimerFired row carries that time: the episode that processed it (the OrchestratorStarted before it) says when it fired.
 */
function shown(history) {
  const rows = [];
  let episode = null;
  for (const event of history) {
    if (event.eventType === 'OrchestratorStarted') episode = event.at;
    if (REPLAY_MARKERS.has(event.eventType)) continue;
    rows.push({ event, at: event.eventType === 'TimerFired' && episode ? episode : event.at });
  }
  return rows;
}

function eventTitle(event) {
  switch (event.eventType) {
    case 'ExecutionStarted': return 'Started';
    case 'TaskScheduled': return 'Activity scheduled';
    case 'TaskCompleted': return 'Activity completed';
    case 'TaskFailed': return 'Activity failed';
    case 'TimerCreated': return 'Timer created';
    case 'TimerFired': return 'Timer fired';
    case 'EventRaised': return 'Event raised';
    case 'ExecutionCompleted': return 'Completed';
    case 'ExecutionTerminated': return 'Terminated';
    case 'ContinueAsNew': return 'Continued as new';
    default: return humanizeType(event.eventType);
  }
}

function eventDetail(event) {
  switch (event.eventType) {
    case 'ExecutionStarted':
    case 'TaskScheduled':
      return event.name ? h('code', null, event.name) : null;
    case 'TimerCreated':
      return event.fireAt ? h('span', null, 'fires at ', time(event.fireAt, { seconds: true })) : null;
    case 'TimerFired':
      return event.fireAt ? h('span', null, 'due ', time(event.fireAt, { seconds: true })) : null;
    case 'EventRaised':
      return event.name ? h('span', null, h('code', null, event.name), RAISED[event.name] ? ` · ${RAISED[event.name]}` : null) : null;
    case 'ContinueAsNew':
      return 'the history starts again, so a long-lived run keeps it short';
    default:
      return event.reason || event.name || null;
  }
}
