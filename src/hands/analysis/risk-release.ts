// A resource that was released by a scope is now released by hand, and a way out of the code
// skips the release: a session, connection, cursor or file opened in a `with` block (Python),
// a try-with-resources (Java), a `using` (C#) or closed by a `defer` (Go), which the change
// opens plainly and closes at the end, with an early `raise`, `throw` or `return` before the
// close. Every call down that path keeps one resource: connections checked out climb from the
// release until the pool is empty, and the symptom (pool timeouts) shows long after it.
import type { Diff, DiffHunk, DiffLine } from '../../bundle/index.js';
import { indentOf, isComment, stripComment } from './code-words.js';
import { makeSignal, type RiskSignal } from './risk-types.js';

const NAME = '[A-Za-z_]\\w{0,63}';
/** A scope that releases what it opens, and the name it binds: `with x() as s:`, `try (Conn c = …)`, `using (var c = …)`, `using var c = …`. */
const SCOPED = [
  new RegExp(`^\\s*(?:async\\s+)?with\\s+[^#]{1,200}?\\bas\\s+(${NAME})\\s*[:,)]`),
  new RegExp(`^\\s*(?:\\}\\s*)?try\\s*\\(\\s*(?:final\\s+)?[\\w.<>\\[\\], ]{1,120}?\\s(${NAME})\\s*=`),
  new RegExp(`^\\s*(?:await\\s+)?using\\s*\\(?\\s*(?:var|[\\w.<>]{1,80})\\s+(${NAME})\\s*=`),
];
/** A deferred release: `defer rows.Close()`. */
const DEFERRED = new RegExp(`^\\s*defer\\s+(${NAME})\\.(?:Close|Release|Rollback|Unlock|Done)\\s*\\(`);
/** A way out of the code. */
const EXIT = /^\s*(?:raise|throw|return)\b/;
const RELEASE_METHODS = '(?:close|Close|release|Release|dispose|Dispose|end|disconnect|Disconnect|rollback|Rollback|commit|Commit|unlock|Unlock|free|shutdown)';

/** Names a line binds in a releasing scope. */
function scopedName(text: string): string | null {
  const deferred = DEFERRED.exec(text);
  if (deferred) return deferred[1] as string;
  for (const shape of SCOPED) {
    const m = shape.exec(text);
    if (m) return m[1] as string;
  }
  return null;
}

interface Line {
  line: DiffLine;
  code: string;
}

/**
 * Where an exit leaves without the release: walking back through its own block, no line at
 * its depth releases the name before the block opens. A release inside a nested block (an
 * earlier `if`) does not count for it.
 */
function leavesOpen(lines: readonly Line[], exitAt: number, acquiredAt: number, released: RegExp): boolean {
  const own = indentOf((lines[exitAt] as Line).line.text);
  for (let i = exitAt - 1; i > acquiredAt; i -= 1) {
    const text = (lines[i] as Line).line.text;
    const d = indentOf(text);
    // The block's own opener may be the release: `if err := tx.Commit(); err != nil {` has committed already.
    if (d < own) return !released.test((lines[i] as Line).code);
    if (d === own && released.test((lines[i] as Line).code)) return false;
  }
  return true;
}

/**
 * A check that the acquisition failed: `if err != nil {`, `if (conn == null)`, `if session is None:`,
 * `if not conn:`. A check on what the resource returns (`if !rows.Next()`) is not one.
 */
function failedCheck(code: string, name: string): boolean {
  if (!/^\s*(?:\}\s*else\s+)?if\b/.test(code)) return false;
  if (/\berr(?:or)?\s*!=\s*nil\b|\berr(?:or)?\s*(?:is\s+not|!==?)\s*(?:None|null|nil|undefined)\b/.test(code)) return true;
  return new RegExp(`\\b${name}\\s*(?:==|===|is)\\s*(?:None|null|nil|undefined)\\b|(?:\\bnot\\s+|!\\s*)${name}\\b(?!\\s*[.(\\[])`).test(code);
}

/**
 * The last line of the check right after the acquisition that it failed: an exit there leaves
 * with nothing acquired. The acquisition's own line when no such check follows it.
 */
function acquisitionCheck(lines: readonly Line[], acquiredAt: number, name: string): number {
  const next = lines[acquiredAt + 1];
  if (next === undefined || !failedCheck(next.code, name)) return acquiredAt;
  const depth = indentOf(next.line.text);
  let end = acquiredAt + 1;
  while (end + 1 < lines.length && indentOf((lines[end + 1] as Line).line.text) > depth) end += 1;
  return end;
}

/** An assignment that binds `name`: `conn = …`, `var conn = …`, `Connection conn = …`, `rows, err := …`. */
function bindsName(name: string): RegExp {
  return new RegExp(`^\\s*(?:(?:var|let|const|val|auto)\\s+|[\\w.<>\\[\\]]{1,80}\\s+)?(?:\\w{1,64}\\s*,\\s*){0,3}${name}(?:\\s*,\\s*\\w{1,64}){0,3}\\s*:?=(?!=)`);
}

/** A release by hand: `tx.Rollback()`, `client.release()`. */
const RELEASED_BY_HAND = new RegExp(`\\b(${NAME})\\s*\\.\\s*${RELEASE_METHODS}\\s*\\(`);

/**
 * A resource released by hand on the ways out the code knows, and a way out, added by the
 * change, that leaves before any release: `tx, err := db.Begin()`, rolled back on each error,
 * and a new `return nil, nil` for a case with nothing to read, before `defer tx.Rollback()`.
 * Every call down that path keeps one transaction, and with it a connection.
 */
function exitsBeforeRelease(diff: Diff, path: string, hunk: DiffHunk, known: ReadonlySet<string>): RiskSignal[] {
  const after: Line[] = hunk.lines.filter((l) => l.kind !== 'del' && l.text.trim() !== '' && !isComment(l.text)).map((line) => ({ line, code: stripComment(line.text) }));
  const names = new Set(after.map((l) => RELEASED_BY_HAND.exec(l.code)?.[1] ?? (DEFERRED.exec(l.code)?.[1] as string | undefined)).filter((n): n is string => n !== undefined && !known.has(n)));
  const out: RiskSignal[] = [];
  for (const name of names) {
    const acquiredAt = after.findIndex((l) => bindsName(name).test(l.code));
    if (acquiredAt < 0) continue;
    const released = new RegExp(`\\b${name}\\s*\\.\\s*${RELEASE_METHODS}\\s*\\(`);
    // A deferred release covers every way out after it; a `finally` every way out of its `try`.
    const deferredAt = after.findIndex((l, i) => i > acquiredAt && DEFERRED.exec(l.code)?.[1] === name);
    const finallyAt = after.findIndex((l, i) => i > acquiredAt && /^\s*(?:\}\s*)?finally\b/.test(l.code));
    const tryAt = finallyAt < 0 ? -1 : after.findIndex((l, i) => i > acquiredAt && i < finallyAt && /^\s*try\b/.test(l.code));
    const coveredFrom = Math.min(deferredAt < 0 ? Infinity : deferredAt, tryAt < 0 ? Infinity : tryAt);
    const checked = acquisitionCheck(after, acquiredAt, name);
    // Only a way out the change added, or one under an acquisition it added: the code as it was is not this change's doing.
    const open = after
      .map((l, i) => ({ l, i }))
      .find(
        ({ l, i }) =>
          i > checked &&
          i < coveredFrom &&
          EXIT.test(l.code) &&
          !released.test(l.code) &&
          (l.line.kind === 'add' || (after[acquiredAt] as Line).line.kind === 'add') &&
          leavesOpen(after, i, acquiredAt, released),
      )?.l;
    if (open === undefined) continue;
    out.push(
      makeSignal(diff, path, open.line, 'resource_leak', `${name} is released by hand, and "${open.line.text.trim().slice(0, 80)}" leaves before any release: every call down that path keeps one open (a connection or transaction held until the pool or the server's connection limit runs out)`, {
        identifiers: [name],
      }),
    );
  }
  return out;
}

/** Resources a hunk stopped releasing on every path, one signal per resource, at the exit that leaves it open. */
export function releasesSkipped(diff: Diff, path: string, hunk: DiffHunk): RiskSignal[] {
  const scopedBefore = new Set(
    hunk.lines
      .filter((l) => l.kind === 'del' && !isComment(l.text))
      .map((l) => scopedName(stripComment(l.text)))
      .filter((n): n is string => n !== null),
  );
  if (scopedBefore.size === 0) return exitsBeforeRelease(diff, path, hunk, scopedBefore);
  const after: Line[] = hunk.lines.filter((l) => l.kind !== 'del' && l.text.trim() !== '' && !isComment(l.text)).map((line) => ({ line, code: stripComment(line.text) }));
  const out: RiskSignal[] = [];
  for (const name of scopedBefore) {
    // Still scoped after the change (re-indented, or another scope releases it): nothing left open.
    if (after.some((l) => scopedName(l.code) === name)) continue;
    const bound = bindsName(name);
    // The acquisition may be new (a `with` taken apart re-indents it) or untouched (a `defer` deleted below it).
    const acquiredAt = after.findIndex((l) => bound.test(l.code));
    if (acquiredAt < 0) continue;
    // A `finally` after it releases it on every path out of its `try`; an exit between the
    // acquisition and that `try` still leaves without it. With no `try` to be seen: judged safe.
    const finallyAt = after.findIndex((l, i) => i > acquiredAt && /^\s*(?:\}\s*)?finally\b/.test(l.code));
    const tryAt = finallyAt < 0 ? -1 : after.findIndex((l, i) => i > acquiredAt && i < finallyAt && /^\s*try\b/.test(l.code));
    if (finallyAt >= 0 && tryAt < 0) continue;
    const coveredFrom = finallyAt < 0 ? Infinity : tryAt;
    const released = new RegExp(`\\b${name}\\s*\\.\\s*${RELEASE_METHODS}\\s*\\(`);
    const releases = after.slice(acquiredAt + 1).filter((l) => released.test(l.code));
    const checked = acquisitionCheck(after, acquiredAt, name);
    const exits = after.map((l, i) => ({ l, i })).filter(({ l, i }) => i > checked && i < coveredFrom && EXIT.test(l.code));
    // Never released, or released by hand with a way out that skips it: the scope released it
    // on every way out, so an exit the change left as it was leaks as surely as one it added.
    const open =
      releases.length === 0
        ? (after[acquiredAt] as Line)
        : exits.find(({ l, i }) => !released.test(l.code) && leavesOpen(after, i, acquiredAt, released))?.l;
    if (open === undefined) continue;
    const how =
      releases.length === 0
        ? `${name} was released by its scope; now it is opened and never released`
        : `${name} was released by its scope; now it is released by hand and "${open.line.text.trim().slice(0, 80)}" leaves before the release`;
    out.push(
      makeSignal(diff, path, open.line, 'resource_leak', `${how}: every call down that path keeps one open (a connection or session held until the pool runs out)`, {
        identifiers: [name],
      }),
    );
  }
  return [...out, ...exitsBeforeRelease(diff, path, hunk, scopedBefore)];
}
