// A slow leak, read as an on-call engineer reads it: the memory of the instances a release
// started climbs steadily from their start, while the instances before it held flat. The
// symptom (OOM kills, GC pressure, restarts) only shows when the memory reaches its limit,
// hours later, so the release is far from the onset in time and close to it in cause.
import type { Case } from './case.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { level, minutes } from './prose.js';
import { readSeriesValues, resultOf, type SeriesInfo, type SeriesValues } from './read.js';
import type { Replay } from './replay.js';
import { finding, type Finding } from './model.js';
import type { Suspect } from './suspects.js';
import { median, pointsIn, type Point } from './values.js';

/** A leak needs time to show: a change this close to the onset is judged by what happened right after it. */
const MIN_GAP_MS = 15 * 60_000;
/** How much of its starting level a series must gain over its life to be growing, and how steadily. */
const GROWN = 0.5;
const STEADY = 0.7;
/** Or a smaller gain that rose in nearly every tenth: a climb that regular is no wander, however short of the limit it still is. */
const GROWN_STEADIER = 0.3;
const STEADIER = 0.9;

/** A growth that is a leak's: enough of a gain, steadily enough. */
function climbs(g: { share: number; steady: number }): boolean {
  return (g.share >= GROWN && g.steady >= STEADY) || (g.share >= GROWN_STEADIER && g.steady >= STEADIER);
}
/** A climb whose last third added less than this share of it had levelled off. */
const LEVELLED = 0.1;
/** What counts as flat for the instances before the change. */
const FLAT = 0.15;
/** Or at most this share of the growth after the change: flat beside it. */
const FLAT_BESIDE = 0.1;
const MAX_SERIES = 8;
const POINTS = 240;


/** Growth over a span: the rise of its median level from the first tenth to the last, as a share of the first, and how steadily it rose. */
export function growthOf(points: readonly Point[]): { share: number; steady: number; from: number; to: number } | null {
  if (points.length < 5) return null;
  const chunk = Math.max(1, Math.floor(points.length / 10));
  const levels: number[] = [];
  for (let i = 0; i + chunk <= points.length; i += chunk) levels.push(median(points.slice(i, i + chunk).map((p) => p.v)));
  const first = levels[0] as number;
  const last = levels[levels.length - 1] as number;
  // Connections in use can start from none: growth from nothing is read against a twentieth of where it ended.
  const base = first > 0 ? first : Math.abs(last) * 0.05;
  if (base <= 0) return null;
  let rises = 0;
  for (let i = 1; i < levels.length; i++) if ((levels[i] as number) > (levels[i - 1] as number)) rises += 1;
  return { share: (last - first) / base, steady: rises / Math.max(1, levels.length - 1), from: first, to: last };
}

/** A count of the service's running instances (not a ceiling on it): what a summed memory series grows with when it scales out. */
const INSTANCES = /(replicas|instances|pods?)(_|$)/i;
const NOT_A_COUNT = /(max|min|spec|limit|capacity)/i;

function instanceCounts(c: Case, service: string): SeriesInfo[] {
  return c.series.filter((s) => s.service === service && INSTANCES.test(s.name) && !NOT_A_COUNT.test(s.name) && !s.meaning.canLeak).slice(0, 2);
}

/**
 * The work the service does, or failing that the demand arriving anywhere: what connections and
 * memory in use grow with when a crowd builds. A leak grows whatever the traffic does.
 */
function demandOf(c: Case, service: string): SeriesInfo[] {
  const traffic = (s: SeriesInfo): boolean => s.meaning.measures === 'traffic' && !('le' in s.labels);
  const own = c.series.filter((s) => s.service === service && traffic(s));
  return (own.length > 0 ? own : c.series.filter((s) => traffic(s) && s.meaning.arrivals)).slice(0, 2);
}

/** What the instances of one metric hold: the ones a change started, and the ones that ran before it. */
interface Group {
  started: SeriesInfo[];
  before: SeriesInfo[];
}

/** How many of the changed service's metrics that can leak (memory, descriptors, connections) are read. */
const MAX_METRICS = 3;
/** Calls the investigation keeps for what comes after this probe: a second metric is read only with more left. */
const SPARE_CALLS = 14;

/**
 * The series of the changed service that can leak, one group per metric: an instance's memory
 * may hold while its open descriptors climb, and the two must not be counted together.
 */
function candidates(c: Case, suspect: Suspect): Group[] {
  const { change } = suspect;
  const held = c.series.filter((s) => s.service === change.service && s.meaning.canLeak);
  // A metric seen climbing on the service comes first: the reading of the others is spared when it leaks.
  const climbed = new Set(c.movements.filter((m) => m.info.service === change.service && m.direction === 'up').map((m) => m.info.name));
  const names = [...new Set(held.map((s) => s.name))]
    .sort((x, y) => Number(climbed.has(y)) - Number(climbed.has(x)) || (x < y ? -1 : 1))
    .slice(0, MAX_METRICS);
  const settled = (change.finishedAt ?? change.at) + 5 * 60_000;
  return names.map((name) => {
    const memory = held.filter((s) => s.name === name);
    const started = memory.filter((s) => s.start !== null && s.start >= change.at - 60_000 && s.start <= settled);
    // Of the ones that ran before, those still running after the change come first: they show its effect as well as the before.
    const spans = (s: SeriesInfo): number => ((s.end ?? 0) > change.at ? 0 : 1);
    const before = memory
      .filter((s) => s.start !== null && s.start < change.at - 60_000)
      .sort((x, y) => spans(x) - spans(y) || (x.id < y.id ? -1 : 1));
    const room = Math.max(MAX_SERIES / 2, MAX_SERIES - started.length);
    return { started: started.slice(0, MAX_SERIES / 2), before: before.slice(0, room) };
  });
}

type Growth = NonNullable<ReturnType<typeof growthOf>>;

/**
 * Looks at what the changed service holds (memory, descriptors, connections), one metric at a
 * time, from the change to the onset. A leak is the instances it started growing steadily (at
 * least half again over their life) while the older instances held flat, or one series of the
 * service that was flat before it and climbs after.
 */
export async function probeGrowth(r: Replay, c: Case, episode: Episode, suspect: Suspect): Promise<Finding | null> {
  const { change } = suspect;
  if (suspect.ruledOut !== null || change.service === null || episode.onset - change.at < MIN_GAP_MS) return null;
  // A setting leaks only through what it sizes or switches on: a config or infra change whose
  // every edit reads as harmless (histogram buckets, a log format) ships no leak.
  // Nor does one that only cuts room (a pool made smaller, a machine resized down): what then
  // climbs is the use filling what is left, read against that room elsewhere, not a leak.
  const cutsRoomOnly = suspect.risks.length > 0 && suspect.risks.every((x) => x.kind === 'limit_changed' && x.direction === 'tightened' && x.bounds === 'capacity');
  if ((change.type === 'config' || change.type === 'infra') && c.diffs.has(change.id) && (!suspect.risky || cutsRoomOnly)) return null;
  const groups = candidates(c, suspect).filter((g) => g.started.length + g.before.length > 0);
  if (groups.length === 0) return null;
  const counts = instanceCounts(c, change.service);
  const demand = demandOf(c, change.service);
  const from = change.at - 60 * 60_000;
  // One metric per call, so each reading fits a tool result; a further metric only while the investigation has calls to spare.
  for (const [index, group] of groups.entries()) {
    if (index > 0 && r.left <= SPARE_CALLS) break;
    const asked = [...group.started, ...group.before, ...counts, ...demand];
    const result = resultOf('query_metrics', await r.call('query_metrics', { series: asked.map((s) => s.id), from: iso(from), to: iso(episode.onset), max_points: POINTS, limit: asked.length }));
    if (result === null) return null;
    const values = new Map(readSeriesValues(result).map((v) => [v.id, v]));
    // How far the instance count grew from the change to the onset (0 when it held, or is not known).
    const grown = (s: SeriesInfo): number => {
      const v = values.get(s.id);
      const g = v ? growthOf(pointsIn(v, change.at, episode.onset)) : null;
      return g?.share ?? 0;
    };
    // What a series that ran through the change must outgrow: the instances it is summed over, and the work they did.
    const scaledOut = Math.max(0, ...counts.map(grown), ...demand.map(grown));
    const leak = leakIn(group, values, suspect, episode, from, scaledOut);
    if (leak) return leak;
  }
  return null;
}

/** The leak one metric's instances show, if they show one. */
function leakIn(group: Group, values: ReadonlyMap<string, SeriesValues>, suspect: Suspect, episode: Episode, from: number, scaledOut: number): Finding | null {
  const { change } = suspect;
  const { started, before } = group;
  const grew = started
    .map((s) => ({ s, g: values.has(s.id) ? growthOf(pointsIn(values.get(s.id) as SeriesValues, change.at, episode.onset)) : null }))
    .filter((x): x is { s: SeriesInfo; g: Growth } => x.g !== null);
  const old = before
    .map((s) => {
      const v = values.get(s.id);
      if (!v) return null;
      // An instance that also ran after the change is judged before it; one that ended with the rollout, over its life.
      return growthOf(pointsIn(v, from, (s.end ?? change.at) > change.at ? change.at : (s.end ?? change.at)));
    })
    .filter((g): g is Growth => g !== null);
  // A series that ran through the change (one per service, or a pod that kept running): flat before it, climbing after.
  const through = before
    .filter((s) => (s.end ?? 0) >= episode.onset - 5 * 60_000 && values.has(s.id))
    .map((s) => {
      const v = values.get(s.id) as SeriesValues;
      return { s, b: growthOf(pointsIn(v, from, change.at)), g: growthOf(pointsIn(v, change.at, episode.onset)) };
    })
    // Flat before, next to the climb after: a small count (connections in use, 4 then 5) moves by a quarter on one unit.
    .filter((x) => x.b !== null && x.g !== null && Math.abs(x.b.share) <= Math.max(FLAT, FLAT_BESIDE * x.g.share) && x.g.share >= GROWN && x.g.steady >= STEADY)
    // Summed over instances, memory grows as the service scales out, and connections as its work grows: a leak must outgrow both.
    .filter((x) => x.g !== null && (1 + x.g.share) / (1 + scaledOut) - 1 >= GROWN);
  // A fresh instance fills its caches and heap from nothing to where its kind settles: a climb
  // that levelled off at about the level the instances before it held is that warm-up, not a
  // leak. A leak is still climbing at the end, or has passed that level.
  const settledAt = old.length > 0 ? median(old.map((g) => g.to)) : null;
  const warmedUp = (x: { s: SeriesInfo; g: Growth }): boolean => {
    const v = values.get(x.s.id);
    if (settledAt === null || !started.includes(x.s) || v === undefined || x.g.to > (1 + FLAT) * settledAt) return false;
    const life = pointsIn(v, change.at, episode.onset);
    const tail = growthOf(life.slice(Math.floor((life.length * 2) / 3)));
    return tail !== null && tail.to - tail.from < LEVELLED * (x.g.to - x.g.from);
  };
  if (started.length === 0 && through.length > 0) grew.push(...through.map((x) => ({ s: x.s, g: x.g as Growth })));
  const leaking = grew.filter((x) => climbs(x.g) && !warmedUp(x));
  // Flat, or flat beside the climb: a small count (connections in use, 1 then 1.5) moves by half on one unit.
  const climb = Math.max(0, ...leaking.map((x) => x.g.share));
  // Or no steady climb at all: memory a collector frees in a sawtooth wanders by a fifth between
  // its tenths without growing, which is not the climb the instances it started show.
  const flat = (g: Growth): boolean =>
    Math.abs(g.share) <= Math.max(FLAT, FLAT_BESIDE * climb) || (g.steady < STEADY && g.share < climb / 2);
  const oldFlat = old.length > 0 && old.every(flat);
  // Instances it started grew, most of them, where the ones before held flat.
  // (Series that ran through the change were held to being flat before it one by one, above.)
  if (leaking.length > 0 && leaking.length * 2 >= grew.length && (oldFlat || old.length === 0 || started.length === 0)) {
    const top = [...leaking].sort((a, b) => b.g.share - a.g.share)[0] as (typeof leaking)[number];
    const span = episode.onset - change.at;
    return finding(
      'grows_since_change',
      started.length > 0
        ? `what the ${leaking.length === 1 ? 'instance' : `${leaking.length} instances`} it started hold climbed steadily (${top.s.id}: ${level(top.g.from)} → ${level(top.g.to)})${oldFlat ? ' while the instances before it held flat' : ''}: a leak, which shows only when it fills the limit, ${minutes(span)} later`
        : `${top.s.id} held flat before it and climbed steadily after (${level(top.g.from)} → ${level(top.g.to)}): a leak, which shows only when it fills the limit, ${minutes(span)} later`,
      [{ source: 'metrics', ref: top.s.id, detail: `grew ${Math.round(top.g.share * 100)}% steadily from ${iso(change.at)} to ${iso(episode.onset)}, after ${change.id}` }],
    );
  }
  return null;
}
