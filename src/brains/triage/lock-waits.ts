// A lock the change takes, contended from the moment it took effect. A release or a flag that
// makes every request take one lock (a table locked per booking, a mutex held across a remote
// call) serialises the work behind it: at a quiet hour the queue is a waiter or two, seen at
// once in the database's count of lock waits, which sat at none before; as the day's traffic
// grows toward what one lane can take, the queue explodes. The waits that began with the
// change are its mechanism at work, long before the rush finds its limit.
import type { Case } from './case.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { finding, type Finding } from './model.js';
import { level, minutes } from './prose.js';
import { readSeriesValues, resultOf } from './read.js';
import type { Replay } from './replay.js';
import type { Suspect } from './suspects.js';
import { levelIn } from './values.js';

/** Edits that make work wait on a lock. */
const LOCKING = new Set(['table_lock', 'lock_held_across_call', 'row_lock_added', 'schema_lock']);
/** A count of sessions or requests waiting on a lock (`pg_locks_waiting`, `mysql_lock_waits`, `lock_wait_count`). */
const LOCK_WAITS = /lock.*wait|wait.*lock/i;
/** Read over this long on each side of the change (after it, no later than the onset). */
const SPAN_MS = 20 * 60_000;
/** The waits must be seen before the symptoms: a change this close to the onset is judged otherwise. */
const MIN_GAP_MS = 5 * 60_000;
/**
 * Edits that lock a whole table while they run (an index built in place, a type changed): their
 * waits begin the moment they run, whatever the hour, so they are read at any distance from the
 * onset, over the span after the change, the symptoms' first minutes included.
 */
const WHOLE_TABLE = new Set(['table_lock', 'schema_lock']);
/** Waits at the change's side at least this high, where none stood before: a waiter or more, most of the time. */
const BEGAN = 0.5;
const NONE = 0.05;
const MAX_SERIES = 4;
const POINTS = 240;

/** Whether a suspect's edit locks a whole table while it runs: its waits are read however close to the onset it took effect. */
export function locksWholeTable(suspect: Suspect): boolean {
  return suspect.risks.some((x) => WHOLE_TABLE.has(x.kind));
}

/** The finding that the lock waits its edit makes began as it took effect, or null. */
export async function probeLockWaits(r: Replay, c: Case, episode: Episode, suspect: Suspect): Promise<Finding | null> {
  const { change } = suspect;
  const risk = suspect.risks.find((x) => LOCKING.has(x.kind));
  if (risk === undefined || suspect.ruledOut !== null) return null;
  const whole = WHOLE_TABLE.has(risk.kind) && change.at <= episode.onset;
  if (!whole && episode.onset - change.at < MIN_GAP_MS) return null;
  const until = whole ? change.at + SPAN_MS : Math.min(change.at + SPAN_MS, episode.onset);
  const waits = c.series.filter((s) => LOCK_WAITS.test(s.name)).slice(0, MAX_SERIES);
  if (waits.length === 0) return null;
  const ids = waits.map((s) => s.id);
  const result = resultOf('query_metrics', await r.call('query_metrics', { series: ids, from: iso(change.at - SPAN_MS), to: iso(until), max_points: POINTS, limit: ids.length }));
  if (result === null) return null;
  for (const values of readSeriesValues(result)) {
    const before = levelIn(values, change.at - SPAN_MS, change.at);
    // From a minute after it took effect: a scrape or two for the first waiter to be counted.
    const after = levelIn(values, change.at + 60_000, until);
    if (before === null || after === null || before > NONE || after < BEGAN) continue;
    return finding(
      'lock_waits_began',
      `its edit makes work wait on a lock (${risk.kind.replace(/_/g, ' ')}, ${risk.code}), and the waits began as it took effect: ${values.id} went from none to ${level(after)}, ${episode.onset - change.at < MIN_GAP_MS ? 'as the symptoms began' : `${minutes(episode.onset - change.at)} before the load found its limit`}`,
      [{ source: 'metrics', ref: values.id, detail: `${level(before)} before ${change.id} (${iso(change.at)}), ${level(after)} after` }],
    );
  }
  return null;
}
