// The SRE toolset's names, shared by the agent definition, the brains, the runtime and
// the renderers. Tool schemas and implementations live in src/hands.
export const SRE_TOOL_NAMES = [
  'describe_bundle',
  'query_metrics',
  'detect_changes',
  'list_changes',
  'get_diff',
  'search_logs',
  'log_patterns',
  'read_file',
  'note_hypothesis',
  'submit_diagnosis',
] as const;
export type SreToolName = (typeof SRE_TOOL_NAMES)[number];

/** The tools the runtime answers itself (they need the session's history), never the hands. */
export const RUNTIME_TOOL_NAMES = ['note_hypothesis', 'submit_diagnosis'] as const;

/** Prefix of remediation action tools declared by an environment (`action_rollback`, ...). */
export const ACTION_TOOL_PREFIX = 'action_';

/** The JSON schema of a tool as a model sees it (Messages API / MCP shape). */
export interface ToolSpec {
  name: string;
  description: string;
  input_schema: { type: 'object'; properties?: Record<string, unknown>; required?: string[]; [key: string]: unknown };
}
