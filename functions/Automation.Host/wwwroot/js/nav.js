// Where the dashboard lives. The host serves it under /app/ (and redirects / there), because under the Functions
// host only /app/{*path} and / reach it. Pages speak in app paths ("/workflows/x"); these turn them into addresses.

export const BASE = '/app';

/** /workflows/x -> /app/workflows/x (anything already under /app, or outside the app, is left as is). */
export function fullPath(path) {
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/api/') || path === BASE || path.startsWith(`${BASE}/`)) return path;
  return BASE + path;
}

/** /app/workflows/x -> /workflows/x; /app and /app/ -> /. */
export function appPath(pathname) {
  if (pathname === BASE || pathname === `${BASE}/`) return '/';
  return pathname.startsWith(`${BASE}/`) ? pathname.slice(BASE.length) : pathname;
}

/** Changes the address bar (filters, tabs) without a new history entry or a re-render. */
export function replaceUrl(path) {
  history.replaceState(history.state, '', fullPath(path));
}
