// A cache key that gains a part: `ent:v3:{account}` becomes `ent:v4:{account}:{article}`.
// Entries that one key served for every article now exist once per article, so the cache
// that held them misses until it has seen every pair, and each miss goes to the store behind
// it. Read where a hunk about a cache edits a line that builds a key from a template.
import type { Diff, DiffHunk, DiffLine } from '../../bundle/index.js';
import { codeWords, isComment, wordsIn } from './code-words.js';
import { makeSignal, type RiskSignal } from './risk-types.js';

const CACHE_WORDS = new Set(['cache', 'cached', 'caches', 'caching', 'memcache', 'memcached', 'redis', 'memo', 'lru']);

/** The parts a string template or concatenation fills in: `{x}`, `${x}`, `%s`, `" + x + "`, `#{x}`. */
function parts(text: string): number {
  const filled = text.match(/\$\{[^}]*\}|#\{[^}]*\}|(?<![{$#])\{[^{}]*\}|%[sdv]|["'`]\s*\+\s*[\w.()]+/g);
  return filled?.length ?? 0;
}

const namesKey = (line: DiffLine): boolean => codeWords(line.text).includes('key');

/**
 * Lines of `kind` that build a key: they fill a template or join strings, and name a key
 * themselves or follow closely on a line that does (the body of `def cache_key(...)`).
 */
function keyLines(lines: readonly DiffLine[], kind: DiffLine['kind']): DiffLine[] {
  const out: DiffLine[] = [];
  lines.forEach((line, i) => {
    if (line.kind !== kind || isComment(line.text) || parts(line.text) === 0 || !/["'`]/.test(line.text)) return;
    const near = lines.slice(Math.max(0, i - 3), i).filter((l) => l.kind === 'ctx' || l.kind === kind);
    if (namesKey(line) || near.some(namesKey)) out.push(line);
  });
  return out;
}

/** Key templates in a cache's hunk that fill more parts after the diff than before. */
export function cacheKeysWidened(diff: Diff, path: string, hunk: DiffHunk): RiskSignal[] {
  if (!hunk.lines.some((l) => wordsIn(l.text, CACHE_WORDS).length > 0)) return [];
  const removed = keyLines(hunk.lines, 'del');
  const added = keyLines(hunk.lines, 'add');
  if (removed.length === 0 || added.length === 0) return [];
  const before = Math.max(...removed.map((l) => parts(l.text)));
  const wider = added.find((l) => parts(l.text) > before);
  if (!wider) return [];
  const was = (removed[0] as DiffLine).text.trim();
  return [
    makeSignal(diff, path, wider, 'cache_key_widened', `the cache key gains a part (${was} → ${wider.text.trim()}): entries one key served are now kept apart, so the cache misses and each miss reaches the store behind it`),
  ];
}
