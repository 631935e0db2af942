// A cleanup that ran every time now runs only on one side of a new condition. The line that
// deleted what the work left behind (a spooled file after its upload, a temporary table, a
// processed message) is still in the code, moved under an `if` or into an `else`: whenever the
// other side is taken, nothing deletes, and the disk, the table or the queue fills at the pace of
// the work, for hours, until it runs out of room far from the change.
import type { Diff, DiffHunk, DiffLine } from '../../bundle/index.js';
import { stripComment } from './code-words.js';
import { meaningful } from './risk-code.js';
import { makeSignal, type RiskSignal } from './risk-types.js';

/** A call whose name says it removes what was left behind (`delete_frames_after_upload(`, `os.Remove(`, `cleanupTemp(`). */
const CLEANUP_CALL = /([A-Za-z_][\w.]*?(?:delete|remove|purge|unlink|cleanup|clean_up|prune|evict|discard|expunge|rmtree|truncate)\w*)\s*\(/i;
/** A line that opens a branch: its body runs only when a condition holds, or does not. */
const BRANCH = /^\s*(?:\}\s*)?(?:if\b|else\b|elif\b|elsif\b|unless\b|when\b|match\b|case\b|switch\b)|^\s*\}\s*else\b/;
/** Lines longer than this are not read: a call is short. */
const MAX_LINE = 1_000;

const indentOf = (text: string): number => (/^[\t ]*/.exec(text)?.[0] ?? '').replace(/\t/g, '    ').length;
const callIn = (text: string): string | null => (text.length > MAX_LINE ? null : (CLEANUP_CALL.exec(stripComment(text))?.[1] ?? null));

/** Cleanups a hunk moved under a condition it adds. */
export function cleanupsMadeConditional(diff: Diff, path: string, hunk: DiffHunk): RiskSignal[] {
  const removed = meaningful(hunk.lines, 'del')
    .map((line) => ({ line, call: callIn(line.text) }))
    .filter((x): x is { line: DiffLine; call: string } => x.call !== null);
  if (removed.length === 0) return [];
  const signals: RiskSignal[] = [];
  const lines = hunk.lines;
  for (const { line: old, call } of removed) {
    const index = lines.findIndex((l) => l.kind === 'add' && callIn(l.text) === call);
    const moved = lines[index];
    if (moved === undefined || indentOf(moved.text) <= indentOf(old.text)) continue;
    // The branch it now sits in: the nearest added line above it, less indented, that opens one.
    const depth = indentOf(moved.text);
    const branch = lines
      .slice(0, index)
      .reverse()
      .find((l) => l.kind !== 'del' && l.text.trim() !== '' && indentOf(l.text) < depth);
    if (branch === undefined || branch.kind !== 'add' || !BRANCH.test(branch.text)) continue;
    signals.push(
      makeSignal(
        diff,
        path,
        moved,
        'unbounded_growth',
        `${call}() ran every time and now runs only on one side of a condition it adds (${branch.text.trim().slice(0, 80)}): whenever the other side is taken nothing deletes what it cleaned up, and the store it kept small fills at the pace of the work`,
        { identifiers: [call.split('.').pop() ?? call] },
      ),
    );
  }
  return signals;
}
