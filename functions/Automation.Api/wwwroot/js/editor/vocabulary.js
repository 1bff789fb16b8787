// What the editor offers to choose from: modules, trigger kinds, operators, retry settings (all from the API), field
// suggestions, and sample records for tests.
// The engine's vocabulary, from GET /api/vocabulary (no copy is kept here): loaded once after sign-in (app.js) and read
// synchronously by the pages. Live bindings: importers see the values once loadVocabulary() has resolved.
import { api } from '../api.js';

/** Module suggestions: the common CRM modules and every module a workflow uses. Any other name is accepted too. */
export let MODULES = [];

/** [[group, [[type, label, description], ...]], ...] in the API's order. */
export let TRIGGER_GROUPS = [];

export let TRIGGER_HELP = {};

/** type -> [{ name, label, kind: text|scalar|select|checkbox, required, placeholder, help, options }] */
export let TRIGGER_PARAMETERS = {};

export let LIFECYCLE = [];

/** [[name, label], ...] and name -> value kind (none, scalar, comparable, range, list, text, date). */
export let OPERATORS = [];
export let OPERATOR_KINDS = {};

/** The step retry policy's settings: [{ name, label, default, help }]. */
export let RETRY = [];

export let EVENT_TYPES = [];

let loaded = null;

export function loadVocabulary(signal) {
  loaded ??= api('/api/vocabulary', { signal }).then((v) => {
    MODULES = v.modules;
    const groups = new Map();
    for (const t of v.triggers) {
      if (!groups.has(t.group)) groups.set(t.group, []);
      groups.get(t.group).push([t.type, t.label, t.description]);
    }
    TRIGGER_GROUPS = [...groups.entries()];
    TRIGGER_HELP = Object.fromEntries(v.triggers.map((t) => [t.type, t.description]));
    TRIGGER_PARAMETERS = Object.fromEntries(v.triggers.map((t) => [t.type, t.parameters]));
    LIFECYCLE = v.triggers.filter((t) => t.group === 'Lifecycle').map((t) => t.type);
    OPERATORS = v.operators.map((o) => [o.name, o.label]);
    OPERATOR_KINDS = Object.fromEntries(v.operators.map((o) => [o.name, o.valueKind]));
    RETRY = v.retry;
    EVENT_TYPES = v.eventTypes;
    return v;
  }).catch((e) => {
    loaded = null;
    throw e;
  });
  return loaded;
}

/** A trigger type as a short label (record.created -> Record created), from the vocabulary once loaded. */
export function triggerLabel(type) {
  for (const [, items] of TRIGGER_GROUPS) {
    const found = items.find(([t]) => t === type);
    if (found) return found[1];
  }
  return null;
}

export const FIELD_SUGGESTIONS = [
  'record.email', 'record.firstName', 'record.lastName', 'record.source', 'record.score', 'record.status', 'record.stage',
  'record.pipeline', 'record.ownerId', 'record.amount', 'record.country', 'record.industry', 'record.health',
  'record.doNotContact', 'record.emailOptOut', 'record.createdAt',
  'previous.status', 'previous.stage', 'previous.score',
  'event.type', 'event.data.name',
  'run.startedAt',
];

const SAMPLE_FIELDS = {
  lead: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', company: 'Analytical Engines', source: 'Web Form', score: 72, status: 'new', ownerId: 'user-1' },
  contact: { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', phone: '+14155550100', status: 'active', ownerId: 'user-1' },
  account: { name: 'Analytical Engines Ltd', industry: 'Manufacturing', country: 'GB', health: 'good', ownerId: 'user-1' },
  opportunity: { name: 'Analytical Engines - 50 seats', amount: 60000, stage: 'Proposal', pipeline: 'sales', ownerId: 'user-1' },
  task: { title: 'Call back', status: 'open', ownerId: 'user-1' },
  invoice: { number: 'INV-1042', amount: 1200, currency: 'EUR', status: 'sent', dueDate: '2025-01-31' },
  case: { subject: 'Cannot sign in', priority: 'high', status: 'open', ownerId: 'user-1' },
};

/** The event type a trigger listens for, as the API's test-by-record does. */
export function sampleEventType(trigger) {
  const type = trigger?.type;
  if (type === 'record.created' || type === 'record.deleted' || LIFECYCLE.includes(type)) return type;
  if (type === 'event') return 'event';
  if (type === 'webhook.received') return 'webhook.received';
  if (type === 'schedule') return 'schedule.fired';
  return 'record.updated';
}

/** A sample event that the workflow's trigger matches, so that a first test shows the whole flow. */
export function sampleEvent(workflow, recordFields = null) {
  const module = (workflow.module || 'lead').trim() || 'lead';
  const trigger = workflow.trigger || {};
  const record = { ...(recordFields || SAMPLE_FIELDS[module] || SAMPLE_FIELDS.lead) };
  const event = { type: sampleEventType(trigger), module, recordId: recordFields ? undefined : 'sample-1', record };
  let previous = null;
  switch (trigger.type) {
    case 'field.changed': {
      const field = trigger.field || 'email';
      record[field] = trigger.to ?? changedValue(record[field]);
      previous = { ...record, [field]: trigger.from ?? changedValue(record[field], true) };
      break;
    }
    case 'status.changed':
    case 'health.changed': {
      const field = trigger.type === 'status.changed' ? 'status' : 'health';
      record[field] = trigger.to ?? 'changed';
      previous = { ...record, [field]: trigger.from ?? 'before' };
      break;
    }
    case 'stage.entered':
      record.stage = trigger.stage || 'Qualified';
      if (trigger.pipeline) record.pipeline = trigger.pipeline;
      previous = { ...record, stage: 'Previous stage' };
      break;
    case 'stage.exited':
      previous = { ...record, stage: trigger.stage || 'Qualified', ...(trigger.pipeline ? { pipeline: trigger.pipeline } : {}) };
      record.stage = 'Next stage';
      break;
    case 'score.crossed': {
      const field = trigger.field || 'score';
      const threshold = Number(trigger.threshold ?? 50);
      const up = trigger.direction !== 'down';
      record[field] = up ? threshold + 10 : threshold - 10;
      previous = { ...record, [field]: up ? threshold - 10 : threshold + 10 };
      break;
    }
    case 'event':
      event.data = { name: trigger.name || 'my.event' };
      break;
    case 'webhook.received':
      event.data = { name: trigger.name || 'my-hook', body: { hello: 'world' } };
      break;
    case 'schedule':
      event.data = { workflowId: workflow.id || 'dry-run' };
      break;
    default:
      break;
  }
  if (previous) event.previous = previous;
  return event;
}

function changedValue(value, before = false) {
  if (typeof value === 'number') return before ? value - 1 : value + 1;
  return before ? 'old value' : (value ?? 'new value');
}
