// What the editor offers to choose from: modules, trigger kinds, field suggestions, and sample records for tests.

export const MODULES = ['lead', 'contact', 'account', 'opportunity', 'task', 'invoice', 'case'];

export const TRIGGER_GROUPS = [
  ['Record', [
    ['record.created', 'Record created', 'Starts when a record of the module is created.'],
    ['record.updated', 'Record updated', 'Starts on every update of a record.'],
    ['record.deleted', 'Record deleted', 'Starts when a record is deleted.'],
    ['field.changed', 'Field changed', 'Starts when one field changes, optionally from one value or to another.'],
    ['status.changed', 'Status changed', 'Starts when the record’s status changes, optionally from or to a value.'],
  ]],
  ['Pipeline', [
    ['stage.entered', 'Stage entered', 'Starts when the record enters a pipeline stage: the stage’s entry actions.'],
    ['stage.exited', 'Stage exited', 'Starts when the record leaves a pipeline stage: the stage’s exit actions.'],
  ]],
  ['Scores and segments', [
    ['score.crossed', 'Score crossed', 'Starts when a score goes past a threshold, upwards or downwards.'],
    ['segment.entered', 'Segment entered', 'Starts when the record comes to match a set of conditions.'],
    ['segment.left', 'Segment left', 'Starts when the record stops matching a set of conditions.'],
    ['health.changed', 'Health changed', 'Starts when the record’s health changes, optionally to a value.'],
  ]],
  ['Events and schedules', [
    ['event', 'Named event', 'Starts when your CRM sends a custom event with this name (data.name).'],
    ['webhook.received', 'Webhook received', 'Starts when POST /api/hooks/{name} receives a call.'],
    ['schedule', 'Schedule', 'Starts on a cron schedule, optionally for every record matching the conditions.'],
  ]],
  ['Lifecycle', [
    ['task.completed', 'Task completed', 'Starts when a task is completed.'],
    ['case.escalated', 'Case escalated', 'Starts when a case is escalated.'],
    ['contract.signed', 'Contract signed', 'Starts when a contract is signed.'],
    ['invoice.created', 'Invoice created', 'Starts when an invoice is created.'],
    ['invoice.sent', 'Invoice sent', 'Starts when an invoice is sent.'],
    ['invoice.paid', 'Invoice paid', 'Starts when an invoice is paid.'],
    ['invoice.overdue', 'Invoice overdue', 'Starts when an invoice becomes overdue.'],
    ['lead.converted', 'Lead converted', 'Starts when a lead is converted.'],
    ['lead.disqualified', 'Lead disqualified', 'Starts when a lead is disqualified.'],
    ['opportunity.won', 'Opportunity won', 'Starts when an opportunity is won.'],
    ['opportunity.lost', 'Opportunity lost', 'Starts when an opportunity is lost.'],
  ]],
];

export const TRIGGER_HELP = Object.fromEntries(TRIGGER_GROUPS.flatMap(([, items]) => items.map(([type, , help]) => [type, help])));

export const LIFECYCLE = TRIGGER_GROUPS.find(([name]) => name === 'Lifecycle')[1].map(([type]) => type);

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
