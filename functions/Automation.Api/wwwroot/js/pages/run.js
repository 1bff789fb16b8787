// One run's history as a timeline: every attempt of every step, the waiting step with its wake time, who retried or
// skipped a wait and when, the traces that decided, the run's Durable orchestration, and Retry / Run now / Cancel.
import { h, replace, icon } from '../dom.js';
import { api } from '../api.js';
import { pill, time, between, delayText, fromNow, parseTime, humanizeType, statusLabel } from '../format.js';
import {
  pageHeader, button, card, emptyState, errorBanner, loading, linkButton, toast, confirmDialog, jsonBlock, traceTable, definitionList, notice,
} from '../ui.js';
import { orchestrationBody } from '../orchestration.js';

const LIVE = new Set(['running', 'waiting']);
const REFRESH_MS = 2000;
const SOON_MS = 60_000;
// A retry or "run now" is carried out by the run's orchestration a moment after the API answers: the page follows the
// run until its row changes, for at most this long.
const FOLLOW_ACTION_MS = 120_000;

/** Notes an admin's action leaves on the run (RunAdvancer): shown in the timeline where they happened. */
const ADMIN_NOTES = [
  { prefix: 'retry-', kind: 'retry', label: 'Retry' },
  { prefix: 'run-now-', kind: 'run-now', label: 'Run now' },
];

function adminNote(note) {
  const match = ADMIN_NOTES.find((k) => note.eventId?.startsWith(k.prefix));
  return match ? { ...note, kind: match.kind, label: match.label } : null;
}

/**
 * The run row is written by the orchestration's last activity, so a run that just ended has an orchestration still
 * running for a moment: follow it until the task hub says it ended too.
 */
function settling(run, orchestration) {
  const ended = parseTime(run.endedAt);
  const status = orchestration?.view?.runtimeStatus;
  return Boolean(ended) && Date.now() - ended.getTime() < SOON_MS && (status === 'Running' || status === 'Pending');
}

/** Waiting on a time only (a delay, a backoff, a send window): a decision it waits for is not skipped this way. */
function canRunNow(run) {
  return run.status === 'waiting' && Boolean(run.wakeAt) && !run.awaitKey;
}

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
  let orchestration = null;
  let busy = false;
  // Set after a retry or "run now": { updatedAt, until } of the run as it was asked.
  let following = null;

  async function fetchRun() {
    const [fetched, orch] = await Promise.all([
      api(`/api/runs/${encodeURIComponent(runId)}`, { signal: ctx.signal }),
      fetchOrchestration(),
    ]);
    details = fetched;
    orchestration = orch;
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

  /** Never fails the page: the run is the truth, its orchestration an extra view of it. */
  async function fetchOrchestration() {
    try {
      return { view: await api(`/api/runs/${encodeURIComponent(runId)}/orchestration`, { signal: ctx.signal }) };
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      return e.status === 404 ? { missing: '' } : { error: e };
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

  const ACTIONS = {
    cancel: { path: 'cancel', done: 'Run cancelled.' },
    retry: { path: 'retry', done: 'Retrying from the failed step.', follow: true },
    'retry-start': { path: 'retry', query: { fromStart: true }, done: 'Retrying from the first step.', follow: true },
    'run-now': { path: 'run-now', done: 'The wait is skipped: the run goes on now.', follow: true },
  };

  async function act(kind) {
    if (busy) return;
    if (kind === 'cancel') {
      const ok = await confirmDialog({
        title: 'Cancel this run?', body: 'No further step runs. Steps that already ran are not undone.', confirm: 'Cancel run', cancel: 'Keep running', danger: true,
      });
      if (!ok) return;
    }
    if (kind === 'run-now') {
      const ok = await confirmDialog({
        title: 'Run the next step now?',
        body: ['The wait until ', time(details.run.wakeAt, { seconds: true }), ' is skipped and the run goes on at once. A note on the run says who did it.'],
        confirm: 'Run now',
        cancel: 'Keep waiting',
      });
      if (!ok) return;
    }
    busy = true;
    draw();
    const action = ACTIONS[kind];
    const before = details.run.updatedAt;
    try {
      await api(`/api/runs/${encodeURIComponent(runId)}/${action.path}`, { method: 'POST', query: action.query || {}, signal: ctx.signal });
      replace(messages, action.follow ? notice('info', action.done, 'This page follows the run as it goes on.') : null);
      if (action.follow) following = { updatedAt: before, until: Date.now() + FOLLOW_ACTION_MS };
      toast(action.done);
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
    if (following && (run.updatedAt !== following.updatedAt || Date.now() > following.until)) {
      following = null;
      replace(messages);
    }
    const focusedId = body.contains(document.activeElement) ? document.activeElement.id : null;
    ctx.setTitle(`Run · ${run.recordId}`);
    const actions = [];
    if (run.status === 'failed' && !following) {
      actions.push(button('Retry failed step', () => act('retry'), { kind: 'primary', id: 'retry-run', disabled: busy }));
      actions.push(button('Retry from start', () => act('retry-start'), { id: 'retry-run-start', disabled: busy }));
    }
    if (canRunNow(run) && !following) actions.push(button('Run now', () => act('run-now'), { kind: 'primary', id: 'run-now', disabled: busy }));
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
        h('div', { class: 'run-main' },
          card({ title: 'Timeline', body: timeline(details, workflow), className: 'run-timeline' }),
          card({ title: 'Orchestration', body: orchestrationBody(orchestration, run), id: 'orchestration' })),
        h('div', { class: 'run-side' },
          details.conditions ? card({ title: 'Why it was skipped', body: [h('p', { class: 'muted' }, 'The trigger matched, but the workflow’s conditions did not hold:'), traceTable(details.conditions)] }) : null,
          details.exit ? card({ title: 'Why it exited', body: [h('p', { class: 'muted' }, 'An exit condition became true:'), traceTable(details.exit)] }) : null,
          otherNotes(details).length ? card({ title: 'Notes', body: h('ul', { class: 'notes' }, otherNotes(details).map((n) => h('li', null, time(n.at, { seconds: true }), ' ', n.message))) }) : null,
          card({ title: 'Run', body: definitionList([
            ['Run id', h('code', null, run.runId)],
            ['Trigger event', h('code', null, run.triggerEventId)],
            ['Steps executed', String(run.stepsExecuted ?? 0)],
            run.retries ? ['Retried', run.retries === 1 ? 'once' : `${run.retries} times`] : null,
            run.causationDepth ? ['Causation depth', String(run.causationDepth)] : null,
          ]) }),
          run.outputs ? card({ title: 'Outputs', body: jsonBlock(run.outputs, { label: 'run.steps (visible to later steps)', open: false }) }) : null)));

    if (focusedId) document.getElementById(focusedId)?.focus({ preventScroll: true });
    if (!busy && (followsLive(run) || following || settling(run, orchestration))) schedule();
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

/** Notes that are not an admin's action (an event the run caused was stopped by the loop limit): the side card's. */
function otherNotes(details) {
  return (details.notes || []).filter((n) => !adminNote(n));
}

/**
 * Each admin note with the step try it led to: the first try that started at or after it (the note is written before
 * the steps it lets run). `before` is null when nothing has run since.
 */
function placedNotes(details) {
  const logs = [...(details.steps || [])].sort((a, b) => parseTime(a.startedAt) - parseTime(b.startedAt));
  return (details.notes || []).map(adminNote).filter(Boolean).map((note) => {
    const at = parseTime(note.at);
    return { ...note, before: logs.find((l) => parseTime(l.startedAt) >= at) || null };
  });
}

/** The retry between a try and the step's next try, when an admin's retry is why the step ran again. */
function supersedingRetry(log, next, notes) {
  if (!next) return null;
  const ended = parseTime(log.endedAt);
  const started = parseTime(next.startedAt);
  return notes.find((n) => n.kind === 'retry' && parseTime(n.at) >= ended && parseTime(n.at) <= started) || null;
}

function noteItem(note) {
  return h('div', { class: 'tl__note tl__note--admin', 'data-note': note.kind },
    h('span', { class: 'tag tag--accent' }, note.label), ' ', note.message, ' ', h('span', { class: 'muted small' }, time(note.at, { seconds: true })));
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

  const notes = placedNotes(details);
  // A note nothing has run after yet belongs to the step the run is at (the last one once it ended).
  const stepAtCursor = steps[Math.min(run.cursor ?? 0, steps.length - 1)].index;
  const notesOf = (step) => notes.filter((n) => (n.before ? n.before.stepIndex === step.index : step.index === stepAtCursor));

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
        stepBody(logs, notesOf(step), notes),
        stateNote(state, run))));
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

/** A step's tries in order, each admin note just before the try it led to (or after them all). */
function stepBody(logs, stepNotes, allNotes) {
  const out = [];
  logs.forEach((log, i) => {
    out.push(stepNotes.filter((n) => n.before === log).map(noteItem));
    out.push(attempt(log, i, logs.length, supersedingRetry(log, logs[i + 1], allNotes)));
  });
  out.push(stepNotes.filter((n) => !n.before).map(noteItem));
  return out;
}

const CRM_NAMES = { hubspot: 'HubSpot', salesforce: 'Salesforce' };

/** Which CRM a record action wrote to and the CRM's id of what it wrote, from the step output's `crm` (or the generic write-back's status). */
function crmLine(output) {
  const crm = output && output.crm;
  if (crm && crm.crm) {
    const name = CRM_NAMES[crm.crm] || crm.crm;
    return h('div', { class: 'attempt__crm', 'data-crm': crm.crm },
      crm.id ? `Wrote to ${name}: ${crm.objectType || 'record'} ` : `${name} was asked (${crm.objectType || 'record'}), nothing written`,
      crm.id ? h('code', null, crm.id) : null,
      crm.status ? h('span', { class: 'muted' }, ` (answered ${crm.status})`) : null);
  }
  const writeBack = output && output.writeBack;
  return writeBack && writeBack.status ? h('div', { class: 'attempt__crm', 'data-crm': 'write-back' }, `Sent to the CRM write-back (answered ${writeBack.status})`) : null;
}

/** One try of a step. Only the latest try of a step opens its input by default: older ones are history. */
function attempt(log, index, count, retry) {
  const latest = index === count - 1;
  return h('div', { class: ['attempt', `attempt--${log.status}`, retry ? 'attempt--superseded' : null], 'data-attempt': String(log.attempt) },
    h('div', { class: 'attempt__head' },
      count > 1 ? h('strong', null, `Try ${index + 1} of ${count}`) : null,
      count > 1 || log.attempt > 1 ? h('span', { class: 'muted' }, `attempt ${log.attempt}`) : null,
      pill(log.status),
      retry ? h('span', { class: 'tag attempt__superseded', title: retry.message }, 'Superseded by a retry') : null,
      h('span', { class: 'muted' }, time(log.startedAt, { seconds: true }), ' → ', time(log.endedAt, { seconds: true })),
      h('span', { class: 'tag' }, between(log.startedAt, log.endedAt))),
    log.error ? h('div', { class: 'attempt__error', role: 'note' }, log.error) : null,
    crmLine(log.output),
    log.trace ? h('div', null, h('div', { class: 'muted small' }, 'Its condition:'), traceTable(log.trace)) : null,
    log.input !== undefined ? jsonBlock(log.input, { label: 'Rendered input', open: latest && log.status !== 'succeeded' }) : null,
    log.output !== undefined ? jsonBlock(log.output, { label: 'Output', open: false }) : null);
}
