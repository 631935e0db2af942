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
import { FUNCTION_START } from './risk-growth.js';
import { escapeRegExp } from '../../regexp.js';

/** Words that give a written entry a lifetime. */
export const LIFETIME_WORDS = new Set(['ttl', 'ttls', 'expire', 'expires', 'expiry', 'expiration', 'expireat', 'pexpire', 'pexpireat', 'exat', 'pxat', 'setex', 'psetex', 'lifetime', 'maxage', 'expirable', 'expiring']);
/** A call that writes an entry to a store: a key-value set, a hash field, a set or list member, a sorted-set score, a stream entry. */
export const STORE_WRITE = /(?<![\w$])(set|setex|psetex|setnx|mset|hset|hmset|hsetnx|hincrby|sadd|lpush|rpush|zadd|xadd|incr|incrby|append|put)\s*\(/i;

/** Verbs that fill any collection as readily as a store. */
const GENERIC_WRITE = /^(put|append|set)$/i;

/** `x.put(` in the new line and `x.put(` with a lifetime in a removed one: the same receiver. */
function sameReceiver(code: string, removed: readonly CodeLine[]): boolean {
  const receiver = /([A-Za-z_]\w*)\s*\.\s*(?:put|append|set)\s*\(/i.exec(code)?.[1];
  return receiver !== undefined && removed.some((l) => new RegExp(`(?<![\\w$])${receiver}\\s*\\.`).test(l.code));
}

export interface CodeLine {
  line: DiffLine;
  code: string;
  words: string[];
}

export function codeLines(file: DiffFile, kind: 'add' | 'del'): CodeLine[] {
  return file.hunks.flatMap((h) =>
    h.lines
      .filter((l) => l.kind === kind && l.text.trim() !== '' && !isComment(l.text))
      .map((line) => {
        const code = stripComment(line.text);
        return { line, code, words: codeWords(code) };
      }),
  );
}

export const givesLifetime = (l: CodeLine): boolean => l.words.some((w) => LIFETIME_WORDS.has(w));

/** The names on a line that carry the lifetime, as written (`SUMMARY_TTL`), for the logs and the reader. */
function lifetimeNames(code: string): string[] {
  return [...new Set((code.match(/[A-Za-z_][\w.]*/g) ?? []).filter((name) => codeWords(name).some((w) => LIFETIME_WORDS.has(w))))];
}

/** An expire call, by its verb. */
export const EXPIRE_CALL = /(?<![\w$])(p?expire(?:at)?)\s*\(/i;
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

/** A parameter declared with no value by default: `ttl: int | None = None`, `ttl=None`, `ttl = null`. */
function optionalParameter(name: string, added: readonly CodeLine[]): boolean {
  const declared = new RegExp(`(?<![\\w$.])${escapeRegExp(name)}\\s*(?::[^=,()]*)?=\\s*(?:None|null|nil|undefined)\\b`);
  return added.some((l) => declared.test(l.code));
}

/** A call that passes the parameter by name with a value of its own (`ttl=3600`), not forwarding it (`ttl=ttl`) or passing none. */
function passed(name: string, added: readonly CodeLine[]): boolean {
  const given = new RegExp(`(?<![\\w$.])${escapeRegExp(name)}\\s*[=:]\\s*(?!${escapeRegExp(name)}\\b|None\\b|null\\b|nil\\b|undefined\\b)[\\w"'(]`);
  return added.some((l) => given.test(l.code) && !/(?:^|\s)(?:def|function|func|fun)\s/.test(l.code));
}

/**
 * The lifetime a line gives is only a parameter nobody passes: `set(key, value, ex=ttl)` in a
 * function whose `ttl` defaults to None, with no caller in the change giving it a value. Such a
 * write gives its entries no lifetime.
 */
function lifetimeNeverGiven(l: CodeLine, added: readonly CodeLine[]): boolean {
  const names = lifetimeNames(l.code).filter((n) => /^[A-Za-z_]\w*$/.test(n));
  return names.length > 0 && names.every((n) => optionalParameter(n, added) && !passed(n, added));
}

/**
 * A lifetime set on a line that calls nothing (a constant, a setting) covers writes only where
 * an added write or expire uses one of its names: a constant left behind by the old write gives
 * the new ones nothing.
 */
function usedByWrites(l: CodeLine, added: readonly CodeLine[]): boolean {
  const names = lifetimeNames(l.code);
  return added.some((other) => other !== l && (STORE_WRITE.test(other.code) || EXPIRE_CALL.test(other.code)) && names.some((n) => new RegExp(`(?<![\\w$])${escapeRegExp(n)}(?![\\w$])`).test(other.code)));
}

/** Whether an added line gives the entries written by `write` a lifetime. */
function givesWriteLifetime(l: CodeLine, write: CodeLine, added: readonly CodeLine[]): boolean {
  if (!givesLifetime(l) || lifetimeNeverGiven(l, added)) return false;
  const key = keyArgument(write.code, STORE_WRITE);
  if (!coversKey(l.code, key)) return false;
  const callsNothing = keyArgument(l.code, EXPIRE_CALL) === null && keyArgument(l.code, STORE_WRITE) === null;
  return !callsNothing || usedByWrites(l, added);
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
    const write = writes.find((w) => !added.some((l) => givesWriteLifetime(l, w, added)));
    if (write === undefined) continue;
    const gone = lifetimeNames(removed.map((l) => l.code).join(' '));
    const path = file.newPath ?? file.oldPath ?? '(unknown)';
    const call = STORE_WRITE.exec(write.code)?.[1] ?? 'write';
    const unpassed = givesLifetime(write) && lifetimeNeverGiven(write, added) ? lifetimeNames(write.code).filter((n) => /^[A-Za-z_]\w*$/.test(n)) : [];
    const why = unpassed.length > 0 ? `; its lifetime is ${unpassed.join(', ')}, which defaults to none and no caller in the change passes` : '';
    out.push(
      makeSignal(diff, path, write.line, 'unbounded_growth', `entries written by ${call}() no longer expire (${gone.length > 0 ? `${gone.join(', ')} dropped` : 'the lifetime the old write gave is gone'}${why}): the store keeps every one until it fills, then evicts or refuses writes`, {
        identifiers: [...gone, call],
      }),
    );
  }
  return out;
}

/** Store verbs that write an entry under a key of its own: not a generic put or append. */
const KEYED_WRITE = /(?<![\w$])(setnx|hset|hmset|hsetnx|hincrby|sadd|lpush|rpush|zadd|xadd|incr|incrby)\s*\(/i;
/** `key := receiptKey(a, b)`, `const k = summaryKey(id)`: a variable given the key a function makes. */
const KEY_MADE = /\b([A-Za-z_]\w*)\s*(?::=|=)\s*(?:[A-Za-z_]\w*\.)?([A-Za-z_]\w*)\s*\(/;

/** What made a key argument: the function a variable was given it from, or the function called in place. */
function makerOf(arg: string | null, made: ReadonlyMap<string, string>): string | null {
  if (arg === null) return null;
  const called = /^(?:[A-Za-z_]\w*\.)?([A-Za-z_]\w*)\s*\(/.exec(arg);
  return called ? (called[1] as string) : (made.get(arg) ?? null);
}

interface KeyedPath {
  writes: Array<{ line: DiffLine; maker: string; call: string }>;
  expired: Set<string>;
}

/** The functions of a file's new side, each with the keys it writes and the keys it gives a lifetime, by what made them. */
function keyedPaths(file: DiffFile): KeyedPath[] {
  const paths: KeyedPath[] = [];
  let made = new Map<string, string>();
  let current: KeyedPath | null = null;
  for (const line of file.hunks.flatMap((h) => h.lines)) {
    if (line.kind === 'del' || isComment(line.text)) continue;
    const code = stripComment(line.text);
    if (FUNCTION_START.test(code)) {
      current = { writes: [], expired: new Set() };
      paths.push(current);
      made = new Map();
    }
    if (current === null) continue;
    const m = KEY_MADE.exec(code);
    if (m) made.set(m[1] as string, m[2] as string);
    const expiredKey = makerOf(keyArgument(code, EXPIRE_CALL), made);
    if (expiredKey !== null) current.expired.add(expiredKey);
    const write = KEYED_WRITE.exec(code);
    const maker = write ? makerOf(keyArgument(code, KEYED_WRITE), made) : null;
    if (write && maker !== null) {
      // A write that gives its own entry a lifetime (`SETEX`, `EX`, a TTL argument) is no leak.
      if (codeWords(code).some((w) => LIFETIME_WORDS.has(w))) current.expired.add(maker);
      else if (line.kind === 'add') current.writes.push({ line, maker, call: write[1] as string });
    }
  }
  return paths;
}

/**
 * Keys a change's new code gives a lifetime on one path only: one function writes entries under
 * the keys a key function makes and never expires them, while another function of the same file
 * expires the same function's keys (a receipt kept only once it is read). Every entry the first
 * path writes that the second never reaches stays: the store fills at its pace.
 */
export function lifetimeOnOnePath(diff: Diff, files: readonly DiffFile[]): RiskSignal[] {
  const out: RiskSignal[] = [];
  for (const file of files) {
    const paths = keyedPaths(file);
    const expiredAnywhere = new Set(paths.flatMap((p) => [...p.expired]));
    const leak = paths.flatMap((p) => p.writes.filter((w) => expiredAnywhere.has(w.maker) && !p.expired.has(w.maker)))[0];
    if (leak === undefined) continue;
    const path = file.newPath ?? file.oldPath ?? '(unknown)';
    out.push(
      makeSignal(diff, path, leak.line, 'unbounded_growth', `entries written by ${leak.call}() under ${leak.maker}() keys get a lifetime on another path only: every one this path writes that the other never reaches stays, and the store fills`, {
        identifiers: [leak.call, leak.maker],
      }),
    );
  }
  return out;
}
