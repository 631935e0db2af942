// Prometheus histograms: a family of cumulative `_bucket` counters, one per upper bound `le`.
// Each bucket's rate is how many observations per second finished under its bound, which is
// throughput, not latency. Latency is read from the buckets together, as PromQL's
// `histogram_quantile(q, rate(x_bucket[w]))` reads them: the quantile, linearly interpolated
// inside the bucket where it falls. Each histogram yields derived quantile series with ids of
// their own, so the tools can analyse them like any other series.
import type { Series } from '../../bundle/index.js';
import { counterRate, rateWindow, type RatePoint } from './counters.js';

/** The quantiles an on-call engineer reads a latency histogram by. */
export const HISTOGRAM_QUANTILES = [0.5, 0.95, 0.99] as const;

export interface BucketRate {
  /** Upper bound; Infinity for `+Inf`. */
  le: number;
  /** Cumulative observations per second at or under the bound. */
  rate: number;
}

const DERIVED_PREFIX = 'histogram_quantile(';

/** Whether a series was derived here from a histogram's buckets. */
export function isDerivedQuantile(name: string): boolean {
  return name.startsWith(DERIVED_PREFIX);
}

function parseLe(value: string): number | null {
  const text = value.trim();
  if (/^\+?inf$/i.test(text)) return Infinity;
  const n = Number(text);
  return text === '' || !Number.isFinite(n) ? null : n;
}

/**
 * The q-quantile of one histogram at one moment, by Prometheus's rules: buckets sorted by bound,
 * a `+Inf` bucket required, the rank q·total found in the first bucket reaching it and
 * interpolated linearly between that bucket's bounds (the lowest bucket starts at 0 when its
 * bound is positive); a rank in the `+Inf` bucket returns the highest finite bound. Null when no
 * observation was made or there is no `+Inf` bucket.
 */
export function histogramQuantile(q: number, buckets: readonly BucketRate[]): number | null {
  if (!(q >= 0 && q <= 1)) return null;
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const top = sorted[sorted.length - 1];
  if (top === undefined || top.le !== Infinity || sorted.length < 2) return null;
  // Rates from separate scrapes may dip slightly below a lower bucket's: keep them monotonic.
  let running = 0;
  const counts = sorted.map((b) => (running = Math.max(running, b.rate)));
  const total = counts[counts.length - 1] as number;
  if (!(total > 0)) return null;
  const rank = q * total;
  let i = counts.findIndex((c) => c >= rank);
  if (i < 0) i = counts.length - 1;
  if (i === counts.length - 1) return (sorted[counts.length - 2] as BucketRate).le;
  const upper = (sorted[i] as BucketRate).le;
  const lower = i === 0 ? 0 : (sorted[i - 1] as BucketRate).le;
  const below = i === 0 ? 0 : (counts[i - 1] as number);
  if (i === 0 && upper <= 0) return upper;
  const inBucket = (counts[i] as number) - below;
  if (inBucket <= 0) return upper;
  return lower + (upper - lower) * ((rank - below) / inBucket);
}

function labelText(labels: Readonly<Record<string, string>>): string {
  const keys = Object.keys(labels).sort();
  return keys.length === 0 ? '' : `{${keys.map((k) => `${k}="${labels[k] ?? ''}"`).join(',')}}`;
}

function round(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

/** The quantile series of every histogram among the series (bucket families of at least two bounds, `+Inf` included). */
export function histogramQuantileSeries(all: readonly Series[]): Series[] {
  const families = new Map<string, { name: string; service: string | null; file: string; labels: Record<string, string>; buckets: Array<{ le: number; series: Series }> }>();
  for (const series of all) {
    if (!series.name.endsWith('_bucket') || !('le' in series.labels)) continue;
    const le = parseLe(series.labels['le'] ?? '');
    if (le === null) continue;
    const { le: _bound, ...rest } = series.labels;
    const key = `${series.name}${labelText(rest)}|${series.service ?? ''}`;
    let family = families.get(key);
    if (!family) {
      family = { name: series.name, service: series.service, file: series.file, labels: rest, buckets: [] };
      families.set(key, family);
    }
    family.buckets.push({ le, series });
  }
  const out: Series[] = [];
  for (const family of families.values()) {
    if (family.buckets.length < 2 || !family.buckets.some((b) => b.le === Infinity)) continue;
    // Each bucket's rate at each of its sample times; the quantile needs every bucket at a time.
    const rates = family.buckets.map((b) => {
      const byTime = new Map<number, number>();
      for (const p of counterRate(b.series.samples, rateWindow(b.series.samples)) as RatePoint[]) if (p.v !== null) byTime.set(p.t, p.v);
      return { le: b.le, byTime };
    });
    const times = [...new Set(family.buckets.flatMap((b) => b.series.samples.map((s) => s.t)))].sort((a, b) => a - b);
    for (const q of HISTOGRAM_QUANTILES) {
      const samples = times.map((t) => {
        const at: BucketRate[] = [];
        for (const r of rates) {
          const v = r.byTime.get(t);
          if (v === undefined) return { t, v: null };
          at.push({ le: r.le, rate: v });
        }
        const value = histogramQuantile(q, at);
        return { t, v: value === null ? null : round(value) };
      });
      const name = `${DERIVED_PREFIX}${q}, ${family.name})`;
      out.push({ id: `${name}${labelText(family.labels)}`, name, service: family.service, labels: { ...family.labels }, file: family.file, samples });
    }
  }
  return out;
}

/** The series with each histogram's quantile series added after them. */
export function withHistogramQuantiles(all: readonly Series[]): Series[] {
  const derived = histogramQuantileSeries(all);
  return derived.length === 0 ? [...all] : [...all, ...derived];
}
