// How values read in the dashboard: times in the browser's zone (UTC on hover), durations, status pills,
// and plain-language labels for triggers, operators and delays.
import { h } from './dom.js';
import { OPERATORS, OPERATOR_KINDS, triggerLabel } from './editor/vocabulary.js';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateTimeSeconds = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function parseTime(iso) {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The UTC form shown on hover: 2025-01-31 14:05:09 UTC. */
export function utcText(d) {
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC');
}

/** A <time> in the browser's time zone, with the UTC time as its tooltip. */
export function time(iso, { seconds = false, withRelative = false, empty = '—' } = {}) {
  const d = parseTime(iso);
  if (!d) return h('span', { class: 'muted' }, empty);
  const local = (seconds ? dateTimeSeconds : dateTime).format(d);
  return h('time', { datetime: d.toISOString(), title: utcText(d) },
    local, withRelative ? h('span', { class: 'muted time-relative' }, ` · ${fromNow(d)}`) : null);
}

/** "3 minutes ago", "in 2 days". */
export function fromNow(d, now = new Date()) {
  const seconds = Math.round((d.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return relative.format(seconds, 'second');
  if (abs < 45 * 60) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 22 * 3600) return relative.format(Math.round(seconds / 3600), 'hour');
  if (abs < 26 * 86400) return relative.format(Math.round(seconds / 86400), 'day');
  if (abs < 320 * 86400) return relative.format(Math.round(seconds / (30 * 86400)), 'month');
  return relative.format(Math.round(seconds / (365 * 86400)), 'year');
}

/** 85 ms, 2.4 s, 3 min 5 s, 2 h 10 min, 3 d 4 h. */
export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  const hrs = Math.floor(m / 60);
  if (hrs < 24) return `${hrs} h ${m % 60} min`;
  return `${Math.floor(hrs / 24)} d ${hrs % 24} h`;
}

export function between(startIso, endIso) {
  const a = parseTime(startIso);
  const b = parseTime(endIso);
  return a && b ? duration(b - a) : '—';
}

const STATUS_LABELS = {
  active: 'Active',
  paused: 'Paused',
  draft: 'Draft',
  archived: 'Archived',
  running: 'Running',
  waiting: 'Waiting',
  succeeded: 'Succeeded',
  failed: 'Failed',
  skipped: 'Skipped',
  exited: 'Exited',
  cancelled: 'Cancelled',
  retrying: 'Retrying',
  pending: 'Pending',
  notRun: 'Not run',
  enrolled: 'Enrolled',
  accepted: 'Accepted',
  duplicate: 'Duplicate',
  unknown: 'Unknown',
  triggerNotMatched: 'No match',
  alreadyEnrolled: 'Already enrolled',
  noRun: 'No run',
  notYetCreated: 'Created later',
  enroll: 'Would enroll',
  enrollSkipped: 'Would be skipped',
  ignore: 'Would not start',
  yes: 'True',
  no: 'False',
};

export function statusLabel(status) {
  return STATUS_LABELS[status] || capitalize(String(status ?? ''));
}

/** A coloured pill that also says the status in words (colour is never the only signal). */
export function pill(status, text) {
  const key = String(status ?? 'unknown');
  return h('span', { class: `pill pill--${key}`, 'data-status': key }, h('span', { class: 'pill__dot', 'aria-hidden': 'true' }), text ?? statusLabel(key));
}

export function capitalize(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

/** record.created -> Record created; invoice.overdue -> Invoice overdue. */
export function humanizeType(type) {
  if (!type) return '';
  return capitalize(type.replace(/[._]/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase());
}

export function scalarText(value) {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function quoted(value) {
  return typeof value === 'string' ? `“${value}”` : JSON.stringify(value);
}

/** One line that says what starts the workflow. */
export function triggerText(trigger) {
  if (!trigger || !trigger.type) return 'No trigger';
  const t = trigger;
  const fromTo = () => [t.from !== undefined && t.from !== null ? `from ${quoted(t.from)}` : null, t.to !== undefined && t.to !== null ? `to ${quoted(t.to)}` : null].filter(Boolean).join(' ');
  switch (t.type) {
    case 'record.created': return 'A record is created';
    case 'record.updated': return 'A record is updated';
    case 'record.deleted': return 'A record is deleted';
    case 'field.changed': return `Field ${t.field ? `“${t.field}”` : '(none)'} changes ${fromTo()}`.trim();
    case 'status.changed': return `Status changes ${fromTo()}`.trim();
    case 'health.changed': return `Health changes ${fromTo()}`.trim();
    case 'stage.entered': return `Enters stage ${t.stage ? `“${t.stage}”` : '(none)'}${t.pipeline ? ` of pipeline “${t.pipeline}”` : ''}`;
    case 'stage.exited': return `Leaves stage ${t.stage ? `“${t.stage}”` : '(none)'}${t.pipeline ? ` of pipeline “${t.pipeline}”` : ''}`;
    case 'score.crossed': return `${t.field || 'score'} crosses ${t.threshold ?? '?'} ${t.direction === 'down' ? 'downwards' : 'upwards'}`;
    case 'segment.entered': return `Enters segment ${t.segment ? `“${t.segment}”` : '(none)'}`;
    case 'segment.exited': return `Leaves segment ${t.segment ? `“${t.segment}”` : '(none)'}`;
    case 'event': return `Event “${t.name ?? ''}” happens`;
    case 'webhook.received': return t.name ? `Webhook “${t.name}” is received` : 'Any webhook is received';
    case 'date.reached': return `${t.field ?? '?'}${t.offset ? ` ${t.offset}` : ''} is reached`;
    case 'schedule': return `On schedule ${t.cron ?? ''}${t.timeZone ? ` (${t.timeZone})` : ' (UTC)'}${t.overRecords ? ', for every matching record' : ''}`;
    default: return humanizeType(t.type);
  }
}

/** An operator in words, from the API's vocabulary (its JSON name until that is loaded). */
export function opLabel(op) {
  return OPERATORS.find(([name]) => name === op)?.[1] || op;
}

/** What an operator's value must be, as the editor asks for it: none, range, list, or one scalar. */
export function opValueKind(op) {
  const kind = OPERATOR_KINDS[op];
  return kind === 'none' || kind === 'range' || kind === 'list' ? kind : 'scalar';
}

/** record.source is “Web Form”. */
export function leafText(leaf) {
  const kind = opValueKind(leaf.op);
  let value = '';
  if (kind === 'range' && Array.isArray(leaf.value)) value = ` ${quoted(leaf.value[0])} and ${quoted(leaf.value[1])}`;
  else if (kind === 'list' && Array.isArray(leaf.value)) value = ` ${leaf.value.map(quoted).join(', ')}`;
  else if (kind !== 'none' && leaf.value !== undefined) value = ` ${quoted(leaf.value)}`;
  return `${leaf.field} ${opLabel(leaf.op)}${value}`;
}

/** Wait 2 days, 3 hours / Wait until {{ record.renewalDate }}. */
export function delayText(delay) {
  if (!delay) return null;
  if (delay.until) return `Wait until ${delay.until}`;
  const parts = [];
  const add = (n, unit) => { if (n > 0) parts.push(`${n} ${unit}${n === 1 ? '' : 's'}`); };
  add(delay.days, 'day');
  add(delay.hours, 'hour');
  add(delay.minutes, 'minute');
  return parts.length ? `Wait ${parts.join(', ')}` : null;
}

export function json(value) {
  return JSON.stringify(value, null, 2);
}

/** A trigger type as a short label: stage.entered -> Stage entered. */
export function triggerLabelForType(type) {
  return triggerLabel(type) || humanizeType(type);
}
