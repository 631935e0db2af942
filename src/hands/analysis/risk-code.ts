// Risky edits read from the shape of code, in any common language: caching removed, retry
// logic added or its backoff removed, a new code path behind a feature-flag check. Words
// inside string literals and logging calls do not count: a reworded log message changes no
// behaviour.
import type { Diff, DiffHunk, DiffLine } from '../../bundle/index.js';
import { codeWords, isComment, stripComment, wordsIn } from './code-words.js';
import { identifiersIn, makeSignal, ref, unique, type RiskSignal } from './risk-types.js';

const CACHE_WORDS = new Set(['cache', 'cached', 'caches', 'caching', 'cacheable', 'memcache', 'memcached', 'memo', 'memoize', 'memoized', 'lru', 'ttl']);
const RETRY_WORDS = new Set(['retry', 'retries', 'retrying', 'retryable', 'backoff']);
const ATTEMPT_WORDS = new Set(['attempt', 'attempts']);
const BACKOFF_WORDS = new Set(['backoff', 'sleep', 'delay', 'jitter']);
const FLAG_WORDS = new Set(['flag', 'flags', 'feature', 'features', 'toggle', 'toggles', 'experiment', 'rollout', 'enabled', 'variant', 'treatment']);

const CONDITIONAL = /^\s*(\}\s*)?(if|elif|else\s+if|unless|when|switch|case|guard)\b|(?<!\?)\?(?![?.:])\s*[^:]+:|^\s*[\w.]+\s*(&&|\|\|)|(?<![=!<>])=\s*(?:if|when)\b/;
/** A call that asks a feature-flag client: `flags.isEnabled("x")`, `ld.variation(...)`, `Feature.enabled?(:x)`, `isEnabled("x")`. */
const CALL = /([A-Za-z_][\w.]*?)(\??)\s*\(\s*(?:(["'`])([^"'`]*)\3|:(\w+))?/g;
/** Words of a feature-flag client's name or method (not `enabled`: `colorEnabled(io)` asks no flag). */
const FLAG_CLIENT_WORDS = new Set([
  'flag', 'flags', 'feature', 'features', 'toggle', 'toggles', 'experiment', 'experiments', 'rollout', 'variation', 'unleash',
  'launchdarkly', 'ld', 'growthbook', 'flipper', 'optimizely', 'flipt', 'openfeature', 'statsig', 'configcat',
]);
const FLAG_QUERY = /^(enabled|on|active|variation|variant|treatment|value|get|bool|boolean|check|evaluate|allowed)$/;
/** A loop over attempts: `for attempt in range(5)`, `while (retries-- > 0)`, `3.times do |attempt|`. */
const RETRY_LOOP = /\b(?:for|while|until|foreach)\b.*\b(?:attempts?|retry|retries|tries|retrying)\b|\.times\b.*\b(?:attempts?|retry|tries)\b/i;
const RETRY_CALL = /\b\w*(?:retry|Retry|RETRY|retrying|Retrying|backoff|Backoff)\w*\s*(?:<[^>]*>)?\s*\(|@(?:retry|Retry|Retryable|retryable|backoff)\b|\bRetry(?:Policy|Template|er)\b/;
const LOGGING = /^\s*(?:(?:this|self|s|c|h)\.)?(?:log|logger|logging|console|slog|klog|zap|log4j|fmt\.Print|print|println|System\.(?:out|err)|Log|LOG|LOGGER)\b[\w.:]*\s*[.(!]/;

/** A line of code without its string literals. */
export function codeOnly(text: string): string {
  return stripComment(text).replace(/(["'`])(?:\\.|(?!\1)[^\\])*\1/g, '""');
}

function isLogging(text: string): boolean {
  return LOGGING.test(text) || (/\blog\w*\.(debug|info|warn|warning|error|trace|fatal)\w*\s*\(/i.test(text) && !/\bthrow\b|\braise\b/.test(text));
}

export function meaningful(lines: readonly DiffLine[], kind: DiffLine['kind']): DiffLine[] {
  return lines.filter((l) => l.kind === kind && l.text.trim() !== '' && !isComment(l.text));
}

/** Identifiers on the lines that carry one of the words. */
function wordIdentifiers(lines: readonly DiffLine[], vocabulary: ReadonlySet<string>): string[] {
  return unique(lines.flatMap((l) => identifiersIn(codeOnly(l.text), 12).filter((id) => codeWords(id).some((w) => vocabulary.has(w))))).slice(0, 6);
}

export interface FileLines {
  path: string;
  added: DiffLine[];
  deleted: DiffLine[];
}

/** Caching removed: the file loses more lines that use a cache than it gains, and they do not come back verbatim. */
export function cacheRemoved(diff: Diff, file: FileLines, hunkDels: readonly DiffLine[]): RiskSignal | null {
  const usesCache = (l: DiffLine): boolean => !isLogging(l.text) && wordsIn(codeOnly(l.text), CACHE_WORDS).length > 0;
  if (file.deleted.filter(usesCache).length <= file.added.filter(usesCache).length) return null;
  const addedTexts = new Set(file.added.map((l) => l.text.trim()));
  const gone = hunkDels.filter((l) => usesCache(l) && !addedTexts.has(l.text.trim()));
  if (gone.length === 0) return null;
  const first = gone[0] as DiffLine;
  const through = gone.length > 1 ? ` (through ${ref(file.path, gone[gone.length - 1]?.oldLine ?? null)})` : '';
  return makeSignal(diff, file.path, first, 'cache_removed', `removed ${gone.length} line(s) using a cache${through}`, { identifiers: wordIdentifiers(gone, CACHE_WORDS) });
}

/**
 * Calls that load related rows together with the query that needs them, in the ORMs people
 * use (Django, Rails, Hibernate/JPA, SQLAlchemy, GORM, Ecto, Prisma, Sequelize, TypeORM,
 * Entity Framework, DataLoader batching): without them, each row loads its relations with
 * queries of its own (N+1).
 */
const EAGER_LOAD =
  /\b(prefetch_related|select_related|prefetch_related_objects|includes|preload|eager_load|joinedload|selectinload|subqueryload|contains_eager|Preload|Joins|with_related|fetchJoin|leftJoinAndSelect|innerJoinAndSelect|Include|ThenInclude|batchLoad|loadMany|BatchSize)\b\s*[(@=]|\bJOIN\s+FETCH\b|@BatchSize\b|@EntityGraph\b|\bFetchType\.EAGER\b|\binclude\s*:\s*[{[]/;

/** Eager loading removed: related rows that were fetched with the query are now fetched per row. */
export function eagerLoadRemoved(diff: Diff, file: FileLines, hunkDels: readonly DiffLine[]): RiskSignal | null {
  const eager = (l: DiffLine): boolean => !isLogging(l.text) && EAGER_LOAD.test(codeOnly(l.text));
  if (file.deleted.filter(eager).length <= file.added.filter(eager).length) return null;
  const addedTexts = new Set(file.added.map((l) => l.text.trim()));
  const gone = hunkDels.filter((l) => eager(l) && !addedTexts.has(l.text.trim()));
  if (gone.length === 0) return null;
  const first = gone[0] as DiffLine;
  const names = unique(gone.flatMap((l) => [...codeOnly(l.text).matchAll(new RegExp(EAGER_LOAD.source, 'g'))].map((m) => (m[1] ?? m[0]).trim())));
  return makeSignal(diff, file.path, first, 'eager_load_removed', `removed eager loading (${names.join(', ')}): related rows now load with a query per row`, {
    identifiers: names.slice(0, 6),
  });
}

/**
 * Whether a line is retry logic: a loop over attempts, a call to or definition of a retry
 * helper (`withRetry(`, `@Retryable`, `backoff.expo`), or a retry count set above zero. A field
 * that only names retries (`retry_status: ...`, `shouldRetry?: boolean`) is not.
 */
function isRetryLogic(code: string): boolean {
  const words = [...wordsIn(code, RETRY_WORDS), ...wordsIn(code, ATTEMPT_WORDS)];
  if (words.length === 0) return false;
  if (RETRY_LOOP.test(code) || RETRY_CALL.test(code)) return true;
  const setting = /([A-Za-z_][\w.-]*)["']?\s*(?::=|=(?!=)|:)\s*([^,;)}]+)/.exec(code);
  if (setting === null) return false;
  const key = codeWords(setting[1] as string);
  const value = (setting[2] as string).trim();
  // A per-attempt timeout (ATTEMPT_TIMEOUT_MS) is a timeout, not a count of retries.
  if (key.some((w) => /^(timeout|deadline|ms|millis|seconds|secs|sec)$/.test(w))) return false;
  return key.some((w) => RETRY_WORDS.has(w) || ATTEMPT_WORDS.has(w)) && (/^[1-9]\d*\b/.test(value) || /^[A-Z][A-Z0-9_]+$/.test(value) || value === 'true');
}

/** Retry or backoff logic that was not there before. */
export function retryAdded(diff: Diff, file: FileLines, hunkAdds: readonly DiffLine[], deletedWords: ReadonlySet<string>): RiskSignal | null {
  const retries = hunkAdds.filter((l) => {
    if (isLogging(l.text)) return false;
    const code = codeOnly(l.text);
    const fresh = [...wordsIn(code, RETRY_WORDS), ...wordsIn(code, ATTEMPT_WORDS)].some((w) => !deletedWords.has(w));
    return fresh && isRetryLogic(code);
  });
  if (retries.length === 0) return null;
  return makeSignal(diff, file.path, retries[0] as DiffLine, 'retry_added', `added ${retries.length} line(s) of retry/backoff logic`, {
    identifiers: wordIdentifiers(retries, new Set([...RETRY_WORDS, ...ATTEMPT_WORDS])),
  });
}

/** A sleep or backoff between retries deleted with none added back in the file. */
export function backoffRemoved(diff: Diff, file: FileLines, hunk: DiffHunk, hunkDels: readonly DiffLine[]): RiskSignal | null {
  const inRetry = hunk.lines.some((l) => wordsIn(codeOnly(l.text), RETRY_WORDS).length > 0 || wordsIn(codeOnly(l.text), ATTEMPT_WORDS).length > 0);
  const addsBackoff = file.added.some((l) => wordsIn(codeOnly(l.text), BACKOFF_WORDS).length > 0);
  if (!inRetry || addsBackoff) return null;
  const gone = hunkDels.filter((l) => !isLogging(l.text) && wordsIn(codeOnly(l.text), BACKOFF_WORDS).length > 0);
  if (gone.length === 0) return null;
  return makeSignal(diff, file.path, gone[0] as DiffLine, 'backoff_reduced', 'removed the backoff between retries', {
    direction: 'removed',
    identifiers: wordIdentifiers(gone, BACKOFF_WORDS),
  });
}

/**
 * A name given a string literal: `const flagStrictRevocation = "sessions.strict_revocation_check"`,
 * `FLAG = 'x'`, and with its type before the name as C# and Java write it
 * (`private const string Flag = "x";`, `static final String FLAG = "x";`).
 */
const STRING_CONSTANT =
  /^\s*(?:(?:export|public|private|protected|internal|static|final|const|val|let|var|readonly)\s+)*(?:(?:string|String|str|CharSequence)\s+)?([A-Za-z_]\w*)(?:\s*:\s*[\w.<>]+)?\s*:?=\s*(["'`])([^"'`]{1,120})\2\s*;?\s*$/;

/** The string constants a diff defines (on its added and unchanged lines), by name: a flag key is often passed as one. */
function stringConstants(diff: Diff): Map<string, string> {
  const constants = new Map<string, string>();
  for (const file of diff.files) {
    for (const hunk of file.hunks) {
      for (const line of hunk.lines) {
        if (line.kind === 'del') continue;
        const m = STRING_CONSTANT.exec(line.text);
        if (m) constants.set(m[1] as string, m[3] as string);
      }
    }
  }
  return constants;
}

/** The flag a line asks about, when it calls a feature-flag client (the key as its first string or symbol argument, or a constant that holds it). */
function flagCheck(code: string, constants: ReadonlyMap<string, string>): { name: string | null } | null {
  for (const m of code.matchAll(CALL)) {
    const callee = m[1] as string;
    // The key as the first argument, or as the first string after a context (`flags.Bool(ctx, "x", false)`, OpenFeature's `BooleanValue(ctx, "x", …)`).
    const rest = code.slice((m.index ?? 0) + m[0].length);
    const later = /^[^()"'`]*?,\s*(["'`])([^"'`]+)\1/.exec(rest);
    // Or a constant the diff defines, first or after a context (`flags.Bool(ctx, flagStrictRevocation, false)`).
    const constant = m[4] === undefined && m[5] === undefined ? [.../^\s*(?:\w+\s*,\s*)?([A-Za-z_]\w*)\s*[,)]/.exec(rest)?.slice(1) ?? []].map((id) => constants.get(id)).find((v) => v !== undefined) : undefined;
    const name = m[4] || m[5] || (m[4] === undefined && m[5] === undefined ? (later?.[2] ?? constant ?? null) : null);
    const words = codeWords(callee);
    const last = words[words.length - 1] ?? '';
    // A flag client asked a question (`flags.isEnabled("x")`, `ld.variation(...)`), not a UI toggle (`toggleHelp()`).
    if (words.some((w) => FLAG_CLIENT_WORDS.has(w)) && (name !== null || FLAG_QUERY.test(last))) return { name };
    // A generic `isEnabled("x")` or `enabled?(:x)` names its flag as a literal.
    if (name !== null && /^(enabled|active|variant|variation|treatment)$/.test(last)) return { name };
  }
  return null;
}

/** New code paths behind a feature-flag check. */
export function flagGuards(diff: Diff, path: string, hunkAdds: readonly DiffLine[]): RiskSignal[] {
  const out: RiskSignal[] = [];
  let constants: Map<string, string> | null = null;
  for (const add of hunkAdds) {
    const line = stripComment(add.text);
    if (!CONDITIONAL.test(line) || isLogging(line)) continue;
    constants ??= stringConstants(diff);
    const check = flagCheck(line, constants);
    if (check === null) continue;
    const name = check.name;
    out.push(
      makeSignal(diff, path, add, 'flag_guard', `new code path behind a feature-flag check${name ? ` ("${name}")` : ''}`, {
        identifiers: name ? [name] : wordIdentifiers([add], FLAG_WORDS),
        ...(name ? { flag: name } : {}),
      }),
    );
  }
  return out;
}
