// Reverts and what comes after them. A rollback names the change it undid; a later change that
// makes the same edit again (the same lines removed, the same lines added) re-applies the
// mistake the rollback undid, and the two are one suspect, as the stages of a rollout are.
import type { Case } from './case.js';
import type { ChangeInfo } from './read.js';
import { escapeRegExp } from '../../regexp.js';

/** What a rollback rolled back: its `reverts` attribute, else a change id its summary names. */
export function revertedBy(change: ChangeInfo, changes: readonly ChangeInfo[]): ChangeInfo | null {
  const named = change.attributes['reverts'] ?? change.attributes['rolls_back'] ?? change.attributes['reverted'];
  if (typeof named === 'string') return changes.find((c) => c.id === named) ?? null;
  return changes.find((c) => c.id !== change.id && c.at < change.at && new RegExp(`(?<![\\w-])${escapeRegExp(c.id)}(?![\\w-])`).test(change.summary)) ?? null;
}

/** The rollback that undid `change` at or before `at`, if one did: after it, the change's code no longer ran. */
export function undoneBefore(change: ChangeInfo, changes: readonly ChangeInfo[], at: number): ChangeInfo | null {
  return (
    changes.find(
      (x) => x.id !== change.id && x.at > change.at && x.at <= at && (x.type === 'rollback' || typeof x.attributes['reverts'] === 'string') && revertedBy(x, changes)?.id === change.id,
    ) ?? null
  );
}

/** A line that says something: not a brace, a blank or a lone keyword. */
const MEANINGFUL = /[A-Za-z0-9].*[A-Za-z0-9:=]/;

function lines(c: Case, change: ChangeInfo, sign: '+' | '-'): Set<string> {
  const diff = c.diffs.get(change.id);
  return new Set((diff?.changed ?? []).filter((l) => l.sign === sign).map((l) => l.text.trim()).filter((t) => t.length >= 4 && MEANINGFUL.test(t)));
}

/**
 * The earlier change of the same service, undone by a rollback before `change` came, whose edit
 * `change` makes again: a line it removed is removed again and a line it added is added again.
 */
export function reappliedMistake(c: Case, change: ChangeInfo): ChangeInfo | null {
  if (change.type === 'rollback' || change.service === null || !c.diffs.has(change.id)) return null;
  const added = lines(c, change, '+');
  const removed = lines(c, change, '-');
  for (const rollback of c.changes) {
    if (rollback.at > change.at) continue;
    const undone = revertedBy(rollback, c.changes);
    if (undone === null || rollback.type !== 'rollback' || undone.id === change.id || undone.service !== change.service || undone.at >= rollback.at) continue;
    const again = (sign: '+' | '-', mine: Set<string>): boolean => [...lines(c, undone, sign)].some((t) => mine.has(t));
    if (again('+', added) && again('-', removed)) return undone;
  }
  return null;
}
