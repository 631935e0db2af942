// Small descriptive statistics over plain number arrays (gaps already removed).

/** Linear-interpolated quantile (q in [0, 1]) of values; null for an empty input. */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const pos = (values.length - 1) * Math.min(1, Math.max(0, q));
  // A typed array sorts numerically without a comparator call per step.
  const xs = Float64Array.from(values);
  if (Number.isNaN(pos)) return quantileSorted(xs.sort(), q);
  // The change-point search takes medians of long series again and again, and a quantile
  // needs only the one or two values either side of its position, not the whole order:
  // they are selected, in the order a typed array sorts by (-0 before 0, NaN last), so the
  // result is the one quantileSorted reads off the sorted copy.
  const lo = Math.floor(pos);
  const a = selectNth(xs, lo);
  const b = pos > lo ? smallestFrom(xs, lo + 1) : a;
  return a + (b - a) * (pos - lo);
}

/** Whether x sorts before y in a Float64Array's sort: numeric, -0 before 0, NaN last. */
function sortsBefore(x: number, y: number): boolean {
  if (x < y) return true;
  if (x > y) return false;
  if (x === y) return x === 0 && Object.is(x, -0) && !Object.is(y, -0);
  return Number.isNaN(y) && !Number.isNaN(x);
}

/**
 * Rearranges xs so that xs[k] is the value a sort would put there, nothing before it sorts
 * after it and nothing after it sorts before it (Hoare's selection, pivot the median of three).
 */
function selectNth(xs: Float64Array, k: number): number {
  let left = 0;
  let right = xs.length - 1;
  const swap = (i: number, j: number): void => {
    const t = xs[i] as number;
    xs[i] = xs[j] as number;
    xs[j] = t;
  };
  while (right > left) {
    const mid = (left + right) >>> 1;
    if (sortsBefore(xs[mid] as number, xs[left] as number)) swap(mid, left);
    if (sortsBefore(xs[right] as number, xs[left] as number)) swap(right, left);
    if (sortsBefore(xs[right] as number, xs[mid] as number)) swap(right, mid);
    const pivot = xs[mid] as number;
    let i = left;
    let j = right;
    while (i <= j) {
      while (sortsBefore(xs[i] as number, pivot)) i++;
      while (sortsBefore(pivot, xs[j] as number)) j--;
      if (i <= j) {
        swap(i, j);
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return xs[k] as number;
}

/** The value that sorts first among xs[from..]. */
function smallestFrom(xs: Float64Array, from: number): number {
  let best = xs[from] as number;
  for (let i = from + 1; i < xs.length; i++) if (sortsBefore(xs[i] as number, best)) best = xs[i] as number;
  return best;
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
