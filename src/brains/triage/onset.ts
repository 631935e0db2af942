// When a series left its normal band, read from the points query_metrics returned. The
// question an on-call engineer asks of a graph: what was normal, where is it now, and
// since when has it been out of the normal band without coming back. Walking back from
// the reference time (the page) to the last normal point finds the start of the episode
// that paged, not an earlier blip; the foot of a ramp is included.
import type { SeriesValues } from './read.js';
import { median, oneMore } from './values.js';

export interface Departure {
  series: string;
  service: string | null;
  /** Start of the first bucket of the episode. */
  onset: number;
  direction: 'up' | 'down';
  /** Median level of the baseline, and level at the reference time. */
  before: number;
  after: number;
  sigma: number;
  /** after / before, when before is not zero. */
  ratio: number | null;
  /** |after − before| in baseline standard deviations (capped). */
  strength: number;
  /** Bucket width: the onset is known to this precision. */
  stepMs: number;
  /**
   * Start of the bucket where the move proper began, when the onset was walked back over the
   * foot of a ramp before it (else the onset itself): a step that straddles two buckets reads
   * as a half step, and noise just before it as a foot.
   */
  rise: number;
}

const STRENGTH_CAP = 1000;
/** A move smaller than this many σ, or than this share of the level, is noise or daily drift. */
const MIN_STRENGTH = 6;
const MIN_RELATIVE = 0.15;


/** Noise of a baseline: the larger of its MAD and of its successive differences (robust to a slow drift). */
function noise(xs: readonly number[]): number {
  const m = median(xs);
  const mad = 1.4826 * median(xs.map((x) => Math.abs(x - m)));
  const diffs: number[] = [];
  for (let i = 1; i < xs.length; i++) diffs.push(Math.abs((xs[i] as number) - (xs[i - 1] as number)));
  const diffSigma = diffs.length > 0 ? (1.4826 * median(diffs)) / Math.SQRT2 : 0;
  return Math.max(mad, diffSigma);
}

interface Point {
  t: number;
  v: number;
}

function points(series: SeriesValues): Point[] {
  const out: Point[] = [];
  series.values.forEach((v, i) => {
    if (v !== null) out.push({ t: series.start + i * series.stepMs, v });
  });
  return out;
}

interface Level {
  before: number;
  sigma: number;
  delta: number;
  band: number;
}

/** The noise put under a baseline that did not waver, as a share of its level: a flat line still has a strength to divide by. */
const NOISE_FLOOR = 1e-9;

/** A level that did not waver at all before it moved (its noise is only the floor put under it), at something other than nothing. */
export function heldFlat(d: Departure): boolean {
  return d.before !== 0 && d.sigma <= 10 * NOISE_FLOOR * Math.max(Math.abs(d.before), Math.abs(d.after));
}

function levelOf(baseline: readonly number[], after: number, ceiling: number | null): Level | null {
  const before = median(baseline);
  const delta = after - before;
  const floor = NOISE_FLOOR * Math.max(Math.abs(before), Math.abs(after), 1e-12);
  const sigma = Math.max(noise(baseline), floor);
  const strength = Math.abs(delta) / sigma;
  // A share near its ceiling moves by what it leaves out: a hit ratio from 0.96 to 0.85 is
  // four times the misses, though it is 11% of the ratio itself.
  const room = ceiling === null ? Math.abs(before) : Math.min(Math.abs(before), Math.max(0, ceiling - before));
  const relative = room === 0 ? null : Math.abs(delta) / room;
  if (strength < MIN_STRENGTH || (relative !== null && relative < MIN_RELATIVE)) return null;
  if (oneMore(before, after) && baseline.every((x) => Number.isInteger(x))) return null;
  return { before, sigma, delta, band: Math.max(3 * sigma, 0.1 * Math.abs(delta)) };
}

/** Index of the last normal point before the out-of-band run that reaches the reference, or null. */
function lastNormal(all: readonly Point[], level: Level, reference: number, halfWindow: number, flaps = false): number | null {
  const sign = Math.sign(level.delta);
  let k = -1;
  all.forEach((p, i) => {
    if (p.t <= reference + halfWindow && sign * (p.v - level.before) > level.band) k = i;
  });
  if (k < 0 || (all[k] as Point).t < reference - halfWindow) return null;
  const out = (i: number): boolean => sign * ((all[i] as Point).v - level.before) > level.band;
  const last = k;
  let inBand = 0;
  for (;;) {
    while (k >= 0 && out(k)) k -= 1;
    if (!flaps) return k;
    // A flap: a point or two back in band, with the episode already under way before them
    // (a probe that succeeds now and then while its target fails) does not end the walk of a
    // share of successes, whose points are each a pass or a fail; the episode must still stay
    // out of band nearly throughout.
    let j = k;
    while (j >= 0 && !out(j) && k - j < MAX_FLAP) j -= 1;
    if (j < 0 || !out(j)) return k;
    let run = 0;
    while (j - run >= 0 && out(j - run)) run += 1;
    const flap = k - j;
    if (run < MIN_RUN_BEFORE_FLAP || (inBand + flap) / (last - (j - run)) > MAX_IN_BAND_SHARE) return k;
    inBand += flap;
    k = j;
  }
}

/** Points back in band that an episode may pass through, the points out of band it must have had before them, and its most time in band. */
const MAX_FLAP = 2;
const MIN_RUN_BEFORE_FLAP = 3;
const MAX_IN_BAND_SHARE = 0.15;

/** How much history just before an episode defines "normal" once a slow drift is taken out. */
const LOCAL_BASELINE_MS = 30 * 60_000;

/**
 * The episode in progress at `reference`, or null when the series is within its normal
 * band there. Normal is first the early part of what lies before `baselineEnd` (default:
 * the reference); once the episode is found, normal is measured again just before it, so
 * a slow daily drift is not mistaken for the start of the episode.
 */
export function departure(series: SeriesValues, reference: number, baselineEnd: number = reference, ceiling: number | null = null): Departure | null {
  const all = points(series);
  const earlier = all.filter((p) => p.t < baselineEnd);
  if (earlier.length < 12) return null;
  const halfWindow = Math.max(3 * series.stepMs, 120_000);
  const around = all.filter((p) => Math.abs(p.t - reference) <= halfWindow).map((p) => p.v);
  if (around.length === 0) return null;
  const after = median(around);
  const early = levelOf(earlier.slice(0, Math.max(8, Math.floor(earlier.length * 0.4))).map((p) => p.v), after, ceiling);
  if (early === null) return null;
  // A share of successes (a probe's passes and fails) flaps: a pass or two does not end its episode.
  const flaps = ceiling !== null;
  const rough = lastNormal(all, early, reference, halfWindow, flaps);
  if (rough === null || rough < 0) return null; // out of band since the window began: no normal level seen
  const edge = (all[rough] as Point).t;
  const local = all.filter((p) => p.t <= edge && p.t > edge - LOCAL_BASELINE_MS).map((p) => p.v);
  const level = local.length >= 8 ? levelOf(local, after, ceiling) : early;
  if (level === null) return null;
  let k = lastNormal(all, level, reference, halfWindow, flaps);
  if (k === null || k < 0) return null;
  const sign = Math.sign(level.delta);
  const out = (p: Point, width: number): boolean => sign * (p.v - level.before) > width;
  // The foot of a ramp: when the episode starts gently, the points just above the noise
  // that climb into it belong to it. A step has no foot (its first point is most of the move).
  const entry = all[k + 1] as Point;
  const rise = entry.t;
  if (sign * (entry.v - level.before) < 0.5 * Math.abs(level.delta)) {
    while (k >= 0 && out(all[k] as Point, 2 * level.sigma) && sign * ((all[k + 1] as Point).v - (all[k] as Point).v) > 0) k -= 1;
  }
  const first = all[k + 1] as Point;
  return {
    series: series.id,
    service: series.service,
    onset: first.t,
    direction: sign > 0 ? 'up' : 'down',
    before: level.before,
    after,
    sigma: level.sigma,
    ratio: level.before === 0 ? null : after / level.before,
    strength: Math.min(STRENGTH_CAP, Math.abs(level.delta) / level.sigma),
    stepMs: series.stepMs,
    rise,
  };
}
