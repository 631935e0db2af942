// A release rolled out pod by pod, read from the count of pods on its version. One change
// record covers the whole rollout, but the bundle counts the replicas on each version
// (`app_replicas_by_version{version="2026.07.17-1"}`): as the pods move to the new build one at
// a time, a symptom that climbs a step with each of them, and stood level while none ran it,
// is that build's doing. It is a rollout's staircase, with the pods as its stages.
import type { Case, Movement } from './case.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { finding, type Finding } from './model.js';
import { level, movedLevel } from './prose.js';
import { readSeriesValues, resultOf, type SeriesInfo, type SeriesValues } from './read.js';
import type { Replay } from './replay.js';
import type { Suspect } from './suspects.js';
import { median, pointsIn } from './values.js';
import { VERSION_LABEL } from './versions.js';

/** Read from this long before the rollout began to this long after it ended. */
const BEFORE_MS = 10 * 60_000;
const AFTER_MS = 10 * 60_000;
const POINTS = 300;
/** The pods counted at this many levels at least (none, some, more): a staircase, not one step. */
const LEVELS = 3;
/** The symptom must follow the count this closely (Pearson's r)... */
const FOLLOWS = 0.9;
/** ...and the whole climb must stand this share of the level before, and this many deviations of it. */
const CLIMB_SHARE = 0.5;
const CLIMB_SIGMA = 6;
/** Each pod more must raise the symptom by at least this share of an even step. */
const STAIR = 0.4;
/** Symptom series tried, the strongest first. */
const MAX_SYMPTOMS = 3;

/** A count of the service's pods on the change's version. */
function podCountOf(c: Case, service: string, version: string): SeriesInfo | null {
  const bare = (v: string): string => v.trim().replace(/^v(?=\d)/i, '');
  return (
    c.series.find(
      (s) =>
        s.service === service &&
        /(replicas|pods|instances)/i.test(s.name) &&
        Object.entries(s.labels).some(([key, value]) => VERSION_LABEL.test(key) && bare(value) === bare(version)),
    ) ?? null
  );
}

/** The count in force at each time: its latest reading at or before it. */
function countAt(count: SeriesValues, t: number): number | null {
  const i = Math.floor((t - count.start) / count.stepMs);
  for (let j = Math.min(i, count.values.length - 1); j >= 0; j--) {
    const v = count.values[j];
    if (v !== null && v !== undefined) return v;
  }
  return null;
}

function pearson(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}

/** Whether the symptom climbed with the pods: level before any ran the build, up with each one. */
function followsPods(count: SeriesValues, symptom: SeriesValues, m: Movement, from: number, to: number): { before: number; after: number } | null {
  const pairs = pointsIn(symptom, from, to).flatMap((p) => {
    const n = countAt(count, p.t);
    return n === null ? [] : [{ n, v: m.direction === 'up' ? p.v : -p.v }];
  });
  if (new Set(pairs.map((p) => p.n)).size < LEVELS) return null;
  const none = pairs.filter((p) => p.n === 0).map((p) => p.v);
  const most = Math.max(...pairs.map((p) => p.n));
  const all = pairs.filter((p) => p.n === most).map((p) => p.v);
  if (none.length < 3 || all.length < 3) return null;
  const base = median(none);
  const sigma = 1.4826 * median(none.map((v) => Math.abs(v - base)));
  const climb = median(all) - base;
  if (climb <= Math.max(CLIMB_SHARE * Math.abs(base), CLIMB_SIGMA * sigma, 1e-12)) return null;
  if (pearson(pairs.map((p) => p.n), pairs.map((p) => p.v)) < FOLLOWS) return null;
  // A staircase: every pod more stands a step higher, not all of it with the first one.
  const counts = [...new Set(pairs.map((p) => p.n))].sort((a, b) => a - b);
  const levels = counts.map((n) => median(pairs.filter((p) => p.n === n).map((p) => p.v)));
  const fairStep = climb / (counts.length - 1);
  if (levels.some((v, i) => i > 0 && v - (levels[i - 1] as number) < STAIR * fairStep)) return null;
  const sign = m.direction === 'up' ? 1 : -1;
  return { before: sign * base, after: sign * median(all) };
}

/** For a release whose pods on its version are counted: a symptom that climbed with them. */
export async function probePodRamp(r: Replay, c: Case, episode: Episode, suspect: Suspect): Promise<Finding | null> {
  const { change } = suspect;
  const version = change.version?.trim() ?? '';
  if (suspect.ruledOut !== null || change.type !== 'deploy' || change.service === null || version === '') return null;
  const count = podCountOf(c, change.service, version);
  if (count === null) return null;
  const symptoms = [...episode.symptoms].sort((a, b) => b.strength - a.strength || (a.series < b.series ? -1 : 1)).slice(0, MAX_SYMPTOMS);
  if (symptoms.length === 0) return null;
  const from = change.at - BEFORE_MS;
  const to = (change.finishedAt ?? change.at) + AFTER_MS;
  const ids = [count.id, ...symptoms.map((m) => m.series)];
  const result = resultOf('query_metrics', await r.call('query_metrics', { series: ids, from: iso(from), to: iso(to), max_points: POINTS, limit: ids.length }));
  if (result === null) return null;
  const values = new Map(readSeriesValues(result).map((v) => [v.id, v]));
  const pods = values.get(count.id);
  if (pods === undefined) return null;
  for (const m of symptoms) {
    const series = values.get(m.series);
    const climbed = series === undefined ? null : followsPods(pods, series, m, from, to);
    if (climbed === null) continue;
    return finding(
      'follows_rollout',
      `the symptoms climbed with each pod it moved to ${version} (${m.display} ${movedLevel(m, climbed.before)} with none of them → ${movedLevel(m, climbed.after)} with all), as counted by ${count.id}`,
      [
        { source: 'metrics', ref: count.id, detail: `pods on ${version} from ${iso(change.at)}` },
        { source: 'metrics', ref: m.series, detail: `${level(climbed.before)} with no pod on ${version}, ${level(climbed.after)} with all of them` },
      ],
    );
  }
  return null;
}
