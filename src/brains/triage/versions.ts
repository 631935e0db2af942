// Old pods against new ones, read as an on-call engineer reads a release: when a service's
// latency or errors are broken down by version (a `version`, `revision` or `image` label),
// the symptom in the pods of the new version only is the release acting; the symptom in the
// pods of the old version as much as in the new is something the release did not do (the old
// code runs there), whatever its timing.
import type { Case } from './case.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { finding, type Finding } from './model.js';
import { level } from './prose.js';
import { readSeriesValues, resultOf, type SeriesInfo, type SeriesValues } from './read.js';
import type { Replay } from './replay.js';
import type { Suspect } from './suspects.js';
import { median, pointsIn } from './values.js';

/** Labels that name the build a series' instance runs. */
export const VERSION_LABEL = /^(version|app_version|service_version|revision|image|image_tag|tag|release|build|git_sha|commit)$/i;
/** Labels that name a pod, an instance or a host: such series start and stop whenever one is replaced. */
export const PLACE_LABEL = /^(pod|pod_name|instance|instance_id|host|hostname|node|container|container_id|replica)$/i;

/** A series of one build or one replaceable place: it appears and goes with a rollout or a restart, not with the work it counts. */
export function ofBuildOrPlace(labels: Readonly<Record<string, string>>): boolean {
  return Object.keys(labels).some((key) => VERSION_LABEL.test(key) || PLACE_LABEL.test(key));
}
/** A series that started this close to the change's time (or within its rollout) belongs to the new version. */
const START_SLACK_MS = 60_000;
const ROLLOUT_TAIL_MS = 10 * 60_000;
/** The level before the release is read over this long. */
const BASELINE_MS = 30 * 60_000;
/** The symptom is read from the onset for this long. */
const WINDOW_MS = 10 * 60_000;
/** Moments both versions were measured at, in the window, for the comparison to mean anything. */
const MIN_SHARED = 3;
/** The new version's excess must be this share of its baseline to be a symptom at all. */
const SICK = 0.5;
/** Old pods with at least this share of the new pods' excess were just as sick; at most `ONLY_SHARE`, they were spared. */
const ALSO_SHARE = 0.5;
const ONLY_SHARE = 0.15;
const MAX_SERIES = 8;
const POINTS = 240;

/** The known values of a series in a span (none when the series was not returned). */
function valuesIn(values: SeriesValues | undefined, from: number, to: number): number[] {
  return values === undefined ? [] : pointsIn(values, from, to).map((p) => p.v);
}

/** The median, or null for no values. */
function medianOf(xs: readonly number[]): number | null {
  return xs.length === 0 ? null : median(xs);
}

/** The values of several series by time, in a span. */
function byTime(series: ReadonlyArray<SeriesValues | undefined>, from: number, to: number): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const values of series) {
    if (!values) continue;
    values.values.forEach((v, i) => {
      const t = values.start + i * values.stepMs;
      if (v === null || t < from || t > to) return;
      const at = out.get(t);
      if (at) at.push(v);
      else out.set(t, [v]);
    });
  }
  return out;
}

function versionOf(s: SeriesInfo): string | null {
  const key = Object.keys(s.labels).find((k) => VERSION_LABEL.test(k));
  return key === undefined ? null : (s.labels[key] ?? null);
}

interface Split {
  name: string;
  old: SeriesInfo[];
  fresh: SeriesInfo[];
  worseWhen: 'up' | 'down';
}

/** Symptom series of the deploy's service split by version: old pods still running through the onset, and the ones the deploy started. */
function splitsOf(c: Case, suspect: Suspect, episode: Episode): Split[] {
  const { change } = suspect;
  const settled = (change.finishedAt ?? change.at) + ROLLOUT_TAIL_MS;
  const byName = new Map<string, Split>();
  for (const s of c.series) {
    if (s.service !== change.service || s.start === null) continue;
    const worse = s.meaning.worseWhen;
    if ((s.meaning.measures !== 'latency' && s.meaning.measures !== 'errors') || worse === null) continue;
    if (versionOf(s) === null) continue;
    const split = byName.get(s.name) ?? { name: s.name, old: [], fresh: [], worseWhen: worse };
    if (s.start < change.at - START_SLACK_MS && (s.end ?? 0) >= episode.onset) split.old.push(s);
    else if (s.start >= change.at - START_SLACK_MS && s.start <= settled) split.fresh.push(s);
    byName.set(s.name, split);
  }
  return [...byName.values()].filter((split) => split.old.length > 0 && split.fresh.length > 0 && new Set([...split.old, ...split.fresh].map(versionOf)).size >= 2);
}

/**
 * For a deploy standing as a suspect, compares its service's symptom in the pods of the old
 * version with the pods it started, over the first minutes of the incident, against the old
 * pods' level before it. Returns the finding either way, or null when the bundle has no such
 * breakdown or it says nothing clear.
 */
export async function probeVersions(r: Replay, c: Case, episode: Episode, suspect: Suspect): Promise<Finding | null> {
  const { change } = suspect;
  if (suspect.ruledOut !== null || change.service === null || change.type !== 'deploy') return null;
  const split = splitsOf(c, suspect, episode)[0];
  if (!split) return null;
  const old = split.old.slice(0, MAX_SERIES / 2);
  const fresh = split.fresh.slice(0, MAX_SERIES - old.length);
  const from = change.at - BASELINE_MS;
  const to = episode.onset + WINDOW_MS;
  const result = resultOf('query_metrics', await r.call('query_metrics', { series: [...old, ...fresh].map((s) => s.id), from: iso(from), to: iso(to), max_points: POINTS, limit: old.length + fresh.length }));
  if (result === null) return null;
  const values = new Map(readSeriesValues(result).map((v) => [v.id, v]));
  const sign = split.worseWhen === 'up' ? 1 : -1;
  const baseline = medianOf(old.flatMap((s) => valuesIn(values.get(s.id), from, change.at)));
  // Old pods are replaced as the rollout goes on: the versions are compared at the moments both ran.
  const oldAt = byTime(old.map((s) => values.get(s.id)), episode.onset, to);
  const newAt = byTime(fresh.map((s) => values.get(s.id)), episode.onset, to);
  const shared = [...oldAt.keys()].filter((t) => newAt.has(t));
  if (baseline === null || baseline === 0 || shared.length < MIN_SHARED) return null;
  const oldLevel = median(shared.map((t) => median(oldAt.get(t) as number[])));
  const newLevel = median(shared.map((t) => median(newAt.get(t) as number[])));
  const newExcess = (sign * (newLevel - baseline)) / Math.abs(baseline);
  const oldExcess = (sign * (oldLevel - baseline)) / Math.abs(baseline);
  if (newExcess < SICK) return null;
  const oldVersion = versionOf(old[0] as SeriesInfo);
  const newVersion = versionOf(fresh[0] as SeriesInfo);
  const evidence = [
    { source: 'metrics', ref: (old[0] as SeriesInfo).id, detail: `${oldVersion}: ${level(baseline)} before, ${level(oldLevel)} from ${iso(episode.onset)}` },
    { source: 'metrics', ref: (fresh[0] as SeriesInfo).id, detail: `${newVersion}: ${level(newLevel)} from ${iso(episode.onset)}` },
  ];
  if (oldExcess >= ALSO_SHARE * newExcess) {
    return finding(
      'old_version_sick',
      `the pods still on the old version (${oldVersion}) were as sick as the ones it started (${split.name}: ${level(oldLevel)} against ${level(newLevel)}, from ${level(baseline)} before): what holds them up does not run only its new code`,
      evidence,
    );
  }
  if (oldExcess <= ONLY_SHARE * newExcess) {
    return finding(
      'only_new_version_sick',
      `only the pods it started (${newVersion}) are sick: ${split.name} ${level(newLevel)} there against ${level(oldLevel)} on the old version (${oldVersion}), which held its level of ${level(baseline)}`,
      evidence,
    );
  }
  return null;
}
