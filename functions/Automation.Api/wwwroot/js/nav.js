// Where the dashboard lives: at the host's root, beside /api, /health and /openapi (the Functions app forwards the
// dashboard's own first path segments: FunctionApp/Dashboard and DashboardRoot). Pages speak in app paths
// ("/workflows/x"); these helpers are the one place that would change if it moved under a base path.

export const BASE = '';

const NOT_THE_APP = [/^\/api(\/|$)/, /^\/health$/, /^\/openapi(\/|$)/];

/** True for an address the dashboard routes itself (not the API, health or OpenAPI). */
export function isAppPath(pathname) {
  return pathname.startsWith(BASE + '/') && !NOT_THE_APP.some((r) => r.test(pathname.slice(BASE.length)));
}

/** /workflows/x -> the address of that page. */
export function fullPath(path) {
  if (!path.startsWith('/') || path.startsWith('//') || !isAppPath(BASE + path.split('?')[0])) return path;
  return BASE + path;
}

/** The address of a page -> its app path. */
export function appPath(pathname) {
  if (pathname === BASE || pathname === `${BASE}/`) return '/';
  return pathname.startsWith(`${BASE}/`) ? pathname.slice(BASE.length) : pathname;
}

/** Changes the address bar (filters, tabs) without a new history entry or a re-render. */
export function replaceUrl(path) {
  history.replaceState(history.state, '', fullPath(path));
}
