// The shape of a level change: neighbouring splits that form one ramp, and the flat-ramp-flat
// (hinge) fit that places where the level starts to move and where it settles.
import { segmentMeans, sum, type Prefix } from './segmentation.js';

/** Fewer samples than this make a piece too short to show a slope, or a level to be sure of. */
export const SHORT_PIECE = 8;

/** Least-squares slope of xs[s..e) against the index, with its t statistic. */
function slope(xs: readonly number[], s: number, e: number): { slope: number; t: number } {
  const n = e - s;
  if (n < 3) return { slope: 0, t: 0 };
  let mi = 0;
  let mx = 0;
  for (let i = s; i < e; i++) {
    mi += i;
    mx += xs[i] as number;
  }
  mi /= n;
  mx /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = s; i < e; i++) {
    sxy += (i - mi) * ((xs[i] as number) - mx);
    sxx += (i - mi) * (i - mi);
  }
  const b = sxy / sxx;
  let rss = 0;
  for (let i = s; i < e; i++) {
    const r = (xs[i] as number) - (mx + b * (i - mi));
    rss += r * r;
  }
  const se = Math.sqrt(rss / (n - 2) / sxx);
  return { slope: b, t: se > 0 ? b / se : b === 0 ? 0 : Infinity };
}

/** Groups of consecutive split indices that form one change (a step, or a ramp cut into pieces). */
export function groupRamps(xs: readonly number[], bounds: readonly number[]): Array<{ first: number; last: number }> {
  const means = segmentMeans(xs, bounds);
  const groups: Array<{ first: number; last: number }> = [];
  // bounds = [0, k1, ..., km, n]; split j (1..m) separates segment j-1 from segment j.
  for (let j = 1; j + 1 < bounds.length; j++) {
    const current = groups[groups.length - 1];
    if (current && current.last === j - 1) {
      const prev = means[j - 2] as number;
      const mid = means[j - 1] as number;
      const next = means[j] as number;
      const rise = next - prev;
      const sameDirection = Math.sign(mid - prev) === Math.sign(next - mid) && rise !== 0;
      const length = (bounds[j] as number) - (bounds[j - 1] as number);
      const fit = slope(xs, bounds[j - 1] as number, bounds[j] as number);
      const span = fit.slope * (length - 1);
      // A short middle piece cannot show a slope of its own: two moves in the same
      // direction a few samples apart are one transition.
      const sloped = Math.sign(span) === Math.sign(rise) && Math.abs(fit.t) > 2 && Math.abs(span) >= 0.3 * Math.abs(rise);
      if (sameDirection && (length < SHORT_PIECE || sloped)) {
        current.last = j;
        continue;
      }
    }
    groups.push({ first: j, last: j });
  }
  return groups;
}

/**
 * Flat(μ1) on [s, a), a straight line from μ1 to μ2 on [a, b), flat(μ2) on [b, e): the (a, b)
 * of least squared error, searched coarse-to-fine within [aMin, aMax] × [bMin, bMax].
 */
export function hinge(p: Prefix, s: number, e: number, aRange: [number, number], bRange: [number, number], mu1: number, mu2: number): { a: number; b: number } {
  const flat = (from: number, to: number, mu: number): number =>
    sum(p.ss, from, to) - 2 * mu * sum(p.s, from, to) + (to - from) * mu * mu;
  const sumITo = (m: number): number => ((m - 1) * m) / 2; // Σ_{i<m} i
  const sumI2To = (m: number): number => ((m - 1) * m * (2 * m - 1)) / 6; // Σ_{i<m} i²
  // The cost of (a, b) is flat(s, a) + line(a, b) + flat(b, e), added in that order. What
  // depends on a alone or on b alone (the two flat pieces, the prefix sums at a and at b) is
  // worked out once per a and once per b rather than once per pair, with the same arithmetic:
  // every cost, and so the pair chosen, is exactly what evaluating each pair whole gives.
  const search = (aLo: number, aHi: number, bLo: number, bHi: number, stride: number): { a: number; b: number } => {
    const { s: xs, ss: squares, si: weighted } = p;
    const count = Math.max(0, bHi - bLo + 1);
    const tails = new Float64Array(count);
    const sumIB = new Float64Array(count);
    const sumI2B = new Float64Array(count);
    for (let b = bLo; b <= bHi; b++) {
      tails[b - bLo] = flat(b, e, mu2);
      sumIB[b - bLo] = sumITo(b);
      sumI2B[b - bLo] = sumI2To(b);
    }
    let bestA = aHi;
    let bestB = Math.max(aHi, bLo);
    let bestCost = Infinity;
    for (let a = aLo; a <= aHi; a += stride) {
      const head = flat(s, a, mu1);
      const xsA = xs[a] as number;
      const squaresA = squares[a] as number;
      const weightedA = weighted[a] as number;
      const sumIA = sumITo(a);
      const sumI2A = sumI2To(a);
      for (let b = Math.max(a, bLo); b <= bHi; b += stride) {
        // The line from μ1 to μ2 over [a, b) (none when b = a).
        let line = 0;
        if (b > a) {
          const q = (mu2 - mu1) / (b - a + 1);
          const c = mu1 + q * (1 - a);
          const m = b - a;
          const k = b - bLo;
          line =
            ((squares[b] as number) - squaresA) -
            2 * c * ((xs[b] as number) - xsA) -
            2 * q * ((weighted[b] as number) - weightedA) +
            c * c * m +
            2 * c * q * ((sumIB[k] as number) - sumIA) +
            q * q * ((sumI2B[k] as number) - sumI2A);
        }
        const cost = head + line + (tails[b - bLo] as number);
        if (cost < bestCost) {
          bestA = a;
          bestB = b;
          bestCost = cost;
        }
      }
    }
    return { a: bestA, b: bestB };
  };
  const stride = Math.max(1, Math.ceil(Math.max(aRange[1] - aRange[0], bRange[1] - bRange[0]) / 150));
  const coarse = search(aRange[0], aRange[1], bRange[0], bRange[1], stride);
  if (stride === 1) return coarse;
  return search(
    Math.max(aRange[0], coarse.a - stride),
    Math.min(aRange[1], coarse.a + stride),
    Math.max(bRange[0], coarse.b - stride),
    Math.min(bRange[1], coarse.b + stride),
    1,
  );
}
