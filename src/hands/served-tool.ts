// One tool as the worker serves it over MCP: its definition (name, description, JSON
// schema, hints) and how to call it. SRE tools, remediation actions and the tools of
// external MCP servers all take this shape, so the server treats them alike: every
// result is redacted and bounded in one place, whatever produced it.
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { ToolResult } from './tool.js';

export interface CallContext {
  /** Aborted when the caller cancels the request. */
  signal: AbortSignal;
  /** Say what would run without running it (actions). */
  dryRun: boolean;
  /** Streams raw output while the tool runs; the server redacts it before it leaves. */
  output(chunk: string): void;
}

export interface ServedTool {
  /** As tools/list shows it; an SRE tool's includes its output schema as JSON schema. */
  definition: Tool;
  /** The output schema its structured results are checked against (SRE tools only). */
  outputSchema?: z.ZodType;
  call(args: Record<string, unknown>, context: CallContext): Promise<ToolResult>;
}

/** The `_meta` key a host sets on a tools/call request to ask for a dry run. */
export const DRY_RUN_META = 'incident/dry_run';
