// list_changes' and get_diff's results: the change records, and a change's patch with the
// edits in it that look risky, each described by fields (what kind of edit, which way a
// setting moved, how far a number moved, the names it touches).
import { z } from 'zod';
import { RelativeSchema, TimeSchema, TruncationSchema, WindowSchema } from './common.js';

export const ChangeRecordSchema = z.strictObject({
  id: z.string().min(1),
  service: z.string().nullable(),
  type: z.string(),
  at: TimeSchema.nullable(),
  relative: RelativeSchema,
  finished_at: TimeSchema.nullable(),
  version: z.string().nullable(),
  author: z.string().nullable(),
  commit: z.string().nullable(),
  summary: z.string().nullable(),
  /** The patch's bundle path, for get_diff. */
  diff: z.string().nullable(),
  /** Every other field of the record. */
  attributes: z.record(z.string(), z.unknown()).optional(),
});
export type ChangeRecord = z.infer<typeof ChangeRecordSchema>;

export const ListChangesResultSchema = z.strictObject({
  summary: z.string(),
  total: z.number().int().min(0),
  matched: z.number().int().min(0),
  window: WindowSchema,
  offset: z.number().int().min(0),
  changes: z.array(ChangeRecordSchema),
  truncated: TruncationSchema.optional(),
});
export type ListChangesResult = z.infer<typeof ListChangesResultSchema>;

/** The kinds of edit get_diff reports, risky or (in `other_edits`) harmless or unclear. */
export const RISK_KINDS = [
  'cache_removed',
  'cache_ttl_shortened',
  'cache_ttl_lengthened',
  'limit_changed',
  'limit_removed',
  'retry_added',
  'retry_increased',
  'retry_decreased',
  'backoff_reduced',
  'backoff_increased',
  'call_in_loop',
  'regex_backtracking',
  'eager_load_removed',
  'client_per_call',
  'compiled_per_call',
  'table_lock',
  'index_bypassed',
  'cache_key_widened',
  'unit_mismatch',
  'memory_use_raised',
  'unbounded_growth',
  'resource_leak',
  'lock_held_across_call',
  'row_lock_added',
  'delay_lengthened',
  'scaling_delayed',
  'blocking_wait',
  'batch_grown',
  'batch_shrunk',
  'work_more_often',
  'made_synchronous',
  'schedule_changed',
  'flag_guard',
  'flag_enabled',
  'flag_disabled',
  'flag_reduced',
  'switch_flipped',
  'setting_changed',
  'default_removed',
  'value_removed',
  'throw_added',
  'wire_format_changed',
  'archived_unreadable',
  'message_key_changed',
  'access_narrowed',
  'schema_lock',
  'expiry_aligned',
  'objects_expired',
  'refresh_removed',
  'compression_removed',
] as const;
export type RiskKind = (typeof RISK_KINDS)[number];

/** Which way an edited setting moved. */
export const EDIT_DIRECTIONS = [
  'tightened',
  'loosened',
  'increased',
  'decreased',
  'shortened',
  'lengthened',
  'removed',
  'enabled',
  'disabled',
  'flipped',
  'changed',
] as const;
export type EditDirection = (typeof EDIT_DIRECTIONS)[number];

export const RiskSignalSchema = z.strictObject({
  kind: z.enum(RISK_KINDS),
  /** The edit in words, for a reader. */
  detail: z.string(),
  /** Patch location `diffs/x.patch:47`. */
  patch: z.string().min(1),
  /** Code location `src/x.go:120` (the new line; the old line for a deletion). */
  code: z.string().min(1),
  text: z.string(),
  /** The value before and after, as written, when the edit has them. */
  old: z.string().optional(),
  new: z.string().optional(),
  direction: z.enum(EDIT_DIRECTIONS).nullable(),
  /** How far a number moved, as a factor of at least 1 either way (4 for 100 → 25 and for 25 → 100); null when no number moved. */
  factor: z.number().min(1).nullable(),
  /** The config keys, flags, constants or calls it touches, as written: names to look for in the logs. */
  identifiers: z.array(z.string()),
  /** For a flag check: the key of the flag the new code path waits on, when the check names it. */
  flag: z.string().optional(),
  /** For any other edit: the flag whose check covers it. */
  guarded_by: z.string().optional(),
  /** Other places that still refer to what the edit removed. */
  referenced_at: z.array(z.string()).optional(),
  /** For a limit: what it bounds, room for work (`capacity`: workers, a pool, slots) or time (`time`: a timeout, a deadline). */
  bounds: z.enum(['capacity', 'time']).optional(),
  /**
   * For a limit set to a number: how a program's own messages print the new value, in its base
   * unit (`1MB` as `1048576` or `1000000` bytes, `30s` as `30000` ms or `30` s) and, for a size,
   * with its unit (`18G`, `18GB`, `18Gi`). An error that quotes one is the limit being hit.
   */
  new_printed: z.array(z.string()).optional(),
});
export type RiskSignal = z.infer<typeof RiskSignalSchema>;

/**
 * A changed line of a hunk as get_diff prints it: `+ src/x.go:120 diffs/x.patch:47 | text`
 * (sign, code location, patch location, text); context lines read `  120| text`.
 */
const CHANGED_LINE = /^([+-]) (\S+) (\S+) \| (.*)$/s;

export interface ChangedLine {
  sign: '+' | '-';
  /** `src/x.go:120` */
  code: string;
  /** `diffs/x.patch:47` */
  patch: string;
  text: string;
}

/** The fields of a hunk line, or null for a context line. */
export function changedLineOf(line: string): ChangedLine | null {
  const match = CHANGED_LINE.exec(line);
  return match ? { sign: match[1] as '+' | '-', code: match[2] as string, patch: match[3] as string, text: match[4] as string } : null;
}

export const HunkSchema = z.strictObject({
  file: z.string(),
  header: z.string(),
  /** `diffs/x.patch:40-52` */
  patch: z.string(),
  /** `src/x.go:118-130` */
  code: z.string(),
  added: z.number().int().min(0),
  removed: z.number().int().min(0),
  /** The hunk's lines in the format `changedLineOf` reads. */
  lines: z.array(z.string()),
});

export const DiffFileStatSchema = z.strictObject({
  file: z.string(),
  status: z.enum(['added', 'deleted', 'renamed', 'modified', 'binary']),
  old_path: z.string().optional(),
  additions: z.number().int().min(0),
  deletions: z.number().int().min(0),
  hunks: z.number().int().min(0),
});

export const JobScheduleSchema = z.strictObject({ cron: z.string(), code: z.string(), patch: z.string() });

export const GetDiffResultSchema = z.strictObject({
  summary: z.string(),
  // Without change_id or path: the diffs of the bundle.
  diffs: z.array(z.strictObject({ path: z.string(), change_id: z.string().nullable(), subject: z.string().nullable(), files: z.array(z.string()) })).optional(),
  // One diff.
  diff: z.string().optional(),
  change_id: z.string().nullable().optional(),
  subject: z.string().optional(),
  message: z.string().optional(),
  header: z.record(z.string(), z.string()).optional(),
  files: z.array(DiffFileStatSchema).optional(),
  files_not_listed: z.number().int().min(0).optional(),
  risk_signals: z.array(RiskSignalSchema).optional(),
  risk_signals_not_listed: z.number().int().min(0).optional(),
  /** Setting edits in a harmless or unclear direction, for context. */
  other_edits: z.array(RiskSignalSchema).optional(),
  /** The schedules of the jobs the diff edits, as they stand after it. */
  schedules: z.array(JobScheduleSchema).optional(),
  matched_hunks: z.number().int().min(0).optional(),
  offset: z.number().int().min(0).optional(),
  hunks: z.array(HunkSchema).optional(),
  truncated: TruncationSchema.optional(),
});
export type GetDiffResult = z.infer<typeof GetDiffResultSchema>;
