// Bounding what a tool hands back: the model's context is the scarcest resource.
// Tools page themselves and fit their results; this is the environment's last bound, for
// a result that is still too long (a tool's own fit undone by redaction, an external
// server's output). A JSON result stays JSON: items are dropped from the end of its
// longest lists, then its longest texts are shortened, and the result says how many
// items it left out and how to see them. Only text that is not JSON is cut as text.

/** What the environment adds when it cuts a JSON result. */
interface EnvironmentCut {
  /** Items dropped, by the dotted path of their list (`assignments`, `files.0.lines`). */
  dropped: Map<string, { shown: number; total: number }>;
  /** Texts shortened. */
  shortened: number;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isRecord(value: Json): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text as a JSON object, or null when it is not one. */
export function parseRecord(text: string): { [key: string]: Json } | null {
  const start = text.trimStart()[0];
  if (start !== '{') return null;
  try {
    const value = JSON.parse(text) as Json;
    return isRecord(value) ? value : null;
  } catch {
    return null;
  }
}

interface Found<T> {
  path: string;
  holder: T;
  size: number;
}

/**
 * Every list in the value (not the `truncated` note itself), with the size of its own
 * items: the lists nested in them are counted apart, so the context lines of a match go
 * before the matches themselves.
 */
function listsOf(value: Json, path: string, out: Array<Found<Json[]>>): number {
  let nested = 0;
  if (Array.isArray(value)) {
    const at = out.length;
    if (value.length > 0) out.push({ path, holder: value, size: 0 });
    let inner = 0;
    value.forEach((item, i) => (inner += listsOf(item, `${path}.${i}`, out)));
    const size = JSON.stringify(value).length;
    const own = out[at];
    if (own !== undefined && own.holder === value) own.size = size - inner;
    return size;
  }
  if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) if (!(path === '' && key === 'truncated')) nested += listsOf(item, path === '' ? key : `${path}.${key}`, out);
  }
  return nested;
}

/** Every string value, with where it sits, so the longest can be shortened. */
function textsOf(value: Json, out: Array<{ set: (text: string) => void; text: string }>): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (typeof item === 'string') out.push({ text: item, set: (text) => (value[i] = text) });
      else textsOf(item, out);
    });
  } else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === 'string') out.push({ text: item, set: (text) => (value[key] = text) });
      else textsOf(item, out);
    }
  }
}

function note(original: Json | undefined, cut: EnvironmentCut, maxChars: number): Json {
  const before = isRecord(original ?? null) ? (original as { [key: string]: Json }) : null;
  const omittedBefore = typeof before?.['omitted'] === 'number' ? before['omitted'] : 0;
  const hintBefore = typeof before?.['hint'] === 'string' ? `${before['hint']}; ` : '';
  let omitted = omittedBefore;
  const lists: string[] = [];
  for (const [path, { shown, total }] of cut.dropped) {
    omitted += total - shown;
    lists.push(`${path}: first ${shown} of ${total}`);
  }
  const what = [...lists, ...(cut.shortened > 0 ? [`${cut.shortened} long texts shortened`] : [])].join(', ');
  // The tool's own hint counts the items it meant to show; what the cut took is not in it.
  const again = hintBefore === '' ? 'page on with offset/limit, or narrow the request' : 'ask again with a smaller limit to see what it took';
  return {
    omitted,
    hint: `${hintBefore}the environment's output limit (${maxChars} characters) cut this result (${what}): ${again}`,
  };
}

/** The record with `truncated` set from the cut so far, as text. */
function render(record: { [key: string]: Json }, original: Json | undefined, cut: EnvironmentCut, maxChars: number): string {
  if (cut.dropped.size === 0 && cut.shortened === 0) return JSON.stringify(record);
  return JSON.stringify({ ...record, truncated: note(original, cut, maxChars) });
}

/**
 * A JSON object bounded to maxChars as JSON: lists lose items from their end (the longest
 * list first), then texts are shortened (the longest first); `truncated` says what went.
 */
export function capJson(record: { [key: string]: Json }, maxChars: number): string {
  const original = record['truncated'];
  const cut: EnvironmentCut = { dropped: new Map(), shortened: 0 };
  const fits = (): boolean => render(record, original, cut, maxChars).length <= maxChars;
  for (let round = 0; round < 1000 && !fits(); round++) {
    const lists: Array<Found<Json[]>> = [];
    listsOf(record, '', lists);
    const longest = lists.sort((a, b) => b.size - a.size)[0];
    if (longest === undefined) break;
    const list = longest.holder;
    const all = [...list];
    const total = cut.dropped.get(longest.path)?.total ?? all.length;
    // The most items of this list that fit, by binary search; at least one goes each round.
    let lo = 0;
    let hi = all.length - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      list.splice(0, list.length, ...all.slice(0, mid));
      cut.dropped.set(longest.path, { shown: mid, total });
      if (fits()) lo = mid;
      else hi = mid - 1;
    }
    list.splice(0, list.length, ...all.slice(0, lo));
    cut.dropped.set(longest.path, { shown: lo, total });
  }
  for (let round = 0; round < 1000 && !fits(); round++) {
    const texts: Array<{ set: (text: string) => void; text: string }> = [];
    textsOf(record, texts);
    const longest = texts.sort((a, b) => b.text.length - a.text.length)[0];
    if (longest === undefined || longest.text.length <= 80) break;
    const excess = render(record, original, cut, maxChars).length - maxChars;
    const keep = Math.max(40, longest.text.length - excess - 40);
    longest.set(`${longest.text.slice(0, keep)}… [${longest.text.length - keep} more chars]`);
    cut.shortened += 1;
  }
  const text = render(record, original, cut, maxChars);
  if (text.length <= maxChars) return text;
  // Nothing left to drop or shorten (very many keys): the summary, and what to do.
  const summary = typeof record['summary'] === 'string' ? record['summary'].slice(0, Math.max(40, Math.floor(maxChars / 4))) : 'result too long';
  return JSON.stringify({
    summary,
    truncated: { omitted: 1, hint: `the result is longer than the environment's output limit (${maxChars} characters): narrow the request` },
  });
}

/**
 * Bounds a result to `maxChars`. A JSON object is cut by structure (capJson) and stays
 * valid JSON; other text is cut at the end, which says how much was cut and that the
 * request should be narrowed or paged, so a reader never mistakes a cut for the whole.
 */
export function capText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const record = parseRecord(text);
  if (record !== null) return capJson(record, maxChars);
  const note = (omitted: number): string =>
    `\n[truncated by the environment: ${omitted} of ${text.length} characters not shown; narrow the request or page on (offset/limit) to see the rest]`;
  const keep = Math.max(0, maxChars - note(text.length).length);
  return text.slice(0, keep) + note(text.length - keep);
}
