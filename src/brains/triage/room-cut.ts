// Room for work cut, seen taking effect. A diff that cuts a service's workers, pool or slots
// says what was meant; the service's own count of that room (workers active 12 → 4, pool
// connections 72 → 24) stepping down as the change took effect says it reached the running
// processes. Without such a step, a cut may never have applied (a value the pods do not read,
// a limit that held its level), and the load that came is no evidence against it. A machine
// made smaller shows it the other way: the same data and work now fill a share of the whole
// (memory used 32% → 65%) that rose by the factor the whole was cut by.
import type { Case } from './case.js';
import { iso } from './json.js';
import { readSeriesValues, resultOf, type ChangeInfo } from './read.js';
import type { Replay } from './replay.js';
import { levelIn } from './values.js';
import { shareOfWhole } from './headroom.js';
import { nameWords } from './flags.js';

/** Read this long on either side of the change, skipping the minutes it took to roll out. */
const WINDOW_MS = 20 * 60_000;
const SETTLE_MS = 5 * 60_000;
const MAX_SERIES = 8;
const POINTS = 200;

export interface RoomCutSeen {
  series: string;
  /** `room`: the room itself fell; `share`: the share of it in use rose as the whole shrank. */
  seen: 'room' | 'share';
  before: number;
  after: number;
}

/**
 * A share of a whole that rose by the cut's factor, within this much: the use held while the
 * whole shrank. Traffic growing over the window may add a little; a rise far beyond the
 * factor is more work, not a smaller machine.
 */
const SHARE_MATCH = 1.25;

/** A share of the whole in use that rose as the whole was cut by `factor` (`cut`: the diff's own factor). */
function shareRoseBy(name: string, before: number, after: number, cut: number): boolean {
  const whole = shareOfWhole(name, Math.max(before, after));
  if (whole === null || !(before > 0)) return false;
  const rose = after / before;
  return rose >= cut / SHARE_MATCH && rose <= cut * SHARE_MATCH;
}

/** Words of a setting's name that say what kind of setting it is, not which room it sets. */
const SETTING_WORDS = new Set(['type', 'class', 'size', 'max', 'maximum', 'min', 'minimum', 'limit', 'count', 'number', 'num', 'total']);

/** The words that name the room a setting sets (`max_workers`, `maxWorkers` → workers), long enough to mean something. */
const roomWords = (names: readonly string[]): Set<string> => new Set(names.flatMap(nameWords).filter((w) => w.length >= 4 && !SETTING_WORDS.has(w)));

/**
 * A series of the changed service's own room that fell by at least `factor` as the change took
 * effect, or a share of it in use that rose by the diff's own factor (`cut`), or null. The
 * share counts only where no count of the room the setting names (`names`: `workers` for
 * `max_workers`) held its level: that count is the direct reading, and it says the cut never applied.
 */
export async function roomCutSeen(r: Replay, c: Case, change: ChangeInfo, factor: number, cut: number | null = null, names: readonly string[] = []): Promise<RoomCutSeen | null> {
  const service = change.service;
  if (service === null) return null;
  // Counts of what it holds or runs: not its traffic, its latency or its errors, which a cut moves only under load.
  const own = c.series
    .filter((s) => s.service === service && (s.meaning.measures === 'other' || s.meaning.measures === 'saturation' || s.meaning.measures === 'availability') && !('le' in s.labels))
    .slice(0, MAX_SERIES);
  if (own.length === 0) return null;
  const ids = own.map((s) => s.id);
  // A rollout node by node (a resize that replaces each in turn) has taken effect once it finished.
  const settled = (change.finishedAt ?? change.at) + SETTLE_MS;
  const result = resultOf('query_metrics', await r.call('query_metrics', { series: ids, from: iso(change.at - WINDOW_MS), to: iso(settled + WINDOW_MS), max_points: POINTS, limit: ids.length }));
  if (result === null) return null;
  const named = roomWords(names);
  let share: RoomCutSeen | null = null;
  let heldCount = false;
  for (const values of readSeriesValues(result)) {
    const before = levelIn(values, change.at - WINDOW_MS, change.at);
    const after = levelIn(values, settled, settled + WINDOW_MS);
    if (before === null || after === null || !(before > 0) || !(after > 0)) continue;
    if (before >= factor * after) return { series: values.id, seen: 'room', before, after };
    const name = values.id.replace(/\{.*$/, '');
    if (cut !== null && cut >= factor && share === null && shareRoseBy(values.id, before, after, cut)) share = { series: values.id, seen: 'share', before, after };
    else if (shareOfWhole(name, Math.max(before, after)) === null && nameWords(name).some((w) => named.has(w))) heldCount = true;
  }
  return heldCount ? null : share;
}
