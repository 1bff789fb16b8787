// Drafts: emails a send_email step in "draft" mode rendered and left for their owner to edit, approve or discard.
// The list is one status at a time (waiting by default), because waiting drafts are the ones that hold runs up.
import { h, replace } from '../dom.js';
import { api } from '../api.js';
import { time } from '../format.js';
import { pageHeader, emptyState, errorBanner, loading, button, tabs } from '../ui.js';
import { DRAFT_STATUSES, draftPill, draftStatusName } from './draftstatus.js';

export async function render(ctx) {
  ctx.setTitle('Drafts');
  const status = DRAFT_STATUSES.some((s) => s.key === ctx.query.get('status')) ? ctx.query.get('status') : 'pending';
  const body = h('div', null, loading('Loading drafts…'));
  ctx.root.append(pageHeader({
    title: 'Drafts',
    subtitle: 'Emails waiting for approval: a send_email step with mode “draft” renders the email and waits here for an owner to edit, approve or discard it.',
  }),
  tabs(DRAFT_STATUSES.map((s) => ({ key: s.key, label: s.label, href: s.key === 'pending' ? '/drafts' : `/drafts?status=${s.key}` })), status),
  body);

  let items = [];
  async function load(token) {
    try {
      const page = await api('/api/drafts', { query: { status, limit: 50, continuationToken: token }, signal: ctx.signal });
      items = items.concat(page?.items || []);
      draw(page?.continuationToken);
    } catch (e) {
      if (e.name !== 'AbortError') replace(body, errorBanner(e, { onRetry: () => load(token) }));
    }
  }

  function draw(next) {
    if (!items.length) {
      replace(body, status === 'pending'
        ? emptyState({ title: 'No drafts waiting', body: 'When a workflow’s send_email step uses mode “draft”, its emails wait here for approval.', icon: '✉' })
        : emptyState({ title: `No ${draftStatusName(status).toLowerCase()} drafts`, icon: '✉' }));
      return;
    }
    const when = status === 'pending' ? 'Expires' : 'Created';
    replace(body,
      h('div', { class: 'table-wrap' }, h('table', { class: 'table table--cards', id: 'drafts-table' },
        h('caption', { class: 'sr-only' }, `${draftStatusName(status)} drafts`),
        h('thead', null, h('tr', null, ['Subject', 'To', 'Record', 'Owner', 'Status', when].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', null, items.map((d) => row(d, when))))),
      next ? h('div', { class: 'more' }, button('Load more', () => load(next))) : null);
  }

  function row(d, when) {
    return h('tr', null,
      h('td', { 'data-label': 'Subject', class: 'cell-name' },
        h('a', { href: `/drafts/${encodeURIComponent(d.draftId)}` }, d.content?.subject || '(no subject)'),
        d.edited ? h('span', { class: 'tag tag--muted' }, 'edited') : null),
      h('td', { 'data-label': 'To' }, (d.content?.to || []).join(', ') || '—'),
      h('td', { 'data-label': 'Record' }, h('a', { href: `/records/${encodeURIComponent(d.module)}/${encodeURIComponent(d.recordId)}` }, `${d.module} ${d.recordId}`)),
      h('td', { 'data-label': 'Owner' }, d.ownerId || '—'),
      h('td', { 'data-label': 'Status' }, draftPill(d.status)),
      h('td', { 'data-label': when }, when === 'Expires' ? time(d.expiresAt, { empty: 'never' }) : time(d.createdAt)));
  }

  await load(null);
}
