// Stage boards: a pipeline's stages in order, and for each the workflows that run when a record enters it and when it
// leaves it, with a way to add one from there. Pipelines come from Automation:Pipelines and from the workflows' triggers.
import { h, replace } from '../dom.js';
import { api } from '../api.js';
import { pill } from '../format.js';
import { pageHeader, emptyState, errorBanner, loading, tabs } from '../ui.js';

export async function render(ctx) {
  ctx.setTitle('Stage boards');
  const chosen = ctx.query.get('pipeline') || '';
  const body = h('div', null, loading('Loading the board…'));
  const header = pageHeader({
    title: chosen ? `Pipeline ${chosen}` : 'Stage boards',
    eyebrow: chosen ? 'Stage board' : null,
    subtitle: 'The workflows that run when a record enters or leaves each stage (stage.entered, stage.exited and stage.changed triggers).',
  });
  ctx.root.append(header, body);

  let pipelines;
  let board;
  try {
    [pipelines, board] = await Promise.all([
      api('/api/pipelines', { signal: ctx.signal }),
      api('/api/pipelines/board', { query: { pipeline: chosen || undefined }, signal: ctx.signal }),
    ]);
  } catch (e) {
    if (e.name !== 'AbortError') replace(body, errorBanner(e, { onRetry: () => ctx.navigate(location.pathname + location.search, { replace: true }) }));
    return;
  }

  const items = [{ key: '', label: 'All pipelines', href: '/stages' }]
    .concat((pipelines.items || []).map((p) => ({ key: p.name, label: p.name, href: `/stages?pipeline=${encodeURIComponent(p.name)}` })));
  header.after(tabs(items, chosen));

  if (!board.stages.length && !board.anyStage.length) {
    replace(body, emptyState({
      title: chosen ? `No stages known for ${chosen} yet` : 'No stage workflows yet',
      body: 'List a pipeline’s stages in Automation:Pipelines, or start a workflow on a stage: it shows here.',
      actions: [h('a', { class: 'btn btn--primary', href: newWorkflow(board, 'stage.changed', null) }, 'New workflow on a stage change')],
      icon: '▥',
    }));
    return;
  }

  replace(body,
    h('div', { class: 'board', id: 'stage-board', role: 'list', 'aria-label': chosen ? `Stages of ${chosen}` : 'Stages' },
      board.stages.map((s) => column(board, s))),
    h('section', { class: 'card board__any', id: 'any-stage', 'aria-labelledby': 'any-stage-title' },
      h('div', { class: 'card__header' }, h('h2', { id: 'any-stage-title', class: 'card__title' }, 'On any stage change')),
      h('div', { class: 'card__body' },
        workflowList(board.anyStage, 'No workflow runs on every stage change.'),
        h('a', { class: 'btn btn--ghost btn--small', href: newWorkflow(board, 'stage.changed', null) }, '+ Add a workflow'))));
}

function column(board, stage) {
  return h('section', { class: 'board__column card', role: 'listitem', 'data-stage': stage.stage, 'aria-label': `Stage ${stage.stage}` },
    h('div', { class: 'card__header' }, h('h2', { class: 'card__title' }, stage.stage)),
    h('div', { class: 'card__body' },
      part('On entry', stage.onEntry, newWorkflow(board, 'stage.entered', stage.stage), 'entry'),
      part('On exit', stage.onExit, newWorkflow(board, 'stage.exited', stage.stage), 'exit')));
}

function part(title, workflows, addHref, key) {
  return h('div', { class: 'board__part', 'data-part': key },
    h('h3', { class: 'board__part-title' }, title),
    workflowList(workflows, 'None yet.'),
    h('a', { class: 'btn btn--ghost btn--small', href: addHref }, `+ Add on ${key}`));
}

function workflowList(workflows, emptyText) {
  if (!workflows.length) return h('p', { class: 'muted' }, emptyText);
  return h('ol', { class: 'board__list' }, workflows.map((w) => h('li', { class: 'board__item' },
    h('a', { href: `/workflows/${encodeURIComponent(w.id)}` }, w.name),
    ' ', pill(w.status),
    w.pipeline ? null : h('span', { class: 'tag tag--muted' }, 'any pipeline'),
    w.note ? h('span', { class: 'board__note' }, w.note) : null)));
}

// The editor, opened on a new workflow with this trigger (and the board's pipeline and module) filled in.
function newWorkflow(board, type, stage) {
  const q = new URLSearchParams({ trigger: type });
  if (stage) q.set('stage', stage);
  if (board.pipeline) q.set('pipeline', board.pipeline);
  if (board.module) q.set('module', board.module);
  return `/workflows/new?${q}`;
}
