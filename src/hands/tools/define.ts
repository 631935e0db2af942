// How an SRE tool is declared: an input schema, an output schema (src/protocol/results), a
// description for a model, and a run that returns the result's fields. Input is validated
// here too (the MCP server validates as well, but `tools run` and tests call tools
// directly), and a failure the caller can fix (an InputError) becomes an error result with
// a hint instead of a throw. Every result is checked against the output schema before it
// leaves: a tool whose result does not match is a bug, reported as an error result.
import { z } from 'zod';
import { InputError } from '../../errors.js';
import { errorPayload } from '../../protocol/results/index.js';
import type { HandsTool, ToolContext, ToolResult } from '../tool.js';

export interface ToolDefinition<Input extends z.ZodType, Output extends z.ZodType<Record<string, unknown>>> {
  name: string;
  description: string;
  inputSchema: Input;
  outputSchema: Output;
  /** The result's fields; a request the tool cannot serve throws an InputError saying what to do. */
  run(input: z.output<Input>, context: ToolContext): Promise<z.input<Output>>;
}

/** The error result every tool returns for a request it cannot serve. */
export function errorResult(message: string, hint?: string): ToolResult {
  return { text: JSON.stringify(errorPayload(message, hint ?? null)), isError: true };
}

/** Words for the first few issues of a failed parse, on one line. */
export function issuesText(error: z.ZodError, max = 3): string {
  return error.issues
    .slice(0, max)
    .map((issue) => `${issue.path.join('.') || '(result)'}: ${issue.message}`)
    .join('; ');
}

/**
 * The fields as a result: serialised once, and checked as a client will read them (the
 * JSON parsed back, so a value JSON cannot carry, such as NaN, fails here and not there).
 */
export function checkedResult(name: string, schema: z.ZodType, payload: unknown): ToolResult {
  const text = JSON.stringify(payload);
  const structured = JSON.parse(text) as Record<string, unknown>;
  const checked = schema.safeParse(structured);
  if (!checked.success) {
    return errorResult(
      `${name} produced a result that does not match its output schema (${issuesText(checked.error)}): this is a bug in the tool`,
      'try narrower arguments; report the bug with the arguments that caused it',
    );
  }
  return { text, structured };
}

export function defineTool<Input extends z.ZodType, Output extends z.ZodType<Record<string, unknown>>>(
  definition: ToolDefinition<Input, Output>,
): HandsTool<z.output<Input>> {
  return {
    name: definition.name,
    description: definition.description,
    inputSchema: definition.inputSchema as z.ZodType<z.output<Input>>,
    outputSchema: definition.outputSchema,
    async run(input, context) {
      const parsed = definition.inputSchema.safeParse(input);
      if (!parsed.success) {
        return errorResult(`invalid arguments: ${z.prettifyError(parsed.error).replace(/\n+/g, '; ')}`, 'fix the arguments named above');
      }
      let payload: z.input<Output>;
      try {
        payload = await definition.run(parsed.data, context);
      } catch (error) {
        if (error instanceof InputError) return errorResult(error.message, error.hint);
        throw error;
      }
      return checkedResult(definition.name, definition.outputSchema, payload);
    },
  };
}
