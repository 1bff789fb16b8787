// A searchable list read page by page (items + continuationToken): a new search starts over, and supersedes a load
// still under way (its answer is dropped, not appended).
import { replace } from './dom.js';
import { api } from './api.js';
import { errorBanner, loading } from './ui.js';

/** draw(items, next, query) renders into body; search(query) starts over; more(next) appends the next page. */
export function pagedSearch({ path, body, limit, signal, draw, loadingText }) {
  let items = [];
  let query = {};
  let generation = 0;

  async function load(token) {
    const mine = generation;
    try {
      const page = await api(path, { query: { ...query, limit, continuationToken: token }, signal });
      if (mine !== generation) return;
      items = items.concat(page.items);
      draw(items, page.continuationToken, query);
    } catch (e) {
      if (e.name !== 'AbortError' && mine === generation) replace(body, errorBanner(e, { onRetry: () => load(token) }));
    }
  }

  return {
    search(next) {
      query = next;
      items = [];
      generation += 1;
      replace(body, loading(loadingText));
      return load(null);
    },
    more: (token) => load(token),
  };
}
