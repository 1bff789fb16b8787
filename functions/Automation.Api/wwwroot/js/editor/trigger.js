// The trigger section: the kind of trigger, then only the parameters that kind reads.
import { h } from '../dom.js';
import { field } from './fields.js';
import { conditionEditor } from './conditions.js';
import { parseScalar, scalarInput } from './paths.js';
import { TRIGGER_GROUPS, TRIGGER_HELP } from './vocabulary.js';

export function triggerEditor(f) {
  const trigger = f.get(['trigger']) || {};
  const type = trigger.type || '';
  const known = TRIGGER_GROUPS.some(([, items]) => items.some(([t]) => t === type));
  const options = [
    ...(known ? [] : [[type, type ? `${type} (unknown)` : 'Choose a trigger…']]),
    ...TRIGGER_GROUPS.map(([group, items]) => [group, items.map(([t, label]) => [t, label])]),
  ];

  const text = (name, label, opts = {}) => field({
    path: ['trigger', name], label, value: trigger[name] ?? '',
    onInput: (v) => f.set(['trigger', name], v.trim() === '' ? undefined : v, false), ...opts,
  });
  const scalar = (name, label, opts = {}) => field({
    path: ['trigger', name], label, value: scalarInput(trigger[name]),
    onInput: (v) => f.set(['trigger', name], parseScalar(v), false), ...opts,
  });

  const params = [];
  switch (type) {
    case 'field.changed':
      params.push(text('field', 'Field', { required: true, placeholder: 'email', help: 'The field name, without “record.”.' }),
        scalar('from', 'From (optional)', { help: 'Only when the value was this before.' }),
        scalar('to', 'To (optional)', { help: 'Only when the value becomes this.' }));
      break;
    case 'status.changed':
    case 'health.changed':
      params.push(scalar('from', 'From (optional)'), scalar('to', 'To (optional)', { placeholder: type === 'health.changed' ? 'bad' : 'closed' }));
      break;
    case 'stage.entered':
    case 'stage.exited':
      params.push(text('stage', 'Stage', { required: true, placeholder: 'SQL' }), text('pipeline', 'Pipeline (optional)', { placeholder: 'sales' }));
      break;
    case 'score.crossed':
      params.push(text('field', 'Score field', { placeholder: 'score', help: 'score when empty.' }),
        scalar('threshold', 'Threshold', { required: true, placeholder: '80' }),
        field({
          path: ['trigger', 'direction'], label: 'Direction', kind: 'select', value: trigger.direction ?? 'up',
          options: [['up', 'Upwards (rises past it)'], ['down', 'Downwards (falls below it)']],
          onChange: (v) => f.set(['trigger', 'direction'], v, false),
        }));
      break;
    case 'segment.entered':
    case 'segment.left':
      params.push(field({
        path: ['trigger', 'segment', 'name'], label: 'Segment name', required: true, value: trigger.segment?.name ?? '', placeholder: 'Hot leads',
        onInput: (v) => f.set(['trigger', 'segment', 'name'], v, false),
      }), h('div', { class: 'field' }, h('div', { class: 'field__label' }, 'Records are in the segment when'),
        conditionEditor(f, ['trigger', 'segment', 'conditions'], { empty: 'No conditions yet: a segment needs at least one.' })));
      break;
    case 'event':
      params.push(text('name', 'Event name', { required: true, placeholder: 'demo.requested', help: 'Matches events of type “event” whose data.name is this.' }));
      break;
    case 'webhook.received':
      params.push(text('name', 'Hook name (optional)', { placeholder: 'typeform', help: 'Calls to POST /api/hooks/{name}; empty matches any hook.' }));
      break;
    case 'schedule':
      params.push(text('cron', 'Cron schedule', { required: true, placeholder: '0 9 * * MON', help: '5 fields (minute hour day month weekday), or 6 with seconds.' }),
        text('timeZone', 'Time zone', { placeholder: 'Europe/Paris', help: 'UTC when empty.' }),
        field({
          path: ['trigger', 'overRecords'], label: 'Run for every record that matches the conditions', kind: 'checkbox', value: trigger.overRecords,
          onChange: (v) => f.set(['trigger', 'overRecords'], v || undefined, false),
        }),
        field({
          path: ['trigger', 'catchUp'], label: 'After downtime', kind: 'select', value: trigger.catchUp ?? 'skip',
          options: [['skip', 'Skip missed occurrences'], ['latest', 'Run the latest missed one once']],
          onChange: (v) => f.set(['trigger', 'catchUp'], v, false),
        }));
      break;
    default:
      break;
  }

  return h('div', { class: 'trigger-editor', 'data-error-path': 'trigger' },
    field({
      path: ['trigger', 'type'], label: 'Start when', kind: 'select', value: type, options, required: true,
      help: TRIGGER_HELP[type] || null,
      onChange: (v) => f.set(['trigger'], { type: v }, true),
    }),
    params.length ? h('div', { class: 'grid-fields' }, params) : null);
}
