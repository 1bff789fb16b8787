// One segment, new or saved: name, module, description and the conditions (the workflow editor's condition builder),
// with the workflows that start on it. API errors land next to the field their path names.
import { h, replace } from '../dom.js';
import { api } from '../api.js';
import { pageHeader, button, linkButton, card, errorBanner, loading, toast, emptyState, confirmDialog, notice } from '../ui.js';
import { field } from '../editor/fields.js';
import { conditionEditor, fieldSuggestions } from '../editor/conditions.js';
import { getAt, setAt } from '../editor/paths.js';
import { placeErrors } from '../editor/errors.js';
import { submit } from '../editor/submit.js';
import { MODULES } from '../editor/vocabulary.js';
import { pill, triggerLabelForType } from '../format.js';

const READ_ONLY = ['id', 'createdAt', 'updatedAt'];

export async function render(ctx) {
  const id = ctx.params.id || null;
  const isNew = !id;
  ctx.setTitle(isNew ? 'New segment' : 'Segment');
  replace(ctx.root, loading(isNew ? 'Opening…' : 'Loading segment…'));

  let original = null;
  let users = [];
  if (!isNew) {
    try {
      [original, { items: users }] = await Promise.all([
        api(`/api/segments/${encodeURIComponent(id)}`, { signal: ctx.signal }),
        api(`/api/segments/${encodeURIComponent(id)}/workflows`, { signal: ctx.signal }),
      ]);
    } catch (e) {
      if (e.name === 'AbortError') return;
      replace(ctx.root, e.status === 404
        ? emptyState({ title: 'This segment does not exist', body: e.detail, actions: [linkButton('Back to segments', '/segments', { kind: 'primary' })], icon: '?' })
        : errorBanner(e, { onRetry: () => ctx.navigate(location.pathname, { replace: true }) }));
      return;
    }
    ctx.setTitle(original.name);
  }

  const state = {
    model: original ? editable(original) : { name: '', module: ctx.query.get('module') || 'lead', conditions: { all: [{ field: 'record.', op: 'eq', value: '' }] } },
    errors: {},
    dirty: false,
    saving: false,
  };
  const f = {
    get: (path) => getAt(state.model, path),
    set(path, value, structural) {
      setAt(state.model, path, value);
      state.dirty = true;
      if (structural) renderForm();
    },
  };

  const messages = h('div', { class: 'messages', 'aria-live': 'polite' });
  const summary = h('div', { id: 'segment-errors', tabindex: '-1' });
  const formRoot = h('div', { id: 'segment-form', class: 'editor-form' });
  const saveButton = button(isNew ? 'Save segment' : 'Save changes', save, { kind: 'primary', id: 'save-segment' });
  replace(ctx.root,
    pageHeader({
      eyebrow: h('a', { class: 'crumb', href: '/segments' }, '← Segments'),
      title: isNew ? 'New segment' : `Segment “${original.name}”`,
      subtitle: isNew
        ? 'A record is in the segment while the conditions hold for its stored state. Membership is decided at each event about a record.'
        : 'Changes apply to each record at its next event (until then it keeps the membership its last event gave it), or to every record at once with Re-evaluate records now.',
      actions: [
        isNew ? null : button('Delete', remove, { id: 'delete-segment', kind: 'ghost' }),
        isNew ? null : button('Re-evaluate records now', evaluate, { id: 'evaluate-segment' }),
        saveButton,
      ].filter(Boolean),
    }),
    messages, summary, formRoot,
    isNew ? null : card({ title: 'Workflows that start on it', body: usersList(users), id: 'segment-workflows' }),
    isNew ? null : card({ title: 'Records in it', body: membersList(ctx, id), id: 'segment-records' }),
    fieldSuggestions());

  function renderForm() {
    const active = document.activeElement?.dataset?.path;
    const model = state.model;
    replace(formRoot,
      card({
        title: 'Basics', body: h('div', { class: 'grid-fields' },
          field({ path: ['name'], label: 'Name', required: true, value: model.name ?? '', placeholder: 'e.g. Hot leads', className: 'field--wide', onInput: (v) => f.set(['name'], v, false) }),
          isNew
            ? field({
              path: ['module'], label: 'Module', required: true, value: model.module ?? '', list: 'module-list', placeholder: 'e.g. lead',
              help: 'The kind of record it lists; it cannot change once saved.', onInput: (v) => f.set(['module'], v.trim().toLowerCase(), false),
            })
            : field({ path: ['module'], label: 'Module', value: model.module, help: 'A segment keeps its module: workflows naming it act on these records.', onInput: () => {} }),
          h('datalist', { id: 'module-list' }, MODULES.map((m) => h('option', { value: m }))),
          field({
            path: ['description'], label: 'Description', kind: 'textarea', rows: 2, value: model.description ?? '', className: 'field--wide',
            placeholder: 'Who is in it and what it is for.', onInput: (v) => f.set(['description'], v.trim() === '' ? undefined : v, false),
          })),
      }),
      card({
        title: 'Records are in it when',
        body: conditionEditor(f, ['conditions'], { empty: 'No conditions yet: a segment needs at least one.' }),
        id: 'section-conditions',
      }));
    if (!isNew) formRoot.querySelector('[data-path="module"]')?.setAttribute('readonly', '');
    placeErrors(formRoot, summary, state.errors, 'segment');
    if (active) [...formRoot.querySelectorAll('[data-path]')].find((x) => x.dataset.path === active)?.focus({ preventScroll: true });
  }

  function save() {
    return submit({
      state, button: saveButton, messages,
      send: () => (isNew
        ? api('/api/segments', { method: 'POST', body: state.model, signal: ctx.signal })
        : api(`/api/segments/${encodeURIComponent(id)}`, { method: 'PUT', body: state.model, signal: ctx.signal })),
      saved: (segment) => {
        toast(isNew ? `Segment “${segment.name}” saved.` : 'Saved. Records follow at their next event.');
        ctx.navigate(`/segments/${encodeURIComponent(segment.id)}`);
      },
      fieldErrors: (errors) => {
        state.errors = errors;
        placeErrors(formRoot, summary, state.errors, 'segment');
        summary.focus();
      },
    });
  }

  // Every stored record of the module gets a segments.evaluated event, a page of 100 per call; the processor moves
  // membership (and starts the segment's workflows) as those events are applied.
  async function evaluate() {
    replace(messages);
    if (state.dirty) {
      // The records are judged against the saved segment, not the form.
      replace(messages, notice('warning', 'Save your changes first', 'Records are re-evaluated against the segment as saved, not as it is in the form.'));
      return;
    }
    const trigger = ctx.root.querySelector('#evaluate-segment');
    trigger.disabled = true;
    let queued = 0;
    let token = null;
    try {
      do {
        const page = await api(`/api/segments/${encodeURIComponent(id)}/evaluate`, { method: 'POST', query: { continuationToken: token }, signal: ctx.signal });
        queued += page.queued;
        token = page.continuationToken;
      } while (token);
      toast(`${queued} ${original.module} record${queued === 1 ? '' : 's'} queued: each enters or leaves the segment as its event is processed.`);
    } catch (e) {
      if (e.name !== 'AbortError') replace(messages, errorBanner(e));
    } finally {
      trigger.disabled = false;
    }
  }

  async function remove() {
    const ok = await confirmDialog({
      title: `Delete segment “${original.name}”?`,
      body: 'Records stop being listed in it. A segment that a workflow’s trigger names cannot be deleted.',
      confirm: 'Delete segment', danger: true,
    });
    if (!ok) return;
    replace(messages);
    try {
      await api(`/api/segments/${encodeURIComponent(id)}`, { method: 'DELETE', signal: ctx.signal });
      state.dirty = false;
      toast('Segment deleted.');
      ctx.navigate('/segments');
    } catch (e) {
      if (e.name !== 'AbortError') replace(messages, errorBanner(e));
    }
  }

  ctx.beforeLeave((unloading) => !state.dirty || (unloading ? false : window.confirm('Leave without saving? Your changes to this segment will be lost.')));
  renderForm();
  ctx.root.querySelector('[data-path="name"]')?.focus();
}

// The records in the segment as their last events left them, a page at a time.
function membersList(ctx, id) {
  const list = h('ul', { class: 'chips', 'aria-label': 'Records in this segment' });
  const more = h('div', { class: 'more' });
  const body = h('div', null, loading('Loading records…'));
  async function load(token) {
    try {
      const page = await api(`/api/segments/${encodeURIComponent(id)}/records`, { query: { limit: 50, continuationToken: token }, signal: ctx.signal });
      list.append(...page.items.map((r) => h('li', null,
        h('a', { class: 'tag', href: `/records/${encodeURIComponent(r.module)}/${encodeURIComponent(r.recordId)}` }, r.recordId))));
      replace(more, page.continuationToken ? button('Load more', () => load(page.continuationToken)) : null);
      replace(body, list.childElementCount
        ? [list, more]
        : h('p', { class: 'muted' }, 'No record is in it yet. Records enter at their next event, or at once with Re-evaluate records now.'));
    } catch (e) {
      if (e.name !== 'AbortError') replace(body, errorBanner(e, { onRetry: () => load(token) }));
    }
  }
  load(null);
  return body;
}

function usersList(users) {
  if (!users.length) return h('p', { class: 'muted' }, 'No workflow starts on this segment yet. Pick it in a workflow’s trigger: “Segment entered” or “Segment exited”.');
  return h('ul', { class: 'plain-list' }, users.map((w) => h('li', null,
    h('a', { href: `/workflows/${encodeURIComponent(w.id)}` }, w.name), ' ', pill(w.status), ' ',
    h('span', { class: 'muted small' }, triggerLabelForType(w.triggerType)))));
}

function editable(segment) {
  const copy = structuredClone(segment);
  for (const key of READ_ONLY) delete copy[key];
  return copy;
}
