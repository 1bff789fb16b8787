// A module field: free text (any CRM module name works) with the vocabulary's modules as suggestions.
import { h, uid } from './dom.js';
import { MODULES } from './editor/vocabulary.js';

export function moduleInput({ id, value = '', required = false }) {
  const list = uid('modules');
  const input = h('input', { id, class: 'input', list, value, required, autocomplete: 'off', spellcheck: 'false' });
  return h('span', { class: 'module-input' }, input, h('datalist', { id: list }, MODULES.map((m) => h('option', { value: m }))));
}
