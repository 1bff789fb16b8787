// A workflow read top to bottom: trigger, conditions, then each step with the wait before it; exit conditions beside.
import { h, icon } from './dom.js';
import { triggerText, delayText, humanizeType, scalarText } from './format.js';
import { conditionTree } from './ui.js';

export function workflowFlow(wf, actions = []) {
  const byType = Object.fromEntries(actions.map((a) => [a.type, a]));
  const nodes = [];

  nodes.push(node('trigger', 'When', triggerText(wf.trigger), [
    h('span', { class: 'tag' }, wf.module),
    h('span', { class: 'muted' }, wf.enrollment === 'every_time' ? 'Enrolls a record every time it matches' : 'Enrolls each record once'),
    wf.trigger?.segment ? h('a', { href: `/segments/${encodeURIComponent(wf.trigger.segment)}`, id: 'trigger-segment' }, 'Open the segment') : null,
  ]));

  nodes.push(wf.conditions
    ? node('conditions', 'Only if', null, [conditionTree(wf.conditions)])
    : node('conditions', 'Only if', 'No conditions: every record the trigger matches enrolls.', []));

  (wf.steps || []).forEach((step, i) => {
    const wait = delayText(step.delay);
    if (wait) nodes.push(h('li', { class: 'flow__delay' }, h('span', { class: 'flow__delay-icon', 'aria-hidden': 'true' }, icon('clock')), wait));
    const descriptor = byType[step.action];
    nodes.push(node('step', `Step ${i + 1}`, step.name || humanizeType(step.action), [
      h('div', { class: 'flow__action' }, h('code', null, step.action), descriptor ? h('span', { class: 'muted' }, ` · ${descriptor.category}`) : null,
        h('span', { class: 'muted' }, ` · id ${step.id}`)),
      step.condition ? h('div', { class: 'flow__only-if' }, h('div', { class: 'flow__sublabel' }, 'Runs only if'), conditionTree(step.condition)) : null,
      paramsList(step.params),
      step.retry ? h('div', { class: 'muted small' }, `Retries: ${step.retry.maxAttempts ?? 3} attempts in all`) : null,
    ], { 'data-step-id': step.id }));
  });

  if (!wf.steps || wf.steps.length === 0) {
    nodes.push(node('step', 'Steps', 'No steps yet: edit the workflow to add what it does.', []));
  }
  nodes.push(h('li', { class: 'flow__end' }, h('span', { class: 'flow__end-dot', 'aria-hidden': 'true' }), 'End'));

  const exit = h('aside', { class: 'flow-exit', 'aria-label': 'Exit conditions' },
    h('div', { class: 'flow-exit__title' }, 'Exits early when'),
    wf.exitConditions
      ? conditionTree(wf.exitConditions)
      : h('p', { class: 'muted' }, 'No exit conditions: a run goes on to its last step.'),
    h('p', { class: 'muted small' }, 'Checked before every step, and whenever an event arrives for a record with a waiting run.'));

  return h('div', { class: 'flow-layout' }, h('ol', { class: 'flow', 'aria-label': 'Workflow flow' }, nodes), exit);
}

function node(kind, label, title, body, attrs = {}) {
  return h('li', { class: `flow__node flow__node--${kind}`, ...attrs },
    h('div', { class: 'flow__marker', 'aria-hidden': 'true' }, kind === 'trigger' ? '⚡' : kind === 'conditions' ? '?' : '●'),
    h('div', { class: 'flow__card' },
      h('div', { class: 'flow__label' }, label),
      title ? h('div', { class: 'flow__title' }, title) : null,
      body));
}

function paramsList(params) {
  if (!params || typeof params !== 'object' || Object.keys(params).length === 0) return null;
  return h('dl', { class: 'params' }, Object.entries(params).map(([k, v]) => h('div', { class: 'params__row' },
    h('dt', null, k),
    h('dd', null, h('code', null, typeof v === 'object' && v !== null ? JSON.stringify(v) : scalarText(v))))));
}
