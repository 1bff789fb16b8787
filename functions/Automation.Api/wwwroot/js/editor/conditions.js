// The condition builder: groups of ALL (AND) or ANY (OR), nested groups, NOT, and leaves of field, operator, value.
// It edits the definition's JSON in place, so paths in errors (conditions.all[1].op) match what is on screen.
import { h } from '../dom.js';
import { opValueKind } from '../format.js';
import { field } from './fields.js';
import { pathString, parseScalar, scalarInput } from './paths.js';
import { FIELD_SUGGESTIONS, OPERATORS } from './vocabulary.js';

/** One list of field suggestions per page, shared by every condition's field box. */
export function fieldSuggestions() {
  return h('datalist', { id: 'field-suggestions' }, FIELD_SUGGESTIONS.map((s) => h('option', { value: s })));
}

const newLeaf = () => ({ field: '', op: 'eq', value: '' });

/**
 * f: the editor's form context { get(path), set(path, value, structural), rerender() }.
 * path: where the condition lives (['conditions'], ['steps', 0, 'condition'], ...).
 */
export function conditionEditor(f, path, { empty, addLabel = 'Add condition' }) {
  const node = f.get(path);
  const wrapper = h('div', { class: 'cond-editor', 'data-error-path': pathString(path) });
  if (!node) {
    wrapper.append(
      h('p', { class: 'muted' }, empty),
      h('button', {
        type: 'button', class: 'btn btn--secondary btn--small', 'data-path': `${pathString(path)}+add`,
        onclick: () => f.set(path, { all: [newLeaf()] }, true),
      }, `+ ${addLabel}`));
    return wrapper;
  }
  wrapper.append(renderNode(f, path, node, { root: true, onRemove: () => f.set(path, undefined, true) }));
  return wrapper;
}

function renderNode(f, path, node, { root, onRemove }) {
  if (node && (Array.isArray(node.all) || Array.isArray(node.any))) return group(f, path, node, { root, onRemove });
  if (node && node.not !== undefined) return negation(f, path, node, { onRemove });
  return leaf(f, path, node || {}, { root, onRemove });
}

function group(f, path, node, { root, onRemove }) {
  const kind = Array.isArray(node.all) ? 'all' : 'any';
  const items = node[kind];
  const p = pathString(path);

  const mode = h('select', { class: 'select select--inline', 'data-path': `${p}+mode`, 'aria-label': 'Combine conditions with' },
    h('option', { value: 'all', selected: kind === 'all' }, 'ALL of these (AND)'),
    h('option', { value: 'any', selected: kind === 'any' }, 'ANY of these (OR)'));
  mode.addEventListener('change', () => f.set(path, { [mode.value]: items }, true));

  const removeAt = (i) => () => {
    const next = items.filter((_, j) => j !== i);
    if (next.length === 0) onRemove();
    else f.set(path, { [kind]: next }, true);
  };

  return h('div', { class: ['cond-box', `cond-box--${kind}`, root && 'cond-box--root'], 'data-error-path': p },
    h('div', { class: 'cond-box__head' },
      h('span', { class: 'cond-box__match' }, 'Match'), mode,
      h('span', { class: 'cond-box__tools' },
        h('button', { type: 'button', class: 'btn btn--ghost btn--small', onclick: () => f.set(path, { not: node }, true), title: 'Match when this group does NOT hold' }, 'Negate'),
        !root ? h('button', { type: 'button', class: 'btn btn--ghost btn--small', onclick: onRemove, 'aria-label': 'Remove group' }, 'Remove group') : null)),
    h('ol', { class: 'cond-box__items' }, items.map((item, i) => h('li', { class: 'cond-box__item' },
      i > 0 ? h('span', { class: 'cond-joiner', 'aria-hidden': 'true' }, kind === 'all' ? 'AND' : 'OR') : null,
      renderNode(f, [...path, kind, i], item, { root: false, onRemove: removeAt(i) })))),
    h('div', { class: 'cond-box__add' },
      h('button', { type: 'button', class: 'btn btn--secondary btn--small', 'data-path': `${p}+leaf`, onclick: () => f.set(path, { [kind]: [...items, newLeaf()] }, true) }, '+ Condition'),
      h('button', {
        type: 'button', class: 'btn btn--ghost btn--small', 'data-path': `${p}+group`,
        onclick: () => f.set(path, { [kind]: [...items, { [kind === 'all' ? 'any' : 'all']: [newLeaf()] }] }, true),
      }, `+ ${kind === 'all' ? 'OR' : 'AND'} group`)));
}

function negation(f, path, node, { onRemove }) {
  return h('div', { class: 'cond-box cond-box--not', 'data-error-path': pathString(path) },
    h('div', { class: 'cond-box__head' },
      h('span', { class: 'cond-box__match' }, 'NOT'),
      h('span', { class: 'cond-box__tools' },
        h('button', { type: 'button', class: 'btn btn--ghost btn--small', onclick: () => f.set(path, node.not, true) }, 'Remove NOT'))),
    renderNode(f, [...path, 'not'], node.not, { root: false, onRemove }));
}

function leaf(f, path, node, { root, onRemove }) {
  const kind = opValueKind(node.op);
  const valuePath = [...path, 'value'];

  const fieldInput = field({
    path: [...path, 'field'], label: 'Field', value: node.field ?? '', placeholder: 'e.g. record.email', list: 'field-suggestions', required: true,
    onInput: (v) => f.set([...path, 'field'], v, false),
  });

  const op = field({
    path: [...path, 'op'], label: 'Operator', kind: 'select', value: node.op ?? 'eq',
    options: (OPERATORS.some(([o]) => o === node.op) || !node.op ? OPERATORS : [[node.op, node.op], ...OPERATORS]),
    onChange: (v) => {
      const nextKind = opValueKind(v);
      const next = { ...node, op: v };
      if (nextKind === 'none') delete next.value;
      else if (nextKind === 'list' && !Array.isArray(next.value)) next.value = next.value === undefined || next.value === '' ? [] : [next.value];
      else if (nextKind === 'range' && !(Array.isArray(next.value) && next.value.length === 2)) next.value = [Array.isArray(next.value) ? next.value[0] ?? '' : next.value ?? '', ''];
      else if (nextKind === 'scalar' && Array.isArray(next.value)) next.value = next.value[0] ?? '';
      f.set(path, next, true);
    },
  });

  let value = null;
  if (kind === 'scalar') {
    value = field({
      path: valuePath, label: 'Value', value: scalarInput(node.value), placeholder: node.op === 'before' || node.op === 'after' ? '-7d or 2025-01-31' : 'Web Form',
      onInput: (v) => f.set(valuePath, parseScalar(v) ?? '', false),
    });
  } else if (kind === 'list') {
    value = field({
      path: valuePath, label: 'Values (comma separated)', value: Array.isArray(node.value) ? node.value.map(scalarInput).join(', ') : scalarInput(node.value), placeholder: 'e.g. new, open',
      onInput: (v) => f.set(valuePath, v.split(',').map((s) => parseScalar(s)).filter((s) => s !== undefined), false),
    });
  } else if (kind === 'range') {
    const range = Array.isArray(node.value) ? node.value : ['', ''];
    const setBound = (i) => (v) => {
      const next = [...(Array.isArray(f.get(valuePath)) ? f.get(valuePath) : ['', ''])];
      next[i] = parseScalar(v) ?? '';
      f.set(valuePath, next, false);
    };
    value = h('div', { class: 'field field--range', 'data-error-path': pathString(valuePath) },
      field({ path: [...valuePath, 0], label: 'From', value: scalarInput(range[0]), onInput: setBound(0) }),
      field({ path: [...valuePath, 1], label: 'To', value: scalarInput(range[1]), onInput: setBound(1) }));
  }

  return h('div', { class: ['cond-leaf-editor', root && 'cond-leaf-editor--root'], 'data-error-path': pathString(path) },
    h('div', { class: 'cond-leaf-editor__fields' }, fieldInput, op, value),
    h('div', { class: 'cond-leaf-editor__tools' },
      root ? h('button', { type: 'button', class: 'btn btn--ghost btn--small', onclick: () => f.set(path, { all: [node, newLeaf()] }, true) }, '+ Condition') : null,
      h('button', { type: 'button', class: 'btn btn--ghost btn--small btn--icon', onclick: onRemove, 'aria-label': 'Remove condition', title: 'Remove condition' }, '✕')));
}
