// A shared store that filled. A service writes entries that stay (a leak into a cache or a
// key-value store, not into its own memory): what the store holds climbs from the moment the
// writer changed, for hours, and only when the store reaches its limit does anything fail, by
// evicting what other services keep there or refusing their writes. The symptom is in the
// store's other users, far from the change in time; the writer itself never looks sick. An
// on-call engineer links them by when the store began to fill.
import { CHANGE_HORIZON_MS, type Case, type Movement } from './case.js';
import type { Episode } from './episode.js';
import { growthOf } from './growth.js';
import { iso } from './json.js';
import { finding, type Finding } from './model.js';
import type { PathLink } from './path.js';
import { level, minutes } from './prose.js';
import { readSeriesValues, resultOf, type ChangeInfo, type SeriesInfo } from './read.js';
import type { Replay } from './replay.js';
import { effectWindowMs } from './support.js';
import { median, pointsIn, spreadOf, type Point } from './values.js';

export interface StoreFill {
  /** The store's service. */
  service: string;
  /** When what it holds began to climb. */
  began: number;
  /**
   * The times the climb may have begun between: where it left its band and where the line
   * through it meets the level before. A level that drifted up before the climb leaves its
   * band early, a climb that quickens is traced back late: the start lies between the two.
   */
  beganWithin: { from: number; to: number };
  /** The series that climbed, and its level then and at the onset. */
  series: string;
  from: number;
  to: number;
  /** Its running out of room at the onset (evictions, refused writes). */
  full: Movement;
  /** How much it grew, as a share of its level before. */
  grown: number;
}

/** How close to the onset the store must run out of room: after it, or before it by as long as evicting takes to be felt. */
const FULL_NEAR_MS = 5 * 60_000;
const FULL_BEFORE_MS = 20 * 60_000;
/** A fill shows hours before anything fails: the climb must have begun this long before the onset. */
const LONG_BEFORE_MS = 30 * 60_000;
/** How far back the store is read: the earliest change a day before the onset, and this much before it. */
const LEAD_MS = 30 * 60_000;
/** The climb: at least half again over its level before, rising steadily. */
const GROWN = 0.5;
/**
 * ...or a quarter, for a change whose own edit makes entries stay: with the mechanism in hand, a
 * store that sat full and evicting under its old limit and then climbed to a raised one is a
 * fill too, though it grew by less than half.
 */
const GROWN_WITH_MECHANISM = 0.25;
const STEADY = 0.7;
/** Flat before it. */
const FLAT = 0.15;
/** The climb began when the series left its level before by this share of its whole rise. */
const LEFT_LEVEL = 0.1;
/** The start of a climb is traced back from its slope, not seen: it may fall this much after the change that began it (writes grow with the day's traffic). */
export const TRACED_MS = 15 * 60_000;
const MAX_STORES = 2;
const MAX_SERIES = 6;
const POINTS = 240;

/** Services other than the paged one that ran out of room as the symptoms began, with what they hold. */
function fullStores(c: Case, episode: Episode): Array<{ service: string; full: Movement; held: SeriesInfo[] }> {
  const out: Array<{ service: string; full: Movement; held: SeriesInfo[] }> = [];
  const full = c.movements
    // Evicting (saturation) or refusing writes (errors: a store with no eviction answers OOM).
    .filter(
      (m) =>
        m.symptom &&
        (m.kind === 'saturation' || m.kind === 'errors') &&
        m.direction === 'up' &&
        m.info.service !== null &&
        m.info.service !== c.paged &&
        m.onset >= episode.onset - FULL_BEFORE_MS &&
        m.onset <= episode.onset + FULL_NEAR_MS,
    )
    .sort((a, b) => a.onset - b.onset || (a.series < b.series ? -1 : 1));
  for (const m of full) {
    const service = m.info.service as string;
    if (out.some((x) => x.service === service)) continue;
    // What fills a store is memory: bytes held come before clients or connections, and the
    // store's whole (no label beyond its service) before its parts.
    const memory = (s: SeriesInfo): number => Number(/(memory|bytes|used)/i.test(s.name));
    const parts = (s: SeriesInfo): number => Object.keys(s.labels).length;
    const held = c.series
      .filter((s) => s.service === service && s.meaning.canLeak && s.id !== m.series)
      .sort((a, b) => memory(b) - memory(a) || parts(a) - parts(b))
      .slice(0, 3);
    if (held.length > 0) out.push({ service, full: m, held });
  }
  return out.slice(0, MAX_STORES);
}

/**
 * When a series that climbed to `top` left its level before. A leak climbs at the pace of the
 * writes, so the first tenth of its rise takes a while: the climb is fitted with a line from
 * where it passed that tenth, and traced back to where the line meets the level before.
 */
function climbStart(points: readonly Point[], base: number, top: number, band: number): { at: number; from: number; to: number } | null {
  // Where it left the band its level held in before says when it began. The line through the
  // climb says so only of a straight climb: one that quickens as the day's writes grow is traced
  // back too late, and one that rushed in a batch and then slowed, hours too early.
  const left = leftBand(points, base + band);
  const traced = tracedStart(points, base, top);
  const at = left ?? traced;
  if (at === null) return null;
  return { at, from: Math.min(at, traced ?? at), to: Math.max(at, traced ?? at) };
}

/** The time of the last reading within `ceiling` before the readings climbed past it for good. */
function leftBand(points: readonly Point[], ceiling: number): number | null {
  for (let i = points.length - 1; i >= 0; i--) if ((points[i] as Point).v <= ceiling) return i === points.length - 1 ? null : (points[i] as Point).t;
  return null;
}

/** How far a level held flat wanders: three times its spread, and at least a hundredth of it. */
function bandOf(head: readonly Point[], base: number): number {
  return Math.max(3 * spreadOf(head.map((p) => p.v)), BAND_FLOOR * Math.abs(base));
}
const BAND_FLOOR = 0.01;

function tracedStart(points: readonly Point[], base: number, top: number): number | null {
  const threshold = base + LEFT_LEVEL * (top - base);
  let last = -1;
  for (let i = points.length - 1; i >= 0; i--) {
    if ((points[i] as Point).v <= threshold) {
      last = i;
      break;
    }
  }
  if (last < 0) return null;
  const rising = points.slice(last);
  if (rising.length < 5) return (points[last] as Point).t;
  const meanT = rising.reduce((a, p) => a + p.t, 0) / rising.length;
  const meanV = rising.reduce((a, p) => a + p.v, 0) / rising.length;
  const slope = rising.reduce((a, p) => a + (p.t - meanT) * (p.v - meanV), 0) / rising.reduce((a, p) => a + (p.t - meanT) ** 2, 0);
  if (!(slope > 0)) return (points[last] as Point).t;
  return Math.max((points[0] as Point).t, Math.min((points[last] as Point).t, meanT - (meanV - base) / slope));
}

/**
 * Reads what the stores that ran out of room at the onset hold, from before the earliest change
 * of the day to the onset. A fill is a series of the store that held level, then climbed steadily
 * from long before the onset to it.
 */
export async function probeStoreFills(r: Replay, c: Case, episode: Episode): Promise<StoreFill[]> {
  const stores = fullStores(c, episode);
  const earliest = Math.min(...c.changes.filter((x) => x.at <= episode.onset && episode.onset - x.at <= CHANGE_HORIZON_MS).map((x) => x.at));
  if (stores.length === 0 || !Number.isFinite(earliest)) return [];
  const from = earliest - LEAD_MS;
  const asked = stores.flatMap((s) => s.held).slice(0, MAX_SERIES);
  const result = resultOf('query_metrics', await r.call('query_metrics', { series: asked.map((s) => s.id), from: iso(from), to: iso(episode.onset), max_points: POINTS, limit: asked.length }));
  if (result === null) return [];
  const values = new Map(readSeriesValues(result).map((v) => [v.id, v]));
  const out: StoreFill[] = [];
  for (const store of stores) {
    // Of what the store holds, the series that grew the most.
    let best: StoreFill | null = null;
    for (const s of store.held) {
      const v = values.get(s.id);
      if (v === undefined) continue;
      const points = pointsIn(v, from, episode.onset);
      if (points.length < 20) continue;
      const head = points.slice(0, Math.max(3, Math.floor(points.length / 20)));
      const base = median(head.map((p) => p.v));
      const top = median(points.slice(-head.length).map((p) => p.v));
      if (!(base > 0) || (top - base) / base < GROWN_WITH_MECHANISM) continue;
      const start = climbStart(points, base, top, bandOf(head, base));
      if (start === null || episode.onset - start.at < LONG_BEFORE_MS) continue;
      const began = start.at;
      const climb = growthOf(points.filter((p) => p.t >= began));
      const before = growthOf(points.filter((p) => p.t <= began));
      if (climb === null || climb.steady < STEADY || (before !== null && Math.abs(before.share) > FLAT)) continue;
      const grown = (top - base) / base;
      if (best === null || grown > best.grown) best = { service: store.service, began, beganWithin: { from: start.from, to: start.to }, series: s.id, from: base, to: top, full: store.full, grown };
    }
    if (best !== null) out.push(best);
  }
  return out;
}

/**
 * The fill that began as the change took effect (within its rollout, or just after): in another
 * service than the change's (a writer whose entries stay), or, with `own`, in the store the
 * change reconfigured (it stopped evicting what it used to).
 */
function fillOf(fills: readonly StoreFill[], change: ChangeInfo, slackMs: number, own = false, entriesStay = false): StoreFill | null {
  const from = change.at - slackMs;
  const to = change.at + effectWindowMs(change) + TRACED_MS;
  // A change whose own edit makes entries stay may have begun the climb anywhere its start is
  // uncertain between, and that start is traced, not seen, either way: a store whose level
  // drifted up with the morning's traffic before the writer came is traced back too early, by as
  // much as a late one. Any other change needs the start itself to fall as it took effect.
  const began = (f: StoreFill): boolean => (entriesStay ? f.beganWithin.from <= to && f.beganWithin.to >= change.at - Math.max(slackMs, TRACED_MS) : f.began >= from && f.began <= to);
  return fills.find((f) => (own || f.service !== change.service) && began(f)) ?? null;
}

/**
 * When the climb began, as it can be said: the time itself, or, where the two estimates lie
 * further apart than a climb's start can be placed, the span between them.
 */
function climbFrom(fill: StoreFill): string {
  const { from, to } = fill.beganWithin;
  return to - from <= TRACED_MS ? `from ${iso(fill.began)}` : `from between ${iso(from)} and ${iso(to)}`;
}

/** A change on no path the symptoms show needs a fill that grew by half to be put on the store's: its timing is all there is. */
const pathFills = (fills: readonly StoreFill[]): StoreFill[] => fills.filter((f) => f.grown >= GROWN);

/** A change on no path the symptoms show is on the store's, when the store began to fill as it took effect. */
export function fillPath(fills: readonly StoreFill[], change: ChangeInfo, slackMs: number, entriesStay: boolean): PathLink | null {
  const fill = fillOf(pathFills(fills), change, slackMs, false, entriesStay);
  if (fill === null) return null;
  return {
    reason: `${fill.service} began to fill as it took effect (${fill.series} climbed ${climbFrom(fill)}) and ran out of room at the onset (${fill.full.display} from ${iso(fill.full.onset)})`,
    movement: fill.full,
    log: null,
  };
}

/**
 * What the store's fill explains: the wait from the change to the onset, when the change's own
 * edit makes entries stay (a writer that no longer bounds them, or the store itself set to
 * evict fewer of them).
 */
/** The store that began to fill as the change took effect (its own, or another's it writes to). */
export function filledBy(fills: readonly StoreFill[], change: ChangeInfo, slackMs: number): StoreFill | null {
  return fillOf(fills, change, slackMs, true, true);
}

export function fillFinding(fills: readonly StoreFill[], change: ChangeInfo, slackMs: number, onset: number): Finding | null {
  const fill = fillOf(fills, change, slackMs, true, true);
  if (fill === null) return null;
  return finding(
    'grows_since_change',
    `${fill.series} climbed steadily ${climbFrom(fill)}, as ${change.id} took effect (${level(fill.from)} → ${level(fill.to)}), until ${fill.service} ran out of room ${minutes(onset - change.at)} after the change: ${fill.service === change.service ? 'what is written there stays' : 'what it writes there stays'}`,
    [{ source: 'metrics', ref: fill.series, detail: `rose ${climbFrom(fill)}; ${fill.full.display} from ${iso(fill.full.onset)}` }],
  );
}
