// How an SRE tool is declared: a zod schema, a description for a model, and a run that
// returns a JSON payload. Input is validated here too (the MCP server validates as well,
// but `tools run` and tests call tools directly), and a failure the caller can fix (an
// InputError) becomes an error result with a hint instead of a throw.
import { z } from 'zod';
import { InputError } from '../../errors.js';
import type { HandsTool, ToolContext, ToolResult } from '../tool.js';

export interface ToolDefinition<Schema extends z.ZodType> {
  name: string;
  description: string;
  inputSchema: Schema;
  run(input: z.output<Schema>, context: ToolContext): Promise<ToolResult>;
}

/** The error result every tool returns for a request it cannot serve. */
export function errorResult(message: string, hint?: string): ToolResult {
  const payload: Record<string, string> = { summary: `error: ${message}`, error: message };
  if (hint) payload.hint = hint;
  return { text: JSON.stringify(payload), isError: true };
}

export function defineTool<Schema extends z.ZodType>(definition: ToolDefinition<Schema>): HandsTool<z.output<Schema>> {
  return {
    name: definition.name,
    description: definition.description,
    inputSchema: definition.inputSchema as z.ZodType<z.output<Schema>>,
    async run(input, context) {
      const parsed = definition.inputSchema.safeParse(input);
      if (!parsed.success) {
        return errorResult(`invalid arguments: ${z.prettifyError(parsed.error).replace(/\n+/g, '; ')}`, 'fix the arguments named above');
      }
      try {
        return await definition.run(parsed.data, context);
      } catch (error) {
        if (error instanceof InputError) return errorResult(error.message, error.hint);
        throw error;
      }
    },
  };
}
