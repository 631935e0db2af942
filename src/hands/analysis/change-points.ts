// Change points in one metric series: when its level moved, from what to what, and how
// sure we are.
//
// The method, in order:
// 1. Gaps (null samples) are dropped; times are kept, so an onset is a real instant.
// 2. The noise level σ comes from successive differences (a level shift moves only one of
//    them), and isolated outliers are replaced by their 5-point running median (a Hampel
//    filter): a single spike is not a change of level.
// 3. Binary segmentation on the mean of the standardised series, best split first, with a
//    BIC-like penalty (3·ln n per change point). Autocorrelated noise wanders more than its
//    differences suggest, so the lag-1 autocorrelation φ of the residuals is measured and
//    the series segmented again at the long-run scale σ·√((1+φ)/(1−φ)) until the fit holds.
// 4. Neighbouring splits in the same direction whose middle segment is itself sloped are one
//    ramp, not a staircase; a flat-ramp-flat (hinge) fit then places the onset where the
//    level starts to move and the end where it settles, which for a step coincide.
// 5. Each change is scored in robust z units: the shift over the spread (MAD) of the level
//    on the noisier side of it (so a wobble inside the noise after a step is not another
//    step). "Significant" means a z of at least `minZ` (more when a side has few samples) and
//    a relative move of at least `minRelative` (when the level before is not zero). Splits
//    that a two-sample test on their own plateaus does not back are dropped first.
import { hampel, lagOneCorrelation, prefixes, residualsOf, segment, sum, type Prefix } from './segmentation.js';
import { noiseSigma, robustSigma, median } from './stats.js';
import { groupRamps, hinge, SHORT_PIECE } from './transitions.js';

export interface Point {
  t: number;
  v: number | null;
}

export interface ChangePoint {
  /** When the level starts to move (the first sample of the new level for a step). */
  onset: number;
  /** When the new level is reached; equals onset for a step. */
  settled: number;
  shape: 'step' | 'ramp';
  direction: 'up' | 'down';
  /** Median level before the onset and after it settles. */
  before: number;
  after: number;
  delta: number;
  /** delta / |before|; null when the level before is zero. */
  relative: number | null;
  /** |delta| in robust standard deviations of the noisier side (capped at 1000). */
  z: number;
  samplesBefore: number;
  samplesAfter: number;
  significant: boolean;
}

export interface DetectOptions {
  /** Minimum robust z for a change to count as significant (default 3). */
  minZ?: number;
  /** Minimum |relative| move when the level before is not zero (default 0.01). */
  minRelative?: number;
  /** Most change points reported per series (default 8). */
  maxChanges?: number;
  /** Fewest samples in a segment (default 3). */
  minSegment?: number;
}

const Z_CAP = 1000;

/**
 * A level measured on few samples is uncertain, and a short excursion at the edge of the
 * window is the commonest false alarm: demand a larger shift when one side is short.
 */
function requiredZ(minZ: number, shortest: number): number {
  return shortest >= 10 ? minZ : minZ * Math.sqrt(10 / Math.max(1, shortest));
}

/** Change points of one series, in time order. */
export function detectChangePoints(samples: readonly Point[], options: DetectOptions = {}): ChangePoint[] {
  const minZ = options.minZ ?? 3;
  const minRelative = options.minRelative ?? 0.01;
  const maxChanges = options.maxChanges ?? 8;
  const minSeg = Math.max(2, options.minSegment ?? 3);

  const ts: number[] = [];
  const raw: number[] = [];
  for (const sample of samples) {
    if (sample.v !== null && Number.isFinite(sample.v)) {
      ts.push(sample.t);
      raw.push(sample.v);
    }
  }
  const n = raw.length;
  if (n < 2 * minSeg + 2) return [];
  const diffSigma = noiseSigma(raw);
  let sigma = diffSigma;
  if (!(sigma > 0)) return [];
  const xs = hampel(raw, sigma);
  const centre = median(xs) as number;
  const penalty = 3 * Math.log(n);
  const maxSplits = maxChanges * 4;

  let splits = segment(xs.map((x) => (x - centre) / sigma), penalty, minSeg, maxSplits);
  let inflation = 1;
  // Autocorrelated noise wanders more than its successive differences suggest, so a
  // segment mean varies more than σ²/m. Measure the spread and lag-1 autocorrelation of
  // the residuals around the first fit, and segment again at the long-run scale.
  // Overfitting hides part of the autocorrelation, so repeat while the fit keeps changing.
  for (let round = 0; round < 4; round++) {
    const residuals = residualsOf(xs, [0, ...splits, n]);
    // Removing each segment's mean biases the estimate down by about (1 + 3φ)/m.
    const measured = lagOneCorrelation(residuals);
    const phi = Math.min(0.95, measured + (1 + 3 * Math.max(0, measured)) / (n / residuals.length));
    if (phi <= 0.1) break;
    const longRun = robustSigma(residuals.flat()) * Math.sqrt((1 + phi) / (1 - phi));
    if (longRun <= sigma * 1.05) break;
    sigma = longRun;
    inflation = Math.sqrt((1 + phi) / (1 - phi));
    const next = segment(xs.map((x) => (x - centre) / sigma), penalty, minSeg, maxSplits);
    const same = next.length === splits.length && next.every((k, i) => k === splits[i]);
    splits = next;
    if (same) break;
  }
  if (splits.length === 0) return [];

  // Backward elimination: while some split is not backed by its own plateaus (a Welch test
  // on the samples either side, long-run scaled, below the penalty's threshold), drop the
  // weakest and measure its neighbours again. Noise that the global σ understated (a
  // noisier stretch after a step) goes here; a real shift, even a small one, stays.
  let bounds = [0, ...splits, n];
  const threshold = Math.sqrt(penalty);
  const level: Levels = { raw, prefix: prefixes(xs), ts, minZ, minRelative, noise: diffSigma, inflation, threshold };
  let evaluated = groupRamps(xs, bounds).map((group) => ({ group, ...measure(level, bounds, group) }));
  for (;;) {
    const weakest = evaluated.filter((e) => e.t < threshold).sort((a, b) => a.t - b.t)[0];
    if (!weakest) break;
    const gone = new Set(bounds.slice(weakest.group.first, weakest.group.last + 1));
    bounds = bounds.filter((b) => !gone.has(b));
    evaluated = groupRamps(xs, bounds).map((group) => ({ group, ...measure(level, bounds, group) }));
  }

  // A significant change reads its levels over the plateaus up to the neighbouring significant
  // changes (the small real shifts between them are not the story), unless that blurs it.
  const significantBounds = [0, ...evaluated.filter((e) => e.change.significant).flatMap((e) => bounds.slice(e.group.first, e.group.last + 1)), n];
  const changes = evaluated.map((e) => {
    if (!e.change.significant) return e.change;
    const first = significantBounds.indexOf(bounds[e.group.first] as number);
    const wide = measure(level, significantBounds, { first, last: first + e.group.last - e.group.first }).change;
    return wide.significant ? wide : e.change;
  });
  return changes
    .filter((c) => c.delta !== 0)
    .sort((a, b) => a.onset - b.onset)
    .slice(0, maxChanges);
}

interface Levels {
  raw: readonly number[];
  /** Prefix sums of the filtered series. */
  prefix: Prefix;
  ts: readonly number[];
  minZ: number;
  minRelative: number;
  /** Noise of the whole series, a floor for sides too short to measure their own. */
  noise: number;
  /** How much autocorrelation widens the uncertainty of a mean (1 for independent noise). */
  inflation: number;
  /** The two-sample test's bar a split must clear to stand (the square root of the penalty). */
  threshold: number;
}

/** Share of a side's samples off the value the other side held exactly, for it to have left that value. */
const LEFT_HELD_SHARE = 0.6;

/** The change a group of splits makes: onset and end by a hinge fit, levels and strength. */
function measure(level: Levels, bounds: readonly number[], group: { first: number; last: number }): { change: ChangePoint; t: number } {
  const { raw, ts } = level;
  const s = bounds[group.first - 1] as number;
  const first = bounds[group.first] as number;
  const last = bounds[group.last] as number;
  const e = bounds[group.last + 1] as number;
  // The splits only say where the level differs; the hinge may place the transition
  // anywhere between the plateaus around them (a noisy step split twice is still a step).
  const aRange: [number, number] = [s + 1, last];
  const bRange: [number, number] = [first, e - 1];
  const p = level.prefix;
  const meanOf = (from: number, to: number): number => (to > from ? sum(p.s, from, to) / (to - from) : 0);
  let fit = hinge(p, s, e, aRange, bRange, meanOf(s, first), meanOf(last, e));
  // Refit once with the levels measured outside the transition just found.
  fit = hinge(p, s, e, aRange, bRange, meanOf(s, fit.a), meanOf(fit.b, e));
  const beforeValues = raw.slice(s, fit.a);
  const afterValues = raw.slice(fit.b, e);
  const before = median(beforeValues) as number;
  const after = median(afterValues) as number;
  const delta = after - before;
  const floor = 1e-9 * Math.max(Math.abs(before), Math.abs(after), 1e-12);
  const spread = (values: readonly number[]): number =>
    Math.max(robustSigma(values), noiseSigma(values), values.length < SHORT_PIECE + 2 ? level.noise : 0, floor);
  const spreadBefore = spread(beforeValues);
  const spreadAfter = spread(afterValues);
  // Measured against the noisier side: a shift within the noise after it is no change.
  const z = Math.min(Z_CAP, Math.abs(delta) / Math.max(spreadBefore, spreadAfter));
  const standardError =
    level.inflation * Math.sqrt((spreadBefore * spreadBefore) / Math.max(1, beforeValues.length) + (spreadAfter * spreadAfter) / Math.max(1, afterValues.length));
  const relative = before === 0 ? null : delta / Math.abs(before);
  const shortest = Math.min(beforeValues.length, afterValues.length);
  // A side that held one exact value (no evictions, hour after hour) has no spread to measure
  // the other against but its own burst's: a store that began evicting in bursts of thousands
  // between quiet minutes left zero, however noisy the bursts. The other side left it when most
  // of its samples differ from that value and the plateaus' own test backs the split.
  const heldExactly = (values: readonly number[]): boolean => values.length >= SHORT_PIECE + 2 && values.every((v) => v === values[0]);
  const leftHeld = (held: readonly number[], other: readonly number[]): boolean =>
    heldExactly(held) && other.length >= SHORT_PIECE + 2 && other.filter((v) => v !== held[0]).length >= LEFT_HELD_SHARE * other.length;
  const leftExactLevel = leftHeld(beforeValues, afterValues) || leftHeld(afterValues, beforeValues);
  const change: ChangePoint = {
    onset: ts[fit.a] as number,
    settled: ts[fit.b] as number,
    shape: fit.b - fit.a >= 3 ? 'ramp' : 'step',
    direction: delta >= 0 ? 'up' : 'down',
    before,
    after,
    delta,
    relative,
    z,
    samplesBefore: beforeValues.length,
    samplesAfter: afterValues.length,
    significant:
      delta !== 0 &&
      (z >= requiredZ(level.minZ, shortest) || (leftExactLevel && Math.abs(delta) / standardError >= level.threshold)) &&
      (relative === null || Math.abs(relative) >= level.minRelative),
  };
  return { change, t: Math.abs(delta) / standardError };
}
