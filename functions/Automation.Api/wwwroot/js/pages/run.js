// One run's history as a timeline: every attempt of every step, the waiting step with its wake time, the traces
// that decided, and Retry / Cancel.
import { h, replace, icon } from '../dom.js';
import { api } from '../api.js';
import { pill, time, between, delayText, fromNow, parseTime, humanizeType, statusLabel } from '../format.js';
import {
  pageHeader, button, card, emptyState, errorBanner, loading, linkButton, toast, confirmDialog, jsonBlock, traceTable, definitionList,
} from '../ui.js';

const LIVE = new Set(['running', 'waiting']);
const REFRESH_MS = 2000;
const SOON_MS = 60_000;

/** A running run is followed; a waiting one only when it wakes within a minute (a wait of days has Refresh). */
function followsLive(run) {
  if (run.status === 'running') return true;
  if (run.status !== 'waiting') return false;
  const wake = parseTime(run.wakeAt);
  return !wake || wake.getTime() - Date.now() < SOON_MS;
}

export async function render(ctx) {
  const runId = ctx.params.runId;
  const messages = h('div', { class: 'messages', 'aria-live': 'polite' });
  const body = h('div');
  replace(ctx.root, loading('Loading run…'));
  ctx.setTitle('Run');

  let details = null;
  let workflow = null;
  let busy = false;

  async function fetchRun() {
    details = await api(`/api/runs/${encodeURIComponent(runId)}`, { signal: ctx.signal });
    const run = details.run;
    if (!workflow || workflow.version !== run.workflowVersion) {
      try {
        workflow = await api(`/api/workflows/${encodeURIComponent(run.workflowId)}`, { query: { version: run.workflowVersion }, signal: ctx.signal });
      } catch (e) {
        if (e.name === 'AbortError') throw e;
        workflow = null; // the timeline still shows every step log without it
      }
    }
  }

  try {
    await fetchRun();
  } catch (e) {
    if (e.name === 'AbortError') return;
    replace(ctx.root, e.status === 404
      ? emptyState({ title: 'This run does not exist', body: e.detail, actions: [linkButton('Back to workflows', '/', { kind: 'primary' })], icon: '?' })
      : errorBanner(e, { onRetry: () => ctx.navigate(location.pathname + location.search, { replace: true }) }));
    return;
  }

  replace(ctx.root, body);
  draw();

  async function refresh() {
    try {
      await fetchRun();
      draw();
    } catch (e) {
      if (e.name !== 'AbortError') replace(messages, errorBanner(e));
    }
  }

  async function act(kind) {
    if (busy) return;
    if (kind === 'cancel') {
      const ok = await confirmDialog({
        title: 'Cancel this run?', body: 'No further step runs. Steps that already ran are not undone.', confirm: 'Cancel run', cancel: 'Keep running', danger: true,
      });
      if (!ok) return;
    }
    busy = true;
    draw();
    const path = kind === 'cancel' ? 'cancel' : 'retry';
    try {
      await api(`/api/runs/${encodeURIComponent(runId)}/${path}`, { method: 'POST', query: kind === 'retry-start' ? { fromStart: true } : {}, signal: ctx.signal });
      replace(messages);
      toast(kind === 'cancel' ? 'Run cancelled.' : kind === 'retry-start' ? 'Retrying from the first step.' : 'Retrying from the failed step.');
    } catch (e) {
      if (e.name === 'AbortError') return;
      replace(messages, errorBanner(e));
    } finally {
      busy = false;
    }
    await refresh();
  }

  function draw() {
    const run = details.run;
    const focusedId = body.contains(document.activeElement) ? document.activeElement.id : null;
    ctx.setTitle(`Run · ${run.recordId}`);
    const actions = [];
    if (run.status === 'failed') {
      actions.push(button('Retry failed step', () => act('retry'), { kind: 'primary', id: 'retry-run', disabled: busy }));
      actions.push(button('Retry from start', () => act('retry-start'), { id: 'retry-run-start', disabled: busy }));
    }
    if (LIVE.has(run.status)) actions.push(button('Cancel run', () => act('cancel'), { kind: 'danger', id: 'cancel-run', disabled: busy }));
    actions.push(button('Refresh', refresh, { kind: 'ghost', id: 'refresh-run' }));

    const wfName = workflow?.name || run.workflowId;
    replace(body,
      pageHeader({
        eyebrow: h('a', { class: 'crumb', href: `/workflows/${encodeURIComponent(run.workflowId)}/runs` }, `← ${wfName}`),
        title: h('span', null, `Run for ${run.module} `, h('a', { href: `/records/${encodeURIComponent(run.module)}/${encodeURIComponent(run.recordId)}` }, run.recordId)),
        meta: h('div', { class: 'header-meta' }, h('span', { id: 'run-status' }, pill(run.status)), h('span', { class: 'muted' }, `${wfName} · version ${run.workflowVersion}`)),
        actions,
      }),
      messages,
      summary(run),
      h('div', { class: 'run-layout' },
        card({ title: 'Timeline', body: timeline(details, workflow), className: 'run-timeline' }),
        h('div', { class: 'run-side' },
          details.conditions ? card({ title: 'Why it was skipped', body: [h('p', { class: 'muted' }, 'The trigger matched, but the workflow’s conditions did not hold:'), traceTable(details.conditions)] }) : null,
          details.exit ? card({ title: 'Why it exited', body: [h('p', { class: 'muted' }, 'An exit condition became true:'), traceTable(details.exit)] }) : null,
          details.notes?.length ? card({ title: 'Notes', body: h('ul', { class: 'notes' }, details.notes.map((n) => h('li', null, time(n.at, { seconds: true }), ' ', n.message))) }) : null,
          card({ title: 'Run', body: definitionList([
            ['Run id', h('code', null, run.runId)],
            ['Trigger event', h('code', null, run.triggerEventId)],
            ['Steps executed', String(run.stepsExecuted ?? 0)],
            run.causationDepth ? ['Causation depth', String(run.causationDepth)] : null,
          ]) }),
          run.outputs ? card({ title: 'Outputs', body: jsonBlock(run.outputs, { label: 'run.steps (visible to later steps)', open: false }) }) : null)));

    if (focusedId) document.getElementById(focusedId)?.focus({ preventScroll: true });
    if (!busy && followsLive(run)) schedule();
  }

  let timer = null;
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(() => { if (document.visibilityState === 'visible') refresh(); else schedule(); }, REFRESH_MS);
  }
  ctx.signal.addEventListener('abort', () => clearTimeout(timer));
}

function summary(run) {
  const wake = parseTime(run.wakeAt);
  return h('div', { class: 'summary' },
    run.error && run.status !== 'succeeded'
      ? h('div', { class: `alert ${run.status === 'failed' ? 'alert--error' : 'alert--info'}`, role: run.status === 'failed' ? 'alert' : 'status' },
        h('div', { class: 'alert__title' }, run.status === 'failed' ? 'The run failed' : statusLabel(run.status)),
        h('p', { class: 'alert__detail', id: 'run-error' }, run.error))
      : null,
    run.status === 'waiting' && wake
      ? h('div', { class: 'alert alert--waiting', role: 'status' }, h('div', { class: 'alert__title' }, 'Waiting'),
        h('p', { class: 'alert__detail' }, 'Wakes ', time(run.wakeAt, { seconds: true }), ` (${fromNow(wake)}).`))
      : null,
    definitionList([
      ['Started', time(run.createdAt, { seconds: true })],
      ['Ended', run.endedAt ? time(run.endedAt, { seconds: true }) : h('span', { class: 'muted' }, LIVE.has(run.status) ? 'Not yet' : '—')],
      ['Duration', run.endedAt ? between(run.createdAt, run.endedAt) : h('span', { class: 'muted' }, '—')],
      ['Last change', time(run.updatedAt, { seconds: true })],
    ]));
}

/** Every step of the version in order, each with its attempts; steps not reached yet show why. */
function timeline(details, workflow) {
  const run = details.run;
  const logsByIndex = new Map();
  for (const log of details.steps || []) {
    if (!logsByIndex.has(log.stepIndex)) logsByIndex.set(log.stepIndex, []);
    logsByIndex.get(log.stepIndex).push(log);
  }
  const steps = workflow?.steps
    ? workflow.steps.map((s, i) => ({ index: i, id: s.id, action: s.action, name: s.name, delay: s.delay }))
    : [...logsByIndex.keys()].sort((a, b) => a - b).map((i) => ({ index: i, id: logsByIndex.get(i)[0].stepId, action: logsByIndex.get(i)[0].action }));

  if (steps.length === 0) {
    return h('p', { class: 'muted' }, run.status === 'skipped' ? 'No step ran: the conditions did not hold.' : 'This workflow version has no steps.');
  }

  const items = [h('li', { class: 'tl__item tl__item--start' },
    h('span', { class: 'tl__dot tl__dot--start', 'aria-hidden': 'true' }),
    h('div', { class: 'tl__content' }, h('div', { class: 'tl__title' }, 'Started by event ', h('code', null, run.triggerEventId)),
      h('div', { class: 'muted small' }, time(run.createdAt, { seconds: true }))))];

  for (const step of steps) {
    const logs = logsByIndex.get(step.index) || [];
    const state = stepState(step, logs, run);
    items.push(h('li', { class: `tl__item tl__item--${state}`, 'data-step-id': step.id, 'data-state': state },
      h('span', { class: `tl__dot tl__dot--${state}`, 'aria-hidden': 'true' }),
      h('div', { class: 'tl__content' },
        h('div', { class: 'tl__head' },
          h('span', { class: 'tl__title' }, `${step.index + 1}. ${step.name || humanizeType(step.action)}`),
          pill(state),
          h('code', { class: 'muted small' }, `${step.action} · ${step.id}`)),
        step.delay && delayText(step.delay) ? h('div', { class: 'tl__delay' }, icon('clock'), delayText(step.delay)) : null,
        stateNote(state, run),
        logs.map((log, i) => attempt(log, i, logs.length)))));
  }

  if (['succeeded', 'failed', 'exited', 'cancelled'].includes(run.status)) {
    items.push(h('li', { class: 'tl__item tl__item--end' },
      h('span', { class: `tl__dot tl__dot--${run.status}`, 'aria-hidden': 'true' }),
      h('div', { class: 'tl__content' }, h('div', { class: 'tl__title' }, `Run ${statusLabel(run.status).toLowerCase()}`),
        h('div', { class: 'muted small' }, time(run.endedAt, { seconds: true })))));
  }
  return h('ol', { class: 'tl', id: 'timeline' }, items);
}

function stepState(step, logs, run) {
  const last = logs[logs.length - 1];
  if (step.index < run.cursor) return last ? last.status : 'succeeded';
  if (step.index === run.cursor) {
    if (run.status === 'waiting') return 'waiting';
    if (run.status === 'running') return 'running';
    if (last) return last.status;
  }
  return LIVE.has(run.status) ? 'pending' : 'notRun';
}

function stateNote(state, run) {
  const wake = parseTime(run.wakeAt);
  if (state === 'waiting' && typeof run.awaitKey === 'string' && run.awaitKey.startsWith('draft:')) {
    const draftId = run.awaitKey.slice('draft:'.length);
    return h('div', { class: 'tl__note tl__note--waiting', id: 'waiting-note' }, 'Waiting for the drafted email to be approved or discarded: ',
      h('a', { href: `/drafts/${encodeURIComponent(draftId)}` }, 'open the draft'),
      wake ? h('span', null, '. It expires ', time(run.wakeAt, { seconds: true }), ` (${fromNow(wake)}).`) : '.');
  }
  if (state === 'waiting' && wake) {
    return h('div', { class: 'tl__note tl__note--waiting', id: 'waiting-note' }, 'Waiting. Wakes ', time(run.wakeAt, { seconds: true }), ` (${fromNow(wake)}).`);
  }
  if (state === 'running') return h('div', { class: 'tl__note' }, 'Running now…');
  if (state === 'notRun') return h('div', { class: 'tl__note muted' }, `Not run: the run ${statusLabel(run.status).toLowerCase()} before this step.`);
  return null;
}

/** One try of a step. Only the latest try of a step opens its input by default: older ones are history. */
function attempt(log, index, count) {
  const latest = index === count - 1;
  return h('div', { class: `attempt attempt--${log.status}`, 'data-attempt': String(log.attempt) },
    h('div', { class: 'attempt__head' },
      count > 1 ? h('strong', null, `Try ${index + 1} of ${count}`) : null,
      count > 1 || log.attempt > 1 ? h('span', { class: 'muted' }, `attempt ${log.attempt}`) : null,
      pill(log.status),
      h('span', { class: 'muted' }, time(log.startedAt, { seconds: true }), ' → ', time(log.endedAt, { seconds: true })),
      h('span', { class: 'tag' }, between(log.startedAt, log.endedAt))),
    log.error ? h('div', { class: 'attempt__error', role: 'note' }, log.error) : null,
    log.trace ? h('div', null, h('div', { class: 'muted small' }, 'Its condition:'), traceTable(log.trace)) : null,
    log.input !== undefined ? jsonBlock(log.input, { label: 'Rendered input', open: latest && log.status !== 'succeeded' }) : null,
    log.output !== undefined ? jsonBlock(log.output, { label: 'Output', open: false }) : null);
}
