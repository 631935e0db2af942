// A lock held across a call that leaves the process: a mutex taken, then a database query or
// an HTTP/RPC call made before it is released (Go's `mu.Lock(); defer mu.Unlock()`, a Python
// `with self._lock:`, Java's `synchronized`, C#'s `lock (x) { … }`). Every caller then waits
// its turn behind one remote round trip: the process serves one such call at a time, which
// costs little at a quiet hour and caps throughput when the crowd comes (latency that grows
// with load, goroutines or threads piling up, the callee's traffic falling as load rises).
import type { Diff, DiffHunk, DiffLine } from '../../bundle/index.js';
import { indentOf, isComment, stripComment } from './code-words.js';
import { remoteCall } from './risk-loops.js';
import { makeSignal, unique, type RiskSignal } from './risk-types.js';
import { escapeRegExp } from '../../regexp.js';

/** Go's `c.mu.Lock()`, Java's `lock.lock()`, `writeLock.lock()`; `sem.acquire()` only on a receiver named as a lock (a pool also acquires). */
const LOCK_METHOD = /\.\s*(Lock|RLock|lock|lockInterruptibly|acquire)\s*\(\s*(\)?)/;
/** The dotted name just before a method call, read from the end of what precedes it. */
const RECEIVER = /([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)$/;
const LOCK_WORDS = /(lock|mutex|(^|[._])mu$|semaphore|(^|[._])sem$)/i;
/** A scope that holds a lock for its body: `with self._lock:`, `synchronized (this) {`, `lock (_gate) {`, a synchronized method. */
const WITH_LOCK = /^\s*(?:async\s+)?with\s+([^:#]{1,120}):\s*$/;
const BLOCK_LOCK = /^\s*(?:synchronized|lock)\s*\(\s*([^()]{1,120})\s*\)\s*\{?\s*$/;
const SYNCHRONIZED_METHOD = /^\s*(?:(?:public|private|protected|static|final)\s+){0,4}synchronized\s+[\w<>[\], ?]{1,120}\s+(\w{1,64})\s*\(/;

/**
 * A database row locked inside a transaction: a method of the transaction named for locking
 * (`tx.LockLot(ctx, id)`, `select_for_update()`, `with_for_update()`), a repository's locking
 * finder (`drawers.lockByStoreId(id)`, as Spring Data names one), a pessimistic lock mode, a
 * statement that says `FOR UPDATE`, or an `UPDATE` of a row, which holds its lock to the commit. The row stays locked until the transaction ends, and every other writer
 * of that row waits for it.
 */
const ROW_LOCK =
  /\b(\w+)\.(?:Lock[A-Z]\w*|lock_\w+|select_for_update|with_for_update|SelectForUpdate|ForUpdate)\s*\(|\b\w+\.lock(?:By|For)[A-Z]\w*\s*\(|\bPESSIMISTIC_(?:WRITE|READ|FORCE_INCREMENT)\b|\bFOR\s+(?:NO\s+KEY\s+)?UPDATE\b|^\s*["'`]?\s*UPDATE\s+[a-z_][\w.]*\s*(?:SET\b|$)/;
/** A lock that never waits for a busy row: it passes over it (`SKIP LOCKED`) or fails at once (`NOWAIT`, `tryLock`). */
const WAITS_NOT = /\bSKIP\s+LOCKED\b|\bNOWAIT\b|\bskip_locked\b|\bnowait\b|\btryLock\b/i;
/** Where a transaction begins: `db.BeginTx(ctx, …)`, `with transaction.atomic():`, `conn.transaction do`. */
const TX_BEGIN = /\b(?:Begin\w*|begin_transaction|beginTransaction|transaction\.atomic|transaction)\s*[(:]|\.transaction\s+do\b/;
/** The call that runs a statement written on the lines below it (`tx.QueryRowContext(ctx, \``). */
const RUNS_STATEMENT = /\b(?:Query\w*|Exec\w*|execute|query|exec|raw)\s*\(/;
/** A call on a field of another object, given the request's context (`s.holds.Authorize(ctx, …)`): another component's work, not the transaction's. */
const FIELD_CALL = /\b(\w+)\.(\w+)\.([A-Z]\w*)\s*\(\s*ctx\b/g;

interface Held {
  /** The lock as the code names it. */
  name: string;
  /** A database row locked by a transaction, whose own queries are no call out of it. */
  rowLock?: boolean;
  /** The transaction's name in the code, when the lock is taken through it. */
  tx?: string;
  line: DiffLine;
  /**
   * Lines it covers: those deeper than a scope's opening line, the rest of the function after
   * a lock released by `defer`, or the lines up to its release.
   */
  until: 'scope' | 'function' | RegExp;
}


/** The lock a line takes, and how long it holds it. */
function acquisition(code: string, line: DiffLine, next: readonly string[]): Held | null {
  // The method first, then its receiver from the few characters before it: one pass over a long line.
  const method = LOCK_METHOD.exec(code);
  const name = method ? RECEIVER.exec(code.slice(Math.max(0, method.index - 160), method.index))?.[1] : undefined;
  // `_lock = threading.Lock()`, `lock := sync.Mutex{}`-style construction is not taking it: an acquisition returns nothing to keep.
  const constructed = method !== null && /^R?Lock$/.test(method[1] as string) && /(?:^|[^=!<>])=\s*(?:new\s+)?[\w.]*$/.test(code.slice(0, method.index - (name?.length ?? 0)));
  if (method && name !== undefined && !constructed && (method[1] === 'acquire' ? LOCK_WORDS.test(name) : method[2] === ')')) {
    const unlock = new RegExp(`\\b${escapeRegExp(name)}\\.(?:Unlock|RUnlock|unlock|release)\\s*\\(`);
    // Released by a `defer` just after: held to the end of the function.
    const deferred = next.slice(0, 3).some((text) => /^\s*defer\b/.test(text) && unlock.test(text));
    return { name, line, until: deferred ? 'function' : unlock };
  }
  const withLock = WITH_LOCK.exec(code);
  if (withLock && LOCK_WORDS.test((withLock[1] as string).replace(/\(.*$/, '').trim())) return { name: (withLock[1] as string).trim(), line, until: 'scope' };
  const block = BLOCK_LOCK.exec(code) ?? SYNCHRONIZED_METHOD.exec(code);
  if (block) return { name: (block[1] as string).trim(), line, until: 'scope' };
  const row = ROW_LOCK.exec(code);
  // Held to the end of the transaction's block: the lines after it at its depth or deeper.
  if (row) return { name: 'a row lock (FOR UPDATE)', line, until: 'function', rowLock: true, ...(row[1] === undefined ? {} : { tx: row[1] }) };
  return null;
}

/** A receiver named as a client of another service or store. */
const CLIENT_WORD = /(client|conn|stub|api|svc|store|repo|loader|fetcher|resolver|gateway|remote|upstream|backend)/i;

/** A call a line makes out of the process: a query or an HTTP/RPC call, or (Go) a client's method given the request's context. */
function outgoing(code: string): string[] | null {
  const remote = remoteCall(code);
  if (remote) return remote.identifiers;
  for (const m of code.matchAll(/\b(\w+)\.([A-Z]\w*)\s*\(\s*ctx\b/g)) {
    const receiver = m[1] as string;
    if (CLIENT_WORD.test(receiver)) return unique([m[2] as string, receiver]);
  }
  // Any language: a method of a receiver named as another service's client (`fx_client.get_rate(…)`).
  const client = SERVICE_CLIENT_CALL.exec(code);
  if (client) return unique([client[2] as string, client[1] as string]);
  return null;
}

/**
 * A call that leaves a transaction holding a row lock: an HTTP/RPC call, or a call on another
 * component's field (`s.holds.Authorize(ctx, …)`). The transaction's own queries stay in it.
 */
/** A call on a receiver named as the client of another service (`interestClient.payoffQuote(…)`, `pricingStub.quote(…)`). */
const SERVICE_CLIENT_CALL = /\b(\w*(?:Client|client|Stub|stub|Api|API|Gateway|gateway))\.(\w+)\s*\(/;

function leavesTransaction(code: string, tx: string | undefined): string[] | null {
  const remote = remoteCall(code);
  if (remote?.what === 'HTTP/RPC call') return remote.identifiers;
  const client = SERVICE_CLIENT_CALL.exec(code);
  if (client && client[1] !== tx) return unique([client[2] as string, client[1] as string]);
  for (const m of code.matchAll(FIELD_CALL)) {
    if (m[1] !== tx && m[2] !== tx) return unique([m[3] as string, m[2] as string]);
  }
  return null;
}

/** Calls out of the process made while a lock the hunk takes is held, where the lock or the call is new: one signal per lock. */
export function locksHeldAcrossCalls(diff: Diff, path: string, hunk: DiffHunk): RiskSignal[] {
  const lines = hunk.lines.filter((l) => l.kind !== 'del' && l.text.trim() !== '' && !isComment(l.text));
  const codes = lines.map((l) => stripComment(l.text));
  const out: RiskSignal[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const held = acquisition(codes[i] as string, lines[i] as DiffLine, codes.slice(i + 1, i + 4));
    if (held === null) continue;
    // A statement written inside a string holds its lock from the call that runs it, at that call's depth.
    const runner = held.rowLock && !/\(/.test(codes[i] as string) ? [1, 2, 3].map((k) => i - k).find((k) => k >= 0 && RUNS_STATEMENT.test(codes[k] as string)) : undefined;
    // A row lock is held until its transaction ends: from the depth where the transaction began, when the hunk shows it.
    const began = held.rowLock ? [...Array(i).keys()].reverse().find((k) => TX_BEGIN.test(codes[k] as string)) : undefined;
    const depth = indentOf((began !== undefined ? (lines[began] as DiffLine) : runner === undefined ? held.line : (lines[runner] as DiffLine)).text);
    for (let j = i + 1; j < lines.length; j += 1) {
      const line = lines[j] as DiffLine;
      const code = codes[j] as string;
      if (held.until instanceof RegExp && held.until.test(code)) break;
      // The function ends at its closing brace, shallower than the lock; a scope at the first line back at its own depth.
      if (indentOf(line.text) < depth || (held.until === 'scope' && indentOf(line.text) === depth)) break;
      if (line.kind !== 'add' && held.line.kind !== 'add') continue;
      const call = held.rowLock ? leavesTransaction(code, held.tx) : outgoing(code);
      if (call === null) continue;
      out.push(
        makeSignal(diff, path, line, 'lock_held_across_call', `${held.name} is held across a call out of the process (${line.text.trim().slice(0, 80)}): callers queue behind one round trip at a time, which caps throughput when the load comes`, {
          identifiers: unique([held.name.split('.').pop() as string, ...call]).slice(0, 4),
        }),
      );
      break;
    }
  }
  return out;
}

/**
 * A row lock the new code takes where the old took none (`… WHERE pool = $1 FOR UPDATE`, a
 * locking finder, a pessimistic lock mode): every writer of that row now waits its turn until
 * the transaction ends. One row many requests share (the pool's statistics, a showtime) turns
 * them into a queue that costs little at a quiet hour and caps throughput when the crowd comes.
 * Read only when no call out of the process is made under it (that is a lock across a call).
 */
export function rowLocksAdded(diff: Diff, path: string, hunk: DiffHunk, already: readonly RiskSignal[]): RiskSignal[] {
  if (already.some((s) => s.kind === 'lock_held_across_call')) return [];
  const locks = (kind: DiffLine['kind']): DiffLine[] => hunk.lines.filter((l) => l.kind === kind && !isComment(l.text) && ROW_LOCK.test(stripComment(l.text)) && !/^\s*["'`]?\s*UPDATE\s/i.test(stripComment(l.text)));
  const added = locks('add').find((l) => !WAITS_NOT.test(l.text));
  if (added === undefined) return [];
  const removed = locks('del');
  if (removed.length === 0) {
    return [makeSignal(diff, path, added, 'row_lock_added', 'a row lock taken where none was: every writer of that row now waits its turn until the transaction ends, which queues them when the crowd comes')];
  }
  // The old lock passed over a busy row; the new one waits for it.
  if (removed.every((l) => WAITS_NOT.test(l.text))) {
    return [makeSignal(diff, path, added, 'row_lock_added', 'a row lock that now waits where the old one passed over a busy row (SKIP LOCKED / NOWAIT removed): every writer of that row waits its turn until the transaction ends, which queues them when the crowd comes')];
  }
  return [];
}
