// One search of the logs, heard in every file. A search's page of matches comes in file
// order, so one chatty file (a node's kernel journal repeating a line) can fill it while
// other files that match are never shown: each of those is asked once for its own first
// lines, so a storage server's disk errors are heard beside the compute nodes' reports of
// what they cause, and a workload's line naming its node beside the node's journal.
import { readMatches, resultOf, type LogMatch } from './read.js';
import type { Replay } from './replay.js';

/** Files the first page did not reach that are asked on their own, and how many lines each. */
const UNHEARD_FILES = 3;
const PER_UNHEARD_FILE = 10;

/**
 * Runs `search_logs` with `input` (up to `maxMatches` on its first page), then once more per
 * file that matched but showed nothing, while more than `reserve` calls are left. Null when
 * the first search returned nothing readable.
 */
export async function searchEveryFile(r: Replay, input: Record<string, unknown>, maxMatches: number, reserve: number): Promise<LogMatch[] | null> {
  const result = resultOf('search_logs', await r.call('search_logs', { ...input, max_matches: maxMatches }));
  if (result === null) return null;
  const matches = readMatches(result).matches;
  const shown = new Set(matches.map((m) => m.ref.replace(/:\d+(-\d+)?$/, '')));
  const unheard = result.files.filter((f) => f.matches > 0 && !shown.has(f.file)).slice(0, Math.max(0, Math.min(UNHEARD_FILES, r.left - reserve)));
  if (unheard.length === 0) return matches;
  const replies = await r.calls(unheard.map((f) => ({ name: 'search_logs', input: { ...input, file: f.file, max_matches: PER_UNHEARD_FILE } })));
  for (const reply of replies) {
    const more = resultOf('search_logs', reply);
    if (more !== null) matches.push(...readMatches(more).matches);
  }
  return matches;
}
