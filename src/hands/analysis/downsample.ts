// A series on a regular grid of at most N buckets: the mean of the samples in each bucket,
// null where a bucket holds no number (a gap stays a gap, it is never interpolated).
import { round } from './stats.js';

export interface Grid {
  /** Start of the first bucket (epoch ms), aligned to a multiple of the step. */
  start: number;
  stepMs: number;
  buckets: number;
}

const NICE_STEPS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400].map((s) => s * 1000);

/** The median spacing of consecutive samples (the series' own resolution), or null. */
export function nativeStep(times: readonly number[]): number | null {
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) {
    const d = (times[i] as number) - (times[i - 1] as number);
    if (d > 0) gaps.push(d);
  }
  if (gaps.length === 0) return null;
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)] as number;
}

/**
 * A grid over [from, to] with at most maxPoints buckets, no finer than `minStep` (the data's
 * own resolution) and with a step that reads well (15s, 1m, 5m, ...).
 */
export function makeGrid(from: number, to: number, maxPoints: number, minStep: number | null): Grid {
  const span = Math.max(0, to - from);
  const wanted = Math.max(minStep ?? 1000, Math.ceil(span / Math.max(1, maxPoints)), 1000);
  let stepMs = NICE_STEPS_MS.find((s) => s >= wanted) ?? Math.ceil(wanted / 86_400_000) * 86_400_000;
  for (;;) {
    const start = Math.floor(from / stepMs) * stepMs;
    const buckets = Math.floor((to - start) / stepMs) + 1;
    if (buckets <= maxPoints) return { start, stepMs, buckets };
    stepMs = NICE_STEPS_MS.find((s) => s > stepMs) ?? stepMs * 2;
  }
}

/** Bucket means on the grid; samples outside it are ignored. */
export function downsample(samples: ReadonlyArray<{ t: number; v: number | null }>, grid: Grid): Array<number | null> {
  const sums = new Float64Array(grid.buckets);
  const counts = new Uint32Array(grid.buckets);
  for (const { t, v } of samples) {
    if (v === null || !Number.isFinite(v)) continue;
    const k = Math.floor((t - grid.start) / grid.stepMs);
    if (k < 0 || k >= grid.buckets) continue;
    sums[k] = (sums[k] as number) + v;
    counts[k] = (counts[k] as number) + 1;
  }
  return Array.from(sums, (total, k) => ((counts[k] as number) === 0 ? null : round(total / (counts[k] as number))));
}
