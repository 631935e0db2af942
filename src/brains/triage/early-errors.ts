// A defect that hit a few requests from the start, read as an on-call engineer reads it: the
// changed service's own errors stepped up the moment it took effect, hours before, at a level
// too low to page (the rare input the new code mishandles), held there, and became the incident
// when most requests met that input (a date boundary, a batch, a peak). The change is far from
// the onset in time and close to it in cause: its errors were there from the start.
import type { Case } from './case.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { level, minutes } from './prose.js';
import { readSeriesValues, resultOf, type SeriesInfo, type SeriesValues } from './read.js';
import type { Replay } from './replay.js';
import { finding, type Finding } from './model.js';
import type { Suspect } from './suspects.js';
import { eventsIn, levelIn } from './values.js';
import { rushedAcross, trafficOf, windowsAcross } from './across-change.js';
import { countsWhatItSets } from './intended.js';

/** How far the errors must step as it took effect (a factor), to be its doing and not jitter. */
const STEP_RATIO = 3;
/** How much higher than that step they must stand at the incident: the same errors, grown. */
const GREW_RATIO = 3;
/** How long after the onset the errors' incident level is read over. */
const INCIDENT_MS = 10 * 60_000;
const MAX_SERIES = 6;
const POINTS = 240;

/** How far before the change its errors' history is read for the same level. */
const HISTORY_MS = 2 * 60 * 60_000;
/** A stretch before the change at this share of the level after it had the same errors already. */
const SEEN_SHARE = 0.7;

/**
 * The errors stood at the level they "stepped" to for a stretch as long as the window after
 * the change, somewhere in the hours before it: a series that comes and goes in spells (a few
 * failures one half hour, none the next) had a quiet half hour before the change, not a step.
 */
function seenBefore(v: SeriesValues, change: number, span: number, level: number): boolean {
  const stride = Math.max(span / 2, 60_000);
  for (let from = change - HISTORY_MS; from + span <= change; from += stride) {
    const there = levelIn(v, from, from + span);
    if (there !== null && there >= SEEN_SHARE * level) return true;
  }
  return false;
}

/** Fewer events than this over the hours the step held are a few stray errors, not a defect at work. */
const MIN_EVENTS = 5;

function errorSeries(c: Case, service: string): SeriesInfo[] {
  return c.series.filter((s) => s.service === service && s.meaning.measures === 'errors' && s.meaning.worseWhen === 'up' && !('le' in s.labels)).slice(0, MAX_SERIES);
}

/**
 * Looks at the changed service's errors across the change and at the onset: a step up as it
 * took effect (from nothing, or threefold), held until the onset, and several times higher
 * again at the incident, with the service's traffic level across the change.
 */
export async function probeEarlyErrors(r: Replay, c: Case, episode: Episode, suspect: Suspect): Promise<Finding | null> {
  const { change } = suspect;
  const service = change.service;
  const w = windowsAcross(change, episode.onset);
  if (suspect.ruledOut !== null || service === null || w === null) return null;
  // A count of what its own setting selects (drops by the filter it tightened) is that setting at work.
  const errors = errorSeries(c, service).filter((s) => !countsWhatItSets(suspect.risks, s));
  if (errors.length === 0) return null;
  const traffic = trafficOf(c, service);
  const asked = [...errors, ...traffic].map((s) => s.id);
  const result = resultOf('query_metrics', await r.call('query_metrics', { series: asked, from: iso(Math.min(w.before.from, change.at - HISTORY_MS)), to: iso(episode.onset + INCIDENT_MS), max_points: POINTS, limit: asked.length }));
  if (result === null) return null;
  const values = new Map(readSeriesValues(result).map((v) => [v.id, v]));
  // More requests make more errors: a step that traffic explains is no defect.
  if (rushedAcross(values, traffic, w)) return null;
  for (const s of errors) {
    const v = values.get(s.id);
    if (!v) continue;
    const before = levelIn(v, w.before.from, w.before.to);
    const after = levelIn(v, w.after.from, w.after.to);
    const held = levelIn(v, w.after.from, w.heldTo);
    const incident = levelIn(v, episode.onset, episode.onset + INCIDENT_MS);
    if (before === null || after === null || held === null || incident === null || after <= 0) continue;
    const stepped = before > 0 ? after >= STEP_RATIO * before : true;
    // Held: the errors stayed up until the onset, not a burst that passed.
    const stayed = before > 0 ? held >= STEP_RATIO * before : held > 0;
    if (!stepped || !stayed || incident < GREW_RATIO * after) continue;
    if (seenBefore(v, change.at, w.after.to - w.after.from, after)) continue;
    // A rate so thin it counts less than a handful of events over the hours it held is no step anyone saw.
    const events = eventsIn(s.name, held, w.heldTo - w.after.from);
    if (events !== null && events < MIN_EVENTS) continue;
    return finding(
      'errors_since_change',
      `${s.id}, a count of what goes wrong in ${service}, stepped from ${level(before)} to ${level(after)} as it took effect and held there, below anything that would page, then rose to ${level(incident)} at the onset ${minutes(episode.onset - change.at)} later: what it broke was there from the start, and grew into the incident`,
      [{ source: 'metrics', ref: s.id, detail: `${level(before)} → ${level(after)} across ${change.id} (${iso(change.at)}); ${level(incident)} after ${iso(episode.onset)}` }],
    );
  }
  return null;
}
