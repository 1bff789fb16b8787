// The only way the dashboard talks to Automation: the HTTP API with the admin key as a bearer token.
// Errors become ApiError with words an admin can act on; stack traces and exception details are never shown.

const KEY = 'automation.adminKey';

export function adminKey() {
  return sessionStorage.getItem(KEY);
}

export function setAdminKey(key) {
  sessionStorage.setItem(KEY, key);
}

export function signOut() {
  sessionStorage.removeItem(KEY);
}

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, 0 when the server could not be reached
   * @param {string} title short sentence
   * @param {string} detail what happened and what to do
   * @param {Record<string, string[]>} errors field path -> messages (problem+json "errors")
   */
  constructor(status, title, detail, errors = {}, traceId = null) {
    super(detail || title);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.errors = errors || {};
    this.traceId = traceId;
  }

  get hasFieldErrors() {
    return Object.keys(this.errors).length > 0;
  }
}

/**
 * Calls the API. Returns the parsed JSON (null for an empty answer). Throws ApiError.
 * options: { method, body (serialized as JSON), query (object; empty values left out), signal, auth (default true) }
 */
export async function api(path, options = {}) {
  const { method = 'GET', body, query, signal, auth = true } = options;
  const url = new URL(path, location.origin);
  for (const [name, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, String(value));
  }

  const headers = { Accept: 'application/json, application/problem+json' };
  if (auth && adminKey()) headers.Authorization = `Bearer ${adminKey()}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  let response;
  try {
    response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'Automation could not be reached',
      'The server did not answer. Check that the host is running and your network is up, then try again.');
  }

  const text = await response.text();
  const json = parseJson(text, response.headers.get('Content-Type'));
  if (response.ok) return json;

  if (response.status === 401 && auth) {
    signOut();
    window.dispatchEvent(new CustomEvent('automation:signed-out', { detail: { reason: 'expired' } }));
  }

  throw toError(response.status, json);
}

function parseJson(text, contentType) {
  if (!text) return null;
  if (!contentType || !contentType.includes('json')) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function toError(status, problem) {
  const p = problem && typeof problem === 'object' ? problem : {};
  const traceId = typeof p.traceId === 'string' ? p.traceId : null;
  if (status >= 500) {
    // Server failures can carry exception text in development; show our own words and a reference instead.
    return new ApiError(status, 'Something went wrong on the server',
      `Automation answered ${status}. Try again; if it keeps happening, the host's log has the details${traceId ? ` (reference ${traceId})` : ''}.`,
      {}, traceId);
  }

  const title = typeof p.title === 'string' && p.title ? p.title : DEFAULT_TITLES[status] || `The request failed (${status})`;
  const detail = typeof p.detail === 'string' ? p.detail : DEFAULT_DETAILS[status] || '';
  const errors = p.errors && typeof p.errors === 'object' ? normalizeErrors(p.errors) : {};
  return new ApiError(status, title, detail, errors, traceId);
}

function normalizeErrors(errors) {
  const out = {};
  for (const [path, messages] of Object.entries(errors)) {
    out[path] = Array.isArray(messages) ? messages.map(String) : [String(messages)];
  }
  return out;
}

const DEFAULT_TITLES = {
  400: 'The request is not valid',
  401: 'Sign in again',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  413: 'Too large',
  415: 'Unsupported content',
};

const DEFAULT_DETAILS = {
  401: 'The admin key was not accepted. Sign in with a key from Automation:Admin:Keys.',
  404: 'It does not exist, or it was removed.',
  409: 'It changed in the meantime. Reload and try again.',
};
