// Change points in a counter of rare events (restarts, OOM kills, a trickle of errors): when
// the events started, stopped, or came faster or slower.
//
// Such a counter moves at few scrapes, so its rate at each sample is mostly zero with a
// spike now and then, and a windowed rate only flickers between one and two events per
// window: a detector of level shifts reads either as noise, or every flicker as a change.
// Events are counted, so their rate is read the way counts are: the increments between
// samples are a Poisson process whose rate is constant between change points. Binary
// segmentation on the Poisson likelihood, best split first, keeps a split when it raises the
// log-likelihood by more than the BIC price of a change point (a new rate and where it
// starts: ln n). The strength of a change is the signed root of its likelihood ratio, which
// reads in standard deviations like the z of a level shift.
import type { ChangePoint, DetectOptions, Point } from './change-points.js';

interface Increment {
  t: number;
  /** Events since the previous sample (resets handled). */
  count: number;
  /** Seconds since the previous sample. */
  seconds: number;
}

/** A counter whose increments are whole numbers, moving at fewer than half of its scrapes. */
export function countsRareEvents(samples: readonly Point[]): boolean {
  const incs = increments(samples);
  if (incs.length < 10) return false;
  const moving = incs.filter((x) => x.count > 0).length;
  return moving < incs.length / 2 && incs.every((x) => Math.abs(x.count - Math.round(x.count)) < 1e-9);
}

function increments(samples: readonly Point[]): Increment[] {
  const out: Increment[] = [];
  let prev: Point | null = null;
  for (const s of samples) {
    if (s.v === null || !Number.isFinite(s.v)) continue;
    if (prev !== null && s.t > prev.t) {
      const p = prev.v as number;
      out.push({ t: s.t, count: s.v >= p ? s.v - p : s.v, seconds: (s.t - prev.t) / 1000 });
    }
    prev = s;
  }
  return out;
}

/** Poisson log-likelihood of `count` events in `seconds` at their own best rate (constants dropped). */
function logLikelihood(count: number, seconds: number): number {
  return count > 0 && seconds > 0 ? count * Math.log(count / seconds) - count : 0;
}

interface Split {
  s: number;
  e: number;
  k: number;
  gain: number;
}

/** Change points of a counter of rare events (cumulative samples), in time order. */
export function detectCountChanges(samples: readonly Point[], options: DetectOptions = {}): ChangePoint[] {
  const minZ = options.minZ ?? 3;
  const maxChanges = options.maxChanges ?? 8;
  const minSeg = Math.max(2, options.minSegment ?? 3);
  const incs = increments(samples);
  const n = incs.length;
  if (n < 2 * minSeg) return [];
  const counts = new Float64Array(n + 1);
  const secs = new Float64Array(n + 1);
  incs.forEach((x, i) => {
    counts[i + 1] = (counts[i] as number) + x.count;
    secs[i + 1] = (secs[i] as number) + x.seconds;
  });
  const ll = (s: number, e: number): number => logLikelihood((counts[e] as number) - (counts[s] as number), (secs[e] as number) - (secs[s] as number));
  const bestSplit = (s: number, e: number): Split | null => {
    let best: Split | null = null;
    const whole = ll(s, e);
    for (let k = s + minSeg; k <= e - minSeg; k++) {
      const gain = ll(s, k) + ll(k, e) - whole;
      if (best === null || gain > best.gain) best = { s, e, k, gain };
    }
    return best;
  };
  const penalty = Math.log(n);
  const splits: number[] = [];
  const open: Split[] = [];
  const consider = (s: number, e: number): void => {
    const best = bestSplit(s, e);
    if (best && best.gain > penalty) open.push(best);
  };
  consider(0, n);
  while (open.length > 0 && splits.length < maxChanges * 2) {
    open.sort((a, b) => b.gain - a.gain);
    const next = open.shift() as Split;
    splits.push(next.k);
    consider(next.s, next.k);
    consider(next.k, next.e);
  }
  splits.sort((a, b) => a - b);
  const bounds = [0, ...splits, n];
  const rate = (s: number, e: number): number => ((counts[e] as number) - (counts[s] as number)) / Math.max(1e-9, (secs[e] as number) - (secs[s] as number));
  const changes: ChangePoint[] = [];
  for (let i = 1; i < bounds.length - 1; i++) {
    const s = bounds[i - 1] as number;
    const k = bounds[i] as number;
    const e = bounds[i + 1] as number;
    const before = rate(s, k);
    const after = rate(k, e);
    const gain = ll(s, k) + ll(k, e) - ll(s, e);
    const z = Math.min(1000, Math.sqrt(Math.max(0, 2 * gain)));
    // The first increment of the new rate is the onset when events start; else the split.
    let at = k;
    if (before === 0) while (at < e - 1 && (incs[at] as Increment).count === 0) at += 1;
    const delta = after - before;
    changes.push({
      onset: (incs[at] as Increment).t,
      settled: (incs[at] as Increment).t,
      shape: 'step',
      direction: delta >= 0 ? 'up' : 'down',
      before,
      after,
      delta,
      relative: before === 0 ? null : delta / before,
      z,
      samplesBefore: k - s,
      samplesAfter: e - k,
      significant: delta !== 0 && z >= minZ && gain > penalty,
    });
  }
  return changes.filter((c) => c.delta !== 0).slice(0, maxChanges);
}
