// Cumulative counters (Prometheus `counter` type): a number that only goes up, except when
// the process restarts and it starts again from zero. Its level says nothing; its slope is
// the signal. A counter read as a level climbs steadily and looks like a degradation that
// began with the window, so counters are read as a per-second rate, the way Prometheus
// `rate()` reads them: an increase between two samples over the time between them, and a
// drop to a lower value is a reset (the counter restarted from zero and counted up to it).

export interface RatePoint {
  t: number;
  v: number | null;
}

export type SeriesKind = 'counter' | 'gauge';

export interface KindVerdict {
  kind: SeriesKind;
  /** Why: the name follows the counter convention, or the values only ever climb. */
  because: 'name' | 'values' | null;
}

/** Prometheus names a counter, and a histogram's or summary's cumulative parts, by suffix. */
const COUNTER_SUFFIX = /_(total|count|sum|bucket)$/;
/**
 * Words that name a level (a gauge) even when it happens only to climb in the window: an age,
 * a timestamp, a size, a queue, a ratio. A climbing gauge is itself the news.
 */
const GAUGE_WORDS = new Set([
  'age', 'lag', 'timestamp', 'ratio', 'percent', 'pct', 'rate', 'per', 'size',
  'depth', 'queue', 'backlog', 'current', 'used', 'usage', 'available', 'avail', 'free', 'remaining', 'replicas', 'utilization',
  'utilisation', 'temperature', 'version', 'info', 'up', 'ready', 'status', 'max', 'min', 'limit', 'capacity', 'active',
  'inflight', 'pending', 'connections', 'goroutines', 'threads', 'retained', 'open',
]);

/**
 * Units that name a level as often as a total: `request_duration_seconds` is a latency, while
 * `query_time_seconds` (as some exporters name it, without `_total`) is the seconds spent so
 * far. With one of them, only values that climb at nearly every scrape, by amounts unlike the
 * clock's own tick (an age climbs by exactly the time that passed), make a counter.
 */
const UNIT_WORDS = new Set(['time', 'seconds', 'ms', 'milliseconds', 'bytes']);

/** Whether a series climbs like a clock: each rise about the time that passed (an age, an uptime, a timestamp). */
function clockLike(samples: readonly RatePoint[]): boolean {
  const rises: number[] = [];
  let prev: RatePoint | null = null;
  for (const s of samples) {
    if (s.v === null || !Number.isFinite(s.v)) continue;
    if (prev !== null && prev.v !== null && s.v > prev.v && s.t > prev.t) rises.push((s.v - prev.v) / ((s.t - prev.t) / 1000));
    prev = s;
  }
  if (rises.length < 5) return false;
  const sorted = [...rises].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] as number;
  // Per second of wall time, in seconds or milliseconds.
  return [1, 1000].some((tick) => Math.abs(median - tick) <= 0.1 * tick);
}

/** Steps that may be decreases and still be read as the resets of a counter: at most this share. */
const MAX_RESET_SHARE = 0.05;

function values(samples: readonly RatePoint[]): number[] {
  const out: number[] = [];
  for (const s of samples) if (s.v !== null && Number.isFinite(s.v)) out.push(s.v);
  return out;
}

/** Decreases, and the share of steps that go up. */
function climb(xs: readonly number[]): { decreases: number; resetsToLow: number; rising: number; steps: number } {
  let decreases = 0;
  let resetsToLow = 0;
  let rising = 0;
  for (let i = 1; i < xs.length; i++) {
    const a = xs[i - 1] as number;
    const b = xs[i] as number;
    if (b > a) rising += 1;
    else if (b < a) {
      decreases += 1;
      // A restarted counter starts again near zero: well under half of where it was.
      if (b <= a / 2) resetsToLow += 1;
    }
  }
  return { decreases, resetsToLow, rising, steps: Math.max(0, xs.length - 1) };
}

/**
 * Whether a series is a counter. By name (`_total`, `_count`, `_sum`, `_bucket`) unless its
 * values go down as often as a gauge's do (exporters misname gauges, e.g. a `_count` of
 * sessions); by values when they never go down except to restart near zero, climb at most
 * steps, and the name does not call it a level.
 */
export function seriesKind(name: string, samples: readonly RatePoint[]): KindVerdict {
  const xs = values(samples);
  const { decreases, resetsToLow, rising, steps } = climb(xs);
  const allowedDecreases = Math.max(2, Math.floor(steps * MAX_RESET_SHARE));
  if (COUNTER_SUFFIX.test(name)) {
    return decreases <= allowedDecreases && xs.every((x) => x >= 0) ? { kind: 'counter', because: 'name' } : { kind: 'gauge', because: null };
  }
  const words = name.toLowerCase().split(/[^a-z0-9]+/);
  if (words.some((w) => GAUGE_WORDS.has(w))) return { kind: 'gauge', because: null };
  const onlyResets = decreases === resetsToLow && decreases <= allowedDecreases;
  if (words.some((w) => UNIT_WORDS.has(w))) {
    const total = onlyResets && steps >= 10 && rising >= steps * 0.9 && !clockLike(samples) && xs.every((x) => x >= 0);
    return total ? { kind: 'counter', because: 'values' } : { kind: 'gauge', because: null };
  }
  // A counter of live traffic moves at nearly every scrape; a stepwise gauge (a replica count
  // raised twice) does not.
  const counts = steps >= 10 && rising >= steps * 0.6;
  return onlyResets && counts && xs.every((x) => x >= 0) ? { kind: 'counter', because: 'values' } : { kind: 'gauge', because: null };
}

/** The median spacing of consecutive numbered samples, or null with fewer than two. */
function medianStep(samples: readonly RatePoint[]): number | null {
  const times = samples.filter((s) => s.v !== null && Number.isFinite(s.v)).map((s) => s.t);
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) if ((times[i] as number) > (times[i - 1] as number)) gaps.push((times[i] as number) - (times[i - 1] as number));
  if (gaps.length === 0) return null;
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)] as number;
}

/** Most scrape intervals a rate window spans, however rare the counter's events. */
const MAX_WINDOW_STEPS = 20;

/**
 * How far back each rate looks, like the range of a PromQL `rate(x[5m])`. A counter that
 * moves at almost every scrape gets one interval (the finest rate there is). A counter of rare
 * events (restarts, OOM kills) moves at few scrapes: one-interval rates would be zeros with
 * isolated spikes, which read as noise, so the window spans enough intervals to hold about
 * two of its increments. The window trails, so an onset still falls on the first increment.
 */
export function rateWindow(samples: readonly RatePoint[]): number | null {
  const step = medianStep(samples);
  if (step === null) return null;
  const xs = values(samples);
  let moving = 0;
  for (let i = 1; i < xs.length; i++) if ((xs[i] as number) !== (xs[i - 1] as number)) moving += 1;
  const share = xs.length > 1 ? moving / (xs.length - 1) : 1;
  if (share >= 0.5) return step;
  const steps = share > 0 ? Math.min(MAX_WINDOW_STEPS, Math.ceil(2 / share)) : MAX_WINDOW_STEPS;
  return step * Math.max(2, steps);
}

/**
 * The per-second rate of a counter at each sample over the trailing window (default: since the
 * previous sample): the increase from the oldest sample inside the window to this one, over
 * the seconds between them; a drop is a reset, after which the counter counted up from zero.
 * The first sample, and gaps, have no rate (null).
 */
export function counterRate(samples: readonly RatePoint[], windowMs: number | null = null): RatePoint[] {
  const numbered = samples.filter((s) => s.v !== null && Number.isFinite(s.v));
  // Increase since the first numbered sample, resets included, so any window is a difference.
  const cumulative: number[] = [];
  let total = 0;
  numbered.forEach((s, i) => {
    if (i > 0) {
      const prev = (numbered[i - 1] as RatePoint).v as number;
      total += (s.v as number) >= prev ? (s.v as number) - prev : (s.v as number);
    }
    cumulative.push(total);
  });
  const out: RatePoint[] = [];
  let i = -1;
  let from = 0;
  for (const s of samples) {
    if (s.v === null || !Number.isFinite(s.v)) {
      out.push({ t: s.t, v: null });
      continue;
    }
    i += 1;
    // The oldest sample still inside the window, but never this one.
    while (from < i - 1 && windowMs !== null && s.t - (numbered[from + 1] as RatePoint).t >= windowMs) from += 1;
    if (windowMs === null) from = Math.max(0, i - 1);
    const start = numbered[from] as RatePoint;
    if (from >= i || s.t <= start.t) {
      out.push({ t: s.t, v: null });
      continue;
    }
    out.push({ t: s.t, v: ((cumulative[i] as number) - (cumulative[from] as number)) / ((s.t - start.t) / 1000) });
  }
  return out;
}

/** How much a counter went up over the samples, resets included (Prometheus `increase()` without extrapolation). */
export function counterIncrease(samples: readonly RatePoint[]): number | null {
  let total = 0;
  let prev: number | null = null;
  let seen = false;
  for (const s of samples) {
    if (s.v === null || !Number.isFinite(s.v)) continue;
    if (prev !== null) {
      total += s.v >= prev ? s.v - prev : s.v;
      seen = true;
    }
    prev = s.v;
  }
  return seen ? total : null;
}
