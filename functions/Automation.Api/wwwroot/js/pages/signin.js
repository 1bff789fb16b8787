// Sign-in: the admin key is checked against the API and kept in this tab's sessionStorage only.
import { h, replace } from '../dom.js';
import { api, setAdminKey, signOut, ApiError } from '../api.js';
import { errorBanner, notice } from '../ui.js';

export async function render(ctx) {
  ctx.setTitle('Sign in');
  const next = safeNext(ctx.query.get('next'));
  const messages = h('div', { class: 'signin__messages' });
  if (ctx.query.get('expired')) {
    messages.append(notice('warning', 'Your session ended', 'The admin key was not accepted any more. Sign in again to continue.'));
  }

  const input = h('input', {
    id: 'admin-key', name: 'adminKey', type: 'password', class: 'input', autocomplete: 'current-password', required: true,
    spellcheck: 'false', 'aria-describedby': 'admin-key-help',
  });
  const submit = h('button', { class: 'btn btn--primary btn--block', type: 'submit' }, 'Sign in');
  const form = h('form', { class: 'signin__form', novalidate: true },
    h('div', { class: 'field' },
      h('label', { class: 'field__label', for: 'admin-key' }, 'Admin key'),
      input,
      h('p', { class: 'field__help', id: 'admin-key-help' },
        'One of the keys in Automation:Admin:Keys. ./scripts/run.sh prints the local one and keeps it in .local/admin-key. ',
        'It stays in this browser tab only and is forgotten when you close it.')),
    submit);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) {
      replace(messages, notice('error', 'Enter the admin key', 'The key field is empty.'));
      input.focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Checking…';
    setAdminKey(key);
    try {
      // Any admin endpoint proves the key; the action registry is small and always there.
      await api('/api/actions', { signal: ctx.signal });
      ctx.navigate(next, { replace: true });
    } catch (e) {
      signOut();
      const error = e instanceof ApiError && e.status === 401
        ? new ApiError(401, 'That key was not accepted', 'Check for a typo, or use another key from Automation:Admin:Keys.')
        : e;
      replace(messages, errorBanner(error));
      submit.disabled = false;
      submit.textContent = 'Sign in';
      input.select();
      input.focus();
    }
  });

  ctx.root.append(h('div', { class: 'signin' },
    h('div', { class: 'signin__brand' }, h('span', { class: 'brand__mark brand__mark--large', 'aria-hidden': 'true' }, '⚡'), 'Automation'),
    h('div', { class: 'signin__card' },
      h('h1', { class: 'signin__title' }, 'Sign in to the dashboard'),
      h('p', { class: 'muted' }, 'Build workflows, switch them on and off, and follow every run.'),
      messages,
      form)));
  input.focus();
}

/** Only a path inside the dashboard, so a crafted link cannot send the admin elsewhere after signing in. */
function safeNext(next) {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/sign-in') ? next : '/';
}
