import { fullPath } from './nav.js';

// A small element builder. Text always goes in as text nodes, never as HTML, so nothing the API returns
// (record fields, error messages, template output) can inject markup.

/**
 * h('button', { class: 'btn', onclick: fn, 'aria-label': 'Close' }, 'Close')
 * Attributes: class, text, on<event> handlers, boolean properties (disabled, checked, hidden, selected, open, required),
 * value, dataset via data-*, and everything else as attributes. null, undefined and false are skipped.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
      else if (key === 'text') el.textContent = value;
      else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
      else if (key === 'value') el.value = value;
      // In-app links are written as app paths (/workflows/x); the address carries the dashboard's base.
      else if (key === 'href' && tag === 'a') el.setAttribute('href', fullPath(String(value)));
      else if (BOOLEAN_PROPS.has(key)) el[key] = Boolean(value);
      else el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

const BOOLEAN_PROPS = new Set(['disabled', 'checked', 'hidden', 'selected', 'open', 'required', 'multiple', 'readOnly']);

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

export function replace(el, ...children) {
  clear(el);
  return append(el, children);
}

let counter = 0;

/** A unique id for label/aria wiring. */
export function uid(prefix = 'id') {
  counter += 1;
  return `${prefix}-${counter}`;
}

export function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

const ICONS = {
  // A stopwatch: the wait before a step.
  clock: ['M12 7v5l3 2', 'M12 21a8 8 0 1 0 0-16 8 8 0 0 0 0 16z', 'M10 2h4'],
};

/** A small inline SVG icon (system fonts lack some symbols, and nothing is fetched). */
export function icon(name, className = 'icon') {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', className);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const d of ICONS[name] || []) {
    const path = document.createElementNS(ns, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}
