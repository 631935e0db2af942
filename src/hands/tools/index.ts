// The SRE toolset the agent investigates with, in the order of SRE_TOOL_NAMES, and its
// JSON schemas (input and output) for models and MCP clients.
import { z } from 'zod';
import { SRE_TOOL_NAMES, type ToolSpec } from '../../protocol/tools.js';
import type { HandsTool } from '../tool.js';
import { describeBundle } from './describe-bundle.js';
import { detectChanges } from './detect-changes.js';
import { getDiff } from './get-diff.js';
import { listChanges } from './list-changes.js';
import { logPatterns } from './log-patterns.js';
import { queryMetrics } from './query-metrics.js';
import { readFile } from './read-file.js';
import { noteHypothesis, submitDiagnosis } from './record.js';
import { searchLogs } from './search-logs.js';

const byName: Record<(typeof SRE_TOOL_NAMES)[number], HandsTool> = {
  describe_bundle: describeBundle as HandsTool,
  query_metrics: queryMetrics as HandsTool,
  detect_changes: detectChanges as HandsTool,
  list_changes: listChanges as HandsTool,
  get_diff: getDiff as HandsTool,
  search_logs: searchLogs as HandsTool,
  log_patterns: logPatterns as HandsTool,
  read_file: readFile as HandsTool,
  note_hypothesis: noteHypothesis as HandsTool,
  submit_diagnosis: submitDiagnosis as HandsTool,
};

export const SRE_TOOLS: readonly HandsTool[] = SRE_TOOL_NAMES.map((name) => byName[name]);

export function toolByName(name: string): HandsTool | undefined {
  return SRE_TOOLS.find((tool) => tool.name === name);
}

/** A tool's input as JSON schema: the shape a caller sends (defaults make fields optional). */
function inputSchemaOf(tool: HandsTool): ToolSpec['input_schema'] {
  const schema = z.toJSONSchema(tool.inputSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete schema.$schema;
  return { ...schema, type: 'object' };
}

/**
 * A tool's output as JSON schema: what a successful call returns as structuredContent. Draft 7,
 * named in `$schema`, as the MCP SDK's own server serves it: the SDK's client validates with a
 * draft-7 validator, which reads a 2020-12 tuple (`prefixItems`, `items: false`) as "no items".
 */
export function outputSchemaOf(tool: HandsTool): { type: 'object'; [key: string]: unknown } {
  const schema = z.toJSONSchema(tool.outputSchema, { io: 'output', target: 'draft-7', reused: 'ref', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, type: 'object' };
}

export function toolSpecs(): ToolSpec[] {
  return SRE_TOOLS.map((tool) => ({ name: tool.name, description: tool.description, input_schema: inputSchemaOf(tool) }));
}
