// A reserve its service stopped refilling. Free disk space on a machine that writes scratch
// files is a sawtooth: each job fills it and its cleanup frees it again. A release that stops
// the cleanup (a `finally` that no longer deletes, a retention job that no longer runs) shows
// nothing at once: the space only stops coming back, and the disk fills over hours until a
// write fails. Read alone, the full disk looks like the machine's failure; what ties it to
// the change is the moment the refills stopped, which no disk chooses by itself.
import { CHANGE_HORIZON_MS, type Case } from './case.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { finding, type Finding } from './model.js';
import { minutes } from './prose.js';
import { readSeriesValues, resultOf, type ChangeInfo, type SeriesValues } from './read.js';
import type { Replay } from './replay.js';
import { drainedReserves, type DrainedReserve } from './reserve.js';

/** A refill: the reserve rose between two readings by at least this share of its fullest level. */
const REFILL = 0.1;
/** Before the change it was refilled at least this often, in the time read before it. */
const MIN_REFILLS_BEFORE = 2;
const BEFORE_MS = 4 * 60 * 60_000;
/**
 * Work that began on the old build may still finish, and clean up, after a release: the last
 * refill may come this long after the change (or one usual gap between refills, if longer).
 */
const SETTLE_MS = 60 * 60_000;
/** The refills then stayed away for at least this many usual gaps, and this long, until the reserve ran dry. */
const GAPS_MISSED = 3;
const MIN_SILENCE_MS = 60 * 60_000;

/** Reserves read back, at most, and points per series. */
const MAX_SERIES = 4;
const POINTS = 500;

/**
 * The reserves that ran dry under a service changed before they began to drain, read back from
 * before the first such change: the drain alone is read from around the page, not from when
 * the space was still coming back.
 */
export async function probeRefills(r: Replay, c: Case, episode: Episode): Promise<Map<string, SeriesValues>> {
  const history = new Map<string, SeriesValues>();
  const wanted: Array<{ ref: string; from: number; to: number }> = [];
  for (const reserve of drainedReserves(c, episode).values()) {
    const changed = c.changes.filter((x) => x.service === reserve.info.service && x.at <= reserve.began && reserve.dryAt - x.at <= CHANGE_HORIZON_MS);
    if (changed.length === 0) continue;
    wanted.push({ ref: reserve.ref, from: Math.min(...changed.map((x) => x.at)) - BEFORE_MS, to: reserve.dryAt });
  }
  const chosen = wanted.slice(0, MAX_SERIES);
  if (chosen.length === 0) return history;
  const from = Math.min(...chosen.map((w) => w.from));
  const to = Math.max(...chosen.map((w) => w.to));
  const result = resultOf('query_metrics', await r.call('query_metrics', { series: chosen.map((w) => w.ref), from: iso(from), to: iso(to), max_points: POINTS, limit: chosen.length }));
  if (result === null) return history;
  for (const values of readSeriesValues(result)) history.set(values.id, values);
  return history;
}

/** When the reserve rose by a refill, in order. */
function refillTimes(c: Case, reserve: DrainedReserve): number[] {
  const values = c.reserveHistory.get(reserve.ref) ?? c.values.get(reserve.ref);
  if (values === undefined) return [];
  const out: number[] = [];
  let last: number | null = null;
  values.values.forEach((v, i) => {
    if (v === null || v === undefined) return;
    if (last !== null && v - last >= REFILL * reserve.full) out.push(values.start + i * values.stepMs);
    last = v;
  });
  return out;
}

/**
 * The reserve of the changed service was refilled again and again before the change, was not
 * refilled once work started before the change had finished, and stayed unrefilled until it
 * ran dry as the incident began: the change stopped what freed it.
 */
export function refillsStoppedFinding(c: Case, reserve: DrainedReserve | null, change: ChangeInfo): Finding | null {
  if (reserve === null || change.service !== reserve.info.service || change.at > reserve.dryAt) return null;
  const refills = refillTimes(c, reserve);
  const before = refills.filter((t) => t <= change.at && change.at - t <= BEFORE_MS);
  if (before.length < MIN_REFILLS_BEFORE) return null;
  const gaps = before.slice(1).map((t, i) => t - (before[i] as number));
  const usualGap = gaps.length === 0 ? BEFORE_MS / before.length : Math.max(...gaps);
  const after = refills.filter((t) => t > change.at && t <= reserve.dryAt);
  const lastRefill = after.length === 0 ? change.at : (after[after.length - 1] as number);
  if (lastRefill - change.at > Math.max(SETTLE_MS, usualGap)) return null;
  const silence = reserve.dryAt - lastRefill;
  if (silence < Math.max(MIN_SILENCE_MS, GAPS_MISSED * usualGap)) return null;
  return finding(
    'refills_stopped',
    `${reserve.ref} of ${change.service} was freed again ${before.length} times in the ${minutes(BEFORE_MS)} before ${change.id}, at most ${minutes(usualGap)} apart; after it, it was freed ${after.length === 0 ? 'never' : `last at ${iso(lastRefill)}`} and fell for ${minutes(silence)} until it ran dry at ${iso(reserve.dryAt)}: the change stopped what freed it`,
    [{ source: 'metrics', ref: reserve.ref, detail: `freed ${before.length} times before ${iso(change.at)}, not after ${iso(lastRefill)}; empty from ${iso(reserve.dryAt)}` }],
  );
}
