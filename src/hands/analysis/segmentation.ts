// Segmentation of a series on its mean: prefix sums, a Hampel filter for isolated outliers,
// best-first binary segmentation with a penalty, and the residual statistics (spread, lag-1
// autocorrelation) that tell whether the noise was read at the right scale.
import { median } from './stats.js';

export interface Prefix {
  s: Float64Array; // Σ x
  ss: Float64Array; // Σ x²
  si: Float64Array; // Σ i·x
}

export function prefixes(xs: readonly number[]): Prefix {
  const n = xs.length;
  const s = new Float64Array(n + 1);
  const ss = new Float64Array(n + 1);
  const si = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const x = xs[i] as number;
    s[i + 1] = (s[i] as number) + x;
    ss[i + 1] = (ss[i] as number) + x * x;
    si[i + 1] = (si[i] as number) + i * x;
  }
  return { s, ss, si };
}

export const sum = (a: Float64Array, from: number, to: number): number => (a[to] as number) - (a[from] as number);

/** Replaces points further than 4σ from their 5-point running median by that median. */
export function hampel(xs: readonly number[], sigma: number): number[] {
  const out = xs.slice();
  for (let i = 0; i < xs.length; i++) {
    const window = xs.slice(Math.max(0, i - 2), Math.min(xs.length, i + 3));
    const m = median(window) as number;
    if (Math.abs((xs[i] as number) - m) > 4 * sigma) out[i] = m;
  }
  return out;
}

/** Best-first binary segmentation on the mean; returns sorted split indices (start of a new segment). */
export function segment(zs: readonly number[], penalty: number, minSeg: number, maxSplits: number): number[] {
  const p = prefixes(zs);
  const gainAt = (s: number, k: number, e: number): number => {
    const left = sum(p.s, s, k);
    const right = sum(p.s, k, e);
    const all = left + right;
    return (left * left) / (k - s) + (right * right) / (e - k) - (all * all) / (e - s);
  };
  const bestSplit = (s: number, e: number): { k: number; gain: number } | null => {
    let best: { k: number; gain: number } | null = null;
    for (let k = s + minSeg; k <= e - minSeg; k++) {
      const gain = gainAt(s, k, e);
      if (best === null || gain > best.gain) best = { k, gain };
    }
    return best;
  };
  const splits: number[] = [];
  const open: Array<{ s: number; e: number; k: number; gain: number }> = [];
  const consider = (s: number, e: number): void => {
    const best = bestSplit(s, e);
    if (best && best.gain > penalty) open.push({ s, e, ...best });
  };
  consider(0, zs.length);
  while (open.length > 0 && splits.length < maxSplits) {
    open.sort((a, b) => b.gain - a.gain);
    const next = open.shift() as { s: number; e: number; k: number };
    splits.push(next.k);
    consider(next.s, next.k);
    consider(next.k, next.e);
  }
  return splits.sort((a, b) => a - b);
}

export function segmentMeans(xs: readonly number[], bounds: readonly number[]): number[] {
  const p = prefixes(xs);
  const means: number[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const s = bounds[i] as number;
    const e = bounds[i + 1] as number;
    means.push(sum(p.s, s, e) / (e - s));
  }
  return means;
}

/** Residuals around the segment means, one array per segment. */
export function residualsOf(xs: readonly number[], bounds: readonly number[]): number[][] {
  const means = segmentMeans(xs, bounds);
  return means.map((m, j) => xs.slice(bounds[j] as number, bounds[j + 1] as number).map((x) => x - m));
}

/** Lag-1 autocorrelation pooled over segments (pairs never straddle a split). */
export function lagOneCorrelation(pieces: readonly number[][]): number {
  let num = 0;
  let den = 0;
  for (const piece of pieces) {
    for (let i = 0; i < piece.length; i++) {
      const r = piece[i] as number;
      den += r * r;
      if (i > 0) num += r * (piece[i - 1] as number);
    }
  }
  return den > 0 ? num / den : 0;
}
