// Work a change stopped. A release can quietly stop one job of its service (a sweeper that no
// longer releases expired holds, a compactor that no longer runs): the series that counts that
// job falls to nothing the moment the change takes effect, while the service goes on taking its
// requests. Nothing fails at once; what the job used to clear piles up until it shows, hours
// later. The mirror of new work (support.ts): both are what only that change can have done.
import type { Case } from './case.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { finding, type Finding } from './model.js';
import { level } from './prose.js';
import { readSeriesValues, resultOf, type SeriesInfo } from './read.js';
import type { Replay } from './replay.js';
import type { Suspect } from './suspects.js';
import { levelIn } from './values.js';
import { ofBuildOrPlace } from './versions.js';

/** Read this long before the change, and from a little after it for as long again. */
const WINDOW_MS = 20 * 60_000;
const SETTLE_MS = 5 * 60_000;
/** Fallen to this share of its level before, or less: to nothing. */
const TO_NOTHING = 0.02;
/** The service's intake still at this share of its level before: it kept taking work. */
const INTAKE_HELD = 0.5;

/** Series read, at most, and points per series. */
const MAX_SERIES = 8;
const POINTS = 300;

/** The counts of work its service reports (not its latency, errors or what waits), of no pod or build. */
function ownSeries(c: Case, service: string): SeriesInfo[] {
  return c.series.filter(
    (s) =>
      s.service === service &&
      s.meaning.measures !== 'latency' &&
      s.meaning.measures !== 'errors' &&
      s.meaning.measures !== 'availability' &&
      !s.meaning.backlog &&
      // Series of a pod, an instance or a build stop whenever one is replaced, not because a job did.
      !ofBuildOrPlace(s.labels),
  );
}

/**
 * Reads its service's counts of work across the change and up to the onset: a job that fell to
 * nothing as it took effect and stayed there until the onset, while the service's intake held.
 */
export async function probeStoppedWork(r: Replay, c: Case, episode: Episode, suspect: Suspect): Promise<Finding | null> {
  const { change } = suspect;
  const service = change.service;
  if (suspect.ruledOut !== null || service === null || episode.onset - change.at < WINDOW_MS + SETTLE_MS) return null;
  const own = ownSeries(c, service).slice(0, MAX_SERIES);
  if (own.length < 2) return null;
  const ids = own.map((s) => s.id);
  const result = resultOf('query_metrics', await r.call('query_metrics', { series: ids, from: iso(change.at - WINDOW_MS), to: iso(episode.onset), max_points: POINTS, limit: ids.length }));
  if (result === null) return null;
  const byId = new Map(own.map((s) => [s.id, s]));
  const read = readSeriesValues(result).flatMap((values) => {
    const s = byId.get(values.id);
    const before = levelIn(values, change.at - WINDOW_MS, change.at);
    const after = levelIn(values, change.at + SETTLE_MS, change.at + SETTLE_MS + WINDOW_MS);
    const atOnset = levelIn(values, episode.onset - WINDOW_MS, episode.onset);
    return s === undefined || before === null || after === null || atOnset === null ? [] : [{ s, before, after, atOnset }];
  });
  const intakeHeld = read.some((x) => x.s.meaning.measures === 'traffic' && x.before > 0 && x.after >= INTAKE_HELD * x.before && x.atOnset >= INTAKE_HELD * x.before);
  if (!intakeHeld) return null;
  // The job as a whole: where the same count for another source (another site, another queue)
  // went on, the job still runs, and what stopped is that one source sending.
  const goesOn = (x: (typeof read)[number]): boolean =>
    read.some((y) => y !== x && y.s.name === x.s.name && y.before > 0 && y.atOnset >= INTAKE_HELD * y.before);
  const stopped = read.find((x) => x.before > 0 && x.after <= TO_NOTHING * x.before && x.atOnset <= TO_NOTHING * x.before && !goesOn(x));
  if (stopped === undefined) return null;
  return finding(
    'work_stopped',
    `${stopped.s.id} fell from ${level(stopped.before)} to nothing as it took effect and stayed there, while ${service} kept taking its work: a job it stopped doing, whose backlog the symptoms waited for`,
    [{ source: 'metrics', ref: stopped.s.id, detail: `${level(stopped.before)} before ${change.id} (${iso(change.at)}), ${level(stopped.after)} after it, ${level(stopped.atOnset)} at the onset` }],
  );
}
