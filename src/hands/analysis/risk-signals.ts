// Lines of a diff whose edits look risky by the general shape of code, in any language or
// config format: caching removed, a limit/pool/timeout/retry number changed (old → new), a
// limit or timeout removed, retries or backoff added, a query or HTTP call inside a loop, a
// new code path behind a feature-flag check. Tests are skipped (their edits do not run in
// production), and so are comments. These are leads for a reader, not findings.
import type { Diff, DiffFile, DiffHunk, DiffLine } from '../../bundle/index.js';
import { codeWords, indentOf, isComment, stripComment, wordsIn } from './code-words.js';

export type RiskKind = 'cache_removed' | 'limit_changed' | 'limit_removed' | 'retry_added' | 'call_in_loop' | 'flag_guard';

export interface RiskSignal {
  kind: RiskKind;
  detail: string;
  /** Patch location `diffs/x.patch:47`. */
  patch: string;
  /** Code location `src/x.go:120` (the new line; the old line for a deletion). */
  code: string;
  text: string;
  old?: string;
  new?: string;
}

const CACHE_WORDS = new Set(['cache', 'cached', 'caches', 'caching', 'cacheable', 'memcache', 'memcached', 'memo', 'memoize', 'memoized', 'lru', 'ttl']);
const LIMIT_WORDS = new Set([
  'pool', 'conn', 'conns', 'connection', 'connections', 'limit', 'limits', 'max', 'min', 'timeout', 'timeouts',
  'deadline', 'retry', 'retries', 'backoff', 'size', 'capacity', 'concurrency', 'workers', 'worker', 'threads',
  'ttl', 'interval', 'batch', 'queue', 'buffer', 'rate', 'burst', 'idle', 'lifetime', 'keepalive', 'attempts',
  'parallelism', 'replicas', 'memory', 'cpu', 'requests', 'delay', 'expiry', 'threshold', 'quota', 'jitter',
]);
const REMOVABLE_LIMIT_WORDS = new Set(['timeout', 'deadline', 'limit', 'max', 'ratelimit', 'quota', 'breaker']);
const RETRY_WORDS = new Set(['retry', 'retries', 'retrying', 'retryable', 'backoff', 'attempt', 'attempts']);
const FLAG_WORDS = new Set(['flag', 'flags', 'feature', 'features', 'toggle', 'toggles', 'experiment', 'rollout', 'enabled', 'variant', 'treatment']);
const TEST_PATH = /(^|\/)(tests?|__tests__|spec|testdata|fixtures)\/|[._-](test|spec)\.[a-z]+$|_test\.go$|Test\.java$/i;

const LOOP = /^\s*(for|foreach|while|do|loop|until)\b|\.(forEach|map|flatMap|each|each_with_index|times)\s*[({]|\bfor\s*\(|\bfor\s+\w+\s+in\b/;
const DB_CALL =
  /\b(db|tx|txn|conn|session|repo|repository|store|dao|cursor|stmt|orm|model|collection)\.\w+\s*\(|\.objects\.\w+\s*\(|\.(where|find_by\w*)\s*\(|\b(Query|QueryRow|QueryContext|QueryRowContext|Exec|ExecContext|execute|executemany|findOne|findAll|findById|find_by_\w+|raw)\s*\(|\b(SELECT|INSERT|UPDATE|DELETE)\b[^;]*\b(FROM|INTO|SET|WHERE)\b/;
const HTTP_CALL =
  /\b(http|https|requests|axios|httpx|urllib\d?|restTemplate|webClient|httpClient|client|grpc|stub|rpc)\.\w+\s*\(|\bfetch\s*\(|\.Do\s*\(|\burlopen\s*\(|\.(get|post|put|delete|patch|request)\s*\(\s*["'`f]/;
const CONDITIONAL = /^\s*(\}\s*)?(if|elif|else\s+if|unless|when|switch|case)\b|\?\s*[^:]+:/;
const UNIT = '(?:ms|us|µs|ns|s|sec|secs|seconds?|m|min|minutes?|h|hours?|d|days?|kb|mb|gb|ki|mi|gi|k|%)';
const SETTING = new RegExp(`([A-Za-z_][\\w.-]*)["']?\\s*(?::=|=|:)\\s*["']?(\\d+(?:\\.\\d+)?${UNIT}?)(?![\\w.])`, 'gi');
const NUMBER = new RegExp(`(?<![\\w.])(\\d+(?:\\.\\d+)?)(\\s*${UNIT})?(?![\\w.])`, 'gi');

function ref(path: string, line: number | null): string {
  return `${path}:${line ?? '?'}`;
}

function numbersOf(text: string): string[] {
  return [...stripComment(text).matchAll(NUMBER)].map((m) => `${m[1]}${(m[2] ?? '').trim()}`);
}

/** The line with its numbers blanked, for pairing an old line with its edited new version. */
function shapeOf(text: string): string {
  return stripComment(text).replace(NUMBER, '#').replace(/\s+/g, ' ');
}

/** The setting a line assigns (`maxOpenConns`, `pool_size`, `SetMaxOpenConns`), if it has one. */
function keyOf(text: string): string | null {
  const m = /^\s*[-"']?\s*([A-Za-z_][\w.-]*)["']?\s*(?::|=|:=|\()/.exec(stripComment(text));
  return m ? (m[1] ?? '').toLowerCase() : null;
}

function ratio(oldValue: string, newValue: string): string {
  const a = Number.parseFloat(oldValue);
  const b = Number.parseFloat(newValue);
  if (!(a > 0) || !(b > 0) || oldValue.replace(/[\d.]/g, '') !== newValue.replace(/[\d.]/g, '')) return '';
  return b >= a ? ` (×${+(b / a).toPrecision(3)})` : ` (÷${+(a / b).toPrecision(3)})`;
}

function code(line: DiffLine): string {
  return line.text.trim().slice(0, 200);
}

function signal(diff: Diff, path: string, line: DiffLine, kind: RiskKind, detail: string, extra: Partial<RiskSignal> = {}): RiskSignal {
  const codeLine = line.kind === 'del' ? line.oldLine : line.newLine;
  return { kind, detail, patch: ref(diff.path, line.patchLine), code: ref(path, codeLine), text: code(line), ...extra };
}

function meaningful(lines: readonly DiffLine[], kind: DiffLine['kind']): DiffLine[] {
  return lines.filter((l) => l.kind === kind && l.text.trim() !== '' && !isComment(l.text));
}

/** `key = 30`, `key: 5s`, `key := 100` settings on a line, by lowercased key. */
function settingsOf(text: string): Map<string, string> {
  const settings = new Map<string, string>();
  for (const m of stripComment(text).matchAll(SETTING)) settings.set((m[1] ?? '').toLowerCase(), m[2] ?? '');
  return settings;
}

function limitChanged(diff: Diff, path: string, del: DiffLine, add: DiffLine, key: string, o: string, n: string): RiskSignal {
  return signal(diff, path, add, 'limit_changed', `${key} changed ${o} → ${n}${ratio(o, n)}`, { old: o, new: n, text: `${code(del)}  →  ${code(add)}` });
}

/** Numbers of limits, pools, timeouts and retries that changed or went away; returns the lines it explained. */
function limitSignals(diff: Diff, path: string, hunk: DiffHunk, out: RiskSignal[]): Set<DiffLine> {
  const paired = new Set<DiffLine>();
  const dels = meaningful(hunk.lines, 'del');
  const adds = meaningful(hunk.lines, 'add');
  // The same line with other numbers: SetMaxOpenConns(50) → SetMaxOpenConns(5).
  for (const del of dels) {
    if (wordsIn(del.text, LIMIT_WORDS).length === 0 || numbersOf(del.text).length === 0) continue;
    const shape = shapeOf(del.text);
    const partner = adds.find((add) => !paired.has(add) && shapeOf(add.text) === shape);
    if (!partner) continue;
    paired.add(del);
    paired.add(partner);
    const newNumbers = numbersOf(partner.text);
    const changed = numbersOf(del.text)
      .map((o, i) => [o, newNumbers[i]] as const)
      .find(([o, n]) => n !== undefined && o !== n);
    if (changed) {
      const key = keyOf(del.text) ?? wordsIn(del.text, LIMIT_WORDS).join('/');
      out.push(limitChanged(diff, path, del, partner, key, changed[0], changed[1] as string));
    }
  }
  // A setting given another value in a line that was otherwise rewritten: timeout=2 → timeout=30.
  const oldSettings = new Map<string, { value: string; line: DiffLine }>();
  for (const del of dels) if (!paired.has(del)) for (const [key, value] of settingsOf(del.text)) oldSettings.set(key, { value, line: del });
  for (const add of adds) {
    if (paired.has(add)) continue;
    for (const [key, value] of settingsOf(add.text)) {
      const old = oldSettings.get(key);
      if (!old || old.value === value || wordsIn(key, LIMIT_WORDS).length === 0) continue;
      out.push(limitChanged(diff, path, old.line, add, key, old.value, value));
      paired.add(old.line);
      paired.add(add);
      oldSettings.delete(key);
    }
  }
  // A timeout or limit deleted with nothing of the kind added back.
  const addsLimits = adds.some((add) => wordsIn(add.text, REMOVABLE_LIMIT_WORDS).length > 0);
  for (const del of dels) {
    const words = wordsIn(del.text, REMOVABLE_LIMIT_WORDS);
    if (paired.has(del) || words.length === 0 || addsLimits) continue;
    paired.add(del);
    out.push(signal(diff, path, del, 'limit_removed', `removed a ${words.join('/')} setting with no replacement`));
  }
  return paired;
}

function fileSignals(diff: Diff, file: DiffFile): RiskSignal[] {
  const path = file.newPath ?? file.oldPath ?? '(unknown)';
  const out: RiskSignal[] = [];
  const allAdded = file.hunks.flatMap((h) => meaningful(h.lines, 'add'));
  const allDeleted = file.hunks.flatMap((h) => meaningful(h.lines, 'del'));
  const deletedWords = new Set(allDeleted.flatMap((l) => codeWords(l.text)));
  const addedTexts = new Set(allAdded.map((l) => l.text.trim()));
  const usesCache = (l: DiffLine): boolean => wordsIn(l.text, CACHE_WORDS).length > 0;
  const netCacheRemoval = allDeleted.filter(usesCache).length > allAdded.filter(usesCache).length;

  for (const hunk of file.hunks) {
    const paired = limitSignals(diff, path, hunk, out);
    const dels = meaningful(hunk.lines, 'del').filter((l) => !paired.has(l));
    const adds = meaningful(hunk.lines, 'add').filter((l) => !paired.has(l));

    // Caching removed: the file loses more lines that use a cache than it gains, and these
    // deleted ones do not come back verbatim (a moved block is not a removal).
    const cacheGone = netCacheRemoval ? dels.filter((l) => wordsIn(l.text, CACHE_WORDS).length > 0 && !addedTexts.has(l.text.trim())) : [];
    if (cacheGone.length > 0) {
      const first = cacheGone[0] as DiffLine;
      out.push(signal(diff, path, first, 'cache_removed', `removed ${cacheGone.length} line(s) using a cache${cacheGone.length > 1 ? ` (through ${ref(path, cacheGone[cacheGone.length - 1]?.oldLine ?? null)})` : ''}`));
    }

    // Retries or backoff that were not there before.
    const retries = adds.filter((l) => wordsIn(l.text, RETRY_WORDS).some((w) => !deletedWords.has(w)));
    if (retries.length > 0) {
      out.push(signal(diff, path, retries[0] as DiffLine, 'retry_added', `added ${retries.length} line(s) of retry/backoff logic`));
    }

    // A new code path behind a feature-flag check.
    for (const add of adds) {
      const line = stripComment(add.text);
      if (CONDITIONAL.test(line) && wordsIn(line, FLAG_WORDS).length > 0) {
        const name = /["'`]([\w.:/-]+)["'`]/.exec(line)?.[1];
        out.push(signal(diff, path, add, 'flag_guard', `new code path behind a feature-flag check${name ? ` ("${name}")` : ''}`));
      }
    }

    callsInLoops(diff, path, hunk, out);
  }
  return out;
}

/** Calls to a database or over HTTP on lines indented under a loop header, where the call or the loop is new. */
function callsInLoops(diff: Diff, path: string, hunk: DiffHunk, out: RiskSignal[]): void {
  const newSide = hunk.lines.filter((l) => l.kind !== 'del' && l.text.trim() !== '' && !isComment(l.text));
  const loops: DiffLine[] = [];
  for (const line of newSide) {
    const indent = indentOf(line.text);
    while (loops.length > 0 && indentOf((loops[loops.length - 1] as DiffLine).text) >= indent && !/^\s*[)}\]]/.test(line.text)) loops.pop();
    const loop = loops[loops.length - 1];
    const text = stripComment(line.text);
    if (loop && (line.kind === 'add' || loop.kind === 'add') && (DB_CALL.test(text) || HTTP_CALL.test(text))) {
      const what = DB_CALL.test(text) ? 'database query' : 'HTTP/RPC call';
      out.push(signal(diff, path, line, 'call_in_loop', `${what} inside a loop (loop at ${ref(path, loop.newLine)})`));
      loops.pop(); // one signal per loop
      continue;
    }
    if (!LOOP.test(text)) continue;
    // A loop and its body on one line: ids.map((id) => db.query(id)).
    const body = text.slice((LOOP.exec(text)?.index ?? 0) + 1);
    if (line.kind === 'add' && (DB_CALL.test(body) || HTTP_CALL.test(body))) {
      const what = DB_CALL.test(body) ? 'database query' : 'HTTP/RPC call';
      out.push(signal(diff, path, line, 'call_in_loop', `${what} inside a loop on the same line`));
      continue;
    }
    loops.push(line);
  }
}

export function riskSignals(diff: Diff, options: { includeTests?: boolean } = {}): RiskSignal[] {
  const out: RiskSignal[] = [];
  for (const file of diff.files) {
    const path = file.newPath ?? file.oldPath ?? '';
    if (file.binary || (!options.includeTests && TEST_PATH.test(path))) continue;
    out.push(...fileSignals(diff, file));
  }
  return out;
}
