// How a result with fields leaves the hands: redacted as the JSON text a model reads, then
// served both ways, as that text and as the same fields in MCP `structuredContent`. Both
// must stay valid against the tool's output schema, so a result the redaction or the output
// bound would break is not cut like plain text: it becomes an error result saying why.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { errorPayload } from '../protocol/results/index.js';

export interface ExitOptions {
  redact(text: string): string;
  maxChars: number;
  schema: z.ZodType;
}

function failed(message: string, hint: string): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(errorPayload(message, hint)) }], isError: true };
}

/** A successful result's JSON text, redacted and bounded, with its fields as structured content. */
export function structuredExit(text: string, options: ExitOptions): CallToolResult {
  const redacted = options.redact(text);
  if (redacted.length > options.maxChars) {
    return failed(
      `the result is ${redacted.length} characters, more than the environment's output limit of ${options.maxChars}`,
      'narrow the request or page on (offset/limit) to see less at a time',
    );
  }
  let fields: unknown;
  try {
    fields = JSON.parse(redacted);
  } catch {
    fields = undefined;
  }
  const checked = options.schema.safeParse(fields);
  if (!checked.success || typeof fields !== 'object' || fields === null) {
    return failed('the result could not be redacted without breaking its structure', 'narrow the request to leave out the text that holds the secret');
  }
  return { content: [{ type: 'text', text: redacted }], structuredContent: fields as Record<string, unknown> };
}
