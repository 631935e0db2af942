// The contract of one SRE tool run by the hands. A tool validates its input with zod,
// reads the mounted bundle through src/bundle, and returns fields that match its output
// schema (src/protocol/results), as JSON text for a model and as the object itself for
// MCP clients. A tool failure is a result with isError, never a throw across the MCP
// boundary (the worker turns an unexpected throw into one).
import type { z } from 'zod';
import type { Bundle } from '../bundle/index.js';

export interface ToolLimits {
  /** Upper bound on the text a tool returns; longer output is cut and says how to page on. */
  maxOutputChars: number;
  /**
   * How long a result will be when it leaves the worker (redaction can lengthen it); a tool
   * that fits its result measures with it. Absent: the text's own length.
   */
  sizeOf?: (text: string) => number;
}

export interface ToolContext {
  /** The mounted bundle (read-only). */
  bundle: Bundle;
  /** Absolute directories the tool may read; every path is confined to these. */
  roots: readonly string[];
  signal: AbortSignal;
  limits: ToolLimits;
}

export interface ToolResult {
  /** What the model sees: the result as JSON text (an error result too). */
  text: string;
  isError?: boolean;
  /** A successful result's fields (the text parsed), valid against the tool's output schema. */
  structured?: Record<string, unknown>;
}

export interface HandsTool<Input = unknown> {
  name: string;
  /** Written for a model: what it does, when to use it, what it returns, how to page. */
  description: string;
  inputSchema: z.ZodType<Input>;
  /** What a successful result holds (an error result is src/protocol's ErrorResult). */
  outputSchema: z.ZodType<Record<string, unknown>>;
  run(input: Input, context: ToolContext): Promise<ToolResult>;
}

export const DEFAULT_LIMITS: ToolLimits = { maxOutputChars: 16_000 };
