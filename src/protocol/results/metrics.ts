// query_metrics' and detect_changes' results: series read over a window, and the change
// points found in them, each saying what the series measures.
import { z } from 'zod';
import { MEASURES, MOVES, RelativeSchema, SeriesMeaningShape, TimeSchema, TruncationSchema, WindowSchema } from './common.js';

export const SERIES_KINDS = ['counter', 'gauge'] as const;
/** How the values were read: a counter as its per-second rate, anything else as exported. */
export const TRANSFORMS = ['rate', 'none'] as const;

const LevelSchema = z.number().nullable();

export const SeriesStatsSchema = z.strictObject({
  count: z.number().int().min(0),
  min: LevelSchema,
  max: LevelSchema,
  mean: LevelSchema,
  p50: LevelSchema,
  p95: LevelSchema,
  gaps: z.number().int().min(0),
  last: z.strictObject({ at: TimeSchema, value: z.number() }).nullable(),
});

const PivotSideSchema = z.strictObject({ count: z.number().int().min(0), mean: LevelSchema, p50: LevelSchema, p95: LevelSchema });

export const SeriesReadSchema = z.strictObject({
  id: z.string().min(1),
  service: z.string().nullable(),
  kind: z.enum(SERIES_KINDS),
  transform: z.enum(TRANSFORMS),
  unit: z.literal('per second').optional(),
  rate_window_seconds: z.number().min(0).optional(),
  ...SeriesMeaningShape,
  stats: SeriesStatsSchema,
  /** A counter's increase over the window. */
  increase: z.number().nullable().optional(),
  pivot: z
    .strictObject({ at: TimeSchema, before: PivotSideSchema, after: PivotSideSchema, ratio_after_to_before: z.number().nullable() })
    .optional(),
  /** Bucket means on the shared grid; null is a gap. Absent with stats_only. */
  values: z.array(z.number().nullable()).optional(),
});
export type SeriesRead = z.infer<typeof SeriesReadSchema>;

export const QueryMetricsResultSchema = z.strictObject({
  summary: z.string(),
  matched: z.number().int().min(0),
  offset: z.number().int().min(0),
  window: WindowSchema,
  window_relative: z.strictObject({ from: RelativeSchema, to: RelativeSchema }),
  /** The grid every series' `values` sit on. Absent with stats_only. */
  grid: z.strictObject({ start: TimeSchema, step_seconds: z.number().positive(), points: z.number().int().min(0) }).optional(),
  series: z.array(SeriesReadSchema),
  truncated: TruncationSchema.optional(),
});
export type QueryMetricsResult = z.infer<typeof QueryMetricsResultSchema>;

/** What a move means for the series: worse or better, or for traffic more or less load. */
export const DIRECTION_MEANINGS = ['worse', 'better', 'more load', 'less load'] as const;
export type DirectionMeaning = (typeof DIRECTION_MEANINGS)[number];

export const ChangePointSchema = z.strictObject({
  series: z.string().min(1),
  service: z.string().nullable(),
  onset: TimeSchema,
  onset_relative: RelativeSchema,
  /** Where a ramp settled. */
  settled: TimeSchema.optional(),
  shape: z.enum(['step', 'ramp']),
  direction: z.enum(MOVES),
  measures: z.enum(MEASURES),
  direction_meaning: z.enum(DIRECTION_MEANINGS).nullable(),
  transform: z.enum(TRANSFORMS),
  rate_window_seconds: z.number().min(0).optional(),
  /** Segmented on its event counts: a counter of rare events. */
  rare_events: z.literal(true).optional(),
  before: z.number(),
  after: z.number(),
  relative_change: z.number().nullable(),
  z: z.number(),
  significant: z.boolean(),
  samples_before: z.number().int().min(0),
  samples_after: z.number().int().min(0),
  /** The latest change that took effect before the onset: a lead, not a verdict. */
  preceded_by: z.strictObject({ id: z.string(), service: z.string().nullable(), type: z.string(), before_onset: z.string() }).nullable(),
});
export type ChangePoint = z.infer<typeof ChangePointSchema>;

const OnsetSchema = z.strictObject({ series: z.string(), onset: TimeSchema, relative: RelativeSchema });

export const DetectChangesResultSchema = z.strictObject({
  summary: z.string(),
  series_scanned: z.number().int().min(0),
  series_without_changes: z.number().int().min(0),
  counters_read_as_rate: z.number().int().min(0),
  found: z.number().int().min(0),
  earliest_onset: OnsetSchema.nullable(),
  earliest_worse_onset: z.strictObject({ ...OnsetSchema.shape, measures: z.enum(MEASURES) }).nullable(),
  offset: z.number().int().min(0),
  change_points: z.array(ChangePointSchema),
  truncated: TruncationSchema.optional(),
});
export type DetectChangesResult = z.infer<typeof DetectChangesResultSchema>;
