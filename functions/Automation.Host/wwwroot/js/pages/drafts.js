// Drafts: emails a send_email step in "draft" mode leaves for approval. The drafts API arrives with the email action;
// until then the page says so instead of failing.
import { h, replace } from '../dom.js';
import { api } from '../api.js';
import { time } from '../format.js';
import { pageHeader, emptyState, errorBanner, loading } from '../ui.js';

export async function render(ctx) {
  ctx.setTitle('Drafts');
  const body = h('div', null, loading('Loading drafts…'));
  ctx.root.append(pageHeader({
    title: 'Drafts',
    subtitle: 'Emails waiting for approval: a send_email step with mode “draft” renders the email and waits here for an owner to edit, approve or discard it.',
  }), body);

  try {
    const page = await api('/api/drafts', { signal: ctx.signal });
    const items = page?.items || [];
    replace(body, items.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'table table--cards', id: 'drafts-table' },
        h('thead', null, h('tr', null, ['Subject', 'To', 'Record', 'Created'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', null, items.map((d) => h('tr', null,
          h('td', { 'data-label': 'Subject' }, d.subject ?? '—'),
          h('td', { 'data-label': 'To' }, d.to ?? '—'),
          h('td', { 'data-label': 'Record' }, d.module && d.recordId ? h('a', { href: `/records/${encodeURIComponent(d.module)}/${encodeURIComponent(d.recordId)}` }, d.recordId) : '—'),
          h('td', { 'data-label': 'Created' }, time(d.createdAt)))))))
      : emptyState({ title: 'No drafts waiting', body: 'When a workflow’s send_email step uses mode “draft”, its emails wait here for approval.', icon: '✉' }));
  } catch (e) {
    if (e.name === 'AbortError') return;
    replace(body, e.status === 404
      ? emptyState({
        title: 'No drafts yet',
        body: 'Drafts arrive with the email action: once send_email can run in “draft” mode, each drafted email waits here for an owner to edit its subject and body, approve it to send, or discard it.',
        icon: '✉',
      })
      : errorBanner(e));
  }
}
