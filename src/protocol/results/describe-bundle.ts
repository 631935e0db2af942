// describe_bundle's result: an overview of the bundle, or one of its lists paged with `section`.
import { z } from 'zod';
import { RelativeSchema, SeriesMeaningShape, TimeSchema, TruncationSchema } from './common.js';

export const BUNDLE_SECTIONS = ['series', 'changes', 'diffs', 'logs', 'runbooks', 'unknown', 'skipped', 'problems'] as const;
export type BundleSection = (typeof BUNDLE_SECTIONS)[number];

export const SeriesEntrySchema = z.strictObject({
  /** The exact id query_metrics and detect_changes accept: `name{label="value",...}`. */
  id: z.string().min(1),
  service: z.string().nullable(),
  samples: z.number().int().min(0),
  gaps: z.number().int().min(0),
  start: TimeSchema.nullable(),
  end: TimeSchema.nullable(),
  file: z.string(),
  ...SeriesMeaningShape,
});
export type SeriesEntry = z.infer<typeof SeriesEntrySchema>;

export const ChangeEntrySchema = z.strictObject({
  id: z.string().min(1),
  service: z.string().nullable(),
  type: z.string(),
  at: TimeSchema.nullable(),
  relative: RelativeSchema,
  diff: z.string().nullable(),
});
export type ChangeEntry = z.infer<typeof ChangeEntrySchema>;

export const DiffEntrySchema = z.strictObject({ path: z.string(), change_id: z.string().nullable(), files: z.number().int().min(0) });

export const LogFileEntrySchema = z.strictObject({
  file: z.string(),
  format: z.enum(['text', 'jsonl']),
  gzip: z.boolean(),
  bytes: z.number().min(0),
  events: z.number().int().min(0),
  services: z.array(z.string()),
  levels: z.record(z.string(), z.number()),
  start: TimeSchema.nullable(),
  end: TimeSchema.nullable(),
  malformed_lines: z.number().int().min(0),
});
export type LogFileEntry = z.infer<typeof LogFileEntrySchema>;

export const PageSchema = z.strictObject({
  title: z.string(),
  service: z.string().nullable(),
  severity: z.string().nullable(),
  started_at: TimeSchema.nullable(),
  summary: z.string().nullable(),
  /** The longer text, when it says more than the summary. */
  description: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
  links: z.array(z.string()),
  source: z.string(),
  other_alerts: z.array(
    z.strictObject({ title: z.string(), service: z.string().nullable(), started_at: TimeSchema.nullable(), status: z.string().nullable() }),
  ),
});
export type Page = z.infer<typeof PageSchema>;

const sectionItems = {
  series: z.array(SeriesEntrySchema),
  changes: z.array(ChangeEntrySchema),
  diffs: z.array(DiffEntrySchema),
  logs: z.array(LogFileEntrySchema),
  /** Bundle-relative paths. */
  runbooks: z.array(z.string()),
  unknown: z.array(z.string()),
  /** Files that gave nothing, `path: why`. */
  skipped: z.array(z.string()),
  /** `path[:line]: message` */
  problems: z.array(z.string()),
} satisfies Record<BundleSection, z.ZodType>;

/** One list, by the section it belongs to. */
export const SECTION_ITEMS = sectionItems;
/** An item of one section's list. */
export type SectionItem<S extends BundleSection> = z.infer<(typeof sectionItems)[S]>[number];

export const DescribeBundleResultSchema = z.strictObject({
  summary: z.string(),
  // The overview (no `section` asked): the page, counts, and the first items of each list.
  page: PageSchema.nullable().optional(),
  services: z.array(z.string()).optional(),
  time_span: z.strictObject({ start: TimeSchema.nullable(), end: TimeSchema.nullable() }).nullable().optional(),
  counts: z
    .strictObject({
      series: z.number().int(),
      changes: z.number().int(),
      diffs: z.number().int(),
      logs: z.number().int(),
      runbooks: z.number().int(),
      unknown: z.number().int(),
      skipped: z.number().int(),
      problems: z.number().int(),
    })
    .optional(),
  series: sectionItems.series.optional(),
  changes: sectionItems.changes.optional(),
  diffs: sectionItems.diffs.optional(),
  logs: sectionItems.logs.optional(),
  runbooks: sectionItems.runbooks.optional(),
  unknown: sectionItems.unknown.optional(),
  skipped: sectionItems.skipped.optional(),
  problems: sectionItems.problems.optional(),
  /** What the bundle lacks, in words. */
  missing: z.array(z.string()).optional(),
  // One list paged (`section` asked): its items from `offset`, of `total`.
  section: z.enum(BUNDLE_SECTIONS).optional(),
  total: z.number().int().min(0).optional(),
  offset: z.number().int().min(0).optional(),
  items: z.union([sectionItems.series, sectionItems.changes, sectionItems.diffs, sectionItems.logs, z.array(z.string())]).optional(),
  truncated: TruncationSchema.optional(),
});
export type DescribeBundleResult = z.infer<typeof DescribeBundleResultSchema>;
