// Records: the records Automation keeps, listed by module and searched by a text in the id or any field
// (GET /api/records), or opened by module and id.
import { h, replace } from '../dom.js';
import { time, humanizeType } from '../format.js';
import { pageHeader, card, emptyState, loading, button } from '../ui.js';
import { pagedSearch } from '../paging.js';
import { replaceUrl } from '../nav.js';
import { moduleInput } from '../modules.js';

// Fields that usually name a record, shown in the list beside its id.
const NAME_FIELDS = ['name', 'fullName', 'firstName', 'lastName', 'title', 'subject', 'number', 'company'];
const CONTACT_FIELDS = ['email', 'emailAddress', 'phone', 'mobile'];

export async function render(ctx) {
  ctx.setTitle('Records');
  const module = moduleInput({ id: 'record-module', value: ctx.query.get('module') || '' });
  const moduleBox = module.querySelector('input');
  const search = h('input', { id: 'record-search', class: 'input', type: 'search', value: ctx.query.get('search') || '', autocomplete: 'off', placeholder: 'e.g. ada@example.com' });
  const form = h('form', { class: 'form-row', role: 'search', novalidate: true },
    h('div', { class: 'field' }, h('label', { class: 'field__label', for: 'record-module' }, 'Module'), module),
    h('div', { class: 'field field--grow' }, h('label', { class: 'field__label', for: 'record-search' }, 'Id, name, email or any field'), search),
    h('div', { class: 'field field--action' }, h('button', { class: 'btn btn--primary', type: 'submit' }, 'Search')),
    h('div', { class: 'field field--action' }, h('button', { class: 'btn btn--secondary', type: 'button', id: 'open-record', onclick: open }, 'Open by id')));
  const body = h('div', null, loading('Loading records…'));

  function open() {
    if (!moduleBox.value.trim() || !search.value.trim()) {
      (moduleBox.value.trim() ? search : moduleBox).focus();
      return;
    }
    ctx.navigate(`/records/${encodeURIComponent(moduleBox.value.trim().toLowerCase())}/${encodeURIComponent(search.value.trim())}`);
  }

  ctx.root.append(
    pageHeader({ title: 'Records', subtitle: 'The latest snapshot Automation keeps of each CRM record it has seen, with every run and the events that reached it.' }),
    card({ title: 'Find records', body: [form, h('p', { class: 'muted small' }, 'Without a module every stored record is searched, a page at a time: naming the module is faster.')] }),
    body);

  const list = pagedSearch({ path: '/api/records', body, limit: 50, signal: ctx.signal, draw, loadingText: 'Loading records…' });

  function draw(items, next, query) {
    if (!items.length && !next) {
      replace(body, emptyState({
        title: 'No records found',
        body: query.search || query.module ? 'No stored record matches. Automation keeps a record once an event about it arrives.' : 'No record has been stored yet: post an event (scripts/post-lead.sh).',
        icon: '◫',
      }));
      return;
    }
    replace(body,
      h('div', { class: 'table-wrap' }, h('table', { class: 'table table--cards', id: 'records-list' },
        h('caption', { class: 'sr-only' }, 'Records'),
        h('thead', null, h('tr', null, ['Record', 'Module', 'Name', 'Contact', 'Updated'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', null, items.map((r) => h('tr', { 'data-record-id': r.recordId },
          h('td', { 'data-label': 'Record' }, h('a', { href: `/records/${encodeURIComponent(r.module)}/${encodeURIComponent(r.recordId)}` }, r.recordId)),
          h('td', { 'data-label': 'Module' }, humanizeType(r.module)),
          h('td', { 'data-label': 'Name' }, pick(r.fields, NAME_FIELDS)),
          h('td', { 'data-label': 'Contact' }, pick(r.fields, CONTACT_FIELDS)),
          h('td', { 'data-label': 'Updated' }, time(r.updatedAt, { seconds: true }))))))),
      next ? h('div', { class: 'more' }, button(items.length ? 'Load more' : 'Search further', () => list.more(next))) : null);
  }

  function find() {
    const query = { module: moduleBox.value.trim().toLowerCase(), search: search.value.trim() };
    const q = new URLSearchParams(Object.entries(query).filter(([, v]) => v)).toString();
    replaceUrl(`/records${q ? `?${q}` : ''}`);
    return list.search(query);
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    find();
  });
  await find();
}

function pick(fields, names) {
  const values = names.map((n) => fields?.[n]).filter((v) => typeof v === 'string' || typeof v === 'number');
  return values.length ? values.slice(0, 2).join(' ') : h('span', { class: 'muted' }, '—');
}
