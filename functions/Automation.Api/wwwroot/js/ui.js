// Shared pieces of every page: headers, cards, empty states, errors, tabs, dialogs, toasts, JSON and traces.
import { h, append, clear, uid } from './dom.js';
import { ApiError } from './api.js';
import { leafText, opLabel, pill, scalarText } from './format.js';

export function pageHeader({ title, eyebrow, subtitle, actions = [], meta = null }) {
  return h('header', { class: 'page-header' },
    h('div', { class: 'page-header__text' },
      eyebrow ? h('div', { class: 'eyebrow' }, eyebrow) : null,
      h('h1', { class: 'page-title' }, title),
      subtitle ? h('p', { class: 'page-subtitle' }, subtitle) : null,
      meta),
    actions.length ? h('div', { class: 'page-header__actions' }, actions) : null);
}

export function card({ title, actions = null, body, className = '', id = null, headingLevel = 'h2' }) {
  return h('section', { class: ['card', className], id, 'aria-label': typeof title === 'string' ? title : null },
    title ? h('div', { class: 'card__header' }, h(headingLevel, { class: 'card__title' }, title), actions) : null,
    h('div', { class: 'card__body' }, body));
}

export function button(text, onclick, { kind = 'secondary', type = 'button', icon = null, ...rest } = {}) {
  return h('button', { class: `btn btn--${kind}`, type, onclick, ...rest }, icon ? h('span', { class: 'btn__icon', 'aria-hidden': 'true' }, icon) : null, text);
}

export function linkButton(text, href, { kind = 'secondary', ...rest } = {}) {
  return h('a', { class: `btn btn--${kind}`, href, ...rest }, text);
}

export function emptyState({ title, body, actions = [], icon = '○' }) {
  return h('div', { class: 'empty', role: 'status' },
    h('div', { class: 'empty__icon', 'aria-hidden': 'true' }, icon),
    h('h2', { class: 'empty__title' }, title),
    body ? h('p', { class: 'empty__body' }, body) : null,
    actions.length ? h('div', { class: 'empty__actions' }, actions) : null);
}

export function loading(text = 'Loading…') {
  return h('div', { class: 'loading', role: 'status', 'aria-live': 'polite' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text);
}

/** An error in the admin's words: the problem's title and detail, and its field errors when no field shows them. */
export function errorBanner(error, { fieldErrors = true, onRetry = null } = {}) {
  const e = error instanceof ApiError ? error : new ApiError(-1, 'Something went wrong in the dashboard', 'Reload the page and try again.');
  if (!(error instanceof ApiError)) console.error(error);
  const list = fieldErrors && e.hasFieldErrors
    ? h('ul', { class: 'alert__list' }, Object.entries(e.errors).map(([path, messages]) =>
      messages.map((m) => h('li', null, path && path !== '$' ? h('code', null, path) : null, path && path !== '$' ? ': ' : null, m))))
    : null;
  return h('div', { class: 'alert alert--error', role: 'alert' },
    h('div', { class: 'alert__title' }, e.title),
    e.detail ? h('p', { class: 'alert__detail' }, e.detail) : null,
    list,
    onRetry ? h('div', { class: 'alert__actions' }, button('Try again', onRetry)) : null);
}

export function notice(kind, title, body) {
  return h('div', { class: `alert alert--${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    h('div', { class: 'alert__title' }, title), body ? h('p', { class: 'alert__detail' }, body) : null);
}

/** Tabs as links, so each tab has its own address and the back button works. */
export function tabs(items, current) {
  return h('nav', { class: 'tabs', 'aria-label': 'Sections' },
    items.map((t) => h('a', { class: ['tab', t.key === current && 'tab--active'], href: t.href, 'aria-current': t.key === current ? 'page' : null }, t.label,
      t.count !== undefined && t.count !== null ? h('span', { class: 'tab__count' }, String(t.count)) : null)));
}

/** A pretty-printed JSON block, collapsible when long. */
export function jsonBlock(value, { label = null, open = true, maxHeight = true } = {}) {
  const text = value === undefined ? '' : JSON.stringify(value, null, 2);
  const pre = h('pre', { class: ['code', maxHeight && 'code--scroll'], tabindex: '0' }, text);
  if (!label) return pre;
  return h('details', { class: 'disclosure', open }, h('summary', null, label), pre);
}

/** A key/value list of an object's top-level fields; nested values as compact JSON. */
export function fieldsTable(obj, { caption = null } = {}) {
  const entries = obj && typeof obj === 'object' ? Object.entries(obj) : [];
  if (!entries.length) return h('p', { class: 'muted' }, 'No fields.');
  return h('table', { class: 'kv' },
    caption ? h('caption', { class: 'sr-only' }, caption) : null,
    h('tbody', null, entries.map(([k, v]) => h('tr', null,
      h('th', { scope: 'row' }, k),
      h('td', null, typeof v === 'object' && v !== null ? h('code', { class: 'inline-json' }, JSON.stringify(v)) : h('span', { class: 'value' }, scalarText(v)))))));
}

/** An accessible on/off switch. onChange(next) returns a promise; the switch is disabled meanwhile and reverts on failure. */
export function toggleSwitch({ checked, label, onChange, disabled = false }) {
  const btn = h('button', {
    type: 'button', role: 'switch', class: 'switch', 'aria-checked': String(Boolean(checked)), 'aria-label': label, disabled,
  }, h('span', { class: 'switch__thumb', 'aria-hidden': 'true' }));
  // While the change is saved the switch ignores clicks but keeps the focus (a disabled button would drop it).
  btn.addEventListener('click', async () => {
    if (btn.getAttribute('aria-busy') === 'true') return;
    const next = btn.getAttribute('aria-checked') !== 'true';
    btn.setAttribute('aria-checked', String(next));
    btn.setAttribute('aria-busy', 'true');
    try {
      await onChange(next);
    } catch {
      btn.setAttribute('aria-checked', String(!next));
    } finally {
      btn.removeAttribute('aria-busy');
    }
  });
  return btn;
}

/** A modal confirmation (native <dialog>: focus is trapped and Escape cancels). Resolves true when confirmed. */
export function confirmDialog({ title, body, confirm = 'Confirm', cancel = 'Keep it', danger = false }) {
  return new Promise((resolve) => {
    const titleId = uid('dialog-title');
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId },
      h('form', { method: 'dialog', class: 'dialog__form' },
        h('h2', { class: 'dialog__title', id: titleId }, title),
        body ? h('p', { class: 'dialog__body' }, body) : null,
        h('div', { class: 'dialog__actions' },
          h('button', { class: 'btn btn--secondary', value: 'cancel', type: 'submit' }, cancel),
          h('button', { class: `btn ${danger ? 'btn--danger' : 'btn--primary'}`, value: 'confirm', type: 'submit' }, confirm))));
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'confirm');
      dialog.remove();
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

let toastRegion;

/** A short message that announces itself to screen readers and fades. */
export function toast(message, kind = 'success') {
  if (!toastRegion) {
    toastRegion = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.append(toastRegion);
  }
  const el = h('div', { class: `toast toast--${kind}` }, message);
  toastRegion.append(el);
  setTimeout(() => el.classList.add('toast--leaving'), 4000);
  setTimeout(() => el.remove(), 4600);
}

/** A condition tree as nested readable lists: ALL of / ANY of / NOT. */
export function conditionTree(cond) {
  if (!cond) return h('p', { class: 'muted' }, 'None');
  return h('div', { class: 'cond-tree' }, conditionNode(cond));
}

function conditionNode(cond) {
  if (Array.isArray(cond.all) || Array.isArray(cond.any)) {
    const all = Array.isArray(cond.all);
    const items = all ? cond.all : cond.any;
    return h('div', { class: 'cond-group' },
      h('div', { class: 'cond-group__label' }, all ? 'All of' : 'Any of'),
      h('ul', { class: 'cond-list' }, items.map((c, i) => h('li', null,
        i > 0 ? h('span', { class: 'cond-joiner' }, all ? 'AND' : 'OR') : null,
        conditionNode(c)))));
  }
  if (cond.not) {
    return h('div', { class: 'cond-group cond-group--not' }, h('div', { class: 'cond-group__label' }, 'Not'), conditionNode(cond.not));
  }
  return h('code', { class: 'cond-leaf' }, leafText(cond));
}

/** A condition trace: each leaf with the value it saw and its result. */
export function traceTable(trace, { caption = 'Condition trace', emptyText = 'No conditions: nothing to check.' } = {}) {
  if (!trace || !trace.leaves || trace.leaves.length === 0) return h('p', { class: 'muted' }, emptyText);
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'table table--compact trace' },
      h('caption', { class: 'sr-only' }, caption),
      h('thead', null, h('tr', null, ['Condition', 'Expected', 'Actual value', 'Result'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, trace.leaves.map((leaf) => h('tr', { 'data-path': leaf.path },
        h('td', { 'data-label': 'Condition' }, h('code', null, leaf.field), ' ', h('span', { class: 'muted' }, opLabel(leaf.op)),
          h('div', { class: 'trace__path' }, leaf.path)),
        h('td', { 'data-label': 'Expected' }, leaf.expected === undefined ? h('span', { class: 'muted' }, '—') : h('code', null, JSON.stringify(leaf.expected))),
        h('td', { 'data-label': 'Actual value' }, leaf.actual === undefined ? h('span', { class: 'muted' }, 'missing') : h('code', null, JSON.stringify(leaf.actual)),
          leaf.note ? h('div', { class: 'trace__note' }, leaf.note) : null),
        h('td', { 'data-label': 'Result' }, pill(leaf.result ? 'yes' : 'no')))))));
}

export function traceSummary(trace, { trueText = 'All conditions hold', falseText = 'Conditions do not hold' } = {}) {
  if (!trace) return null;
  return pill(trace.result ? 'yes' : 'no', trace.result ? trueText : falseText);
}

/** Replaces a container's content with a loading state, then with what render(data) returns, or an error. */
export async function load(container, fetcher, render, { onRetry } = {}) {
  clear(container);
  container.append(loading());
  try {
    const data = await fetcher();
    clear(container);
    append(container, [render(data)]);
    return data;
  } catch (e) {
    if (e.name === 'AbortError') return undefined;
    clear(container);
    container.append(errorBanner(e, { onRetry: onRetry ?? (() => load(container, fetcher, render)) }));
    return undefined;
  }
}

export function definitionList(items) {
  return h('dl', { class: 'meta' }, items.filter(Boolean).map(([term, value]) => h('div', { class: 'meta__item' }, h('dt', null, term), h('dd', null, value))));
}
