// The typed contract of the SRE tools' results: one output schema per tool, served to MCP
// clients as each tool's outputSchema and checked by the hands before a result leaves them.
// Brains and the verifier read results through these schemas, never their wording: a
// result that does not parse is a failed call.
import type { z } from 'zod';
import type { SreToolName } from '../tools.js';
import { ErrorResultSchema } from './common.js';
import { GetDiffResultSchema, ListChangesResultSchema } from './changes.js';
import { DescribeBundleResultSchema } from './describe-bundle.js';
import { LogPatternsResultSchema, ReadFileResultSchema, SearchLogsResultSchema } from './logs.js';
import { DetectChangesResultSchema, QueryMetricsResultSchema } from './metrics.js';
import { DiagnosisAcceptedSchema, DiagnosisRejectedSchema, NoteHypothesisResultSchema } from './records.js';

export * from './common.js';
export * from './changes.js';
export * from './describe-bundle.js';
export * from './logs.js';
export * from './metrics.js';
export * from './records.js';
export { parseSeriesId } from './series-id.js';

/** The result of a successful call of each tool. */
export const TOOL_RESULT_SCHEMAS = {
  describe_bundle: DescribeBundleResultSchema,
  query_metrics: QueryMetricsResultSchema,
  detect_changes: DetectChangesResultSchema,
  list_changes: ListChangesResultSchema,
  get_diff: GetDiffResultSchema,
  search_logs: SearchLogsResultSchema,
  log_patterns: LogPatternsResultSchema,
  read_file: ReadFileResultSchema,
  note_hypothesis: NoteHypothesisResultSchema,
  submit_diagnosis: DiagnosisAcceptedSchema,
} as const satisfies Record<SreToolName, z.ZodType>;

export type ToolResultOf<Name extends SreToolName> = z.infer<(typeof TOOL_RESULT_SCHEMAS)[Name]>;

/** A successful result of `name` as its fields, or null when it does not match the tool's schema. */
export function readToolResult<Name extends SreToolName>(name: Name, json: unknown): ToolResultOf<Name> | null {
  const parsed = TOOL_RESULT_SCHEMAS[name].safeParse(json);
  return parsed.success ? (parsed.data as ToolResultOf<Name>) : null;
}

/** An error result as its fields, or null when it is not one (a runtime's plain-text failure). */
export function readErrorResult(json: unknown): z.infer<typeof ErrorResultSchema> | null {
  const parsed = ErrorResultSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** A rejected diagnosis as its problems, or null when the result is not a rejection. */
export function readRejection(json: unknown): z.infer<typeof DiagnosisRejectedSchema> | null {
  const parsed = DiagnosisRejectedSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}
