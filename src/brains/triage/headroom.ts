// A cost that only shows at peak, read as an on-call engineer reads it: the resource that
// ran out at the onset (a disk's utilisation, a pool's busy share, a CPU) stepped up the
// moment a change took effect, hours before, while the traffic held. The change used up the
// room: a provisioned ceiling cut, each request made heavier. Nothing failed then because
// there was room left; the symptom waited for the load that needed that room.
import type { Case, Movement } from './case.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { minutes, movedLevel } from './prose.js';
import { readSeriesValues, resultOf, type SeriesInfo, type SeriesValues } from './read.js';
import type { Replay } from './replay.js';
import { finding, type Finding } from './model.js';
import type { Suspect } from './suspects.js';
import { median, pointsIn } from './values.js';

/** A change this close to the onset is judged by what happened right after it, not by the room it used. */
const MIN_GAP_MS = 15 * 60_000;
/** The windows either side of the change that its level is read over. */
const WINDOW_MS = 30 * 60_000;
/** Left for the rollout to settle before the level after it is read. */
const SETTLE_MS = 5 * 60_000;
/** How far the resource must step (as a factor) to be the change using up room, not jitter. */
const STEP_RATIO = 1.5;
/** Traffic that grew more than this across the change explains the step as load. */
const TRAFFIC_HELD = 1.25;
/** How long before the onset a resource's rise counts as the one that ran out. */
const RAN_OUT_LEAD_MS = 30 * 60_000;
const MAX_SERIES = 6;
const POINTS = 240;

function levelIn(values: SeriesValues, from: number, to: number): number | null {
  const points = pointsIn(values, from, to);
  return points.length >= 3 ? median(points.map((p) => p.v)) : null;
}

/** The saturation series of the service that rose at the onset: the room that ran out. */
function ranOut(c: Case, episode: Episode, service: string, slackMs: number): Movement[] {
  return c.movements
    .filter((m) => m.info.service === service && m.kind === 'saturation' && m.direction === 'up' && m.onset >= episode.onset - RAN_OUT_LEAD_MS && m.onset <= episode.onset + slackMs)
    .sort((a, b) => b.strength - a.strength || (a.series < b.series ? -1 : 1))
    .slice(0, MAX_SERIES - 2);

}

function trafficOf(c: Case, service: string): SeriesInfo[] {
  return c.series.filter((s) => s.service === service && s.meaning.measures === 'traffic').slice(0, 2);
}

/**
 * Looks at the resource that ran out at the onset, on the changed service, across the change:
 * a step up as it took effect, with the service's traffic level, is room the change used up.
 */
export async function probeHeadroom(r: Replay, c: Case, episode: Episode, suspect: Suspect, slackMs: number): Promise<Finding | null> {
  const { change } = suspect;
  const service = change.service;
  if (suspect.ruledOut !== null || service === null || episode.onset - change.at < MIN_GAP_MS) return null;
  const resources = ranOut(c, episode, service, slackMs);
  if (resources.length === 0) return null;
  // Without the traffic, a step cannot be told from a rush.
  const traffic = trafficOf(c, service);
  if (traffic.length === 0) return null;
  const settled = (change.finishedAt ?? change.at) + SETTLE_MS;
  const afterTo = Math.min(settled + WINDOW_MS, episode.onset - MIN_GAP_MS / 3);
  if (afterTo - settled < WINDOW_MS / 3) return null;
  const from = change.at - WINDOW_MS;
  const asked = [...resources.map((m) => m.series), ...traffic.map((s) => s.id)];
  const result = resultOf('query_metrics', await r.call('query_metrics', { series: asked, from: iso(from), to: iso(afterTo), max_points: POINTS, limit: asked.length }));
  if (result === null) return null;
  const values = new Map(readSeriesValues(result).map((v) => [v.id, v]));
  const rushed = traffic.some((s) => {
    const v = values.get(s.id);
    const before = v ? levelIn(v, from, change.at) : null;
    const after = v ? levelIn(v, settled, afterTo) : null;
    return before === null || after === null || (before > 0 ? after / before > TRAFFIC_HELD : after > 0);
  });
  if (rushed) return null;
  for (const m of resources) {
    const v = values.get(m.series);
    const before = v ? levelIn(v, from, change.at) : null;
    const after = v ? levelIn(v, settled, afterTo) : null;
    if (before === null || after === null || before <= 0) continue;
    // Read as a factor alone: a queue or a wait grows out of all proportion once the room runs out, so the step is small beside the peak.
    if (after < STEP_RATIO * before || m.after <= after) continue;
    return finding(
      'headroom_used',
      `${m.display} stepped from ${movedLevel(m, before)} to ${movedLevel(m, after)} as it took effect, with its traffic level: it used up room that the load ran out of ${minutes(episode.onset - change.at)} later`,
      [{ source: 'metrics', ref: m.series, detail: `×${(after / before).toFixed(1)} across ${change.id} (${iso(change.at)}) at level traffic; at its peak ${movedLevel(m, m.after)} from ${iso(m.onset)}` }],
    );
  }
  return null;
}
