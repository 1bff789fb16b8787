// Dead letters: queue messages that failed outside any run, kept with the reason.
import { h, replace } from '../dom.js';
import { api } from '../api.js';
import { time } from '../format.js';
import { pageHeader, emptyState, errorBanner, loading, button, jsonBlock } from '../ui.js';

export async function render(ctx) {
  ctx.setTitle('Dead letters');
  const body = h('div', null, loading('Loading dead letters…'));
  ctx.root.append(pageHeader({
    title: 'Dead letters',
    subtitle: 'Messages that could not be processed outside any run (an unreadable message, or one that kept failing), kept with the reason so nothing is lost silently.',
  }), body);

  let items = [];
  async function load(token) {
    try {
      const page = await api('/api/dead-letters', { query: { limit: 50, continuationToken: token }, signal: ctx.signal });
      items = items.concat(page.items);
      draw(page.continuationToken);
    } catch (e) {
      if (e.name !== 'AbortError') replace(body, errorBanner(e, { onRetry: () => load(token) }));
    }
  }

  function draw(next) {
    if (!items.length) {
      replace(body, emptyState({
        title: 'No dead letters',
        body: 'Nothing has failed outside a run. Failed runs are on each workflow’s Runs tab, where they can be retried.',
        icon: '✓',
      }));
      return;
    }
    replace(body,
      h('div', { class: 'table-wrap' }, h('table', { class: 'table table--cards', id: 'dead-letters' },
        h('caption', { class: 'sr-only' }, 'Dead letters, newest first'),
        h('thead', null, h('tr', null, ['When', 'Queue', 'Reason', 'Tries', 'Message'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', null, items.map((d) => h('tr', null,
          h('td', { 'data-label': 'When' }, time(d.at, { seconds: true })),
          h('td', { 'data-label': 'Queue' }, h('span', { class: 'tag' }, d.queue)),
          h('td', { 'data-label': 'Reason', class: 'cell-reason' }, d.reason),
          h('td', { 'data-label': 'Tries', class: 'num' }, String(d.dequeueCount)),
          h('td', { 'data-label': 'Message' }, jsonBlock(tryParse(d.payload), { label: 'Payload', open: false }))))))),
      next ? h('div', { class: 'more' }, button('Load more', () => load(next))) : null);
  }

  await load(null);
}

function tryParse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
