// detect_changes: change points across the chosen series, ranked by how far the level
// moved in robust z units, each placed against the page and the changes that preceded it.
import { z } from 'zod';
import { formatTime, type Change } from '../../bundle/index.js';
import { DetectChangesResultSchema, type ChangePoint as ChangePointEntry } from '../../protocol/results/index.js';
import { detectChangePoints, type ChangePoint } from '../analysis/change-points.js';
import { countsRareEvents, detectCountChanges } from '../analysis/count-changes.js';
import { directionMeaning, type SeriesMeaning } from '../analysis/series-meaning.js';
import { seriesView } from '../analysis/series-view.js';
import { round } from '../analysis/stats.js';
import { defineTool } from './define.js';
import { fitList, offsetPaging } from './output.js';
import { selectSeries, seriesSelection } from './select-series.js';
import { formatDuration, inWindow, relativeToAlert, resolveWindow, timeArg, timeOrNull } from './time-args.js';

const input = z.object({
  ...seriesSelection,
  from: timeArg('only look at samples from this time (e.g. "-2h")'),
  to: timeArg('only look at samples up to this time'),
  min_z: z.number().min(0).default(3).describe('smallest shift, in robust standard deviations of the level before, that counts as significant'),
  include_insignificant: z.boolean().default(false).describe('also list change points below min_z'),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(200).default(20),
});

/** How far back a change may be and still be named as the one preceding an onset. */
const PRECEDING_WINDOW_MS = 6 * 3600_000;

interface Found extends ChangePoint {
  series: string;
  service: string | null;
  transform: 'rate' | null;
  rateWindowMs: number | null;
  /** Read as a counter of rare events: rates over the stretches between change points. */
  events: boolean;
  meaning: SeriesMeaning;
}

function precedingChange(changes: readonly Change[], onset: number): ChangePointEntry['preceded_by'] {
  let best: Change | null = null;
  for (const change of changes) {
    if (change.at === null || change.at > onset || onset - change.at > PRECEDING_WINDOW_MS) continue;
    if (best === null || (best.at as number) < change.at) best = change;
  }
  return best && { id: best.id, service: best.service, type: best.type, before_onset: formatDuration(onset - (best.at as number)) };
}

export const detectChanges = defineTool({
  name: 'detect_changes',
  description: [
    'Finds when metrics changed level: change points per series (robust standardisation, binary segmentation with a',
    'BIC-like penalty; a single spike is not a change, gaps are skipped, a ramp is reported with its start and where it',
    'settled). Cumulative counters (`_total`, `_count`, `_sum`, `_bucket`, or values that only climb) are analysed as their',
    'per-second rate, resets handled as Prometheus rate() does (transform: "rate"; before/after are then rates; a counter',
    'of rare events such as restarts is segmented on its event counts, rare_events: true). A histogram\'s `_bucket` rates are',
    'throughput; its latency is analysed as derived series `histogram_quantile(0.5|0.95|0.99, <name>_bucket){...}`. Each',
    'result gives the series id, onset time and its distance to the page, shape (step|ramp), direction, what the series',
    'measures (latency | errors | saturation | traffic | availability | other) and direction_meaning (worse|better, more',
    'load|less load for traffic, null when the name does not tell), median level before and after, relative change, z (shift in robust standard',
    'deviations of the level before), and',
    'the latest change from changes.* that took effect before the onset (a lead to check, not a verdict). Ranked by z across',
    'all series; by default only significant ones (z >= min_z). Filter with series/name/service/match and from/to.',
    'Use it right after describe_bundle to see what moved first; then query_metrics to look closer. Pages by offset/limit.',
  ].join(' '),
  inputSchema: input,
  outputSchema: DetectChangesResultSchema,
  async run(args, context) {
    const { bundle } = context;
    const alertAt = (await bundle.alert())?.startedAt ?? null;
    const chosen = selectSeries(await bundle.series(), args);
    const window = resolveWindow(args.from, args.to, alertAt);
    const changes = await bundle.changes();

    const found: Found[] = [];
    let quiet = 0;
    let counters = 0;
    for (const series of chosen) {
      if (context.signal.aborted) break;
      // A counter only climbs; what changes is how fast, so it is read as its rate.
      const view = seriesView(series);
      if (view.transform === 'rate') counters += 1;
      const samples = view.samples.filter((s) => inWindow(s.t, window));
      const cumulative = view.transform === 'rate' ? series.samples.filter((s) => inWindow(s.t, window)) : [];
      // Rare events (restarts, a trickle of errors) are counted, not measured: their own test.
      const events = countsRareEvents(cumulative);
      const all = events ? detectCountChanges(cumulative, { minZ: args.min_z }) : detectChangePoints(samples, { minZ: args.min_z });
      const points = all.filter((p) => args.include_insignificant || p.significant);
      if (points.length === 0) quiet += 1;
      const rateWindowMs = events ? null : view.rateWindowMs;
      for (const p of points) found.push({ ...p, series: series.id, service: series.service, transform: view.transform, rateWindowMs, events, meaning: view.meaning });
    }
    found.sort((a, b) => b.z - a.z || Math.abs(b.relative ?? 0) - Math.abs(a.relative ?? 0) || a.onset - b.onset);
    const significant = found.filter((p) => p.significant);
    const earliestOf = (points: readonly Found[]): Found | null => points.reduce<Found | null>((e, p) => (e === null || p.onset < e.onset ? p : e), null);
    const earliest = earliestOf(significant);
    const earliestWorse = earliestOf(significant.filter((p) => directionMeaning(p.meaning, p.direction) === 'worse'));

    const items = found.slice(args.offset, args.offset + args.limit).map((p): ChangePointEntry => ({
      series: p.series,
      service: p.service,
      onset: formatTime(p.onset),
      onset_relative: relativeToAlert(p.onset, alertAt),
      ...(p.shape === 'ramp' ? { settled: formatTime(p.settled) } : {}),
      shape: p.shape,
      direction: p.direction,
      measures: p.meaning.measures,
      direction_meaning: directionMeaning(p.meaning, p.direction),
      transform: p.transform ?? 'none',
      ...(p.rateWindowMs !== null ? { rate_window_seconds: p.rateWindowMs / 1000 } : {}),
      ...(p.events ? { rare_events: true as const } : {}),
      before: round(p.before),
      after: round(p.after),
      relative_change: p.relative === null ? null : round(p.relative, 3),
      z: round(p.z, 3),
      significant: p.significant,
      samples_before: p.samplesBefore,
      samples_after: p.samplesAfter,
      preceded_by: precedingChange(changes, p.onset),
    }));
    const rest = Math.max(0, found.length - args.offset - items.length);
    const headline = earliest
      ? `; earliest onset ${timeOrNull(earliest.onset)}${alertAt === null ? '' : ` (${relativeToAlert(earliest.onset, alertAt)})`} in ${earliest.series} (${earliest.direction})`
      : '';
    return fitList({
      items,
      maxChars: context.limits.maxOutputChars,
      alreadyOmitted: rest,
      alreadyPageOn: offsetPaging('detect_changes', args.offset)(items.length),
      pageOn: offsetPaging('detect_changes', args.offset),
      build: (shown) => ({
        summary: `${significant.length} significant changes in ${new Set(significant.map((p) => p.series)).size} of ${chosen.length} series${headline}`,
        series_scanned: chosen.length,
        series_without_changes: quiet,
        counters_read_as_rate: counters,
        found: found.length,
        earliest_onset: earliest && { series: earliest.series, onset: formatTime(earliest.onset), relative: relativeToAlert(earliest.onset, alertAt) },
        earliest_worse_onset: earliestWorse && {
          series: earliestWorse.series,
          onset: formatTime(earliestWorse.onset),
          relative: relativeToAlert(earliestWorse.onset, alertAt),
          measures: earliestWorse.meaning.measures,
        },
        offset: args.offset,
        change_points: shown,
      }),
    });
  },
});
