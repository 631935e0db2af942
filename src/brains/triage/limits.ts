// A usage that reached the limit the bundle itself declares: an autoscaler's current replicas
// at its maximum, a pool's active connections at its configured size, busy threads at the
// thread cap. The limit is a series of its own beside the usage (same service, same name but
// for the word that makes it a limit, or the same series split by a label into the part in
// use and the whole), so reaching it is read from the numbers, not guessed from the usage's
// shape. A service at such a limit has run out of room, whatever its unit.
import { pointsIn } from './values.js';
import type { Case, Movement } from './case.js';
import { readMovements } from './gather.js';
import type { SeriesInfo } from './read.js';
import type { Replay } from './replay.js';
import { PLACE_LABEL } from './versions.js';

/** Words that make a series the limit of another. */
const LIMIT_WORDS = new Set(['max', 'maximum', 'limit', 'limits', 'capacity']);
/** Words that say which side of a usage/limit pair a series is, not what it counts. */
const SIDE_WORDS = new Set([...LIMIT_WORDS, 'current', 'desired', 'status', 'spec', 'config', 'configured', 'active', 'open', 'held', 'used', 'usage', 'inuse', 'busy', 'in', 'use', 'count', 'total', 'value', 'available', 'ready', 'leased', 'borrowed', 'allocated', 'occupied', 'taken', 'acquired']);
/**
 * The objects that own a replica count, as Kubernetes exporters name them: a deployment's
 * available replicas and its autoscaler's maximum count the same pods.
 */
const OWNER_WORDS = new Set(['deployment', 'statefulset', 'replicaset', 'hpa', 'horizontalpodautoscaler', 'autoscaler']);
/** How close to its limit a usage must come to have reached it (a gauge sampled between scale steps). */
export const AT_LIMIT = 0.95;
/** Limits read at most, in one call. */
const MAX_LIMITS = 6;

/** The words of a series name, in lower case: `preview_cache_hit_ratio` is preview, cache, hit, ratio. */
export const nameWords = (name: string): string[] => name.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w !== '');
const words = nameWords;

/** Words of a pool of workers: its size is the most of them that can be busy (`eta_worker_pool_size`). */
const POOL_WORDS = new Set(['pool', 'workers', 'worker', 'threads', 'thread', 'slots', 'slot']);

/** Words that name the whole a use fills, dropped with the side words so use and whole agree. */
const WHOLE_WORDS = new Set(['pool', 'size', 'slot', 'slots', 'flight', 'inflight']);

/** One word in the singular, so `workers_busy` and `worker_pool_size` count the same thing. */
const singular = (w: string): string => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w);

/** Words that say how a series was aggregated, not what it counts (`cpu_usage_cores_avg`). */
const AGGREGATE_WORDS = new Set(['avg', 'average', 'mean']);

/**
 * What a series counts, without the words for its side: `kube_hpa_status_current_replicas` and
 * `kube_hpa_spec_max_replicas` agree. A `per …` tail says over what it was averaged
 * (`cpu_usage_cores_avg_per_active_pod` beside `cpu_limit_cores`, both a pod's), so it goes too.
 */
function stem(name: string): string {
  const named = words(name);
  const per = named.indexOf('per');
  return (per > 0 ? named.slice(0, per) : named)
    .filter((w) => !SIDE_WORDS.has(w) && !OWNER_WORDS.has(w) && !WHOLE_WORDS.has(w) && !AGGREGATE_WORDS.has(w))
    .map(singular)
    .join('_');
}

function isLimit(info: SeriesInfo): boolean {
  const named = words(info.name);
  if (named.some((w) => LIMIT_WORDS.has(w))) return true;
  // A pool's size, or slots named alone (`conversion_slots`, not `free_slots`, nor slots a label
  // splits into the busy part and the whole): the whole a use can fill.
  const last = named[named.length - 1] ?? '';
  const split = Object.values(info.labels).some((v) => USE_VALUES.has(v.toLowerCase()) || LIMIT_VALUES.has(v.toLowerCase()));
  return (named.includes('size') && named.some((w) => POOL_WORDS.has(w))) || ((last === 'slots' || last === 'slot') && !split && !named.some((w) => SIDE_WORDS.has(w) || w === 'free'));
}

/** Labels both carry agree (the same pool, the same autoscaler). */
function sameSubject(a: SeriesInfo, b: SeriesInfo): boolean {
  return Object.entries(a.labels).every(([key, value]) => !(key in b.labels) || b.labels[key] === value);
}

/** Label values that make one series of a name the whole of what another series of it uses. */
const LIMIT_VALUES = new Set(['total', 'max', 'maximum', 'limit', 'capacity', 'size', 'allocatable', 'configured']);
/** ...and the values that make a series the part in use. */
const USE_VALUES = new Set(['busy', 'used', 'active', 'inuse', 'in_use', 'in-use', 'allocated', 'occupied', 'taken', 'leased', 'checked_out']);

/**
 * The same series split by one label into the part in use and the whole
 * (`worker_slots{state="busy"}` beside `worker_slots{state="total"}`): the whole is the
 * limit the usage can reach, declared as plainly as a `_max` series.
 */
function labelledLimitOf(c: Case, info: SeriesInfo): SeriesInfo | null {
  const keys = Object.keys(info.labels).filter((key) => USE_VALUES.has((info.labels[key] ?? '').toLowerCase()));
  for (const key of keys) {
    const whole = c.series.find(
      (s) =>
        s.id !== info.id &&
        s.service === info.service &&
        s.name === info.name &&
        LIMIT_VALUES.has((s.labels[key] ?? '').toLowerCase()) &&
        Object.keys(s.labels).length === Object.keys(info.labels).length &&
        Object.entries(info.labels).every(([k, v]) => k === key || s.labels[k] === v),
    );
    if (whole) return whole;
  }
  return null;
}

/** The declared limit of a usage, when the bundle has one. */
export function declaredLimitOf(c: Case, info: SeriesInfo): SeriesInfo | null {
  if (isLimit(info) || info.service === null) return null;
  const labelled = labelledLimitOf(c, info);
  if (labelled) return labelled;
  const own = stem(info.name);
  if (own === '') return null;
  const limits = c.series.filter((s) => s.id !== info.id && s.service === info.service && isLimit(s) && stem(s.name) === own);
  return limits.find((s) => sameSubject(s, info)) ?? (limits.length === 1 && eachPlace(limits[0] as SeriesInfo, info) ? (limits[0] as SeriesInfo) : null);
}

/** The declared limit of a usage that rose. */
function limitOf(c: Case, m: Movement): SeriesInfo | null {
  return m.direction === 'up' ? declaredLimitOf(c, m.info) : null;
}


/**
 * One limit declared for every pod (`pod="per-pod"`, `instance="all"`) beside a usage per pod:
 * they differ only in the label that names the place, and the limit has no other series to
 * pair with, so it is the limit of each.
 */
function eachPlace(limit: SeriesInfo, usage: SeriesInfo): boolean {
  const differ = Object.keys(limit.labels).filter((key) => key in usage.labels && usage.labels[key] !== limit.labels[key]);
  return differ.length > 0 && differ.every((key) => PLACE_LABEL.test(key));
}

function median(values: ReadonlyArray<number | null>): number | null {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  return known.length === 0 ? null : (known[Math.floor(known.length / 2)] as number);
}

/**
 * Reads the limits declared beside the usages that rose, and records each usage that reached
 * its limit (`c.atLimit`).
 */
export async function readLimits(r: Replay, c: Case, from: number): Promise<void> {
  const pairs = c.movements.flatMap((m) => {
    const limit = limitOf(c, m);
    return limit === null ? [] : [{ m, limit }];
  });
  if (pairs.length === 0) return;
  const unread = [...new Map(pairs.filter((p) => !c.values.has(p.limit.id)).map((p) => [p.limit.id, p.limit])).values()].slice(0, MAX_LIMITS);
  if (unread.length > 0) await readMovements(r, c, unread, from, 1);
  for (const { m, limit } of pairs) {
    const values = c.values.get(limit.id);
    const level = values ? median(values.values) : null;
    if (values === undefined || level === null || level <= 0) continue;
    // A limit holds its level while the usage climbs to it: one that climbed with the usage
    // (`kafka_consumergroup_lag_max`, the largest partition's lag) is the usage's own peak.
    const upTo = pointsIn(values, values.start, m.onset + CLIMBED_WITH_MS).map((p) => p.v);
    if (upTo.length > 0 && Math.max(...upTo) > CLIMBED_WITH * level) continue;
    if (m.after >= AT_LIMIT * level) c.atLimit.set(m.series, { limit: limit.id, value: level });
  }
}

/** A limit that rose above this many times its usual level by the time the usage reached it climbed with it. */
const CLIMBED_WITH = 2;
const CLIMBED_WITH_MS = 5 * 60_000;
