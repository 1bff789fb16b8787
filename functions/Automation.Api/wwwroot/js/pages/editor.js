// The workflow editor: a form and the JSON side by side, kept in sync; errors from the API placed next to the field
// their path names; a Test panel that dry-runs the definition on screen.
import { h, replace, debounce } from '../dom.js';
import { api, ApiError } from '../api.js';
import { pageHeader, button, linkButton, card, errorBanner, loading, toast, emptyState } from '../ui.js';
import { loadActions } from '../actions.js';
import { field, radios } from '../editor/fields.js';
import { conditionEditor, fieldSuggestions } from '../editor/conditions.js';
import { triggerEditor } from '../editor/trigger.js';
import { stepsEditor } from '../editor/steps.js';
import { testPanel } from '../editor/test.js';
import { getAt, setAt } from '../editor/paths.js';
import { placeErrors } from '../editor/errors.js';
import { submit } from '../editor/submit.js';
import { MODULES } from '../editor/vocabulary.js';
import { EXAMPLES } from '../editor/examples.js';

const READ_ONLY = ['id', 'version', 'status', 'createdAt', 'updatedAt'];

export async function render(ctx) {
  const id = ctx.params.id || null;
  const isNew = !id;
  ctx.setTitle(isNew ? 'New workflow' : 'Edit workflow');
  replace(ctx.root, loading(isNew ? 'Opening the editor…' : 'Loading workflow…'));

  let actions;
  let original = null;
  try {
    [actions, original] = await Promise.all([
      loadActions(),
      isNew ? Promise.resolve(null) : api(`/api/workflows/${encodeURIComponent(id)}`, { signal: ctx.signal }),
    ]);
  } catch (e) {
    if (e.name === 'AbortError') return;
    replace(ctx.root, e.status === 404
      ? emptyState({ title: 'This workflow does not exist', body: e.detail, actions: [linkButton('Back to workflows', '/', { kind: 'primary' })], icon: '?' })
      : errorBanner(e, { onRetry: () => ctx.navigate(location.pathname + location.search, { replace: true }) }));
    return;
  }
  if (original?.status === 'archived') {
    replace(ctx.root, emptyState({
      title: 'An archived workflow cannot be edited', body: 'Its history stays readable on its page.',
      actions: [linkButton('Open the workflow', `/workflows/${encodeURIComponent(id)}`, { kind: 'primary' })], icon: '▣',
    }));
    return;
  }

  const state = {
    model: original ? editable(original) : blank(ctx.query),
    errors: {},
    live: false, // after the first failed save or test, every change is validated again
    dirty: false,
    saving: false,
  };
  const autoIds = new Set();

  const f = {
    actions,
    byType: Object.fromEntries(actions.map((a) => [a.type, a])),
    get: (path) => getAt(state.model, path),
    set(path, value, structural, { focus } = {}) {
      setAt(state.model, path, value);
      changed(structural, focus);
    },
    isAutoId: (stepId) => autoIds.has(stepId),
    newStepId(action, index) {
      const base = (action || 'step').replace(/_/g, '-');
      const taken = new Set((state.model.steps || []).filter((_, i) => i !== index).map((s) => s.id));
      let candidate = base;
      for (let n = 2; taken.has(candidate); n++) candidate = `${base}-${n}`;
      autoIds.add(candidate);
      return candidate;
    },
  };

  // ----- layout -----
  const messages = h('div', { class: 'messages', 'aria-live': 'polite' });
  const summary = h('div', { id: 'editor-errors', tabindex: '-1' });
  const formRoot = h('div', { id: 'workflow-form', class: 'editor-form' });
  const jsonBox = h('textarea', { id: 'workflow-json', class: 'input input--code json-editor', spellcheck: 'false', rows: '28', 'aria-describedby': 'json-status' });
  const jsonStatus = h('p', { id: 'json-status', class: 'field__help', 'aria-live': 'polite' }, 'In sync with the form.');
  const test = testPanel({
    getModel: () => state.model,
    // The form leaves status out (it is changed by Activate and Pause); the test judges the workflow as it is stored.
    getStatus: () => original?.status,
    onWorkflowErrors: (errors) => { state.errors = errors; if (Object.keys(errors).length) state.live = true; applyErrors(); },
    signal: ctx.signal,
  });

  const jsonPanel = h('div', { class: 'side-panel', id: 'json-panel' },
    h('label', { class: 'field__label', for: 'workflow-json' }, 'Definition (JSON)'),
    h('p', { class: 'field__help' }, 'Edit either side: the form and the JSON follow each other.'),
    jsonBox, jsonStatus);
  const testSide = h('div', { class: 'side-panel', id: 'test-panel', hidden: true }, test.element);
  const sideTabs = h('div', { class: 'segmented segmented--full', role: 'tablist', 'aria-label': 'Side panel' },
    sideTab('json', 'JSON', true), sideTab('test', 'Test', false));

  function sideTab(key, label, selected) {
    const b = h('button', { type: 'button', role: 'tab', class: 'segmented__option', id: `side-tab-${key}`, 'aria-selected': String(selected), 'aria-controls': `${key}-panel` }, label);
    b.addEventListener('click', () => showSide(key));
    return b;
  }

  function showSide(key) {
    sideTabs.querySelectorAll('[role=tab]').forEach((t) => t.setAttribute('aria-selected', String(t.id === `side-tab-${key}`)));
    jsonPanel.hidden = key !== 'json';
    testSide.hidden = key !== 'test';
  }

  const saveButton = button(isNew ? 'Save as draft' : 'Save new version', save, { kind: 'primary', id: 'save-workflow' });
  const header = pageHeader({
    eyebrow: h('a', { class: 'crumb', href: isNew ? '/' : `/workflows/${encodeURIComponent(id)}` }, isNew ? '← Workflows' : `← ${original.name}`),
    title: isNew ? 'New workflow' : `Edit “${original.name}”`,
    subtitle: isNew
      ? 'Saved workflows start as drafts: test, then activate when you are ready.'
      : `Saving makes version ${original.version + 1}; runs in progress keep the version they started on.`,
    actions: [
      button('Check', validateNow, { id: 'check-workflow', kind: 'ghost' }),
      button('Test', () => { showSide('test'); test.run(); }, { id: 'test-workflow' }),
      saveButton,
    ],
  });

  replace(ctx.root,
    header, messages, summary,
    h('div', { class: 'editor-layout' }, formRoot, h('aside', { class: 'editor-side', 'aria-label': 'JSON and test' }, sideTabs, jsonPanel, testSide)),
    fieldSuggestions());

  // ----- form -----
  function renderForm(focusPath) {
    const active = focusPath || document.activeElement?.dataset?.path;
    const model = state.model;
    const example = isNew ? exampleChooser() : null;
    replace(formRoot,
      example,
      card({
        title: 'Basics', body: h('div', { class: 'grid-fields' },
          field({ path: ['name'], label: 'Name', required: true, value: model.name ?? '', placeholder: 'e.g. Welcome new web leads', className: 'field--wide', onInput: (v) => f.set(['name'], v, false) }),
          field({
            path: ['module'], label: 'Module', required: true, value: model.module ?? '', list: 'module-list', placeholder: 'e.g. lead',
            help: 'The kind of CRM record it acts on.', onInput: (v) => f.set(['module'], v.trim().toLowerCase(), false),
            // A segment trigger offers the segments of the module: once the module is typed, offer them again.
            onChange: (v) => f.set(['module'], v.trim().toLowerCase(), /^segment\./.test(model.trigger?.type || '')),
          }),
          h('datalist', { id: 'module-list' }, MODULES.map((m) => h('option', { value: m }))),
          field({
            path: ['description'], label: 'Description', kind: 'textarea', rows: 2, value: model.description ?? '', className: 'field--wide',
            placeholder: 'What it does and why, for the next admin.', onInput: (v) => f.set(['description'], v.trim() === '' ? undefined : v, false),
          }),
          radios({
            path: ['enrollment'], legend: 'Enrollment', value: model.enrollment ?? 'once', className: 'field--wide radios--row',
            options: [['once', 'Once per record', 'A record goes through this workflow at most once.'], ['every_time', 'Every time', 'Each matching event enrolls the record again.']],
            onChange: (v) => f.set(['enrollment'], v, false),
          })),
      }),
      card({ title: 'Trigger', body: triggerEditor(f), id: 'section-trigger' }),
      card({ title: 'Only if', body: conditionEditor(f, ['conditions'], { empty: 'No conditions: every record the trigger matches enrolls.' }), id: 'section-conditions' }),
      card({ title: 'Steps', body: stepsEditor(f), id: 'section-steps' }),
      card({
        title: 'Exit when', body: conditionEditor(f, ['exitConditions'], { empty: 'No exit conditions: a run goes on to its last step. Add one to stop early, e.g. when the lead becomes a customer.', addLabel: 'Add exit condition' }),
        id: 'section-exit',
      }));
    applyErrors();
    if (active) {
      const el = [...formRoot.querySelectorAll('[data-path]')].find((x) => x.dataset.path === active);
      if (el) el.focus({ preventScroll: true });
    }
  }

  function exampleChooser() {
    const select = h('select', { id: 'example', class: 'select' },
      h('option', { value: '' }, 'Blank workflow'),
      EXAMPLES.map((x, i) => h('option', { value: String(i) }, x.label)));
    select.addEventListener('change', () => {
      if (select.value === '') return;
      state.model = structuredClone(EXAMPLES[Number(select.value)].workflow);
      state.errors = {};
      changed(true);
      toast('Example loaded: change what you need, test, then save.', 'info');
    });
    return h('div', { class: 'example-chooser' },
      h('label', { class: 'field__label', for: 'example' }, 'Start from'), select,
      h('span', { class: 'field__help' }, 'An example fills the form; everything stays editable.'));
  }

  // ----- sync -----
  const liveValidate = debounce(() => validate(false), 500);

  function changed(structural, focus) {
    state.dirty = true;
    if (document.activeElement !== jsonBox) {
      jsonBox.value = JSON.stringify(state.model, null, 2);
      jsonStatus.textContent = 'In sync with the form.';
      jsonBox.removeAttribute('aria-invalid');
    }
    if (structural) renderForm(focus);
    if (state.live) liveValidate();
  }

  jsonBox.value = JSON.stringify(state.model, null, 2);
  jsonBox.addEventListener('input', () => {
    let parsed;
    try {
      parsed = JSON.parse(jsonBox.value);
    } catch (e) {
      jsonBox.setAttribute('aria-invalid', 'true');
      jsonStatus.textContent = `Not valid JSON (${e.message}). The form shows the last valid version.`;
      return;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      jsonBox.setAttribute('aria-invalid', 'true');
      jsonStatus.textContent = 'The definition must be a JSON object { … }.';
      return;
    }
    jsonBox.removeAttribute('aria-invalid');
    jsonStatus.textContent = 'Form updated from the JSON.';
    state.model = parsed;
    state.dirty = true;
    renderForm();
    if (state.live) liveValidate();
  });

  // ----- errors -----
  function applyErrors() {
    placeErrors(formRoot, summary, state.errors, 'workflow');
  }

  // ----- actions -----
  async function validate(announce) {
    try {
      await api('/api/workflows/validate', { method: 'POST', body: state.model, signal: ctx.signal });
      state.errors = {};
      applyErrors();
      if (announce) toast('No problems found.');
      return true;
    } catch (e) {
      if (e.name === 'AbortError') return false;
      if (e instanceof ApiError && e.status === 400 && e.hasFieldErrors) {
        state.errors = e.errors;
        state.live = true;
        applyErrors();
        return false;
      }
      replace(messages, errorBanner(e));
      return false;
    }
  }

  async function validateNow() {
    replace(messages);
    const ok = await validate(true);
    if (!ok && Object.keys(state.errors).length) summary.focus();
  }

  function save() {
    return submit({
      state, button: saveButton, messages,
      send: () => (isNew
        ? api('/api/workflows', { method: 'POST', body: state.model, signal: ctx.signal })
        : api(`/api/workflows/${encodeURIComponent(id)}`, { method: 'PUT', body: state.model, query: { expectedVersion: original.version }, signal: ctx.signal })),
      saved: (workflow) => {
        toast(isNew ? 'Saved as a draft. Activate it when you are ready.' : `Saved as version ${workflow.version}.`);
        ctx.navigate(`/workflows/${encodeURIComponent(workflow.id)}`);
      },
      fieldErrors: (errors) => {
        state.errors = errors;
        state.live = true;
        applyErrors();
        summary.focus();
      },
    });
  }

  ctx.beforeLeave((unloading) => !state.dirty || (unloading ? false : window.confirm('Leave without saving? Your changes to this workflow will be lost.')));
  renderForm();
  if (ctx.query.get('test')) {
    showSide('test');
    document.getElementById('run-test')?.focus();
  } else {
    ctx.root.querySelector('[data-path="name"]')?.focus();
  }
}

// A new workflow; a stage board's "Add" link names its trigger (type, stage, pipeline) and module in the query.
function blank(query) {
  const trigger = { type: query?.get('trigger') || 'record.created' };
  for (const key of ['stage', 'pipeline', 'from', 'to']) if (query?.get(key)) trigger[key] = query.get(key);
  return { name: '', module: query?.get('module') || 'lead', trigger, enrollment: 'once', steps: [] };
}

function editable(wf) {
  const copy = structuredClone(wf);
  for (const key of READ_ONLY) delete copy[key];
  return copy;
}
