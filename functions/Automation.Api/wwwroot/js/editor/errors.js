// API field errors placed next to the field their path names (or its nearest parent on screen), and a summary that
// links to each. Shared by the workflow editor and the segment editor, whose forms carry data-error-path the same way.
import { h, replace, uid } from '../dom.js';
import { parentPath } from './paths.js';

/** errors: { "conditions.all[1].op": ["..."] } as problem+json gives them; noun names the thing in the summary. */
export function placeErrors(formRoot, summary, errors, noun) {
  for (const el of formRoot.querySelectorAll('.field-error')) el.remove();
  for (const el of formRoot.querySelectorAll('.has-error')) el.classList.remove('has-error');
  for (const el of formRoot.querySelectorAll('[aria-invalid="true"][data-path]')) el.removeAttribute('aria-invalid');

  const targets = new Map();
  for (const el of formRoot.querySelectorAll('[data-error-path]')) {
    if (!targets.has(el.dataset.errorPath)) targets.set(el.dataset.errorPath, el);
  }

  const placed = [];
  for (const [path, list] of Object.entries(errors)) {
    let p = path === '$' ? '' : path;
    let target = targets.get(p);
    while (!target && p) {
      p = parentPath(p);
      if (p === null) break;
      target = targets.get(p);
    }
    if (!target) {
      placed.push({ path, list, target: null });
      continue;
    }
    const msgId = uid('err');
    const message = h('p', { class: 'field-error', id: msgId, 'data-for': path }, list.join(' '));
    target.classList.add('has-error');
    if (target.classList.contains('field') || target.tagName === 'FIELDSET') target.append(message);
    else {
      const head = target.firstElementChild;
      if (head && /head/.test(head.className)) head.after(message);
      else target.prepend(message);
    }
    const control = p === (path === '$' ? '' : path) ? directControl(target) : null;
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), msgId].filter(Boolean).join(' '));
    }
    placed.push({ path, list, target: control || target });
  }
  drawSummary(summary, placed, noun);
}

function directControl(target) {
  const control = target.querySelector(':scope > [data-path], :scope > label > [data-path]');
  return control && control.tagName !== 'BUTTON' ? control : null;
}

function drawSummary(summary, placed, noun) {
  if (!placed.length) {
    replace(summary);
    return;
  }
  replace(summary, h('div', { class: 'alert alert--error', role: 'alert' },
    h('div', { class: 'alert__title' }, `The ${noun} has ${placed.length} problem${placed.length === 1 ? '' : 's'}`),
    h('p', { class: 'alert__detail' }, 'Each is shown next to its field. Nothing was saved.'),
    h('ul', { class: 'alert__list' }, placed.map(({ path, list, target }) => h('li', null,
      target
        ? h('button', {
          type: 'button', class: 'link-button', onclick: () => {
            target.scrollIntoView({ block: 'center' });
            (target.matches('input, select, textarea') ? target : target.querySelector('input, select, textarea, button'))?.focus({ preventScroll: true });
          },
        }, path || noun)
        : h('code', null, path || noun),
      ': ', list.join(' '))))));
}
