// search_logs', log_patterns' and read_file's results: matching lines with their references,
// message templates and how their rates moved, and numbered lines of a file.
import { z } from 'zod';
import { LOG_LEVELS, RelativeSchema, TimeSchema, TruncationSchema, WindowSchema } from './common.js';

const LevelSchema = z.enum(LOG_LEVELS);

export const LogMatchSchema = z.strictObject({
  /** `logs/api.log:1234` */
  ref: z.string().min(1),
  t: TimeSchema.nullable(),
  level: LevelSchema.nullable(),
  service: z.string(),
  /** The match is in a continuation line (a stack trace) of the event above it. */
  in_event_above: z.literal(true).optional(),
  text: z.string(),
  before: z.array(z.string()).optional(),
  after: z.array(z.string()).optional(),
});
export type LogMatch = z.infer<typeof LogMatchSchema>;

export const OverTimeSchema = z.strictObject({
  /** The bucket width in words (`1m`, `2h`) and in seconds. */
  bucket: z.string(),
  bucket_seconds: z.number().int().positive(),
  /** [bucket start, matches], non-empty buckets in time order. */
  counts: z.array(z.tuple([TimeSchema, z.number().int().min(0)])),
});

export const SearchLogsResultSchema = z.strictObject({
  summary: z.string(),
  total_matches: z.number().int().min(0),
  offset: z.number().int().min(0),
  window: WindowSchema,
  files: z.array(z.strictObject({ file: z.string(), matches: z.number().int().min(0), bytes_scanned: z.number().min(0) })),
  files_without_matches: z.number().int().min(0),
  over_time: OverTimeSchema,
  matches_without_time: z.number().int().min(0).optional(),
  matches: z.array(LogMatchSchema),
  truncated: TruncationSchema.optional(),
});
export type SearchLogsResult = z.infer<typeof SearchLogsResultSchema>;

/** How a template's rate moved across the pivot. */
export const TEMPLATE_FLAGS = ['new', 'vanished', 'spiking', 'dropped', 'steady'] as const;

export const TemplateRowSchema = z.strictObject({
  id: z.number().int(),
  template: z.string(),
  count: z.number().min(0),
  // With a pivot inside the events' span: the comparison.
  flag: z.enum(TEMPLATE_FLAGS).optional(),
  before: z.number().min(0).optional(),
  after: z.number().min(0).optional(),
  rate_before_per_min: z.number().nullable().optional(),
  rate_after_per_min: z.number().nullable().optional(),
  ratio: z.number().nullable().optional(),
  score: z.number().optional(),
  levels: z.partialRecord(LevelSchema, z.number()),
  first_seen: TimeSchema.nullable(),
  last_seen: TimeSchema.nullable(),
  /** The reference of its first line, `logs/x.log:123`. */
  example: z.string(),
  /** The message of a line of the template. */
  sample: z.string(),
  /** The example line's structured fields besides its message (JSON or logfmt keys), as text; absent when it has none. */
  fields: z.record(z.string(), z.string()).optional(),
  /**
   * With a pivot: each field's value that over half of the lines after it carry. A template that
   * spiked for one party (`partner="adwave"`) says so here, where its example, an older line, may
   * name another; a field whose lines disagree is left out. Absent when none is shared.
   */
  fields_after: z.record(z.string(), z.string()).optional(),
});
export type TemplateRow = z.infer<typeof TemplateRowSchema>;

export const AssignmentSchema = z.strictObject({
  ref: z.string(),
  t: TimeSchema.nullable(),
  level: LevelSchema.nullable(),
  /** Null for an event the sampling left out that no template fits. */
  template: z.number().int().nullable(),
  message: z.string(),
});

export const LogPatternsResultSchema = z.strictObject({
  summary: z.string(),
  events: z.number().int().min(0),
  window: WindowSchema.optional(),
  pivot: z
    .strictObject({ at: TimeSchema, relative: RelativeSchema, before_minutes: z.number().min(0), after_minutes: z.number().min(0) })
    .nullable()
    .optional(),
  templates_total: z.number().int().min(0).optional(),
  offset: z.number().int().min(0),
  /** The templates (a list), or with `assign` the text of each template id the events use. */
  templates: z.union([z.array(TemplateRowSchema), z.record(z.string(), z.string())]),
  assignments: z.array(AssignmentSchema).optional(),
  /** Set when events below WARN were sampled: their counts are estimates. */
  sampled: z
    .strictObject({
      rate: z.number(),
      events_read: z.number().int().min(0),
      files: z.array(z.strictObject({ file: z.string(), rate: z.number() })),
      note: z.string(),
    })
    .optional(),
  truncated: TruncationSchema.optional(),
});
export type LogPatternsResult = z.infer<typeof LogPatternsResultSchema>;

export const ReadFileResultSchema = z.strictObject({
  summary: z.string(),
  path: z.string(),
  /** `path:start-end`, citable as evidence. */
  ref: z.string(),
  total_lines: z.number().int().min(0),
  /** `N| text` */
  lines: z.array(z.string()),
  truncated: TruncationSchema.optional(),
});
export type ReadFileResult = z.infer<typeof ReadFileResultSchema>;
