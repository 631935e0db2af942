// Small arithmetic on the values a series holds, shared by the modules that read a series
// around a moment (the onset, a revert, a rollout's stages, a leak, old pods against new).
import type { SeriesValues } from './read.js';

export interface Point {
  t: number;
  v: number;
}

/** The known values of a series from `from` to `to`, both included, with their times. */
export function pointsIn(series: SeriesValues, from: number, to: number): Point[] {
  const out: Point[] = [];
  series.values.forEach((v, i) => {
    const t = series.start + i * series.stepMs;
    if (v !== null && t >= from && t <= to) out.push({ t, v });
  });
  return out;
}

/** A series' level over a span: the median of its known values there; null with fewer than three. */
export function levelIn(series: SeriesValues, from: number, to: number): number | null {
  const points = pointsIn(series, from, to);
  return points.length >= 3 ? median(points.map((p) => p.v)) : null;
}

/** The median of some values: NaN for none, which a caller that can meet none turns into what it means. */
export function median(xs: readonly number[]): number {
  // A typed array sorts numerically without a comparator call per step.
  const sorted = Float64Array.from(xs).sort();
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** How far values wander about their median: the median absolute deviation, scaled to a standard deviation. */
export function spreadOf(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const middle = median(xs);
  return 1.4826 * median(xs.map((x) => Math.abs(x - middle)));
}

/**
 * A count of whole things that went up by one (promotions active 3 → 4, a pool's connections
 * 1 → 2): the smallest step it can take, which a setting or a schedule makes, not trouble.
 */
export function oneMore(before: number, after: number): boolean {
  return before >= 1 && after - before > 0 && after - before <= 1 && Number.isInteger(before) && Number.isInteger(after);
}

/** How many events a rate stands for over a span, when its name gives its unit (per minute, per second); null otherwise. */
export function eventsIn(name: string, rate: number, spanMs: number): number | null {
  const words = name.toLowerCase().split(/[^a-z0-9]+/);
  const per = words.lastIndexOf('per');
  const unit = per >= 0 ? words[per + 1] : undefined;
  if (unit === 'minute' || unit === 'min' || unit === 'm') return (rate * spanMs) / 60_000;
  if (unit === 'second' || unit === 'sec' || unit === 's') return (rate * spanMs) / 1000;
  if (unit === 'hour' || unit === 'h') return (rate * spanMs) / 3_600_000;
  return null;
}
