// What happened when a suspect was undone. A rollback (or revert) after the onset is an
// experiment the responders already ran: if the symptoms eased soon after it, the change
// it undid is implicated; if they carried on, that change is cleared.
import type { Case, Movement } from './case.js';
import { revertedBy } from './decide.js';
import { switchesFlag, turnsFlagOff } from './flags.js';
import { flagKeyOf } from './identifiers.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { level } from './prose.js';
import { readPivots, type ChangeInfo } from './read.js';
import type { Replay } from './replay.js';
import { addFinding, type Suspect } from './suspects.js';

/** Symptoms are judged from 5 minutes after the revert (a rollout takes a moment) for 25 minutes. */
const SETTLE_MS = 5 * 60_000;
const BEFORE_MS = 20 * 60_000;
const AFTER_MS = 25 * 60_000;
const MAX_SERIES = 3;

/** Share of the way back to normal a symptom went (1: fully recovered, 0: no change). */
function recovered(m: Movement, before: number, after: number): number | null {
  const excess = before - m.before;
  if (excess === 0 || Math.sign(excess) !== Math.sign(m.after - m.before)) return null;
  return (before - after) / excess;
}

/** A later flag change that turns the same flag back off. */
function turnsSameFlagOff(change: ChangeInfo, later: ChangeInfo): boolean {
  const key = flagKeyOf(change) ?? change.id;
  return change.type === 'feature_flag' && switchesFlag(later, key) && turnsFlagOff(later);
}

/** The first change after the onset that undid this one: a rollback or revert of it, or its flag turned back off. */
export function undoing(c: Case, episode: Episode, change: ChangeInfo): ChangeInfo | null {
  return (
    c.changes
      .filter((x) => x.at > episode.onset && x.id !== change.id && (revertedBy(x, c.changes)?.id === change.id || turnsSameFlagOff(change, x)))
      .sort((a, b) => a.at - b.at)[0] ?? null
  );
}

export async function weighReverts(r: Replay, c: Case, episode: Episode, suspects: readonly Suspect[], budget: number): Promise<void> {
  // Counters read as rates cannot be compared through the raw statistics a pivot returns.
  const watched = episode.symptoms
    .filter((m) => !m.rate && (m.info.service === (episode.first?.info.service ?? c.paged) || m.info.service === c.paged))
    .sort((a, b) => b.strength - a.strength || (a.series < b.series ? -1 : 1))
    .slice(0, MAX_SERIES);
  let calls = 0;
  for (const suspect of suspects) {
    if (suspect.ruledOut !== null) continue;
    const revert = undoing(c, episode, suspect.change);
    if (!revert) continue;
    suspect.undone = { by: revert, eased: null };
    if (watched.length === 0 || calls >= budget) continue;
    calls += 1;
    const pivot = revert.at + SETTLE_MS;
    const reply = await r.call('query_metrics', {
      series: watched.map((m) => m.series),
      from: iso(revert.at - BEFORE_MS),
      to: iso(pivot + AFTER_MS),
      pivot: iso(pivot),
      stats_only: true,
      limit: watched.length,
    });
    if (reply.isError) continue;
    const shares = readPivots(reply.json).flatMap((p) => {
      const m = watched.find((w) => w.series === p.id);
      const share = m ? recovered(m, p.before, p.after) : null;
      return m && share !== null ? [{ m, share, p }] : [];
    });
    if (shares.length === 0) continue;
    const eased = shares.filter((s) => s.share >= 0.5);
    const best = [...shares].sort((a, b) => b.share - a.share)[0];
    if (eased.length * 2 > shares.length && best) {
      suspect.undone = { by: revert, eased: true };
      addFinding(suspect, 'undo_eased', `the symptoms eased after ${revert.id} undid it (${best.m.display}: ${level(best.p.before)} → ${level(best.p.after)})`, [
        { source: 'metrics', ref: best.m.series, detail: `back towards normal after ${revert.id} at ${iso(revert.at)}: ${level(best.p.before)} → ${level(best.p.after)}` },
        { source: 'changes', ref: revert.id, detail: `${revert.type} at ${iso(revert.at)} undid ${suspect.change.id}` },
      ]);
    } else if (eased.length === 0) {
      suspect.undone = { by: revert, eased: false };
      addFinding(suspect, 'undo_no_help', `undoing it (${revert.id}) did not help`);
    }
  }
}
