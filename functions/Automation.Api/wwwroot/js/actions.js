// The action registry (GET /api/actions), fetched once per page load: it drives the editor's step forms.
import { api } from './api.js';

let cached = null;

export function loadActions() {
  if (!cached) {
    cached = api('/api/actions').catch((e) => {
      cached = null;
      throw e;
    });
  }
  return cached;
}
