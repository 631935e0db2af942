// query_metrics: chosen series over a window, downsampled to a few points, with summary
// statistics and, around a pivot time, the level before and after.
import { z } from 'zod';
import { formatTime, type Series } from '../../bundle/index.js';
import { QueryMetricsResultSchema, type SeriesRead } from '../../protocol/results/index.js';
import { counterIncrease } from '../analysis/counters.js';
import { meaningFields } from '../analysis/series-meaning.js';
import { downsample, makeGrid, nativeStep } from '../analysis/downsample.js';
import { seriesView } from '../analysis/series-view.js';
import { round, summarize } from '../analysis/stats.js';
import { defineTool } from './define.js';
import { fitList, offsetPaging } from './output.js';
import { selectSeries, seriesSelection } from './select-series.js';
import { inWindow, relativeToAlert, resolveTime, resolveWindow, timeArg, windowText, type Window } from './time-args.js';

const input = z.object({
  ...seriesSelection,
  from: timeArg('window start (default: the first sample); e.g. "-60m" for an hour before the alert'),
  to: timeArg('window end (default: the last sample)'),
  pivot: timeArg('split the statistics before/after this time, e.g. "alert" or a change\'s time'),
  max_points: z.number().int().min(2).max(500).default(60).describe('at most this many points per series (bucket means)'),
  stats_only: z.boolean().default(false).describe('omit the points, keep the statistics'),
  raw: z.boolean().default(false).describe("counters: return the cumulative values as exported instead of their per-second rate"),
  offset: z.number().int().min(0).default(0).describe('index of the first matching series to show'),
  limit: z.number().int().min(1).max(100).default(10).describe('how many series to show'),
});

function lastValue(samples: Series['samples']): { at: string; value: number } | null {
  for (let i = samples.length - 1; i >= 0; i--) {
    const s = samples[i];
    if (s && s.v !== null) return { at: formatTime(s.t), value: round(s.v) };
  }
  return null;
}

function pivotStats(samples: Series['samples'], pivot: number): NonNullable<SeriesRead['pivot']> {
  const before = samples.filter((s) => s.t < pivot && s.v !== null).map((s) => s.v as number);
  const after = samples.filter((s) => s.t >= pivot && s.v !== null).map((s) => s.v as number);
  const b = summarize(before);
  const a = summarize(after);
  return {
    at: formatTime(pivot),
    before: { count: b.count, mean: b.mean, p50: b.p50, p95: b.p95 },
    after: { count: a.count, mean: a.mean, p50: a.p50, p95: a.p95 },
    ratio_after_to_before: b.mean !== null && a.mean !== null && b.mean !== 0 ? round(a.mean / b.mean, 3) : null,
  };
}

interface Shape {
  window: Window;
  grid: ReturnType<typeof makeGrid>;
  pivot: number | null;
  statsOnly: boolean;
  raw: boolean;
}

function describeSeries(series: Series, shape: Shape): SeriesRead {
  const { window, grid, pivot, statsOnly } = shape;
  const view = seriesView(series, { raw: shape.raw });
  const inside = view.samples.filter((s) => inWindow(s.t, window));
  const values = inside.filter((s) => s.v !== null).map((s) => s.v as number);
  const stats = summarize(values);
  const item: SeriesRead = {
    id: series.id,
    service: series.service,
    kind: view.kind,
    transform: view.transform ?? 'none',
    ...(view.transform === 'rate' ? { unit: 'per second' as const, rate_window_seconds: (view.rateWindowMs ?? 0) / 1000 } : {}),
    ...meaningFields(view.meaning),
    stats: { ...stats, gaps: inside.length - values.length, last: lastValue(inside) },
  };
  if (view.kind === 'counter') {
    const increase = counterIncrease(series.samples.filter((s) => inWindow(s.t, window)));
    item.increase = increase === null ? null : round(increase);
  }
  if (pivot !== null) item.pivot = pivotStats(inside, pivot);
  if (!statsOnly) item.values = downsample(inside, grid);
  return item;
}

export const queryMetrics = defineTool({
  name: 'query_metrics',
  description: [
    'Reads metric series. Select by exact ids (series), metric name (exact or glob), service, and/or match (glob or /regex/ on',
    'the series id); with no selector, all series. Window with from/to (RFC 3339, epoch, or offsets from the alert such as',
    '"-30m"). Each series comes back as statistics over the window (count, gaps, min, max, mean, p50, p95, last) and',
    '`values`: bucket means on a shared grid given by `grid` (start, step_seconds), at most max_points (default 60); null is',
    'a gap with no data. Give pivot (e.g. "alert" or a deploy time) to compare the level before and after it.',
    'Each series says its kind (counter|gauge): a counter (`_total`, `_count`, `_sum`, `_bucket`, or values that only climb)',
    'comes back as its per-second rate with resets handled (transform: "rate", and `increase` over the window); pass raw: true',
    'for the cumulative values. `measures` (latency | errors | saturation | traffic | availability | other) and `worse_when`',
    '(up | down | null) say what the series measures and which way is bad; per_unit, can_leak, backlog, arrivals, hit_share and miss_share',
    'are set (true) on work per request, a resource a leak fills, a backlog, demand arriving, and a cache\'s hit or miss ratio.',
    'A histogram\'s `_bucket` series are throughput (observations per second under each bound); its latency comes as derived',
    'series `histogram_quantile(0.5|0.95|0.99, <name>_bucket){<other labels>}` (Prometheus interpolation over the bucket rates).',
    'Use detect_changes first to find which series moved and when; use this to look at them. Pages by offset/limit over series.',
  ].join(' '),
  inputSchema: input,
  outputSchema: QueryMetricsResultSchema,
  async run(args, context) {
    const { bundle } = context;
    const alertAt = (await bundle.alert())?.startedAt ?? null;
    const matched = selectSeries(await bundle.series(), args);
    const window = resolveWindow(args.from, args.to, alertAt);
    const pivot = args.pivot === undefined ? null : resolveTime(args.pivot, alertAt, 'pivot');

    const page = matched.slice(args.offset, args.offset + args.limit);
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const s of page) {
      for (const x of s.samples) {
        if (!inWindow(x.t, window)) continue;
        first = Math.min(first, x.t);
        last = Math.max(last, x.t);
      }
    }
    const start = window.from ?? (Number.isFinite(first) ? first : 0);
    const end = window.to ?? (Number.isFinite(last) ? last : start);
    const steps = page.map((s) => nativeStep(s.samples.map((x) => x.t))).filter((x): x is number => x !== null);
    const grid = makeGrid(start, end, args.max_points, steps.length > 0 ? steps.reduce((a, b) => Math.min(a, b)) : null);
    const items = page.map((s) => describeSeries(s, { window, grid, pivot, statsOnly: args.stats_only, raw: args.raw }));
    const remaining = Math.max(0, matched.length - args.offset - page.length);

    return fitList({
      items,
      maxChars: context.limits.maxOutputChars,
      alreadyOmitted: remaining,
      alreadyPageOn: offsetPaging('query_metrics', args.offset)(page.length),
      pageOn: offsetPaging('query_metrics', args.offset, args.stats_only ? '' : ' (or stats_only: true, or a smaller max_points, to fit more per call)'),
      build: (shown) => ({
        summary: `${matched.length} series matched; showing ${shown.length} from offset ${args.offset}, ${args.stats_only ? 'statistics only' : `${grid.buckets} points at ${grid.stepMs / 1000}s`}`,
        matched: matched.length,
        offset: args.offset,
        window: windowText({ from: start, to: end }),
        window_relative: { from: relativeToAlert(start, alertAt), to: relativeToAlert(end, alertAt) },
        ...(args.stats_only ? {} : { grid: { start: formatTime(grid.start), step_seconds: grid.stepMs / 1000, points: grid.buckets } }),
        series: shown,
      }),
    });
  },
});
