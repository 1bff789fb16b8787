// The steps: each with its action (from GET /api/actions), the parameters that action declares, an optional wait
// before it and an optional condition. Parameter specs drive the inputs: choices become selects, numbers and
// booleans get their own inputs, objects and arrays are JSON, and everything else is a template text.
import { h } from '../dom.js';
import { humanizeType, capitalize } from '../format.js';
import { field } from './fields.js';
import { conditionEditor } from './conditions.js';
import { pathString, parseScalar } from './paths.js';
import { RETRY } from './vocabulary.js';

const LONG_TEXT = new Set(['body', 'html', 'text', 'description', 'template', 'note', 'message']);

export function stepsEditor(f) {
  const steps = f.get(['steps']) || [];
  const list = h('ol', { class: 'steps-editor' }, steps.map((step, i) => h('li', null, stepCard(f, step, i, steps.length))));
  return h('div', { 'data-error-path': 'steps' },
    steps.length === 0 ? h('p', { class: 'muted' }, 'No steps yet. Add what the workflow does, in order: send an email, call a webhook, create a task…') : null,
    list,
    h('button', {
      type: 'button', class: 'btn btn--secondary', id: 'add-step', 'data-path': 'steps+add',
      onclick: () => f.set(['steps'], [...steps, { id: '', action: '', params: {} }], true, { focus: `steps[${steps.length}].action` }),
    }, '+ Add step'));
}

function stepCard(f, step, i, count) {
  const path = ['steps', i];
  const descriptor = f.byType[step.action];
  const move = (to) => {
    const steps = [...f.get(['steps'])];
    const [s] = steps.splice(i, 1);
    steps.splice(to, 0, s);
    f.set(['steps'], steps, true, { focus: `steps[${to}].action` });
  };

  const actionOptions = [
    ...(step.action && !descriptor ? [[step.action, `${step.action} (unknown)`]] : []),
    ...(step.action ? [] : [['', 'Choose an action…']]),
    ...groupByCategory(f.actions),
  ];

  const head = h('div', { class: 'step-card__head' },
    h('span', { class: 'step-card__number' }, String(i + 1)),
    h('h3', { class: 'step-card__title' }, step.name || (step.action ? humanizeType(step.action) : 'New step')),
    h('span', { class: 'step-card__tools' },
      h('button', { type: 'button', class: 'btn btn--ghost btn--small btn--icon', disabled: i === 0, onclick: () => move(i - 1), 'aria-label': `Move step ${i + 1} up`, title: 'Move up' }, '↑'),
      h('button', { type: 'button', class: 'btn btn--ghost btn--small btn--icon', disabled: i === count - 1, onclick: () => move(i + 1), 'aria-label': `Move step ${i + 1} down`, title: 'Move down' }, '↓'),
      h('button', {
        type: 'button', class: 'btn btn--ghost btn--small', 'aria-label': `Remove step ${i + 1}`,
        onclick: () => f.set(['steps'], f.get(['steps']).filter((_, j) => j !== i), true),
      }, 'Remove')));

  const action = field({
    path: [...path, 'action'], label: 'Action', kind: 'select', value: step.action || '', options: actionOptions, required: true,
    help: descriptor?.description || null,
    onChange: (v) => {
      const next = f.byType[v];
      const params = {};
      // Keep what the new action also takes (to, subject, body…), drop what it would reject.
      for (const [k, val] of Object.entries(step.params || {})) if (next?.parameters.some((p) => p.name === k)) params[k] = val;
      const id = !step.id || f.isAutoId(step.id) ? f.newStepId(v, i) : step.id;
      f.set(path, { ...step, action: v, id, params }, true, { focus: `steps[${i}].action` });
    },
  });

  const id = field({
    path: [...path, 'id'], label: 'Step id', value: step.id ?? '', required: true, placeholder: 'e.g. welcome-email',
    help: 'Lowercase letters, digits and dashes. Runs refer to the step by it, across versions.',
    onInput: (v) => f.set([...path, 'id'], v, false),
  });
  const name = field({
    path: [...path, 'name'], label: 'Label (optional)', value: step.name ?? '', placeholder: 'e.g. Welcome email',
    onInput: (v) => f.set([...path, 'name'], v.trim() === '' ? undefined : v, false),
  });

  return h('section', { class: 'step-card', 'data-error-path': pathString(path), 'aria-label': `Step ${i + 1}` },
    head,
    h('div', { class: 'grid-fields' }, action, id, name),
    delayEditor(f, step, path),
    retryEditor(f, step, path),
    step.action ? paramsEditor(f, step, path, descriptor) : null,
    h('div', { class: 'step-card__condition' },
      h('div', { class: 'field__label' }, 'Run this step only if'),
      conditionEditor(f, [...path, 'condition'], { empty: 'Always runs (no condition). When a condition is false the step is skipped and logged as skipped.', addLabel: 'Add a condition' })));
}

/** The step's retry policy: each setting the API lists, empty meaning the engine's default (shown, not filled in). */
function retryEditor(f, step, path) {
  const retry = step.retry || {};
  const custom = RETRY.some((r) => retry[r.name] !== undefined);
  return h('details', { class: 'disclosure retry-editor', open: custom, 'data-error-path': pathString([...path, 'retry']) },
    h('summary', null, custom ? 'Retries: custom' : 'Retries: default'),
    h('div', { class: 'grid-fields' }, RETRY.map((r) => field({
      path: [...path, 'retry', r.name], label: r.label, kind: 'number', className: 'field--narrow',
      value: retry[r.name] ?? '', placeholder: `default ${r.default}`, help: r.help,
      onInput: (v) => {
        const next = { ...(f.get([...path, 'retry']) || {}), [r.name]: parseScalar(v) };
        if (next[r.name] === undefined || next[r.name] === '') delete next[r.name];
        f.set([...path, 'retry'], Object.keys(next).length ? next : undefined, false);
      },
    }))));
}

function groupByCategory(actions) {
  const groups = new Map();
  for (const a of actions) {
    if (!groups.has(a.category)) groups.set(a.category, []);
    groups.get(a.category).push([a.type, humanizeType(a.type)]);
  }
  return [...groups.entries()].map(([category, items]) => [capitalize(category), items]);
}

function delayEditor(f, step, path) {
  const delay = step.delay;
  const mode = !delay ? 'none' : delay.until !== undefined ? 'until' : 'duration';
  const modeField = field({
    path: [...path, 'delay'], label: 'Before this step', kind: 'select', value: mode,
    options: [['none', 'Run right after the previous step'], ['duration', 'Wait for a while'], ['until', 'Wait until a date and time']],
    onChange: (v) => f.set([...path, 'delay'], v === 'none' ? undefined : v === 'duration' ? { days: 1 } : { until: '' }, true, { focus: `${pathString([...path, 'delay'])}` }),
  });
  // The mode select sits on the delay path itself; its error wrapper would duplicate the delay's errors, so the
  // wrapper below takes them instead.
  modeField.removeAttribute('data-error-path');

  const parts = [];
  if (mode === 'duration') {
    for (const unit of ['days', 'hours', 'minutes']) {
      parts.push(field({
        path: [...path, 'delay', unit], label: capitalize(unit), kind: 'number', value: delay[unit] ?? '', className: 'field--narrow',
        onInput: (v) => f.set([...path, 'delay', unit], parseScalar(v), false),
      }));
    }
  } else if (mode === 'until') {
    parts.push(field({
      path: [...path, 'delay', 'until'], label: 'Until', value: delay.until ?? '', placeholder: 'e.g. {{ record.renewalDate }}', className: 'field--grow',
      help: 'An ISO 8601 date-time, or a template that renders one. Never runs early; a time already past runs at once.',
      onInput: (v) => f.set([...path, 'delay', 'until'], v, false),
    }));
  }
  return h('div', { class: 'delay-editor', 'data-error-path': pathString([...path, 'delay']) }, modeField, parts.length ? h('div', { class: 'delay-editor__parts' }, parts) : null);
}

function paramsEditor(f, step, path, descriptor) {
  const params = step.params || {};
  const paramsPath = [...path, 'params'];
  if (!descriptor) {
    return h('div', { class: 'params-editor', 'data-error-path': pathString(paramsPath) },
      h('p', { class: 'muted' }, 'This action is not in the registry; edit its parameters in the JSON.'));
  }

  const isRequired = (p) => p.required || (p.requiredWhen && p.requiredWhen.values.includes(params[p.requiredWhen.parameter]));
  const inputs = descriptor.parameters.map((p) => ({ p, el: paramInput(f, paramsPath, p, params[p.name], isRequired(p)) }));
  const main = inputs.filter(({ p }) => isRequired(p) || params[p.name] !== undefined || inChoice(descriptor, p.name));
  const more = inputs.filter((x) => !main.includes(x));
  const choices = (descriptor.requiredChoices || []).map((c) => h('p', { class: 'field__help' }, c.description));

  return h('div', { class: 'params-editor', 'data-error-path': pathString(paramsPath) },
    h('div', { class: 'params-editor__title' }, 'Parameters'),
    choices,
    h('div', { class: 'params-editor__fields' }, main.map((x) => x.el)),
    more.length ? h('details', { class: 'disclosure disclosure--plain' },
      h('summary', null, `More options (${more.length})`),
      h('div', { class: 'params-editor__fields' }, more.map((x) => x.el))) : null,
    h('p', { class: 'field__help' }, 'Text parameters are templates: {{ record.firstName }}, {{ record.email }}, {{ run.steps.<id>.status }}, {{ now | date: "%Y-%m-%d" }}.'));
}

/** The first option of each required choice is shown, so that "an email needs a body" has a box to fill. */
function inChoice(descriptor, name) {
  return (descriptor.requiredChoices || []).some((c) => c.options[0]?.includes(name));
}

function paramInput(f, paramsPath, p, value, required) {
  const path = [...paramsPath, p.name];
  const badge = p.secret ? h('span', { class: 'tag tag--muted', title: 'Masked in step logs' }, 'secret') : null;
  const label = p.name;
  const help = p.description + (p.template ? '' : ' Taken as written (not a template).');

  if (p.allowedValues && p.allowedValues.length) {
    return field({
      path, label, help, required, badge, kind: 'select', value: value ?? '',
      options: [['', required ? 'Choose…' : 'Default'], ...p.allowedValues.map((v) => [v, v])],
      onChange: (v) => f.set(path, v === '' ? undefined : v, true),
    });
  }
  if (p.type === 'boolean') {
    return field({ path, label, help, kind: 'checkbox', value, onChange: (v) => f.set(path, v, false) });
  }
  if (p.type === 'object' || p.type === 'array') {
    const text = value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value, null, 2);
    const el = field({
      path, label: `${label} (JSON)`, help, required, badge, kind: 'code', value: text, rows: 3,
      placeholder: p.type === 'object' ? '{ "key": "value" }' : '[ ]',
      onInput: (v, control) => {
        if (v.trim() === '') {
          control.removeAttribute('aria-invalid');
          hint.textContent = '';
          f.set(path, undefined, false);
          return;
        }
        try {
          f.set(path, JSON.parse(v), false);
          control.removeAttribute('aria-invalid');
          hint.textContent = '';
        } catch {
          control.setAttribute('aria-invalid', 'true');
          hint.textContent = 'Not valid JSON yet: the definition keeps the last valid value.';
        }
      },
    });
    const hint = h('p', { class: 'field__local-error', 'aria-live': 'polite' });
    el.append(hint);
    return el;
  }
  if (p.type === 'number') {
    return field({
      path, label, help, required, badge, kind: 'number', value: value === undefined ? '' : String(value),
      onInput: (v) => f.set(path, parseScalar(v), false),
    });
  }
  const long = LONG_TEXT.has(p.name);
  return field({
    path, label, help, required, badge, kind: long ? 'textarea' : 'text', value: value ?? '', rows: 4,
    placeholder: placeholderFor(p),
    onInput: (v) => f.set(path, v === '' ? undefined : v, false),
  });
}

function placeholderFor(p) {
  switch (p.type) {
    case 'email': return '{{ record.email }}';
    case 'phone': return '{{ record.phone }}';
    case 'url': return 'https://example.com/hook';
    case 'datetime': return '2025-01-31T09:00:00Z';
    default: return null;
  }
}
