// Form fields that know their JSON path, so that an API error keyed by that path lands next to them.
import { h, uid } from '../dom.js';
import { pathString } from './paths.js';

/**
 * A labelled control. kind: text | textarea | select | number | checkbox | code.
 * The wrapper carries data-error-path; the control carries data-path (used to restore focus after a re-render).
 */
export function field({ path, label, help = null, required = false, kind = 'text', value = '', options = [], placeholder = null, onInput, onChange, list = null, className = '', rows = 3, badge = null }) {
  const p = pathString(path);
  const id = uid('f');
  const helpId = help ? `${id}-help` : null;
  let control;
  const common = { id, 'data-path': p, 'aria-describedby': helpId, name: p };
  if (kind === 'textarea' || kind === 'code') {
    control = h('textarea', { ...common, class: ['input', kind === 'code' && 'input--code'], rows: String(rows), placeholder, spellcheck: kind === 'code' ? 'false' : null }, value);
  } else if (kind === 'select') {
    control = h('select', { ...common, class: 'select' }, options.map((o) => Array.isArray(o[1])
      ? h('optgroup', { label: o[0] }, o[1].map(([v, text]) => h('option', { value: v, selected: v === value }, text)))
      : h('option', { value: o[0], selected: o[0] === value }, o[1])));
  } else if (kind === 'checkbox') {
    control = h('input', { ...common, type: 'checkbox', class: 'checkbox', checked: Boolean(value) });
  } else {
    control = h('input', { ...common, class: 'input', type: 'text', value: value ?? '', placeholder, list, autocomplete: 'off', inputmode: kind === 'number' ? 'decimal' : null, spellcheck: 'false' });
  }
  if (required) control.setAttribute('aria-required', 'true');
  if (onInput) control.addEventListener('input', () => onInput(kind === 'checkbox' ? control.checked : control.value, control));
  if (onChange) control.addEventListener('change', () => onChange(kind === 'checkbox' ? control.checked : control.value, control));

  if (kind === 'checkbox') {
    return h('div', { class: ['field', 'field--checkbox', className], 'data-error-path': p },
      h('label', { class: 'checkbox-label', for: id }, control, h('span', null, label)),
      help ? h('p', { class: 'field__help', id: helpId }, help) : null);
  }
  return h('div', { class: ['field', className], 'data-error-path': p },
    h('label', { class: ['field__label', required && 'field__label--required'], for: id }, label, badge),
    control,
    help ? h('p', { class: 'field__help', id: helpId }, help) : null);
}

/** Radio buttons in a fieldset; the fieldset carries the error path. */
export function radios({ path, legend, value, options, onChange, className = '' }) {
  const p = pathString(path);
  const name = uid('r');
  return h('fieldset', { class: ['field', 'radios', className], 'data-error-path': p },
    h('legend', { class: 'field__label' }, legend),
    options.map(([v, text, help]) => {
      const id = uid('radio');
      const input = h('input', { type: 'radio', name, id, value: v, checked: v === value, 'data-path': `${p}=${v}`, class: 'radio' });
      input.addEventListener('change', () => { if (input.checked) onChange(v); });
      return h('label', { class: 'radio-label', for: id }, input, h('span', null, h('span', { class: 'radio-label__text' }, text), help ? h('span', { class: 'field__help' }, help) : null));
    }));
}
