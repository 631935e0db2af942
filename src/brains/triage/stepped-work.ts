// Work one kind of the service's traffic makes, multiplied by a release and unseen until the
// load came. A release that re-emits every tracked item on each status frame, or sends a call
// per element instead of one per batch, steps one of its service's traffic series up severalfold
// the moment it rolls out, while another (the requests or frames it takes in) holds level.
// Nothing fails then: at a quiet hour the multiplied work fits. When the day's load multiplies
// it again, the tier that carries it runs out. Demand moves a service's traffic together; one
// series stepping alone, at a release, is what each unit of work now does.
import type { Episode } from './episode.js';
import type { Case } from './case.js';
import { iso } from './json.js';
import { level, minutes } from './prose.js';
import { readSeriesValues, resultOf } from './read.js';
import type { Replay } from './replay.js';
import { finding, type Finding } from './model.js';
import type { Suspect } from './suspects.js';
import { levelIn } from './values.js';
import { windowsAcross } from './across-change.js';
import { VERSION_LABEL } from './versions.js';

/** How far one traffic series must step across the change: severalfold, not a busier hour. */
const STEPPED = 3;
/** How far another may move and still have held: the input the multiplied work is counted against. */
const HELD = 1.3;
const MAX_SERIES = 8;
/** For a setting: how far the input must have grown by the onset for the load to have come. */
const LOAD_CAME = 2;
/** The input is read over this long just before the onset, and just after it. */
const LOAD_SPAN_MS = 10 * 60_000;
const POINTS = 240;

/**
 * Reads the changed service's traffic across the change: one series that stepped up severalfold
 * as it took effect and stayed up, beside another that held level, is work each unit now
 * multiplies (`work_per_unit_rose`), which answers a wait for the load that found its cost.
 */
export async function probeSteppedWork(r: Replay, c: Case, episode: Episode, suspect: Suspect): Promise<Finding | null> {
  const { change } = suspect;
  const service = change.service;
  const w = windowsAcross(change, episode.onset);
  // A release, or a setting whose edit reads as risky (a cache's TTL cut sixtyfold multiplies
  // its fetches as surely as a loop of calls does).
  const multiplies = change.type === 'deploy' || (change.type === 'config' && suspect.risky);
  if (suspect.ruledOut !== null || service === null || w === null || !multiplies) return null;
  // Series split by build move over to the new one at every release: no step of work.
  const traffic = c.series
    .filter((s) => s.service === service && s.meaning.measures === 'traffic' && !Object.keys(s.labels).some((key) => VERSION_LABEL.test(key)))
    .slice(0, MAX_SERIES);
  if (traffic.length < 2) return null;
  const ids = traffic.map((s) => s.id);
  const result = resultOf('query_metrics', await r.call('query_metrics', { series: ids, from: iso(w.before.from), to: iso(episode.onset + LOAD_SPAN_MS), max_points: POINTS, limit: ids.length }));
  if (result === null) return null;
  const read = readSeriesValues(result).map((v) => ({
    id: v.id,
    before: levelIn(v, w.before.from, w.before.to),
    after: levelIn(v, w.after.from, w.after.to),
    held: levelIn(v, w.after.from, w.heldTo),
    // The crowd may arrive with the onset itself (a boarding wave): its first minutes count.
    atOnset: Math.max(levelIn(v, w.heldTo - LOAD_SPAN_MS, w.heldTo) ?? 0, levelIn(v, episode.onset, episode.onset + LOAD_SPAN_MS) ?? 0),
  }));
  // What the service receives (requests on one route, submissions) is demand, which shifts
  // between routes on its own; only what it sends or makes is work its code can multiply.
  const received = new Set(traffic.filter((s) => s.meaning.arrivals).map((s) => s.id));
  const stepped = read
    .filter((x) => !received.has(x.id) && x.before !== null && x.after !== null && x.held !== null && x.before > 0 && x.after >= STEPPED * x.before && x.held >= STEPPED * x.before)
    .sort((a, b) => (b.after as number) / (b.before as number) - (a.after as number) / (a.before as number))[0];
  const steady = read.find((x) => x.before !== null && x.after !== null && x.before > 0 && x.after > 0 && x.after / x.before <= HELD && x.before / x.after <= HELD);
  if (stepped === undefined || steady === undefined) return null;
  // A setting's multiplied work waits for the load only where the load came: the input that
  // held across it stood at least twice as high before the onset. Without that, the work it
  // multiplied had fitted for as long as it ran, and something else ended that.
  if (change.type !== 'deploy' && steady.atOnset < LOAD_CAME * (steady.after as number)) return null;
  const [before, after] = [stepped.before as number, stepped.after as number];
  return finding(
    'work_per_unit_rose',
    `${stepped.id} stepped from ${level(before)} to ${level(after)} as it took effect while ${steady.id} held: each unit of its work now sends that many times more, which fit until the load ${minutes(episode.onset - change.at)} later multiplied it`,
    [{ source: 'metrics', ref: stepped.id, detail: `×${(after / before).toFixed(1)} across ${change.id} (${iso(change.at)}); ${steady.id} held (${level(steady.before as number)} → ${level(steady.after as number)})` }],
  );
}
