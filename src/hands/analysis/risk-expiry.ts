// Entries written to a store that no longer expire. A write that gave its entry a lifetime
// (`set(key, value, SUMMARY_TTL)`, `SETEX`, an `expire` after the write) is replaced by
// writes that give none (`hSet(key, field, value)`), and nothing the change adds sets one:
// every entry now stays. The store fills at the pace of the writes, for hours, and when it
// reaches its memory limit it evicts whatever its policy picks, other services' entries
// among them, or refuses writes. The symptom is far from the change in time and often in
// another service.
import type { Diff, DiffFile, DiffLine } from '../../bundle/index.js';
import { codeWords, isComment, stripComment } from './code-words.js';
import { makeSignal, type RiskSignal } from './risk-types.js';

/** Words that give a written entry a lifetime. */
const LIFETIME_WORDS = new Set(['ttl', 'ttls', 'expire', 'expires', 'expiry', 'expiration', 'expireat', 'pexpire', 'pexpireat', 'exat', 'pxat', 'setex', 'psetex', 'lifetime', 'maxage', 'expirable', 'expiring']);
/** A call that writes an entry to a store: a key-value set, a hash field, a set or list member, a sorted-set score, a stream entry. */
const STORE_WRITE = /(?<![\w$])(set|setex|psetex|setnx|mset|hset|hmset|hsetnx|hincrby|sadd|lpush|rpush|zadd|xadd|incr|incrby|append|put)\s*\(/i;

/** Verbs that fill any collection as readily as a store. */
const GENERIC_WRITE = /^(put|append|set)$/i;

/** `x.put(` in the new line and `x.put(` with a lifetime in a removed one: the same receiver. */
function sameReceiver(code: string, removed: readonly CodeLine[]): boolean {
  const receiver = /([A-Za-z_]\w*)\s*\.\s*(?:put|append|set)\s*\(/i.exec(code)?.[1];
  return receiver !== undefined && removed.some((l) => new RegExp(`(?<![\\w$])${receiver}\\s*\\.`).test(l.code));
}

interface CodeLine {
  line: DiffLine;
  code: string;
  words: string[];
}

function codeLines(file: DiffFile, kind: 'add' | 'del'): CodeLine[] {
  return file.hunks.flatMap((h) =>
    h.lines
      .filter((l) => l.kind === kind && l.text.trim() !== '' && !isComment(l.text))
      .map((line) => {
        const code = stripComment(line.text);
        return { line, code, words: codeWords(code) };
      }),
  );
}

const givesLifetime = (l: CodeLine): boolean => l.words.some((w) => LIFETIME_WORDS.has(w));

/** The names on a line that carry the lifetime, as written (`SUMMARY_TTL`), for the logs and the reader. */
function lifetimeNames(code: string): string[] {
  return [...new Set((code.match(/[A-Za-z_][\w.]*/g) ?? []).filter((name) => codeWords(name).some((w) => LIFETIME_WORDS.has(w))))];
}

/** An expire call, by its verb. */
const EXPIRE_CALL = /(?<![\w$])(p?expire(?:at)?)\s*\(/i;
/** Arguments that pass a context before the key (`Expire(ctx, key, ttl)`), not the key. */
const CONTEXT_ARG = /^(ctx|context|c|cx)$/i;

/** The key a call names: its first argument, past a context. */
function keyArgument(code: string, call: RegExp): string | null {
  const m = call.exec(code);
  if (m === null) return null;
  const args = code.slice((m.index ?? 0) + m[0].length).split(/[,)]/).map((a) => a.trim());
  const first = args[0] ?? '';
  return (CONTEXT_ARG.test(first) ? (args[1] ?? '') : first) || null;
}

/**
 * Whether a line that gives a lifetime gives it to the entries written under `key`: a line that
 * calls nothing on a key (a constant, a setting) may, an expire or expiring write only on that key.
 */
function coversKey(code: string, key: string | null): boolean {
  const expireKey = keyArgument(code, EXPIRE_CALL);
  const writeKey = keyArgument(code, STORE_WRITE);
  if (expireKey === null && writeKey === null) return true;
  return key === null || expireKey === key || (expireKey === null && writeKey === key);
}

/** Writes that gave their entries a lifetime, replaced in the same file by writes that give none. */
export function expiryDropped(diff: Diff, files: readonly DiffFile[]): RiskSignal[] {
  const out: RiskSignal[] = [];
  for (const file of files) {
    // An expiring write, an expire call, or an expiring structure built (`expirable.NewLRU(size, nil, window)`).
    const removed = codeLines(file, 'del').filter((l) => givesLifetime(l) && (STORE_WRITE.test(l.code) || /(?<![\w$])p?expire\w*\s*\(|(?<![\w$])new\w*\s*[([<]/i.test(l.code)));
    if (removed.length === 0) continue;
    const added = codeLines(file, 'add');
    // A store's own verb (hSet, SADD); a generic put or append only on the receiver the old
    // expiring write used, since it may as well fill a local map (a cache taken out altogether
    // leaves `prices.put(...)` behind, and that is no store).
    const writes = added.filter((l) => STORE_WRITE.test(l.code) && (!GENERIC_WRITE.test(STORE_WRITE.exec(l.code)?.[1] ?? '') || sameReceiver(l.code, removed)));
    // A lifetime still set where the change adds one may cover the new writes: any lifetime that
    // is no call on a key (a new constant, a setting), or an expire or expiring write on the
    // write's own key. An expire on another key (a per-player list beside the summary hash
    // written in the same transaction) gives the write's entries none.
    const write = writes.find((w) => !added.some((l) => givesLifetime(l) && coversKey(l.code, keyArgument(w.code, STORE_WRITE))));
    if (write === undefined) continue;
    const gone = lifetimeNames(removed.map((l) => l.code).join(' '));
    const path = file.newPath ?? file.oldPath ?? '(unknown)';
    const call = STORE_WRITE.exec(write.code)?.[1] ?? 'write';
    out.push(
      makeSignal(diff, path, write.line, 'unbounded_growth', `entries written by ${call}() no longer expire (${gone.length > 0 ? `${gone.join(', ')} dropped` : 'the lifetime the old write gave is gone'}): the store keeps every one until it fills, then evicts or refuses writes`, {
        identifiers: [...gone, call],
      }),
    );
  }
  return out;
}
