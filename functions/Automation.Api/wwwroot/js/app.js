// The dashboard shell: layout, navigation, sign-in gate and a small history-API router.
import { h, clear } from './dom.js';
import { adminKey, signOut } from './api.js';
import { errorBanner } from './ui.js';
import { appPath, fullPath, isAppPath } from './nav.js';
import { loadVocabulary } from './editor/vocabulary.js';

const routes = [
  { path: /^\/sign-in$/, page: () => import('./pages/signin.js'), nav: null, public: true },
  { path: /^\/$/, page: () => import('./pages/workflows.js'), nav: 'workflows' },
  { path: /^\/workflows\/?$/, page: () => import('./pages/workflows.js'), nav: 'workflows' },
  { path: /^\/workflows\/new$/, page: () => import('./pages/editor.js'), nav: 'workflows' },
  { path: /^\/workflows\/(?<id>[^/]+)\/edit$/, page: () => import('./pages/editor.js'), nav: 'workflows' },
  { path: /^\/workflows\/(?<id>[^/]+)(?:\/(?<tab>runs|versions))?$/, page: () => import('./pages/workflow.js'), nav: 'workflows' },
  { path: /^\/runs\/(?<runId>[^/]+)$/, page: () => import('./pages/run.js'), nav: 'workflows' },
  { path: /^\/records\/?$/, page: () => import('./pages/records.js'), nav: 'records' },
  { path: /^\/records\/(?<module>[^/]+)\/(?<recordId>[^/]+)$/, page: () => import('./pages/record.js'), nav: 'records' },
  { path: /^\/segments\/?$/, page: () => import('./pages/segments.js'), nav: 'segments' },
  { path: /^\/segments\/new$/, page: () => import('./pages/segment.js'), nav: 'segments' },
  { path: /^\/segments\/(?<id>[^/]+)$/, page: () => import('./pages/segment.js'), nav: 'segments' },
  { path: /^\/events\/?$/, page: () => import('./pages/events.js'), nav: 'events' },
  { path: /^\/stages\/?$/, page: () => import('./pages/stages.js'), nav: 'stages' },
  { path: /^\/reports\/?$/, page: () => import('./pages/reports.js'), nav: 'reports' },
  { path: /^\/reports\/(?<id>[^/]+)$/, page: () => import('./pages/reports.js'), nav: 'reports' },
  { path: /^\/drafts$/, page: () => import('./pages/drafts.js'), nav: 'drafts' },
  { path: /^\/drafts\/(?<id>[^/]+)$/, page: () => import('./pages/draft.js'), nav: 'drafts' },
  { path: /^\/dead-letters$/, page: () => import('./pages/deadletters.js'), nav: 'dead-letters' },
];

const NAV = [
  { key: 'workflows', href: '/', label: 'Workflows', icon: '⚡' },
  { key: 'records', href: '/records', label: 'Records', icon: '◫' },
  { key: 'segments', href: '/segments', label: 'Segments', icon: '◎' },
  { key: 'events', href: '/events', label: 'Events', icon: '⇣' },
  { key: 'stages', href: '/stages', label: 'Stages', icon: '▥' },
  { key: 'reports', href: '/reports', label: 'Reports', icon: '▤' },
  { key: 'drafts', href: '/drafts', label: 'Drafts', icon: '✉' },
  { key: 'dead-letters', href: '/dead-letters', label: 'Dead letters', icon: '⚠' },
];

const app = document.getElementById('app');
let current = null; // { controller, beforeLeave }

function layout(activeNav) {
  const main = h('main', { id: 'main', class: 'main', tabindex: '-1' });
  if (activeNav === null) {
    clear(app).append(h('div', { class: 'auth-shell' }, main));
    return main;
  }

  const nav = h('nav', { class: 'sidebar', id: 'sidebar', 'aria-label': 'Main' },
    h('a', { class: 'brand', href: '/' }, h('span', { class: 'brand__mark', 'aria-hidden': 'true' }, '⚡'), h('span', null, 'Automation')),
    h('ul', { class: 'nav' }, NAV.map((n) => h('li', null,
      h('a', { class: ['nav__link', n.key === activeNav && 'nav__link--active'], href: n.href, 'aria-current': n.key === activeNav ? 'page' : null },
        h('span', { class: 'nav__icon', 'aria-hidden': 'true' }, n.icon), n.label)))),
    h('div', { class: 'sidebar__footer' },
      healthIndicator(),
      h('button', { class: 'btn btn--ghost btn--small', type: 'button', onclick: () => { signOut(); navigate('/sign-in'); } }, 'Sign out')));

  const menu = h('button', {
    class: 'btn btn--ghost topbar__menu', type: 'button', 'aria-controls': 'sidebar', 'aria-expanded': 'false', 'aria-label': 'Menu',
    onclick: () => {
      const open = !document.body.classList.contains('nav-open');
      document.body.classList.toggle('nav-open', open);
      menu.setAttribute('aria-expanded', String(open));
    },
  }, '☰');
  const topbar = h('header', { class: 'topbar' }, menu, h('a', { class: 'brand brand--topbar', href: '/' }, h('span', { class: 'brand__mark', 'aria-hidden': 'true' }, '⚡'), 'Automation'));

  clear(app).append(h('div', { class: 'shell' }, topbar, nav, h('div', { class: 'scrim', onclick: () => menu.click() }), main));
  return main;
}

function healthIndicator() {
  const el = h('div', { class: 'health', role: 'status' }, h('span', { class: 'health__dot', 'aria-hidden': 'true' }), h('span', { class: 'health__text' }, 'Checking storage…'));
  fetch('/health').then(async (r) => {
    el.classList.add(r.ok ? 'health--ok' : 'health--bad');
    el.querySelector('.health__text').textContent = r.ok ? 'Storage reachable' : 'Storage unreachable';
  }).catch(() => {
    el.classList.add('health--bad');
    el.querySelector('.health__text').textContent = 'Host not reachable';
  });
  return el;
}

export function navigate(path, { replace = false } = {}) {
  if (current?.beforeLeave && !current.beforeLeave()) return;
  if (replace) history.replaceState(null, '', fullPath(path));
  else history.pushState(null, '', fullPath(path));
  render();
}

async function render() {
  const url = new URL(location.href);
  const path = appPath(url.pathname);
  const route = routes.find((r) => r.path.test(path));
  document.body.classList.remove('nav-open');

  if (!route?.public && !adminKey()) {
    const next = path + url.search;
    history.replaceState(null, '', fullPath(`/sign-in${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`));
    return render();
  }

  current?.controller.abort();
  const controller = new AbortController();
  const state = { controller, beforeLeave: null, url: url.pathname + url.search };
  current = state;

  const main = layout(route ? route.nav : 'workflows');
  const ctx = {
    params: route ? { ...(path.match(route.path).groups || {}) } : {},
    query: url.searchParams,
    root: main,
    signal: controller.signal,
    navigate,
    setTitle: (t) => { document.title = t ? `${t} · Automation` : 'Automation'; },
    beforeLeave: (fn) => { state.beforeLeave = fn; },
  };
  for (const k of Object.keys(ctx.params)) ctx.params[k] = decodeURIComponent(ctx.params[k]);

  try {
    if (!route) {
      const { render: notFound } = await import('./pages/notfound.js');
      await notFound(ctx);
    } else {
      // Every signed-in page may name triggers, operators or modules: the vocabulary comes first (once per load).
      if (!route.public) await loadVocabulary();
      const module = await route.page();
      await module.render(ctx);
    }
  } catch (e) {
    if (e.name !== 'AbortError') main.append(errorBanner(e));
  }

  if (document.activeElement === document.body || !main.contains(document.activeElement)) {
    main.focus({ preventScroll: true });
  }
}

// Same-origin links navigate inside the app; modified clicks and other targets behave as usual.
document.addEventListener('click', (event) => {
  const a = event.target.closest('a[href]');
  if (!a || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  if (a.target && a.target !== '_self') return;
  if (a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || !isAppPath(url.pathname) || url.hash && url.pathname === location.pathname) return;
  event.preventDefault();
  navigate(appPath(url.pathname) + url.search);
});

window.addEventListener('popstate', () => {
  // Back or forward out of a page with unsaved changes: ask first, and stay (restoring the address) if told to.
  if (current?.beforeLeave && !current.beforeLeave()) {
    history.pushState(null, '', current.url);
    return;
  }
  render();
});
window.addEventListener('beforeunload', (event) => {
  if (current?.beforeLeave && !current.beforeLeave(true)) event.preventDefault();
});
window.addEventListener('automation:signed-out', () => {
  if (appPath(location.pathname) !== '/sign-in') {
    const next = appPath(location.pathname) + location.search;
    current = null;
    history.replaceState(null, '', fullPath(`/sign-in?expired=1&next=${encodeURIComponent(next)}`));
    render();
  }
});

render();
