// One draft: what the step rendered, editable while it waits, with approve (send) and discard.
// The preview renders the HTML in a sandboxed frame with no scripts, so a template cannot run code in the dashboard.
import { h, replace } from '../dom.js';
import { api } from '../api.js';
import { time } from '../format.js';
import { pageHeader, errorBanner, loading, button, card, definitionList, confirmDialog, toast, notice } from '../ui.js';
import { draftPill } from './draftstatus.js';

export async function render(ctx) {
  const id = ctx.params.id;
  ctx.setTitle('Draft');
  const root = h('div', null, loading('Loading the draft…'));
  ctx.root.append(root);
  const state = { dirty: false };
  ctx.beforeLeave((unloading) => !state.dirty || (unloading ? false : window.confirm('Leave without saving? Your changes to this draft will be lost.')));

  async function load() {
    try {
      const draft = await api(`/api/drafts/${encodeURIComponent(id)}`, { signal: ctx.signal });
      state.dirty = false;
      draw(draft, await workflowName(draft, ctx.signal));
    } catch (e) {
      if (e.name === 'AbortError') return;
      replace(root, e.status === 404
        ? notice('warning', 'This draft does not exist', e.detail)
        : errorBanner(e, { onRetry: load }));
    }
  }

  function draw(d, workflow) {
    const c = d.content || {};
    const pending = d.status === 'pending';
    ctx.setTitle(c.subject || 'Draft');
    const header = pageHeader({
      eyebrow: h('a', { href: '/drafts' }, '← Drafts'),
      title: c.subject || '(no subject)',
      meta: h('div', { class: 'header-meta' }, draftPill(d.status), d.edited ? h('span', { class: 'tag tag--muted' }, 'edited') : null),
    });

    const facts = card({
      title: 'About this email',
      body: definitionList([
        ['To', (c.to || []).join(', ') || '—'],
        c.cc?.length ? ['Cc', c.cc.join(', ')] : null,
        c.bcc?.length ? ['Bcc', c.bcc.join(', ')] : null,
        ['From', c.from || '—'],
        c.replyTo ? ['Reply to', c.replyTo] : null,
        ['Record', h('a', { href: `/records/${encodeURIComponent(d.module)}/${encodeURIComponent(d.recordId)}` }, `${d.module} ${d.recordId}`)],
        ['Owner', d.ownerId || '—'],
        ['Workflow', h('a', { href: `/workflows/${encodeURIComponent(d.workflowId)}` }, `${workflow || d.workflowId} (v${d.workflowVersion})`)],
        ['Run', h('a', { href: `/runs/${encodeURIComponent(d.runId)}` }, `step ${d.stepId}`)],
        ['Created', time(d.createdAt, { withRelative: true })],
        pending ? ['Expires', d.expiresAt ? h('span', null, time(d.expiresAt, { withRelative: true }), ` (then ${d.onTimeout === 'send' ? 'it is sent as it is' : 'the step is skipped'})`) : 'never'] : null,
        d.decidedAt ? ['Decided', h('span', null, time(d.decidedAt, { withRelative: true }), d.decidedBy ? ` by ${d.decidedBy}` : '')] : null,
        d.note ? ['Note', d.note] : null,
      ]),
    });

    replace(root, header, pending ? editor(d) : readOnly(c), facts);
  }

  function readOnly(c) {
    return card({ title: 'Email', body: h('div', null, c.html ? preview(c.html) : h('pre', { class: 'code', id: 'draft-text' }, c.text || '')) });
  }

  function editor(d) {
    const c = d.content || {};
    const isHtml = Boolean(c.html);
    const subject = h('input', { id: 'draft-subject', class: 'input', type: 'text', value: c.subject || '', maxlength: '998', required: true });
    const bodyBox = h('textarea', { id: 'draft-body', class: ['input', isHtml && 'input--code'], rows: '8', spellcheck: isHtml ? 'false' : 'true' });
    bodyBox.value = (isHtml ? c.html : c.text) || '';
    const frame = isHtml ? preview(c.html) : null;
    const errors = h('div', { 'aria-live': 'polite' });
    const markDirty = () => { state.dirty = true; };
    subject.addEventListener('input', markDirty);
    bodyBox.addEventListener('input', () => {
      markDirty();
      if (frame) frame.srcdoc = bodyBox.value;
    });

    async function save() {
      if (!state.dirty) return true;
      if (!subject.value.trim()) {
        replace(errors, notice('error', 'The subject is empty', 'An email needs a subject. Write one, then save or approve.'));
        subject.focus();
        return false;
      }
      const edit = { subject: subject.value };
      edit[isHtml ? 'html' : 'text'] = bodyBox.value;
      try {
        await api(`/api/drafts/${encodeURIComponent(id)}`, { method: 'PUT', body: edit });
        state.dirty = false;
        replace(errors);
        return true;
      } catch (e) {
        replace(errors, errorBanner(e));
        return false;
      }
    }

    async function decide(action) {
      if (action === 'discard' && !(await confirmDialog({
        title: 'Discard this email?', body: 'It will not be sent, and the run goes on with this step skipped.', confirm: 'Discard', danger: true,
      }))) return;
      buttons.forEach((b) => { b.disabled = true; });
      try {
        if (action === 'approve' && !(await save())) return;
        await api(`/api/drafts/${encodeURIComponent(id)}/${action}`, { method: 'POST', query: { by: 'dashboard' } });
        state.dirty = false;
        toast(action === 'approve' ? 'Approved: the email is on its way.' : 'Discarded: the email will not be sent.');
        await load();
      } catch (e) {
        replace(errors, errorBanner(e));
      } finally {
        buttons.forEach((b) => { b.disabled = false; });
      }
    }

    const buttons = [
      button('Approve and send', () => decide('approve'), { kind: 'primary', id: 'draft-approve' }),
      button('Save changes', async () => { if (await save()) toast('Saved.'); }, { id: 'draft-save' }),
      button('Discard', () => decide('discard'), { kind: 'danger', id: 'draft-discard' }),
    ];

    return card({
      title: 'Email',
      body: h('form', { class: 'draft-form', onsubmit: (e) => { e.preventDefault(); decide('approve'); } },
        errors,
        h('div', { class: 'field field--wide' }, h('label', { class: 'field__label field__label--required', for: 'draft-subject' }, 'Subject'), subject),
        h('div', { class: 'field field--wide' },
          h('label', { class: 'field__label', for: 'draft-body' }, isHtml ? 'Body (HTML)' : 'Body'),
          isHtml ? h('p', { class: 'field__help' }, 'The plain-text version is made again from the HTML when you save.') : null,
          bodyBox),
        frame ? h('div', { class: 'field field--wide' }, h('span', { class: 'field__label' }, 'Preview'), frame) : null,
        h('div', { class: 'toolbar' }, buttons)),
    });
  }

  await load();
}

function preview(html) {
  return h('iframe', { class: 'email-preview', title: 'Email preview', sandbox: '', srcdoc: html, id: 'draft-preview' });
}

/** The workflow's name as the draft's page shows it; its id when the workflow cannot be read. */
async function workflowName(draft, signal) {
  try {
    return (await api(`/api/workflows/${encodeURIComponent(draft.workflowId)}`, { query: { version: draft.workflowVersion }, signal })).name;
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    return null;
  }
}
