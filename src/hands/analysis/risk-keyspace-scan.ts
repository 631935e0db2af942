// A key-value store asked to walk its whole keyspace: Redis' `KEYS <pattern>` (in any client's
// spelling: `r.keys("sess:*")`, `rdb.Keys(ctx, pattern)`, `redis.call('KEYS', …)`,
// `conn.Do("KEYS", …)`). Redis runs one command at a time, so each call costs every key in
// the store and every other client of that store waits behind it: cheap on a small test
// instance, and on a shared production store with millions of keys it stalls every service
// that uses it. A lookup that became such a walk is read as the index it bypasses (the store's
// own key lookup), so the triage follows it as work per request that grew.
import type { Diff, DiffHunk, DiffLine } from '../../bundle/index.js';
import { meaningful } from './risk-code.js';
import { makeSignal, type RiskSignal } from './risk-types.js';

/** The command named as a string: `redis.call('KEYS', …)`, `conn.Do("KEYS", …)`, `execute_command("KEYS", …)`. */
const NAMED_COMMAND = /(["'`])KEYS\1\s*,/;
/**
 * A client method `.keys(…)` / `.Keys(…)` given an argument: a dictionary's or a map's
 * `.keys()` takes none, and `Object.keys(x)` / `Reflect.ownKeys(x)` read an object.
 */
const KEYS_METHOD = /(?<!\bObject|\bReflect)\.\s*[Kk]eys\s*\(\s*([^)\s][^)]*)\)?/;
/** An argument that is a glob pattern: a literal with `*`, `?` or `[…]`, or a name that says so. */
const GLOB_ARGUMENT = /(["'`])[^"'`]*[*?[][^"'`]*\1|\b\w*(?:pattern|glob|prefix|match)\w*\b/i;
/** A pattern built in a local first: `pattern = f"sess:{user}:*"`, `const glob = `${p}*``. */
const PATTERN_LOCAL = /\b(\w+)\s*:?=\s*[fr]?(["'`])[^"'`]*\*[^"'`]*\2/;

/** Whether a line asks the store to walk its keys, given the locals the hunk holds patterns in. */
function walksKeys(text: string, patternLocals: ReadonlySet<string>): boolean {
  if (NAMED_COMMAND.test(text)) return true;
  const call = KEYS_METHOD.exec(text);
  if (call === null) return false;
  const args = call[1] ?? '';
  if (GLOB_ARGUMENT.test(args)) return true;
  return args.split(/[\s,()]+/).some((word) => patternLocals.has(word));
}

function patternLocalsOf(lines: readonly DiffLine[]): Set<string> {
  const names = new Set<string>();
  for (const line of lines) {
    const m = PATTERN_LOCAL.exec(line.text);
    if (m?.[1]) names.add(m[1]);
  }
  return names;
}

/** Lines a hunk added that walk the keyspace where its old lines did not. */
export function keyspaceScans(diff: Diff, path: string, hunk: DiffHunk): RiskSignal[] {
  const added = meaningful(hunk.lines, 'add');
  if (added.length === 0) return [];
  const deleted = meaningful(hunk.lines, 'del');
  const locals = patternLocalsOf([...added, ...deleted, ...hunk.lines.filter((l) => l.kind === 'ctx')]);
  // The old code walked the keys already: the cost did not change here.
  if (deleted.some((line) => walksKeys(line.text, locals))) return [];
  const scan = added.find((line) => walksKeys(line.text, locals));
  if (scan === undefined) return [];
  return [
    makeSignal(diff, path, scan, 'index_bypassed', 'a lookup now runs KEYS over the store: it walks every key, and the store serves no other client while it does, so each call costs the whole keyspace and stalls every service that shares it', {
      identifiers: ['KEYS'],
    }),
  ];
}
