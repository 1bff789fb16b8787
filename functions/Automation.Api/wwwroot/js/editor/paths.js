// JSON paths as the API names them in validation errors: steps[0].params.subject, conditions.all[1].op,
// fields["address.city"] (keys that would read as path syntax are quoted, as the engine quotes them).

export function pathString(segments) {
  let out = '';
  for (const seg of segments) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (seg === '' || /[.[\]"]/.test(seg)) out += `["${seg.replace(/"/g, '\\"')}"]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

export function getAt(obj, segments) {
  let cur = obj;
  for (const seg of segments) {
    if (cur === null || cur === undefined) return undefined;
    cur = cur[seg];
  }
  return cur;
}

/** Sets a value, creating objects on the way; undefined deletes the key (or splices nothing for arrays). */
export function setAt(obj, segments, value) {
  let cur = obj;
  for (let i = 0; i < segments.length - 1; i++) {
    const seg = segments[i];
    if (cur[seg] === null || typeof cur[seg] !== 'object') cur[seg] = typeof segments[i + 1] === 'number' ? [] : {};
    cur = cur[seg];
  }
  const last = segments[segments.length - 1];
  if (value === undefined) {
    if (Array.isArray(cur) && typeof last === 'number') cur.splice(last, 1);
    else delete cur[last];
  } else {
    cur[last] = value;
  }
}

/** The parent path of an error key, for errors whose field is not on screen: steps[0].params.x -> steps[0].params. */
export function parentPath(path) {
  const m = path.match(/^(.*)(\.[^.[\]]+|\[\d+\]|\["(?:[^"\\]|\\.)*"\])$/);
  return m ? m[1] : null;
}

/** Text typed into a value box, as JSON: numbers and true/false/null become themselves, everything else a string. */
export function parseScalar(text) {
  const t = text.trim();
  if (t === '') return undefined;
  if (/^-?(0|[1-9]\d*)(\.\d+)?$/.test(t)) return Number(t);
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t === 'null') return null;
  return text;
}

export function scalarInput(value) {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
