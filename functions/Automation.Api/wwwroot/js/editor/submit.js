// Saving an editor's form: one save at a time, field errors (400 with errors) handed back to be placed next to their
// fields, any other failure shown as a banner. Shared by the workflow and segment editors.
import { replace } from '../dom.js';
import { ApiError } from '../api.js';
import { errorBanner } from '../ui.js';

/** state: { saving, dirty }; send(): the API call; saved(answer) after success; fieldErrors(errors) on a 400 with field errors. */
export async function submit({ state, button, messages, send, saved, fieldErrors }) {
  if (state.saving) return;
  state.saving = true;
  button.disabled = true;
  replace(messages);
  try {
    const answer = await send();
    state.dirty = false;
    saved(answer);
  } catch (e) {
    if (e.name === 'AbortError') return;
    if (e instanceof ApiError && e.status === 400 && e.hasFieldErrors) fieldErrors(e.errors);
    else replace(messages, errorBanner(e));
  } finally {
    state.saving = false;
    button.disabled = false;
  }
}
