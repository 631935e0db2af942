// A ceiling that came down. A change can take room away without a word about it (a volume's
// provisioned throughput dropped by a module upgrade, a pool or a quota set lower): nothing
// shows while the load stays under the new ceiling, and the symptoms wait for the next peak
// of demand (an hourly job, the evening rush). An SRE sees it in the work the service did:
// before the change its peaks went well above where, at the incident, the same series stops
// flat, pinned at a level it used to pass. The change of that service between its last higher
// peak and its first flat top is what lowered the ceiling, whatever the hour between them.
import { CHANGE_HORIZON_MS, type Case, type Movement } from './case.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { finding, type Finding } from './model.js';
import { level, minutes } from './prose.js';
import { readSeriesValues, resultOf, type ChangeInfo } from './read.js';
import type { Replay } from './replay.js';
import { pointsIn, type Point } from './values.js';

export interface LoweredCeiling {
  movement: Movement;
  /** The level the series stopped flat at, and when it first did. */
  top: number;
  flatFrom: number;
  /** The last reading, before that, well above the top: the room there was. */
  lastAbove: Point;
}

/** Readings within this share of the top are at it... */
const AT_TOP = 0.03;
/** ...and at least this many in a row make a flat top, not a peak that touched a level once. */
const FLAT_READINGS = 3;
/** Earlier readings at least this far above the top show room the service had... */
const ABOVE = 1.25;
/** ...when there are at least this many of them (one spike shows nothing). */
const ABOVE_READINGS = 2;
/** Events per step a counted rate must reach before its flat top can be a ceiling rather than its granularity. */
const MIN_EVENTS_PER_STEP = 3;
/** How near the onset the flat top must begin. */
const FLAT_NEAR_MS = 30 * 60_000;

/**
 * A rate read from a count of a few events per step is as flat as its whole events make it:
 * one setpoint in ten minutes is a cadence, not a ceiling.
 */
export function cadence(perSecond: number, stepMs: number): boolean {
  return perSecond * (stepMs / 1000) < MIN_EVENTS_PER_STEP;
}

/** The first run of readings pinned at the top, within the window. */
function flatRun(points: readonly Point[], top: number): Point | null {
  let run = 0;
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as Point;
    run = p.v >= top * (1 - AT_TOP) ? run + 1 : 0;
    if (run >= FLAT_READINGS) return points[i - FLAT_READINGS + 1] as Point;
  }
  return null;
}

/** Read back this long before the earliest change that may have lowered a ceiling, to see the peaks before it. */
const LEAD_MS = 3 * 3600_000;
/** Series read back, at most, in one call. */
const MAX_SERIES = 4;
const POINTS = 500;

interface FlatTop {
  movement: Movement;
  top: number;
  flatFrom: number;
  /** The earliest change of its service that came before the flat top (within the horizon). */
  earliest: number;
}

/** A sibling this many times above the flat top, at the same time, shows room the service had. */
const SIBLING_ABOVE = 2;

/**
 * A part of the service's work (a partition, a shard, a pod) flat below a sibling of the same
 * metric that ran many times higher at the same time: the service had that room, and the work
 * went elsewhere (a record key that sends most messages to one partition leaves the others
 * flat at their small share). A ceiling a change of the service lowered caps its parts alike.
 */
function roomInSibling(c: Case, m: Movement, top: number, episode: Episode): boolean {
  return c.series.some((s) => {
    if (s.id === m.info.id || s.name !== m.info.name || s.service !== m.info.service) return false;
    const v = c.values.get(s.id);
    return v !== undefined && pointsIn(v, episode.onset - FLAT_NEAR_MS, episode.onset + FLAT_NEAR_MS).some((p) => p.v >= SIBLING_ABOVE * top);
  });
}

/** Work of a service that rose at the incident and stopped flat near the onset, when a change of that service came before. */
function flatTops(c: Case, episode: Episode): FlatTop[] {
  const out: FlatTop[] = [];
  const seen = new Set<string>();
  for (const m of c.movements) {
    const service = m.info.service;
    const measures = m.info.meaning.measures;
    if (service === null || seen.has(m.series) || m.direction !== 'up' || m.info.meaning.worseWhen === 'down') continue;
    if (measures === 'latency' || measures === 'errors' || measures === 'availability') continue;
    const values = c.values.get(m.series);
    if (values === undefined) continue;
    const near = pointsIn(values, episode.onset - FLAT_NEAR_MS, episode.onset + FLAT_NEAR_MS);
    if (near.length === 0) continue;
    const top = Math.max(...near.map((p) => p.v));
    if (m.rate && cadence(top, values.stepMs)) continue;
    const flat = top > 0 ? flatRun(near, top) : null;
    if (flat === null) continue;
    if (roomInSibling(c, m, top, episode)) continue;
    const own = c.changes.filter((x) => x.service === service && x.at < flat.t && flat.t - x.at <= CHANGE_HORIZON_MS);
    if (own.length === 0) continue;
    seen.add(m.series);
    out.push({ movement: m, top, flatFrom: flat.t, earliest: Math.min(...own.map((x) => x.at)) });
  }
  return out;
}

/**
 * Reads back, from before the changes of its service, the work that stopped flat at the onset:
 * a ceiling came down where it went well above the flat top before and never after. By
 * service (the first found for each).
 */
export async function probeCeilings(r: Replay, c: Case, episode: Episode): Promise<Map<string, LoweredCeiling>> {
  const found = new Map<string, LoweredCeiling>();
  // Work counted as traffic (messages published, writes) first: it is what a lowered ceiling stops.
  const tops = flatTops(c, episode)
    .sort((a, b) => Number(b.movement.kind === 'traffic') - Number(a.movement.kind === 'traffic'))
    .slice(0, MAX_SERIES);
  if (tops.length === 0) return found;
  const from = Math.min(...tops.map((t) => t.earliest)) - LEAD_MS;
  const to = Math.max(...tops.map((t) => t.flatFrom));
  const result = resultOf('query_metrics', await r.call('query_metrics', { series: tops.map((t) => t.movement.info.id), from: iso(from), to: iso(to), max_points: POINTS, limit: tops.length }));
  if (result === null) return found;
  const values = new Map(readSeriesValues(result).map((v) => [v.id, v]));
  for (const t of tops) {
    const service = t.movement.info.service as string;
    const series = values.get(t.movement.info.id);
    if (found.has(service) || series === undefined) continue;
    const earlier = pointsIn(series, from, t.flatFrom - 1);
    const above = earlier.filter((p) => p.v >= ABOVE * t.top);
    const lastAbove = above.at(-1);
    if (above.length < ABOVE_READINGS || lastAbove === undefined) continue;
    // Between the last higher peak and the flat top the series never passed the top again: the
    // room went, and stayed gone. The peak's own way down (readings still above the top right
    // after its last high one) is that peak, not another.
    const after = earlier.filter((p) => p.t > lastAbove.t);
    const descent = after.findIndex((p) => p.v <= t.top * (1 + AT_TOP));
    if (descent < 0 || after.slice(descent).some((p) => p.v > t.top * (1 + AT_TOP))) continue;
    found.set(service, { movement: t.movement, top: t.top, flatFrom: t.flatFrom, lastAbove });
  }
  return found;
}

/**
 * A change of the service whose work stopped flat below its earlier peaks, made between the
 * last of those peaks and the flat top: it took the room away, and waited for demand to reach
 * the new ceiling, which answers why the symptoms came long after it.
 */
export function ceilingFinding(lowered: LoweredCeiling | null, change: ChangeInfo): Finding | null {
  if (lowered === null || change.service !== lowered.movement.info.service) return null;
  if (change.at <= lowered.lastAbove.t || change.at > lowered.flatFrom || lowered.flatFrom - change.at > CHANGE_HORIZON_MS) return null;
  const m = lowered.movement;
  return finding(
    'ceiling_lowered',
    `${m.display} of ${change.service} reached ${level(lowered.lastAbove.v)} at ${iso(lowered.lastAbove.t)}, before ${change.id}; from ${iso(lowered.flatFrom)}, ${minutes(lowered.flatFrom - change.at)} after it, it stopped flat at ${level(lowered.top)}: a ceiling it used to pass, lowered by the change and met when demand peaked`,
    [
      { source: 'metrics', ref: m.series, detail: `up to ${level(lowered.lastAbove.v)} at ${iso(lowered.lastAbove.t)}; flat at ${level(lowered.top)} from ${iso(lowered.flatFrom)}` },
      { source: 'changes', ref: change.id, detail: `${change.type} of ${change.service ?? 'an unnamed service'} at ${iso(change.at)}` },
    ],
  );
}
