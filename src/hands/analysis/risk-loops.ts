// A query or an HTTP/RPC call inside a loop (N+1): one round trip per item where there was
// one per batch. A call is a database call when its receiver is plainly a data-access object
// (db, repository, dao, cursor, an `...Repository`), or a loosely named one (session, store,
// model, conn) calling a query verb; an HTTP/RPC call when it goes through an HTTP or RPC
// client or `fetch`, or passes a URL or path.
import type { Diff, DiffHunk, DiffLine } from '../../bundle/index.js';
import { indentOf, isComment, stripComment } from './code-words.js';
import { makeSignal, ref, unique, type RiskSignal } from './risk-types.js';

// Collection functions that run a block per item count too (Kotlin's `associateWith { }`,
// `mapValues { }`, `sumOf { }`, Java streams' `.map(`).
const LOOP = /^\s*(for|foreach|while|do|loop|until)\b|\.(forEach|forEachIndexed|map|mapIndexed|mapNotNull|mapValues|flatMap|associate|associateWith|associateBy|sumOf|each|each_with_index|times)\s*[({]|\bfor\s*\(|\bfor\s+\w+\s+in\b/;
const DATA_RECEIVER = /^(db|tx|txn|repo|repository|dao|cursor|stmt|orm|objects|jdbcTemplate|entityManager|em|\w+(Repository|Repo|Dao|Mapper))$/;
const LOOSE_RECEIVER = /^(session|store|model|conn|connection|collection|client|pool|table)$/i;
const QUERY_VERB =
  /^(query\w*|exec\w*|execute\w*|get|find\w*|select\w*|insert\w*|update\w*|delete\w*|save\w*|load\w*|fetch\w*|scalars?|count\w*|first|all|one|filter\w*|where|raw|lookup\w*|read\w*|search\w*|aggregate|upsert\w*|merge|refresh|hget\w*|mget|zrange\w*)$/i;
const QUERY_FUNCTION = /\b(Query|QueryRow|QueryContext|QueryRowContext|Exec|ExecContext|execute|executemany|findOne|findAll|findById|find_by_\w+)\s*\(/;
const SQL = /\b(SELECT|INSERT|UPDATE|DELETE)\b[^;]*\b(FROM|INTO|SET|WHERE)\b/;
const HTTP_RECEIVER = /^(http|https|requests|axios|httpx|urllib\d?|restTemplate|webClient|httpClient|grpc|stub|rpc|\w+(Client|Stub|Api|API|Service))$/;
/** A URL or a path passed to an HTTP verb, on a client or to a helper of the class (`get("/v1/stops/$id")`). */
const URL_ARGUMENT = /(?:\.|(?<![\w$]))(get|post|put|delete|patch|request)\s*\(\s*f?["'`](?:https?:|\/|\$\{[^}]+\}\/)/;
const GENERIC_METHODS = new Set(['get', 'put', 'set', 'add', 'run', 'call', 'do', 'apply', 'then', 'map', 'from', 'of']);

export interface Call {
  what: 'database query' | 'HTTP/RPC call' | 'call that was one batch';
  identifiers: string[];
}

/** A call that fetches or sends many items at once: `batchQuote(items)`, `bulkGet`, `getMany`, `mget`, `findAllById`. */
// Each name read from its first character (the look-behind), so a long word is walked once, not once per letter.
const BATCH_CALL = /(?<![\w$])([A-Za-z_]\w*)\s*\.\s*(\w*(?:[Bb]atch|[Bb]ulk|Many|many|Multi|multi|All|mget|MGet)\w*)\s*\(/g;

/** Receivers whose batch call the hunk deletes: calls on them in a new loop are that batch taken apart. */
function batchReceivers(hunk: DiffHunk): Set<string> {
  const out = new Set<string>();
  for (const line of hunk.lines) {
    if (line.kind !== 'del' || isComment(line.text)) continue;
    for (const m of stripComment(line.text).matchAll(BATCH_CALL)) out.add(m[1] as string);
  }
  return out;
}

/** The methods the hunk's deleted lines call: a call kept in its loop with new arguments is no new call. */
function calledBefore(hunk: DiffHunk): Set<string> {
  const out = new Set<string>();
  for (const line of hunk.lines) {
    if (line.kind !== 'del' || isComment(line.text)) continue;
    for (const m of stripComment(line.text).matchAll(/(?<![\w$])([A-Za-z_]\w*)\s*\(/g)) out.add(m[1] as string);
  }
  return out;
}

/** A call on a receiver whose batch call was deleted: one call per item where there was one for all. */
function unbatched(text: string, receivers: ReadonlySet<string>): Call | null {
  if (receivers.size === 0) return null;
  for (const m of text.matchAll(/(?<![\w$])([A-Za-z_]\w*)\s*\.\s*([A-Za-z_]\w*)\s*\(/g)) {
    if (receivers.has(m[1] as string)) return { what: 'call that was one batch', identifiers: unique([m[2] as string, m[1] as string].filter((x) => x.length >= 3)) };
  }
  return null;
}

/** The first database or HTTP/RPC call in a piece of code. */
export function remoteCall(text: string): Call | null {
  for (const m of text.matchAll(/(?:([A-Za-z_]\w*)\s*\.\s*)?([A-Za-z_]\w*)\s*\(/g)) {
    const receiver = m[1] ?? '';
    const method = m[2] as string;
    const ids = unique([method, receiver].filter((x) => x.length >= 3 && !GENERIC_METHODS.has(x) && !/^(self|this|db|tx|http|requests)$/.test(x)));
    if (DATA_RECEIVER.test(receiver) || (LOOSE_RECEIVER.test(receiver) && QUERY_VERB.test(method)) || QUERY_FUNCTION.test(`${method}(`)) {
      return { what: 'database query', identifiers: ids };
    }
    if (HTTP_RECEIVER.test(receiver) || (receiver === '' && /^(fetch|urlopen)$/.test(method)) || method === 'Do') return { what: 'HTTP/RPC call', identifiers: ids };
  }
  if (SQL.test(text)) return { what: 'database query', identifiers: [] };
  if (URL_ARGUMENT.test(text)) return { what: 'HTTP/RPC call', identifiers: [] };
  return null;
}

/** A function or method definition, in the common languages: its name. */
const DEFINES = /^\s*(?:(?:public|private|protected|internal|override|suspend|open|static|async|final)\s+)*(?:fun|def|func|function)\s+(?:\([^)]*\)\s*)?(?:[\w.<>]+\.)?([A-Za-z_]\w*)\s*[(<]/;

/**
 * Methods the diff defines (added or as context) whose own body makes a database or HTTP/RPC
 * call: a client's `translation(id, lang) = get("/v1/stops/$id/translations/$lang")`. A call to
 * one of them is that round trip, whatever its receiver is named (`content.translation(…)`).
 */
export function remoteMethods(diff: Diff): Map<string, Call> {
  const out = new Map<string, Call>();
  for (const file of diff.files) {
    for (const hunk of file.hunks) {
      let current: string | null = null;
      for (const line of hunk.lines) {
        if (line.kind === 'del' || isComment(line.text)) continue;
        const text = stripComment(line.text);
        const defined = DEFINES.exec(text)?.[1];
        if (defined !== undefined) current = defined.length >= 4 && !GENERIC_METHODS.has(defined) ? defined : null;
        if (current === null || out.has(current)) continue;
        // On the definition's own line, what follows its parameters (`= get("/v1/…")`).
        const body = defined !== undefined ? text.slice(text.indexOf(')') + 1) : text;
        const call = remoteCall(body);
        if (call !== null) out.set(current, { what: call.what, identifiers: unique([current, ...call.identifiers]) });
      }
    }
  }
  return out;
}

/** A call to a method the diff shows making a round trip itself. */
function knownRemote(text: string, remote: ReadonlyMap<string, Call>): Call | null {
  if (remote.size === 0) return null;
  for (const m of text.matchAll(/(?<![\w$])(?:([A-Za-z_]\w*)\s*\.\s*)?([A-Za-z_]\w*)\s*\(/g)) {
    const call = remote.get(m[2] as string);
    if (call !== undefined && !DEFINES.test(text)) return { what: call.what, identifiers: unique([m[2] as string, ...(m[1] !== undefined && m[1].length >= 3 ? [m[1]] : [])]) };
  }
  return null;
}

/** The part of a one-line loop that runs per item: after `for (...)`, `while (...)` or `for x in y:`; inside `.map(...)`. */
function bodyOf(text: string): string {
  const keyword = /^\s*(?:for|foreach|while|until)\s*\(/.exec(text) ?? /\bfor\s*\(/.exec(text);
  if (keyword) {
    let depth = 0;
    for (let i = keyword.index + keyword[0].length - 1; i < text.length; i++) {
      if (text[i] === '(') depth += 1;
      else if (text[i] === ')' && --depth === 0) return text.slice(i + 1);
    }
    return '';
  }
  const python = /\bfor\s+\w+(?:\s*,\s*\w+)*\s+in\b[^:]*:/.exec(text);
  if (python) return text.slice(python.index + python[0].length);
  return text.slice((LOOP.exec(text)?.index ?? 0) + 1);
}

/** Calls to a database or over HTTP on lines indented under a loop header, where the call or the loop is new. */
export function callsInLoops(diff: Diff, path: string, hunk: DiffHunk, remote: ReadonlyMap<string, Call> = new Map()): RiskSignal[] {
  const out: RiskSignal[] = [];
  const newSide = hunk.lines.filter((l) => l.kind !== 'del' && l.text.trim() !== '' && !isComment(l.text));
  const batched = batchReceivers(hunk);
  const rewritten = calledBefore(hunk);
  const loops: DiffLine[] = [];
  for (const line of newSide) {
    const indent = indentOf(line.text);
    while (loops.length > 0 && indentOf((loops[loops.length - 1] as DiffLine).text) >= indent && !/^\s*[)}\]]/.test(line.text)) loops.pop();
    const loop = loops[loops.length - 1];
    const text = stripComment(line.text);
    const call = loop && (line.kind === 'add' || loop.kind === 'add') ? (remoteCall(text) ?? knownRemote(text, remote) ?? (line.kind === 'add' ? unbatched(text, batched) : null)) : null;
    // The same call rewritten in a loop that was there before (new arguments): it ran per item already.
    if (loop && call && loop.kind !== 'add' && call.identifiers.some((id) => rewritten.has(id))) continue;
    if (loop && call) {
      out.push(makeSignal(diff, path, line, 'call_in_loop', `${call.what} inside a loop (loop at ${ref(path, loop.newLine)})`, { identifiers: call.identifiers }));
      loops.pop(); // one signal per loop
      continue;
    }
    if (!LOOP.test(text)) continue;
    // A loop and its body on one line: ids.map((id) => db.query(id)).
    const inline = line.kind === 'add' ? (remoteCall(bodyOf(text)) ?? knownRemote(bodyOf(text), remote)) : null;
    if (inline) {
      out.push(makeSignal(diff, path, line, 'call_in_loop', `${inline.what} inside a loop on the same line`, { identifiers: inline.identifiers }));
      continue;
    }
    loops.push(line);
  }
  return out;
}
