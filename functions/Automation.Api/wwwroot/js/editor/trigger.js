// The trigger section: the kind of trigger, then only the parameters that kind reads.
import { h } from '../dom.js';
import { field } from './fields.js';
import { segmentPicker } from './segmentpicker.js';
import { parseScalar, scalarInput } from './paths.js';
import { TRIGGER_GROUPS, TRIGGER_HELP, TRIGGER_PARAMETERS } from './vocabulary.js';

export function triggerEditor(f) {
  const trigger = f.get(['trigger']) || {};
  const type = trigger.type || '';
  const known = TRIGGER_GROUPS.some(([, items]) => items.some(([t]) => t === type));
  const options = [
    ...(known ? [] : [[type, type ? `${type} (unknown)` : 'Choose a trigger…']]),
    ...TRIGGER_GROUPS.map(([group, items]) => [group, items.map(([t, label]) => [t, label])]),
  ];

  // One input per parameter the API lists for this kind of trigger.
  const parameter = ({ name, label, kind, required, placeholder, help, options }) => {
    const path = ['trigger', name];
    switch (kind) {
      case 'select':
        return field({ path, label, kind, value: trigger[name] ?? options[0].value, options: options.map((o) => [o.value, o.label]), onChange: (v) => f.set(path, v, false) });
      case 'checkbox':
        return field({ path, label, kind, value: trigger[name], onChange: (v) => f.set(path, v || undefined, false) });
      case 'segment':
        return segmentPicker(f, { name, label, required, help });
      case 'scalar':
        return field({ path, label, required, placeholder, help, value: scalarInput(trigger[name]), onInput: (v) => f.set(path, parseScalar(v), false) });
      default:
        return field({ path, label, required, placeholder, help, value: trigger[name] ?? '', onInput: (v) => f.set(path, v.trim() === '' ? undefined : v, false) });
    }
  };

  const params = [];
  for (const p of TRIGGER_PARAMETERS[type] || []) params.push(parameter(p));

  return h('div', { class: 'trigger-editor', 'data-error-path': 'trigger' },
    field({
      path: ['trigger', 'type'], label: 'Start when', kind: 'select', value: type, options, required: true,
      help: TRIGGER_HELP[type] || null,
      onChange: (v) => f.set(['trigger'], { type: v }, true),
    }),
    params.length ? h('div', { class: 'grid-fields' }, params) : null);
}
