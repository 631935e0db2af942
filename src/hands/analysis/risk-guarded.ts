// Which risky edits sit behind a feature-flag check. Code a flag guards does not run until
// the flag is on, so a reader must know whether an edit is behind one: an edit inside the
// guarded block (`if flags.enabled("x") { … }`), or after an early return that leaves when
// the flag is off (`if not flags.is_enabled("x"): return`), in the same function.
import type { DiffHunk, DiffLine } from '../../bundle/index.js';
import { indentOf } from './code-words.js';
import type { RiskSignal } from './risk-types.js';

const NEGATED = /\b(if|unless)\s*(\(\s*)?(!|not\b)|\bunless\b|\bguard\b/;
const RETURNS = /\b(return|continue|break|raise|throw)\b/;

/** The patch lines a guard covers in a hunk: its block, or the rest of its function after an early return. */
function coveredPatchLines(hunk: DiffHunk, guardIndex: number): Set<number> {
  const lines = hunk.lines.filter((l) => l.kind !== 'del');
  const at = lines.findIndex((l) => l === hunk.lines[guardIndex]);
  const covered = new Set<number>();
  if (at < 0) return covered;
  const guard = lines[at] as DiffLine;
  const base = indentOf(guard.text);
  const next = lines[at + 1];
  const earlyReturn = NEGATED.test(guard.text) && (RETURNS.test(guard.text) || (next !== undefined && indentOf(next.text) > base && RETURNS.test(next.text)));
  for (let i = at + 1; i < lines.length; i++) {
    const line = lines[i] as DiffLine;
    if (line.text.trim() === '') continue;
    const indent = indentOf(line.text);
    // A block ends where the indentation comes back to the guard's; after an early return, where it drops below it.
    if (earlyReturn ? indent < base : indent <= base && !/^\s*[}\])]/.test(line.text)) break;
    covered.add(line.patchLine);
  }
  return covered;
}

/** Marks the risky edits of a hunk that a flag guard of the same hunk covers (`guarded_by`). */
export function markGuarded(hunk: DiffHunk, risks: RiskSignal[], patchPath: string): void {
  const guards = risks.filter((r) => r.kind === 'flag_guard' && r.flag !== undefined);
  if (guards.length === 0) return;
  const patchLineOf = (r: RiskSignal): number => Number(r.patch.slice(r.patch.lastIndexOf(':') + 1));
  for (const guard of guards) {
    const index = hunk.lines.findIndex((l) => l.patchLine === patchLineOf(guard) && r(guard.patch) === patchPath);
    if (index < 0) continue;
    const covered = coveredPatchLines(hunk, index);
    for (const risk of risks) {
      if (risk === guard || risk.kind === 'flag_guard' || risk.guarded_by !== undefined) continue;
      if (covered.has(patchLineOf(risk))) risk.guarded_by = guard.flag;
    }
  }
}

function r(patchRef: string): string {
  return patchRef.slice(0, patchRef.lastIndexOf(':'));
}
