// A cost that shows only under load, met when the load came. An edit that serialises work
// behind a remote round trip (a lock held across a call), or multiplies what each request does
// (a call per item, a query that no longer uses its index), costs little at a quiet hour and
// caps the service when the crowd arrives: the release at night, the failures at the day's
// peak, hours apart. The wait is answered when the service's traffic at the onset stood
// several times its level when the change took effect.
import type { Case } from './case.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { finding, type Finding } from './model.js';
import { level, minutes } from './prose.js';
import { readSeriesValues, resultOf } from './read.js';
import type { RiskSignalInfo } from './read-diff.js';
import type { Replay } from './replay.js';
import { roomCutSeen } from './room-cut.js';
import type { Suspect } from './suspects.js';
import { levelIn } from './values.js';

/** Edits whose cost grows with the load, not with time. */
const UNDER_LOAD = new Set(['lock_held_across_call', 'call_in_loop', 'index_bypassed', 'eager_load_removed', 'client_per_call', 'compiled_per_call', 'table_lock', 'scaling_delayed', 'row_lock_added', 'regex_backtracking']);
/** How much the traffic must have grown from the change to the onset for the load to have come. */
const CAME = 2;
/**
 * For a cut of room seen reaching the running service, less: the cut took away at least a
 * third of the room (ROOM_CUT), so a load half again as large fills a service that had been
 * using two thirds of what it had, where an edit that only makes work heavier needs the crowd.
 */
const CAME_AFTER_CUT = 1.5;
/** The traffic is read over this long, around the change and just before the onset. */
const SPAN_MS = 20 * 60_000;

/**
 * The crowd may arrive with the onset itself (a release at a fixed hour, a gate opening): the
 * first failures are its first minutes. So the traffic is also read just after the onset.
 */
const ARRIVING_MS = 20 * 60_000;

/**
 * A cut of the room for work (workers 12 → 4, a pool halved) costs nothing while the load fits
 * in what is left and caps the service when a crowd needs more: it waits for the load too.
 * A time limit cut (a timeout) is not such a ceiling.
 */
const ROOM_CUT = 1.5;
/**
 * A quota on what each user may do (bookings per user per day) is no room the crowd shares:
 * more users each get their own, so it is not met by the load coming.
 */
const PER_PARTY = /(^|[^a-z])per[_.-]?(user|customer|account|member|person|student|patient|player|client|tenant|day|week|month)s?([^a-z]|$)/i;
function underLoad(risk: RiskSignalInfo): boolean {
  if (UNDER_LOAD.has(risk.kind)) return true;
  return (
    risk.kind === 'limit_changed' &&
    risk.direction === 'tightened' &&
    risk.bounds === 'capacity' &&
    (risk.factor ?? 0) >= ROOM_CUT &&
    !risk.identifiers.some((name) => PER_PARTY.test(name))
  );
}

/** Whether the suspect's edit is one whose cost grows with the load. */
export function costsUnderLoad(suspect: Suspect): boolean {
  return suspect.risks.some(underLoad);
}

/** A count of the service's replicas (current or desired; not the bounds its autoscaler is given). */
const REPLICAS = /(^|_)(replicas|pods|instances|tasks)(_|$)/i;
const BOUND = /(^|_)(spec|max|min|limit)(_|$)/i;
/** Replicas that grew this much from the change to the onset were added: the scaler kept up. */
const SCALED_OUT = 1.5;

/**
 * An autoscaler made slower or blind to the load costs nothing where it still added replicas as
 * the load came: then it was not what left the service short. Read from its replica counts,
 * where the bundle has them.
 */
async function scaledOut(r: Replay, c: Case, episode: Episode, suspect: Suspect): Promise<boolean> {
  const counts = c.series.filter((s) => s.service === suspect.change.service && REPLICAS.test(s.name) && !BOUND.test(s.name)).slice(0, MAX_OWN_SERIES);
  if (counts.length === 0) return false;
  const ids = counts.map((s) => s.id);
  const result = resultOf('query_metrics', await r.call('query_metrics', { series: ids, from: iso(suspect.change.at - SPAN_MS / 2), to: iso(episode.onset + ARRIVING_MS), max_points: POINTS, limit: ids.length }));
  if (result === null) return false;
  return readSeriesValues(result).some((values) => {
    const then = levelIn(values, suspect.change.at - SPAN_MS / 2, suspect.change.at + SPAN_MS / 2);
    const now = levelIn(values, episode.onset - SPAN_MS, episode.onset + ARRIVING_MS);
    return then !== null && now !== null && then > 0 && now >= SCALED_OUT * then;
  });
}

/**
 * The traffic series read: its own service's (a route each, since the crowd may come on one
 * route only: the landing reports, not the catch reports), and the paged service's, the front
 * door the crowd came through. One call reads them all.
 */
const MAX_OWN_SERIES = 6;
const MAX_PAGED_SERIES = 2;
const POINTS = 240;

/** The finding that the load its risky edit fails under came by the onset, or null. */
export async function probeLoadCame(r: Replay, c: Case, episode: Episode, suspect: Suspect): Promise<Finding | null> {
  const { change } = suspect;
  const risk = suspect.risks.find(underLoad);
  if (risk === undefined || change.service === null || suspect.ruledOut !== null) return null;
  // A cut of room counts only where the service's own count of that room stepped down with it.
  const cut = UNDER_LOAD.has(risk.kind) ? null : await roomCutSeen(r, c, change, ROOM_CUT, risk.factor, risk.identifiers);
  if (!UNDER_LOAD.has(risk.kind) && cut === null) return null;
  if (risk.kind === 'scaling_delayed' && (await scaledOut(r, c, episode, suspect))) return null;
  // Every route a service counts, not only the two `trafficOf` (across-change.ts) holds a step against: histogram buckets are no route.
  const routesOf = (service: string | null, most: number) => c.series.filter((s) => s.service === service && s.meaning.measures === 'traffic' && !('le' in s.labels)).slice(0, most);
  const traffic = [...routesOf(change.service, MAX_OWN_SERIES), ...(c.paged === change.service ? [] : routesOf(c.paged, MAX_PAGED_SERIES))];
  if (traffic.length === 0) return null;
  const ids = [...new Set(traffic.map((s) => s.id))];
  const result = resultOf('query_metrics', await r.call('query_metrics', { series: ids, from: iso(change.at - SPAN_MS / 2), to: iso(episode.onset + ARRIVING_MS), max_points: POINTS, limit: ids.length }));
  if (result === null) return null;
  for (const values of readSeriesValues(result)) {
    const then = levelIn(values, change.at - SPAN_MS / 2, change.at + SPAN_MS / 2);
    const now = Math.max(levelIn(values, episode.onset - SPAN_MS, episode.onset) ?? 0, levelIn(values, episode.onset, episode.onset + ARRIVING_MS) ?? 0);
    if (then === null || now === null || then <= 0 || now < (cut === null ? CAME : CAME_AFTER_CUT) * then) continue;
    return finding(
      'load_came',
      `its edit costs most under load (${risk.kind.replace(/_/g, ' ')}), and the load came: ${values.id} stood at ${level(now)} before the onset against ${level(then)} when it took effect, ${minutes(episode.onset - change.at)} earlier`,
      [
        { source: 'metrics', ref: values.id, detail: `×${(now / then).toFixed(1)} from ${iso(change.at)} to ${iso(episode.onset)}` },
        ...(cut === null ? [] : [{ source: 'metrics' as const, ref: cut.series, detail: cut.seen === 'room' ? `the room it cut, ${level(cut.before)} → ${level(cut.after)} as it took effect` : `the share of the room in use, ${level(cut.before)} → ${level(cut.after)} as it took effect: the same use in a smaller whole` }]),
      ],
    );
  }
  return null;
}
