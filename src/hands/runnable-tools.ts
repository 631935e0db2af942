// The hands as the SDK's runnable tools: one BetaRunnableTool per tool a session may ask
// the hands outside the runtime for (the SRE tools, the environment's actions, the
// read-only part of the built-in toolset), each running its call through a caller the
// host provides (the hands worker process, with its scrubbed environment). The SDK's
// SessionToolRunner (on the client) and EnvironmentWorker (in `incident worker`) run
// them and post their results. What a tool returns leaves this machine: it is redacted
// once more here, whatever produced it, and a failure is a tool error, never a throw.
import type { BetaRunnableTool, BetaToolRunContext } from '@anthropic-ai/sdk/lib/tools/BetaRunnableTool';
import { ToolError } from '@anthropic-ai/sdk/lib/tools/ToolError';
import { isRefusedToolsetTool, refusedToolsetText } from '../protocol/agent-toolset.js';
import type { ToolSpec } from '../protocol/tools.js';

export interface HandsCallResult {
  text: string;
  isError: boolean;
}

/** Runs one call in the hands: resolves to the result, never rejects for a tool failure. */
export interface HandsCaller {
  call(name: string, input: Record<string, unknown>, options: { toolUseId: string; signal?: AbortSignal }): Promise<HandsCallResult>;
}

export interface RunnableHandsOptions {
  /** The tools to offer, as a model sees them. */
  specs: readonly ToolSpec[];
  /** The hands, started on the first call that needs them (the mounted files may have to be laid out first). */
  hands: () => Promise<HandsCaller>;
  /** The last redaction before a result leaves this machine (declared credentials, keys, token shapes). */
  redact: (text: string) => string;
  /** Stops the hands and removes what was laid out for them; called once, whichever tool is closed first. */
  close?: () => Promise<void>;
}

export type RunnableHandsTool = BetaRunnableTool<Record<string, unknown>>;

function inputOf(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function toolUseIdOf(context: BetaToolRunContext | undefined): string {
  const use = context?.toolUse as { id?: unknown } | undefined;
  return typeof use?.id === 'string' ? use.id : '';
}

export function runnableHands(options: RunnableHandsOptions): RunnableHandsTool[] {
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= options.close?.() ?? Promise.resolve());

  const run = async (name: string, input: Record<string, unknown>, context: BetaToolRunContext | undefined): Promise<string> => {
    if (isRefusedToolsetTool(name)) throw new ToolError(refusedToolsetText(name));
    let result: HandsCallResult;
    try {
      const hands = await options.hands();
      const signal = context?.signal ?? undefined;
      result = await hands.call(name, input, { toolUseId: toolUseIdOf(context), ...(signal ? { signal } : {}) });
    } catch (error) {
      result = { text: `${name} could not run: ${error instanceof Error ? error.message : String(error)}`, isError: true };
    }
    const text = options.redact(result.text);
    if (result.isError) throw new ToolError(text);
    return text;
  };

  return options.specs.map(
    (spec): RunnableHandsTool => ({
      type: 'custom',
      name: spec.name,
      description: spec.description,
      input_schema: spec.input_schema,
      parse: inputOf,
      run: (input, context) => run(spec.name, input, context),
      close,
    }),
  );
}
