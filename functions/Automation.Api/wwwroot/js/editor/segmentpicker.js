// The segment.entered / segment.exited trigger's parameter: a choice among the saved segments of the workflow's module
// (GET /api/segments?module=), read at each render so that a segment made in another tab shows up.
import { h } from '../dom.js';
import { api } from '../api.js';
import { field } from './fields.js';

export function segmentPicker(f, { name, label, required, help }) {
  const path = ['trigger', name];
  const module = f.get(['module']) || '';
  const value = f.get(path) ?? '';
  const el = field({
    path, label, kind: 'select', required, help, value, options: [[value, value || 'Loading segments…']],
    onChange: (v) => f.set(path, v === '' ? undefined : v, false),
  });
  const select = el.querySelector('select');
  select.setAttribute('aria-busy', 'true');
  api('/api/segments', { query: { module } }).then(({ items }) => {
    const options = [['', items.length ? 'Choose a segment…' : `No ${module} segment yet`], ...items.map((s) => [s.id, s.name])];
    if (value && !items.some((s) => s.id === value)) options.push([value, `${value} (not a segment of ${module})`]);
    select.replaceChildren(...options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
  }).catch(() => {
    select.replaceChildren(h('option', { value, selected: true }, value || 'The segments could not be loaded'));
  }).finally(() => select.removeAttribute('aria-busy'));
  el.append(h('p', { class: 'field__help' },
    h('a', { href: `/segments/new?module=${encodeURIComponent(module)}`, target: '_blank', rel: 'noopener' }, 'New segment'), ' (opens a tab) · ',
    h('a', { href: '/segments', target: '_blank', rel: 'noopener' }, 'All segments')));
  return el;
}
