// A lifetime declared and never used: the change adds a setting for how long its entries should
// live (`idempotency_ttl_seconds: int = 172_800`, `position-cache: ttl: 10m`) and a write to a
// store that gives its entries none (`redis.set(key, value)`), and no line it adds reads that
// setting. What the author meant to expire stays: the shared store fills at the pace of the
// writes, hours later, and then evicts or refuses every tenant's writes.
import type { Diff, DiffFile } from '../../bundle/index.js';
import { codeWords, stripComment } from './code-words.js';
import { codeLines, EXPIRE_CALL, givesLifetime, LIFETIME_WORDS, STORE_WRITE, type CodeLine } from './risk-expiry.js';
import { settingsOnLine } from './risk-settings.js';
import { makeSignal, type RiskSignal } from './risk-types.js';
import { escapeRegExp } from '../../regexp.js';

/** A receiver named as a store client (`redis`, `self._redis`, `cache`, `kv`): a generic `set(` on it writes to the store. */
const STORE_RECEIVER = /(?:^|[^\w$])(?:[\w$]*\.)?_?(redis|rdb|valkey|memcache[d]?|cache|kv|store|keyvalue)\w*\s*\.\s*\w+\s*\(/i;

/** Verbs that write an entry under a key. */
const KEYED = /^(set|setnx|hset|hmset|sadd|lpush|rpush|zadd|xadd)$/i;

/** An added line that declares a lifetime setting, and the names it goes by. */
interface Declared {
  line: CodeLine;
  key: string;
  value: string;
}

function lifetimeSettings(added: readonly CodeLine[]): Declared[] {
  const out: Declared[] = [];
  for (const line of added) {
    // A declaration, not a call passing one (`set(key, value, ex=ttl)`) or a write.
    if (STORE_WRITE.test(line.code) || EXPIRE_CALL.test(line.code)) continue;
    for (const { key, raw } of settingsOnLine(stripComment(line.line.text))) {
      if (!codeWords(key).some((w) => LIFETIME_WORDS.has(w)) || !/\d/.test(raw)) continue;
      // `int = 172_800`: a typed attribute's annotation is no part of its value.
      out.push({ line, key, value: raw.trim().replace(/^[\w[\]|. ]+=\s*/, '') });
    }
  }
  return out;
}

/** The names a setting is read by in code: its key as written, and that key in snake and camel case. */
function spellings(key: string): RegExp[] {
  const words = codeWords(key);
  const snake = words.join('_');
  const camel = words.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join('');
  return [...new Set([key, snake, camel])].map((name) => new RegExp(`(?<![\\w$-])${escapeRegExp(name)}(?![\\w$-])`, 'i'));
}

/** Store writes the change adds that give their entries no lifetime, where it declares one nothing reads. */
export function lifetimeDeclaredUnused(diff: Diff, files: readonly DiffFile[]): RiskSignal[] {
  const added = files.flatMap((file) => codeLines(file, 'add').map((line) => ({ line, file })));
  const lines = added.map((a) => a.line);
  const declared = lifetimeSettings(lines).filter((d) => {
    const names = spellings(d.key);
    return !lines.some((l) => l !== d.line && names.some((n) => n.test(l.code)));
  });
  const first = declared[0];
  if (first === undefined || lines.some((l) => EXPIRE_CALL.test(l.code))) return [];
  // The verb a line writes with, of those that write an entry under a key (a `fun put(` before it is no write).
  const verbOf = (code: string): string | undefined => [...code.matchAll(new RegExp(STORE_WRITE.source, 'gi'))].map((m) => m[1] as string).find((verb) => KEYED.test(verb));
  const write = added.find(({ line }) => verbOf(line.code) !== undefined && STORE_RECEIVER.test(line.code) && !givesLifetime(line));
  if (write === undefined) return [];
  const path = write.file.newPath ?? write.file.oldPath ?? '(unknown)';
  const call = verbOf(write.line.code) ?? 'write';
  return [
    makeSignal(
      diff,
      path,
      write.line.line,
      'unbounded_growth',
      `entries written by ${call}() are given no lifetime, though the change declares one (${first.key} ${first.value}) that nothing it adds reads: the store keeps every one until it fills, then evicts or refuses writes`,
      { identifiers: [first.key, call] },
    ),
  ];
}
