import { emptyState, linkButton } from '../ui.js';

export async function render(ctx) {
  ctx.setTitle('Not found');
  ctx.root.append(emptyState({
    title: 'This page does not exist',
    body: 'The address may be mistyped, or the link is out of date.',
    actions: [linkButton('Go to workflows', '/', { kind: 'primary' })],
    icon: '?',
  }));
}
