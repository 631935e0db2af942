// A cost that only shows at peak, read as an on-call engineer reads it: the resource that
// ran out at the onset (a disk's utilisation, a pool's busy share, a CPU) stepped up the
// moment a change took effect, hours before, while the traffic held. The change used up the
// room: a provisioned ceiling cut, each request made heavier. Nothing failed then because
// there was room left; the symptom waited for the load that needed that room.
import type { Case, Movement } from './case.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { level, minutes, movedLevel } from './prose.js';
import { readSeriesValues, resultOf } from './read.js';
import { namedBy } from './log-symptoms.js';
import type { Replay } from './replay.js';
import { finding, type Finding } from './model.js';
import type { Suspect } from './suspects.js';
import { levelIn, oneMore } from './values.js';
import { sizedBy } from './intended.js';
import { rushedAcross, trafficOf, WINDOW_MS, windowsAcross } from './across-change.js';

/** How far the resource must step (as a factor) to be the change using up room, not jitter. */
const STEP_RATIO = 1.5;
/** How long before the onset a resource's rise counts as the one that ran out. */
const RAN_OUT_LEAD_MS = 30 * 60_000;
const MAX_SERIES = 6;
/** The span before the onset a resource with no movement is read over for its level there. */
const PEAK_MS = 10 * 60_000;
const POINTS = 240;

/** The saturation series of the service that rose at the onset: the room that ran out. */
function ranOut(c: Case, episode: Episode, service: string, slackMs: number): Movement[] {
  return c.movements
    .filter((m) => m.info.service === service && m.kind === 'saturation' && m.direction === 'up' && m.onset >= episode.onset - RAN_OUT_LEAD_MS && m.onset <= episode.onset + slackMs)
    .sort((a, b) => b.strength - a.strength || (a.series < b.series ? -1 : 1))
    .slice(0, MAX_SERIES - 2);

}

/** On a share of a whole, the step must take at least this share of the whole. */
const MIN_ROOM_SHARE = 0.05;

/** The whole a share is of (1, or 100 for a percentage), for a series named as a share; null for any other. */
export function shareOfWhole(name: string, peak: number): number | null {
  const metric = name.replace(/\{.*$/, '');
  if (!/(ratio|_pct|percent|share|fraction|utili[sz]ation)/i.test(metric)) return null;
  return peak <= 1 ? 1 : peak <= 100 ? 100 : null;
}

/** A ceiling, not a usage of it. */
const LIMIT_NAME = /(max|limit|capacity|total_bytes$)/i;
/** A usage of a fixed resource, named for the share of it in use (workers busy, slots occupied). */
const IN_USE = /(^|_)(busy|in_?use|occupied|utili[sz]ation|inflight|in_flight)(_|$)/i;

/** A resource read across the change: its id, how it is named, and its level at its peak (null: read at the onset). */
interface Resource {
  series: string;
  display: string;
  service: string | null;
  peak: number | null;
  peakAt: number;
  /** The movement it was read from, which says its levels in its unit. */
  movement: Movement | null;
  /** Another service's, with nothing showing the changed one talks to it: only a clean step counts. */
  unlinked?: boolean;
}

const asResource = (m: Movement): Resource => ({ series: m.series, display: m.display, service: m.info.service, peak: m.after, peakAt: m.onset, movement: m });
const levelOf = (m: Resource, value: number): string => (m.movement === null ? level(value) : movedLevel(m.movement, value));

/**
 * The room of the services that ran out of it at the onset, other than the changed one: their
 * saturation series that moved, and the others they have (workers busy, a pool in use), which
 * may have stepped hours before and climbed slowly since.
 */
function ranOutElsewhere(c: Case, episode: Episode, change: Suspect['change'], service: string, slackMs: number): Resource[] {
  // A peer's room fills with the day's load after the change used it up: its climb may begin
  // long before the onset, but not before the change.
  const since = Math.min(episode.onset - RAN_OUT_LEAD_MS, change.at - slackMs);
  const candidates = c.movements
    .filter((m) => m.info.service !== null && m.info.service !== service && m.kind === 'saturation' && m.direction === 'up' && m.onset >= since && m.onset <= episode.onset + slackMs)
    .sort((a, b) => b.strength - a.strength || (a.series < b.series ? -1 : 1));
  // Only a service the changed one talks to: the peer's series name it as a client
  // (`application_name="courier-payouts"`), or its own series or log lines name the peer.
  // Who names whom in the logs is read once, not once per peer.
  const logged = c.templates.map((t) => namedBy(c, t));
  const talksTo = (peer: string): boolean =>
    c.series.some((s) => (s.service === peer && c.topology.seriesPeers(s).has(service)) || (s.service === service && c.topology.seriesPeers(s).has(peer))) ||
    logged.some(({ owner, named }) => (owner === service && named.has(peer)) || (owner === peer && named.has(service)));
  const linked = new Set<string | null>([...new Set(candidates.map((m) => m.info.service))].filter((peer): peer is string => peer !== null && talksTo(peer)));
  // A climb that began long before the onset is read only where the changed service talks to it.
  const moved = candidates.filter((m) => m.onset >= episode.onset - RAN_OUT_LEAD_MS || linked.has(m.info.service));
  const services = new Set(moved.map((m) => m.info.service));
  const seen = new Set(moved.map((m) => m.series));
  const others = c.series
    .filter((s) => services.has(s.service) && !seen.has(s.id) && !LIMIT_NAME.test(s.name) && (s.meaning.measures === 'saturation' || (s.meaning.worseWhen === 'up' && !s.meaning.perUnit && IN_USE.test(s.name))))
    .map((s): Resource => ({ series: s.id, display: s.id, service: s.service, peak: null, peakAt: episode.onset, movement: null }));
  return [...moved.map(asResource), ...others].map((x) => ({ ...x, unlinked: !linked.has(x.service) })).slice(0, MAX_SERIES - 2);
}

/**
 * Looks at the resource that ran out at the onset, on the changed service, across the change:
 * a step up as it took effect, with the service's traffic level, is room the change used up.
 */
export async function probeHeadroom(r: Replay, c: Case, episode: Episode, suspect: Suspect, slackMs: number): Promise<Finding | null> {
  const { change } = suspect;
  const service = change.service;
  const w = windowsAcross(change, episode.onset);
  if (suspect.ruledOut !== null || service === null || w === null) return null;
  // The room may have run out in a service it calls: a caller that began sending many times the
  // work, at its own level traffic, used up the room of the service that runs that work.
  const own = ranOut(c, episode, service, slackMs).map(asResource);
  // Beside its own room, only that of a service it talks to: with its own room to look at, a
  // stranger's step at the same hour is a coincidence, not its doing.
  // A setting whose every edit reads as harmless (a sampling rate lowered) takes no room from
  // another service: only its own room is read for it.
  const harmlessSetting = (change.type === 'config' || change.type === 'infra') && c.diffs.has(change.id) && !suspect.risky;
  const elsewhere = harmlessSetting ? [] : ranOutElsewhere(c, episode, change, service, slackMs);
  // A backlog (jobs waiting, a lag) counts the work that waits, not room: a few more jobs queued
  // as a change lands say nothing of what it took, and the room it took shows where the work runs.
  const room = (x: Resource): boolean => c.series.find((s) => s.id === x.series)?.meaning.backlog !== true;
  const resources = (own.length > 0 ? [...own, ...elsewhere.filter((x) => x.unlinked !== true)] : elsewhere).filter(room);
  if (resources.length === 0) return null;
  // Without the traffic, a step cannot be told from a rush.
  const traffic = trafficOf(c, service);
  if (traffic.length === 0) return null;
  // The window before the one before the change tells a step from a climb already under way.
  const earlier = w.before.from - WINDOW_MS;
  const asked = [...resources.map((m) => m.series), ...traffic.map((s) => s.id)];
  // Read up to the onset: for the level a resource that did not move near it reached there, and
  // to see that the step held until then.
  const to = episode.onset;
  const result = resultOf('query_metrics', await r.call('query_metrics', { series: asked, from: iso(earlier), to: iso(to), max_points: POINTS, limit: asked.length }));
  if (result === null) return null;
  const values = new Map(readSeriesValues(result).map((v) => [v.id, v]));
  if (rushedAcross(values, traffic, w)) return null;
  for (const m of resources) {
    const v = values.get(m.series);
    const before = v ? levelIn(v, w.before.from, w.before.to) : null;
    const after = v ? levelIn(v, w.after.from, w.after.to) : null;
    const peak = m.peak ?? (v ? levelIn(v, episode.onset - PEAK_MS, episode.onset) : null);
    if (before === null || after === null || before <= 0 || peak === null) continue;
    // Read as a factor alone: a queue or a wait grows out of all proportion once the room runs out, so the step is small beside the peak.
    if (after < STEP_RATIO * before || peak <= after || oneMore(before, after)) continue;
    // On a share of a whole (a busy or throttled ratio), a step of a few thousandths uses up no room worth the name.
    const whole = shareOfWhole(m.display, peak);
    if (whole !== null && after - before < MIN_ROOM_SHARE * whole) continue;
    // Room used up stays used: a burst of work that came and went (a batch job) is no step.
    const held = v ? levelIn(v, w.after.from, w.heldTo) : null;
    if (held === null || held < STEP_RATIO * before) continue;
    // A peer's resource, with nothing linking the change's service to that peer, counts only as a
    // clean step: one already climbing before the change (half as steeply or more) was on its
    // way there, from a cost growing since an earlier change or a crowd building.
    // So does any peer's resource: its load has causes of its own, and only a step the change
    // made counts (for a peer the changed service talks to, a rise from nothing was a climb too).
    const prior = v ? levelIn(v, earlier, w.before.from) : null;
    const cleanOnly = m.unlinked === true || m.service !== service;
    const climbing = prior !== null && (prior > 0 ? before / prior >= Math.sqrt(after / before) : m.unlinked !== true);
    if (cleanOnly && climbing) continue;
    return finding(
      'headroom_used',
      `${m.display} stepped from ${levelOf(m, before)} to ${levelOf(m, after)} as it took effect, ${m.service === service ? 'with its traffic level' : `while ${service}'s own traffic held`}: it used up room that the load ran out of ${minutes(episode.onset - change.at)} later`,
      [{ source: 'metrics', ref: m.series, detail: `×${(after / before).toFixed(1)} across ${change.id} (${iso(change.at)}) at level traffic; ${levelOf(m, peak)} at ${iso(m.peakAt)}` }],
    );
  }
  return null;
}

/** Work per unit (calls per request, operations per reservation) that rose by this much at the change. */
const HEAVIER = 1.5;

/**
 * Each unit of work made heavier by the change, read where traffic cannot confuse it: a series
 * of the changed service counted per request (`redis_ops_per_reservation`) that stepped up the
 * moment the change took effect, hours before, and stood at least as high at the onset. The
 * morning's traffic may have grown across the change; a ratio per request does not grow with it.
 * The room each request took grew then, and the peak ran out of it.
 */
export async function probeHeavierWork(r: Replay, c: Case, episode: Episode, suspect: Suspect): Promise<Finding | null> {
  const { change } = suspect;
  const service = change.service;
  const w = windowsAcross(change, episode.onset);
  if (suspect.ruledOut !== null || service === null || w === null) return null;
  // A unit holding more of what another change's setting sizes (records per poll after the
  // poll's records were raised) is that setting at work, not this change.
  const others = c.changes.filter((x) => x.id !== change.id && x.at <= episode.onset).flatMap((x) => c.diffs.get(x.id)?.riskSignals ?? []);
  const perUnit = c.series.filter((s) => s.service === service && s.meaning.perUnit && s.meaning.worseWhen === 'up' && !sizedBy(others, s)).slice(0, MAX_SERIES);
  // The time each unit of work takes (a transaction's duration) is its weight too, but traffic moves it: read only at level traffic, and only a step no load explains.
  // A worker that exports no traffic of its own (a decoder fed by a queue) is read by its time alone: a step threefold at the change, held.
  const traffic = trafficOf(c, service);
  const timed = c.series.filter((s) => s.service === service && s.meaning.measures === 'latency' && !s.meaning.perUnit).slice(0, MAX_SERIES - perUnit.length);
  if (perUnit.length + timed.length === 0) return null;
  const ids = [...perUnit, ...timed, ...(timed.length > 0 ? traffic : [])].map((s) => s.id);
  const result = resultOf('query_metrics', await r.call('query_metrics', { series: ids, from: iso(w.before.from), to: iso(episode.onset), max_points: POINTS, limit: ids.length }));
  if (result === null) return null;
  const values = new Map(readSeriesValues(result).map((v) => [v.id, v]));
  const atLevelTraffic = timed.length > 0 && (traffic.length === 0 || !rushedAcross(values, traffic, w));
  for (const s of [...perUnit, ...(atLevelTraffic ? timed : [])]) {
    const v = values.get(s.id);
    if (v === undefined) continue;
    const factor = s.meaning.perUnit ? HEAVIER : SLOWER;
    const before = levelIn(v, w.before.from, w.before.to);
    const after = levelIn(v, w.after.from, w.after.to);
    const atOnset = levelIn(v, episode.onset - PEAK_MS, episode.onset);
    if (before === null || after === null || atOnset === null || before <= 0 || after < factor * before || atOnset < after / HEAVIER) continue;
    const what = s.meaning.perUnit ? 'each unit of work got heavier then, whatever the traffic did' : 'each unit of work took that much longer then, at level traffic, holding what it uses that much longer';
    return finding(
      'headroom_used',
      `${v.id} stepped from ${level(before)} to ${level(after)} as it took effect: ${what}, and the peak ${minutes(episode.onset - change.at)} later ran out of the room that took`,
      [{ source: 'metrics', ref: v.id, detail: `×${(after / before).toFixed(1)} per unit across ${change.id} (${iso(change.at)}); ${level(atOnset)} at the onset` }],
    );
  }
  return null;
}

/** A time per unit of work that rose by this much at the change, at level traffic. */
const SLOWER = 3;
