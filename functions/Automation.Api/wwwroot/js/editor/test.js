// The editor's Test panel: a dry run of the definition as it is on screen (saved or not) against a sample event or a
// stored record, through POST /api/workflows/test-definition. Nothing is stored, sent or scheduled.
import { h, replace, icon } from '../dom.js';
import { api, ApiError } from '../api.js';
import { pill, time, humanizeType, json } from '../format.js';
import { errorBanner, traceTable, loading, notice } from '../ui.js';
import { sampleEvent, sampleEventType } from './vocabulary.js';

/**
 * getModel(): the definition to test. onWorkflowErrors(errors): field errors of the definition, keyed as on the form.
 */
export function testPanel({ getModel, getStatus = () => undefined, onWorkflowErrors, signal }) {
  let mode = 'sample';
  const eventBox = h('textarea', { id: 'test-event', class: 'input input--code', rows: '10', spellcheck: 'false', 'aria-describedby': 'test-event-help' });
  const eventError = h('div', { class: 'field__error-slot', 'aria-live': 'polite' });
  const recordBox = h('input', { id: 'test-record-id', class: 'input', autocomplete: 'off', placeholder: 'The id of a record Automation has seen' });
  const results = h('div', { id: 'test-results', 'aria-live': 'polite' });

  const resetSample = () => { eventBox.value = json(sampleEvent(getModel())); };
  resetSample();

  const sampleSection = h('div', { class: 'field' },
    h('label', { class: 'field__label', for: 'test-event' }, 'Sample event'),
    eventBox,
    h('p', { class: 'field__help', id: 'test-event-help' }, 'Made to match the trigger; change any field to see how the workflow treats it. ',
      h('button', { type: 'button', class: 'link-button', onclick: resetSample }, 'Make a new sample from the trigger')),
    eventError);
  const recordSection = h('div', { class: 'field', hidden: true },
    h('label', { class: 'field__label', for: 'test-record-id' }, 'Stored record id'),
    recordBox,
    h('p', { class: 'field__help' }, 'Tests with the record as Automation last stored it, as if an event of the trigger’s kind had just arrived.'));

  const modeSwitch = h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': 'Test with' },
    ['sample', 'record'].map((m) => {
      const b = h('button', { type: 'button', role: 'radio', class: 'segmented__option', 'aria-checked': String(m === mode), id: `test-mode-${m}` },
        m === 'sample' ? 'Sample event' : 'Stored record');
      b.addEventListener('click', () => {
        mode = m;
        modeSwitch.querySelectorAll('[role=radio]').forEach((x) => x.setAttribute('aria-checked', String(x === b)));
        sampleSection.hidden = m !== 'sample';
        recordSection.hidden = m !== 'record';
      });
      return b;
    }));

  async function run() {
    replace(eventError);
    replace(results, loading('Testing…'));
    const workflow = getModel();
    let event;
    try {
      event = mode === 'sample' ? parseEvent() : await storedRecordEvent(workflow, recordBox.value.trim(), signal);
    } catch (e) {
      replace(results);
      if (e instanceof ApiError) replace(mode === 'sample' ? eventError : results, errorBanner(e));
      return;
    }
    try {
      const status = getStatus();
      const result = await api('/api/workflows/test-definition', { method: 'POST', body: { workflow: status ? { ...workflow, status } : workflow, event }, signal });
      onWorkflowErrors({});
      replace(results, renderResult(result));
    } catch (e) {
      if (e.name === 'AbortError') return;
      if (e instanceof ApiError && e.status === 400 && e.hasFieldErrors) {
        const wfErrors = {};
        const evErrors = {};
        for (const [k, v] of Object.entries(e.errors)) {
          if (k === 'workflow' || k.startsWith('workflow.') || k.startsWith('workflow[')) wfErrors[k.replace(/^workflow\.?/, '')] = v;
          else evErrors[k] = v;
        }
        onWorkflowErrors(wfErrors);
        replace(results,
          Object.keys(wfErrors).length ? notice('error', 'Fix the workflow first', 'The definition has errors, shown next to their fields. The test runs once they are fixed.') : null,
          Object.keys(evErrors).length ? errorBanner(new ApiError(400, 'The sample event is not valid', 'Fix these fields of the event:', evErrors)) : null);
        return;
      }
      replace(results, errorBanner(e));
    }
  }

  function parseEvent() {
    try {
      const parsed = JSON.parse(eventBox.value);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      return parsed;
    } catch (e) {
      throw new ApiError(400, 'The sample event is not valid JSON', `Fix it, or make a new sample from the trigger. (${e.message})`);
    }
  }

  const panel = h('div', { class: 'test-panel' },
    h('p', { class: 'muted small' }, 'A dry run of the definition on screen, saved or not: the trigger match, the condition trace and each step’s rendered parameters. Nothing is stored, sent or scheduled.'),
    modeSwitch, sampleSection, recordSection,
    h('button', { type: 'button', class: 'btn btn--primary', id: 'run-test', onclick: run }, 'Run test'),
    results);
  return { element: panel, run };
}

async function storedRecordEvent(workflow, recordId, signal) {
  if (!recordId) throw new ApiError(400, 'Enter a record id', 'Type the id of a record Automation has seen, or test with a sample event.');
  const module = (workflow.module || '').trim();
  const answer = await api(`/api/records/${encodeURIComponent(module)}/${encodeURIComponent(recordId)}`, { signal });
  return { type: sampleEventType(workflow.trigger), module, recordId, record: answer.record.fields };
}

function renderResult(r) {
  const outcome = r.enrollment?.outcome;
  const headline = outcome === 'enroll'
    ? notice('success', 'The record would enroll', r.enrollment.reason)
    : outcome === 'enrollSkipped'
      ? notice('warning', 'The run would be skipped: the conditions do not hold', r.enrollment.reason)
      : notice('info', 'No run would start', r.enrollment?.reason || r.trigger?.reason);

  return h('div', { class: 'test-result', 'data-outcome': outcome },
    headline,
    section('Trigger', [h('div', { class: 'result-line', id: 'test-trigger' }, pill(r.trigger.matched ? 'yes' : 'no', r.trigger.matched ? 'Matches' : 'Does not match'), ' ', r.trigger.reason)]),
    changesLine(r.changes),
    section('Conditions', [
      r.conditions && r.conditions.leaves?.length ? h('div', { class: 'result-line' }, pill(r.conditions.result ? 'yes' : 'no', r.conditions.result ? 'Hold' : 'Do not hold')) : null,
      traceTable(r.conditions, { caption: 'Workflow conditions', emptyText: 'No conditions: every record the trigger matches enrolls.' }),
    ], 'test-conditions'),
    r.exitConditions ? section('Exit conditions', [
      h('div', { class: 'result-line' }, r.exitConditions.result ? pill('no', 'Would exit at once') : pill('yes', 'Would not exit now')),
      traceTable(r.exitConditions, { caption: 'Exit conditions' }),
    ]) : null,
    section('Steps', r.steps.length
      ? h('ol', { class: 'test-steps' }, r.steps.map(stepResult))
      : h('p', { class: 'muted' }, 'No steps.'), 'test-steps'),
    r.notes?.length ? h('ul', { class: 'notes muted small' }, r.notes.map((n) => h('li', null, n))) : null);
}

function section(title, body, id = null) {
  return h('section', { class: 'result-section', id }, h('h3', { class: 'result-section__title' }, title), body);
}

function changesLine(changes) {
  const fields = changes?.fields ? Object.keys(changes.fields) : [];
  if (!fields.length && !changes?.created) return null;
  return h('div', { class: 'chips' }, h('span', { class: 'muted small' }, changes.created ? 'New record. ' : 'Changed: '), fields.map((f) => h('span', { class: 'tag' }, f)));
}

function stepResult(s) {
  const errors = Object.entries(s.errors || {});
  return h('li', { class: 'test-step', 'data-step-id': s.id },
    h('div', { class: 'test-step__head' },
      h('strong', null, `${s.index + 1}. ${s.name || humanizeType(s.action)}`),
      h('code', { class: 'muted small' }, `${s.action} · ${s.id}`),
      errors.length ? pill('failed', 'Template errors') : null,
      s.condition ? pill(s.condition.result ? 'yes' : 'no', s.condition.result ? 'Condition holds' : 'Would be skipped') : null),
    s.delay ? h('div', { class: 'muted small test-step__delay' }, icon('clock'), s.delay, s.runsAt ? [' Runs ', time(s.runsAt)] : null) : null,
    s.condition ? traceTable(s.condition, { caption: `Condition of step ${s.id}` }) : null,
    errors.length
      ? h('ul', { class: 'alert alert--error test-step__errors' }, errors.map(([path, err]) => h('li', null, h('code', null, path), ': ', err.message,
        err.line ? ` (line ${err.line}${err.column ? `, column ${err.column}` : ''})` : '')))
      : s.params ? paramsTable(s.params) : null);
}

function paramsTable(params) {
  const entries = Object.entries(params || {});
  if (!entries.length) return h('p', { class: 'muted small' }, 'No parameters.');
  return h('table', { class: 'kv kv--rendered' },
    h('caption', { class: 'sr-only' }, 'Rendered parameters'),
    h('tbody', null, entries.map(([k, v]) => h('tr', null, h('th', { scope: 'row' }, k),
      h('td', null, h('code', { class: 'rendered' }, typeof v === 'string' ? v : JSON.stringify(v, null, 2)))))));
}
