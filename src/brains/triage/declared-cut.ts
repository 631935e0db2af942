// A limit cut, read off the limit the service declares. A change tightened a pool or a quota
// (`max-per-route: 64 → 12`); the service exports that limit as a series beside its use
// (`pool_max_connections` beside `pool_leased_connections`), summed over its pods, so the
// number the diff wrote is not the number the series shows. What ties them is the cut itself:
// the declared limit stepped down by the diff's factor as the change took effect. When the
// use then climbed to the new limit before the page, though it never came near the old one,
// the load met a ceiling the change put there: its doing, however long the load took.
import type { Case } from './case.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { declaredLimitOf } from './limits.js';
import { limitCuts } from './limit-reached.js';
import { finding, type Finding } from './model.js';
import { level, minutes } from './prose.js';
import { readSeriesValues, resultOf, type SeriesInfo, type SeriesValues } from './read.js';
import type { Replay } from './replay.js';
import type { Suspect } from './suspects.js';
import { median, pointsIn } from './values.js';

/** The declared limit's step matches the diff's factor within this share either way. */
const FACTOR_SLACK = 0.3;
/** With no cut in the diff, the declared limit must have stepped down at least this much (a factor) as the change took effect. */
const MEASURED_CUT = 1.5;
/** Reached: the use at this share of the new limit... */
const REACHED = 0.9;
/** ...while it never came within this share of the old one (it would have had room). */
const OLD_ROOM = 0.9;
/** How long a limit takes to roll out to every pod, and how much history shows the old one. */
const ROLLOUT_MS = 15 * 60_000;
const BEFORE_MS = 30 * 60_000;
const AFTER_PAGE_MS = 15 * 60_000;
const MAX_PAIRS = 6;

/**
 * Whether a use of the changed service climbed, before the page, to a declared limit that
 * stepped down by the diff's cut as the change took effect. Returns the finding that the
 * change took the room away, or null.
 */
export async function probeDeclaredCut(r: Replay, c: Case, episode: Episode, suspect: Suspect, measuredOnly = false): Promise<Finding | null> {
  const { change } = suspect;
  if (suspect.ruledOut !== null || change.service === null) return null;
  // The diff's cuts by plain numbers; without one (a Terraform instance class, a node type), the
  // declared limit's own step as the change took effect is the cut, measured (asked last, when
  // nothing else explained the wait: it costs a read for every change of a service with a limit).
  const cuts = limitCuts(suspect);
  if ((cuts.length === 0) !== measuredOnly) return null;
  // Measured, only a change of what the service runs on (infra) or of its settings can have set
  // the limit: a release of code with no number cut did not, whatever stepped near it.
  if (measuredOnly && change.type !== 'infra' && change.type !== 'config') return null;
  const pairs: Array<{ use: SeriesInfo; limit: SeriesInfo }> = [];
  for (const use of c.series) {
    if (use.service !== change.service || pairs.length >= MAX_PAIRS) continue;
    const limit = declaredLimitOf(c, use);
    if (limit !== null) pairs.push({ use, limit });
  }
  if (pairs.length === 0) return null;
  const from = change.at - BEFORE_MS;
  const to = Math.max(episode.onset, c.alertAt) + AFTER_PAGE_MS;
  const ids = [...new Set(pairs.flatMap((p) => [p.use.id, p.limit.id]))];
  const result = resultOf('query_metrics', await r.call('query_metrics', { series: ids, from: iso(from), to: iso(to), max_points: 240, limit: ids.length }));
  if (result === null) return null;
  const byId = new Map<string, SeriesValues>(readSeriesValues(result).map((v) => [v.id, v]));
  for (const { use, limit } of pairs) {
    const u = byId.get(use.id);
    const l = byId.get(limit.id);
    if (u === undefined || l === undefined) continue;
    const old = median(pointsIn(l, from, change.at).map((p) => p.v));
    const cut = median(pointsIn(l, change.at + ROLLOUT_MS, c.alertAt).map((p) => p.v));
    if (!(old > 0 && cut > 0)) continue;
    const stepped = old / cut;
    const matching = cuts.find((x) => Math.abs(stepped / (x.from / x.to) - 1) <= FACTOR_SLACK);
    // Measured, the limit must have stepped at the change itself: its level just after it is the cut already.
    const justAfter = median(pointsIn(l, change.at + ROLLOUT_MS, change.at + ROLLOUT_MS + BEFORE_MS).map((p) => p.v));
    const measured = cuts.length === 0 && stepped >= MEASURED_CUT && justAfter > 0 && Math.abs(justAfter / cut - 1) <= FACTOR_SLACK;
    if (matching === undefined && !measured) continue;
    const used = pointsIn(u, change.at, to);
    const reached = used.find((p) => p.v >= REACHED * cut);
    const peak = Math.max(...pointsIn(u, from, to).map((p) => p.v));
    if (reached === undefined || reached.t > to || peak >= OLD_ROOM * old) continue;
    return finding(
      'headroom_used',
      `${use.id} climbed to ${level(reached.v)} at ${iso(reached.t)}, the limit ${limit.id} declared since ${change.id} cut it from ${level(old)} to ${level(cut)}, ${minutes(reached.t - change.at)} before; it never came near the old limit${matching === undefined ? '' : ` (${matching.risk.detail})`}`,
      [
        { source: 'metrics', ref: limit.id, detail: `stepped from ${level(old)} to ${level(cut)} as ${change.id} took effect (${iso(change.at)})` },
        { source: 'metrics', ref: use.id, detail: `reached ${level(reached.v)} at ${iso(reached.t)}, peak ${level(peak)}` },
        ...(matching === undefined ? [] : [{ source: 'diffs' as const, ref: matching.risk.patch, detail: `${matching.risk.detail} at ${matching.risk.code}` }]),
      ],
    );
  }
  return null;
}
