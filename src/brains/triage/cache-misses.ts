// A cache that began missing. When the share of requests a cache answers itself falls,
// each request sends more work to what sits behind the cache, though callers ask no more
// than before. Load behind the cache that grew no more than its misses did is therefore
// not demand: it is whatever made the cache miss, and a change that took effect as the
// cache began missing (a new cache key, a shorter lifetime, a purge, a cache removed) is
// how each request came to do more work, wherever that change lives.
import type { Case, Movement } from './case.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import type { PathLink } from './path.js';
import type { ChangeInfo } from './read.js';
import { nameWords } from './limits.js';
import { effectWindowMs } from './support.js';

export interface CacheFall {
  movement: Movement;
  /** The share of requests that missed before the fall and after it. */
  missedBefore: number;
  missedAfter: number;
  /** How many times more requests miss than before: the factor by which work behind the cache grew at equal demand. */
  missGrowth: number;
  /** The calls to the cache itself slowing or failing as it began missing (its get latency, its errors), if they did. */
  cacheFailing: Movement | null;
  /** The growth of work behind every cache in series that began missing with it (their miss growths multiplied). */
  chainedGrowth?: number;
}

/** Words of a hit or miss share that say which side it counts, not which cache. */
const SHARE_WORDS = new Set(['hit', 'hits', 'miss', 'misses', 'ratio', 'rate', 'share', 'total', 'percent', 'pct', 'count', 'fraction']);


/**
 * The calls to the cache itself going wrong as it began missing: a latency or errors series
 * of the same service naming the same cache (`preview_cache_get_duration_seconds` beside
 * `preview_cache_hit_ratio`), rising within the slack of the fall. Requests that time out on a
 * slow cache count as misses: the cache failed, nothing asked it for anything new.
 */
function cacheCallsFailing(c: Case, fall: Movement, slackMs: number): Movement | null {
  const subject = nameWords(fall.info.name).filter((w) => !SHARE_WORDS.has(w));
  if (subject.length === 0) return null;
  return (
    c.movements.find((m) => {
      if (m === fall || m.info.service !== fall.info.service || (m.kind !== 'latency' && m.kind !== 'errors') || m.direction !== 'up') return false;
      if (Math.abs(m.onset - fall.onset) > slackMs) return false;
      const words = new Set(nameWords(m.info.name));
      return subject.every((w) => words.has(w));
    }) ?? null
  );
}

/** Misses must at least double for the work behind the cache to have grown like a surge. */
const MISS_GROWTH = 2;
/** And by this share of all requests, so that 0.1% becoming 0.2% is not read as a cache failing. */
const MISS_SHARE_ROSE = 0.05;
/**
 * How long before the onset a cache may have begun missing: its misses reach the tier behind
 * it at once, but may only hurt when the day's traffic grows into them (a morning rush an hour
 * after the release that broke the key).
 */
const LEAD_MS = 60 * 60_000;
/** Caches that began missing this close together are one fall through a chain of them. */
const TOGETHER_MS = 5 * 60_000;
/** Load behind the cache up to this many times its misses' growth is the misses themselves (rates are noisy). */
const EXPLAINED_MARGIN = 1.5;

/** The scale of a share: a ratio in [0, 1], or a percentage. Anything larger is no share. */
function scaleOf(m: Movement): number | null {
  const top = Math.max(m.before, m.after);
  if (Math.min(m.before, m.after) < 0) return null;
  if (top <= 1) return 1;
  if (top <= 100) return 100;
  return null;
}

function asFall(m: Movement): CacheFall | null {
  // Hits falling, or misses rising: the same cache answering fewer requests itself.
  const hitsFell = m.info.meaning.hitShare && m.direction === 'down';
  const missesRose = m.info.meaning.missShare && m.direction === 'up';
  if (!hitsFell && !missesRose) return null;
  const scale = scaleOf(m);
  if (scale === null) return null;
  const missedBefore = hitsFell ? 1 - m.before / scale : m.before / scale;
  const missedAfter = hitsFell ? 1 - m.after / scale : m.after / scale;
  if (missedAfter - missedBefore < MISS_SHARE_ROSE) return null;
  const missGrowth = missedBefore <= 0 ? Infinity : missedAfter / missedBefore;
  if (missGrowth < MISS_GROWTH) return null;
  return { movement: m, missedBefore, missedAfter, missGrowth, cacheFailing: null };
}

/** The earliest cache whose misses at least doubled around the onset, if any. */
export function cacheFall(c: Case, episode: Episode, slackMs: number): CacheFall | null {
  const falls = c.movements
    .filter((m) => m.onset >= episode.onset - LEAD_MS && m.onset <= episode.onset + slackMs)
    .map(asFall)
    .filter((f): f is CacheFall => f !== null)
    .sort((a, b) => a.movement.onset - b.movement.onset || b.missGrowth - a.missGrowth);
  const first = falls[0];
  if (first === undefined) return null;
  // Caches in series (an edge in front of a shield) that began missing together multiply:
  // what misses the first reaches the second, which misses more of it too.
  const tiers = new Map<string, number>();
  for (const f of falls) {
    if (Math.abs(f.movement.onset - first.movement.onset) > TOGETHER_MS || !Number.isFinite(f.missGrowth)) continue;
    const tier = f.movement.info.service ?? f.movement.series;
    tiers.set(tier, Math.max(tiers.get(tier) ?? 1, f.missGrowth));
  }
  const chained = [...tiers.values()].reduce((a, b) => a * b, 1);
  return { ...first, chainedGrowth: Math.max(first.missGrowth, chained), cacheFailing: cacheCallsFailing(c, first.movement, slackMs) };
}

/** Load that grew by this factor behind a cache whose misses grew as they did (through every cache in series) is the misses, not demand. */
export function explainedByMisses(fall: CacheFall, loadGrowth: number): boolean {
  return loadGrowth <= EXPLAINED_MARGIN * Math.max(fall.missGrowth, fall.chainedGrowth ?? 0);
}

/** Whether the cache began missing while the change took effect (during its rollout, or just after it). */
export function fellAsItActed(fall: CacheFall, change: ChangeInfo, slackMs: number): boolean {
  const at = fall.movement.onset;
  return at >= change.at - slackMs && at <= change.at + effectWindowMs(change);
}

/**
 * Whether the cache's fall may be laid to this change. A change of the service the cache
 * belongs to, taking effect as it began missing, is the first explanation of its misses (its
 * own code, keys and settings); a change elsewhere that merely took effect in the same minutes
 * claims the fall only when no such change exists, and when the calls to the cache did not
 * themselves slow or fail as it began missing.
 */
export function fallClaimedBy(fall: CacheFall, change: ChangeInfo, changes: readonly ChangeInfo[], slackMs: number): boolean {
  if (!fellAsItActed(fall, change, slackMs)) return false;
  const owner = fall.movement.info.service;
  if (owner === null || change.service === owner) return true;
  // The cache itself slowed or failed as it began missing: no change elsewhere asked it for anything new.
  if (fall.cacheFailing !== null) return false;
  return !changes.some((other) => other.service === owner && fellAsItActed(fall, other, slackMs));
}

/** The fall in words: the series, its levels and what it means for the work behind the cache. */
export function fallText(fall: CacheFall): string {
  const m = fall.movement;
  const pct = (share: number): string => `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;
  return `${m.display} ${m.info.meaning.missShare ? 'rose' : 'fell'} (${pct(fall.missedBefore)} of requests missed, then ${pct(fall.missedAfter)}): each request sends ${fall.missGrowth === Infinity ? 'new' : `${fall.missGrowth.toFixed(1)}×`} work behind the cache`;
}

/**
 * A change that is on no path the topology shows is still on the incident's path when the
 * cache in front of the load began missing as it took effect: what it changed reaches the
 * saturated tier through the cache (a key, a lifetime, what the callers ask for).
 */
export function missesPath(fall: CacheFall | null, change: ChangeInfo, changes: readonly ChangeInfo[], slackMs: number): PathLink | null {
  if (fall === null || !fallClaimedBy(fall, change, changes, slackMs)) return null;
  return {
    reason: `the cache in front of the load began missing at ${iso(fall.movement.onset)}, as it took effect (${fall.movement.display})`,
    movement: fall.movement,
    log: null,
  };
}
