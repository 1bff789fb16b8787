// Starting points for a new workflow. Each is a complete, valid definition that the admin adapts.

export const EXAMPLES = [
  {
    label: 'Welcome new leads: an email, then a follow-up task 2 days later',
    workflow: {
      name: 'Welcome new web leads',
      description: 'New web leads get a welcome email, then a follow-up call task two days later.',
      module: 'lead',
      trigger: { type: 'record.created' },
      conditions: { all: [{ field: 'record.source', op: 'eq', value: 'Web Form' }] },
      enrollment: 'once',
      steps: [
        {
          id: 'welcome', name: 'Welcome email', action: 'send_email',
          params: { to: '{{ record.email }}', subject: 'Welcome, {{ record.firstName }}', body: 'Thanks for your interest. We will be in touch soon.' },
        },
        {
          id: 'follow-up', name: 'Follow-up call', action: 'create_task', delay: { days: 2 },
          params: { title: 'Follow-up call with {{ record.firstName }} {{ record.lastName }}', assignee: '{{ record.ownerId }}', dueInDays: 1 },
        },
      ],
      exitConditions: { any: [{ field: 'record.status', op: 'eq', value: 'customer' }] },
    },
  },
  {
    label: 'Tell another system when a deal enters a stage',
    workflow: {
      name: 'Notify billing when a deal is won',
      module: 'opportunity',
      trigger: { type: 'stage.entered', stage: 'Closed Won' },
      enrollment: 'every_time',
      steps: [
        {
          id: 'notify-billing', name: 'Notify billing', action: 'call_webhook',
          params: { url: 'https://billing.example.com/hooks/deal-won', body: { opportunity: '{{ record.name }}', amount: '{{ record.amount }}' } },
        },
      ],
    },
  },
];
