// A draft's statuses in the admin's words, shared by the drafts list and a draft's page.
import { pill } from '../format.js';

export const DRAFT_STATUSES = [
  { key: 'pending', label: 'Waiting', pill: 'paused' },
  { key: 'approved', label: 'Approved', pill: 'running' },
  { key: 'sent', label: 'Sent', pill: 'active' },
  { key: 'discarded', label: 'Discarded', pill: 'skipped' },
  { key: 'expired', label: 'Expired', pill: 'exited' },
  { key: 'cancelled', label: 'Cancelled', pill: 'skipped' },
];

export function draftStatusName(status) {
  return DRAFT_STATUSES.find((s) => s.key === status)?.label ?? String(status);
}

export function draftPill(status) {
  const known = DRAFT_STATUSES.find((s) => s.key === status);
  return pill(known?.pill ?? 'skipped', known?.label ?? String(status));
}
