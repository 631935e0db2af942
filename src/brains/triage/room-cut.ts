// Room for work cut, seen taking effect. A diff that cuts a service's workers, pool or slots
// says what was meant; the service's own count of that room (workers active 12 → 4, pool
// connections 72 → 24) stepping down as the change took effect says it reached the running
// processes. Without such a step, a cut may never have applied (a value the pods do not read,
// a limit that held its level), and the load that came is no evidence against it.
import type { Case } from './case.js';
import { iso } from './json.js';
import { readSeriesValues, resultOf, type ChangeInfo } from './read.js';
import type { Replay } from './replay.js';
import { levelIn } from './values.js';

/** Read this long on either side of the change, skipping the minutes it took to roll out. */
const WINDOW_MS = 20 * 60_000;
const SETTLE_MS = 5 * 60_000;
const MAX_SERIES = 8;
const POINTS = 200;

export interface RoomCutSeen {
  series: string;
  before: number;
  after: number;
}

/** A series of the changed service's own room that fell by at least `factor` as the change took effect, or null. */
export async function roomCutSeen(r: Replay, c: Case, change: ChangeInfo, factor: number): Promise<RoomCutSeen | null> {
  const service = change.service;
  if (service === null) return null;
  // Counts of what it holds or runs: not its traffic, its latency or its errors, which a cut moves only under load.
  const own = c.series
    .filter((s) => s.service === service && (s.meaning.measures === 'other' || s.meaning.measures === 'saturation' || s.meaning.measures === 'availability') && !('le' in s.labels))
    .slice(0, MAX_SERIES);
  if (own.length === 0) return null;
  const ids = own.map((s) => s.id);
  const result = resultOf('query_metrics', await r.call('query_metrics', { series: ids, from: iso(change.at - WINDOW_MS), to: iso(change.at + SETTLE_MS + WINDOW_MS), max_points: POINTS, limit: ids.length }));
  if (result === null) return null;
  for (const values of readSeriesValues(result)) {
    const before = levelIn(values, change.at - WINDOW_MS, change.at);
    const after = levelIn(values, change.at + SETTLE_MS, change.at + SETTLE_MS + WINDOW_MS);
    if (before !== null && after !== null && before > 0 && after > 0 && before >= factor * after) return { series: values.id, before, after };
  }
  return null;
}
