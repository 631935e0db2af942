// Small descriptive statistics over plain number arrays (gaps already removed).

/** Linear-interpolated quantile (q in [0, 1]) of values; null for an empty input. */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  // A typed array sorts numerically without a comparator call per step: several times faster
  // on the long series the change-point search takes medians of again and again.
  return quantileSorted(Float64Array.from(values).sort(), q);
}

export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

export function median(values: readonly number[]): number | null {
  return quantile(values, 0.5);
}

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Median absolute deviation from the median, scaled to estimate a normal standard deviation. */
export function robustSigma(values: readonly number[]): number {
  const m = median(values);
  if (m === null) return 0;
  const deviations = values.map((v) => Math.abs(v - m));
  return 1.4826 * (median(deviations) ?? 0);
}

/**
 * Noise level estimated from successive differences. A level shift moves only one
 * difference, so unlike the spread of the values it is not inflated by the change being
 * looked for. Falls back to the mean absolute difference when more than half of the
 * differences are zero (quantised series such as counts).
 */
export function noiseSigma(values: readonly number[]): number {
  if (values.length < 3) return 0;
  const diffs: number[] = [];
  for (let i = 1; i < values.length; i++) diffs.push(Math.abs((values[i] as number) - (values[i - 1] as number)));
  const med = median(diffs) ?? 0;
  if (med > 0) return (1.4826 * med) / Math.SQRT2;
  const meanAbs = mean(diffs) ?? 0;
  return (meanAbs * Math.sqrt(Math.PI / 2)) / Math.SQRT2;
}

/** Rounds to a few significant digits so results stay short without losing the shape. */
export function round(value: number, digits = 4): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(digits));
}

export interface Summary {
  count: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  p50: number | null;
  p95: number | null;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { count: 0, min: null, max: null, mean: null, p50: null, p95: null };
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    min: round(sorted[0] as number),
    max: round(sorted[sorted.length - 1] as number),
    mean: round(mean(sorted) as number),
    p50: round(quantileSorted(sorted, 0.5)),
    p95: round(quantileSorted(sorted, 0.95)),
  };
}
