// The action registry, part of the one vocabulary the API serves (GET /api/vocabulary): it drives the editor's step forms.
import { loadVocabulary } from './editor/vocabulary.js';

export function loadActions() {
  return loadVocabulary().then((v) => v.actions);
}
