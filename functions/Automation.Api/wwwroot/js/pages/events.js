// Events: every event intake answered for, newest first across records (GET /api/events): when it came, whether its
// id had been seen (a duplicate is not processed again), and for each workflow of its module what became of it.
import { h, replace } from '../dom.js';
import { pill, time, humanizeType, statusLabel } from '../format.js';
import { pageHeader, card, emptyState, loading, button } from '../ui.js';
import { pagedSearch } from '../paging.js';
import { replaceUrl } from '../nav.js';
import { judgementsList } from '../judgements.js';
import { moduleInput } from '../modules.js';

const OUTCOMES = ['', 'accepted', 'duplicate', 'pending', 'enrolled', 'skipped', 'noRun'];

export async function render(ctx) {
  ctx.setTitle('Events');
  const q = (name) => ctx.query.get(name) || '';
  const moduleField = moduleInput({ id: 'events-module', value: q('module'), required: false });
  const module = moduleField.querySelector('input');
  const recordId = h('input', { id: 'events-record', class: 'input', value: q('recordId'), autocomplete: 'off' });
  const type = h('input', { id: 'events-type', class: 'input', value: q('type'), autocomplete: 'off' });
  const outcome = h('select', { id: 'events-outcome', class: 'input' },
    OUTCOMES.map((o) => h('option', { value: o, selected: o === q('outcome') }, o ? statusLabel(o) : 'Any')));
  const form = h('form', { class: 'form-row', role: 'search' },
    field('events-module', 'Module', moduleField),
    field('events-record', 'Record id', recordId),
    field('events-type', 'Event type', type),
    field('events-outcome', 'Outcome', outcome),
    h('div', { class: 'field field--action' }, h('button', { class: 'btn btn--primary', type: 'submit' }, 'Show')));
  const body = h('div', null, loading('Loading events…'));

  ctx.root.append(
    pageHeader({
      title: 'Events',
      subtitle: 'Every event Automation received, newest first: whether its id had been seen before (a duplicate is not processed again) and, for each workflow of its module, whether the record enrolled, was skipped, or why not.',
    }),
    card({ title: 'Filter', body: form }),
    body);

  const list = pagedSearch({ path: '/api/events', body, limit: 25, signal: ctx.signal, draw, loadingText: 'Loading events…' });

  function draw(items, next, filters) {
    if (!items.length && !next) {
      replace(body, emptyState({
        title: 'No events',
        body: Object.values(filters).some(Boolean)
          ? 'No event matches these filters.'
          : 'No event has been received yet. Post one to POST /api/events (scripts/send-event.sh or scripts/post-lead.sh).',
        icon: '⇣',
      }));
      return;
    }
    replace(body,
      h('ol', { class: 'events', id: 'events-feed' }, items.map(eventItem)),
      next ? h('div', { class: 'more' }, button(items.length ? 'Load more' : 'Look further back', () => list.more(next))) : null);
  }

  function search() {
    const filters = { module: module.value.trim(), recordId: recordId.value.trim(), type: type.value.trim(), outcome: outcome.value };
    const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v)).toString();
    replaceUrl(`/events${query ? `?${query}` : ''}`);
    return list.search(filters);
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    search();
  });
  await search();
}

function field(id, label, input) {
  return h('div', { class: 'field' }, h('label', { class: 'field__label', for: id }, label), input);
}

function eventItem(e) {
  const record = `/records/${encodeURIComponent(e.module)}/${encodeURIComponent(e.recordId)}`;
  return h('li', { class: 'event', 'data-event-id': e.eventId, 'data-outcome': e.outcome, 'data-duplicate': String(e.duplicate) },
    h('div', { class: 'event__head' },
      pill(e.outcome),
      h('strong', null, humanizeType(e.type)),
      h('a', { href: record }, `${e.module} ${e.recordId}`),
      h('code', { class: 'muted small' }, e.eventId),
      h('span', { class: 'muted small' }, 'came ', time(e.receivedAt, { seconds: true }))),
    e.duplicate
      ? h('p', { class: 'muted small event__note' }, 'Duplicate: this id had been received ',
        e.firstReceivedAt ? time(e.firstReceivedAt, { seconds: true }) : 'before',
        ', so it was not processed again. What its first delivery did:')
      : null,
    e.outcome === 'pending' ? h('p', { class: 'muted small event__note' }, 'Not processed yet.') : null,
    e.outcome === 'unknown' ? h('p', { class: 'muted small event__note' }, 'The event’s own record rows are gone; only its arrival is known.') : null,
    e.changedFields?.length ? h('div', { class: 'chips' }, h('span', { class: 'muted small' }, 'Changed: '), e.changedFields.map((f) => h('span', { class: 'tag' }, f))) : null,
    e.outcome === 'unknown' ? null : judgementsList(e.workflows));
}
