// An awaited call turned into a blocking wait: code that awaited an asynchronous call now
// blocks a thread until it completes (C#'s `.GetAwaiter().GetResult()`, `.Result`, `.Wait()`;
// Java's `.join()` or `.get()` on a future, Reactor's `.block()`; Python's `asyncio.run` or
// `run_until_complete`; Rust's `block_on`). Each request then holds a pool thread for the
// whole remote call: harmless at a quiet hour, and at peak the thread pool starves (requests
// queue for a thread, latency climbs while the CPU idles).
import type { Diff, DiffHunk } from '../../bundle/index.js';
import { isComment, stripComment } from './code-words.js';
import { makeSignal, unique, type RiskSignal } from './risk-types.js';

/** An awaited call: `await x.FooAsync(`, `await fetch(`. */
const AWAITED = /\bawait\s+[\w.]*\w\s*\(/;
/** A blocking wait on a task or future, after the call that made it (`…)` then the wait). */
const BLOCKING = [
  /\)\s*\.\s*GetAwaiter\s*\(\s*\)\s*\.\s*GetResult\s*\(/,
  /^\s*\.\s*GetAwaiter\s*\(\s*\)/,
  /^\s*\.\s*GetResult\s*\(\s*\)/,
  /\)\s*\.\s*(?:Result\b(?!\s*\()|Wait\s*\(\s*\)|block\s*\(|join\s*\(\s*\)|get\s*\(\s*\))/,
  /\b(?:asyncio\.run|run_until_complete|block_on)\s*\(/,
];

/** Where a hunk replaced awaited calls by blocking waits: one signal, at the first wait. */
export function awaitsBlocked(diff: Diff, path: string, hunk: DiffHunk): RiskSignal[] {
  const deleted = hunk.lines.filter((l) => l.kind === 'del' && !isComment(l.text)).map((l) => stripComment(l.text));
  if (!deleted.some((text) => AWAITED.test(text))) return [];
  const added = hunk.lines.filter((l) => l.kind === 'add' && !isComment(l.text));
  // Still awaiting as much as before: the wait is elsewhere, or not new.
  const awaits = (texts: readonly string[]): number => texts.filter((text) => AWAITED.test(text)).length;
  if (awaits(added.map((l) => stripComment(l.text))) >= awaits(deleted)) return [];
  const wait = added.find((l) => BLOCKING.some((shape) => shape.test(stripComment(l.text))));
  if (wait === undefined) return [];
  const gone = deleted.find((text) => AWAITED.test(text)) as string;
  const call = /\bawait\s+([\w.]*\w)\s*\(/.exec(gone)?.[1] ?? '';
  return [
    makeSignal(diff, path, wait, 'blocking_wait', `a call that was awaited${call ? ` (${call})` : ''} is now waited on by blocking a thread: each request holds a pool thread for the whole call, which starves the pool at peak`, {
      identifiers: unique([call.split('.').pop() ?? '']).filter((id) => id.length >= 3),
    }),
  ];
}
