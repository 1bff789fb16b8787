// Records: look one up by module and id (the API lists runs per record, not records themselves).
import { h } from '../dom.js';
import { pageHeader, card } from '../ui.js';
import { MODULES } from '../editor/vocabulary.js';

export async function render(ctx) {
  ctx.setTitle('Records');
  const module = h('input', { id: 'record-module', class: 'input', list: 'record-modules', value: 'lead', required: true, autocomplete: 'off' });
  const recordId = h('input', { id: 'record-id', class: 'input', required: true, autocomplete: 'off', placeholder: 'e.g. 00Q5e000001AbCd' });
  const form = h('form', { class: 'form-row', novalidate: true },
    h('div', { class: 'field' }, h('label', { class: 'field__label', for: 'record-module' }, 'Module'), module,
      h('datalist', { id: 'record-modules' }, MODULES.map((m) => h('option', { value: m })))),
    h('div', { class: 'field field--grow' }, h('label', { class: 'field__label', for: 'record-id' }, 'Record id'), recordId),
    h('div', { class: 'field field--action' }, h('button', { class: 'btn btn--primary', type: 'submit' }, 'Open record')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!module.value.trim() || !recordId.value.trim()) {
      (module.value.trim() ? recordId : module).focus();
      return;
    }
    ctx.navigate(`/records/${encodeURIComponent(module.value.trim().toLowerCase())}/${encodeURIComponent(recordId.value.trim())}`);
  });

  ctx.root.append(
    pageHeader({ title: 'Records', subtitle: 'The latest snapshot Automation keeps of each CRM record it has seen, with every run and the events that reached it.' }),
    card({ title: 'Open a record', body: [form, h('p', { class: 'muted small' }, 'Records also open from any run: click the record id in a runs list.')] }));
  recordId.focus();
}
