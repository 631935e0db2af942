// The claude brain: the Messages API with streaming, tool use and prompt caching.
// It is handed its API key by the runtime's configuration and reads no credential
// itself; it never runs a tool, it only proposes calls.
import type Anthropic from '@anthropic-ai/sdk';
import { createRedactor } from '../../protocol/redact.js';
import type { Brain, BrainContext, BrainStep } from '../brain.js';
import { buildTranscript, compact } from './transcript.js';

export interface ClaudeBrainOptions {
  apiKey: string;
  baseURL?: string;
  maxTokens?: number;
  /** Characters of transcript kept before old tool results are elided (~4 chars a token). */
  maxTranscriptChars?: number;
}

/**
 * An endpoint's failure as the session will record it: its text without the key. A proxy or
 * a misconfigured endpoint may echo the request's headers in its error body, and that text
 * becomes a stored session.error.
 */
function endpointFailure(error: unknown, redact: (text: string) => string): Error {
  const failure = new Error(redact(error instanceof Error ? error.message : String(error)));
  if (error instanceof Error) failure.name = error.name;
  return failure;
}

export function createClaudeBrain(options: ClaudeBrainOptions): Brain {
  const { redact } = createRedactor([{ name: 'anthropic_api_key', value: options.apiKey }]);
  let client: Anthropic | undefined;
  const getClient = async (): Promise<Anthropic> => {
    if (!client) {
      const { default: AnthropicClient } = await import('@anthropic-ai/sdk');
      client = new AnthropicClient({ apiKey: options.apiKey, ...(options.baseURL ? { baseURL: options.baseURL } : {}) });
    }
    return client;
  };
  return {
    provider: 'claude',
    async step(context: BrainContext): Promise<BrainStep> {
      const anthropic = await getClient();
      const { turns } = compact(buildTranscript(context.history), options.maxTranscriptChars ?? 400_000);
      const last = turns.at(-1);
      const lastBlock = last?.content.at(-1);
      if (lastBlock) Object.assign(lastBlock, { cache_control: { type: 'ephemeral' } });
      const tools = context.tools.map((tool, index) => ({
        name: tool.name,
        description: tool.description,
        input_schema: tool.input_schema,
        ...(index === context.tools.length - 1 ? { cache_control: { type: 'ephemeral' as const } } : {}),
      }));
      const budgetNote =
        context.stepsLeft <= 3
          ? `\n\nYou have ${context.stepsLeft} tool calls left in this turn: submit your diagnosis now.`
          : '';
      const stream = anthropic.messages.stream(
        {
          model: context.model,
          max_tokens: options.maxTokens ?? 8192,
          system: [{ type: 'text', text: `${context.system}${budgetNote}`, cache_control: { type: 'ephemeral' } }],
          tools: tools as Anthropic.Messages.Tool[],
          messages: turns as Anthropic.Messages.MessageParam[],
        },
        { signal: context.signal },
      );
      if (context.onTextDelta) stream.on('text', (text) => context.onTextDelta?.(text));
      const message = await stream.finalMessage().catch((error: unknown) => {
        throw endpointFailure(error, redact);
      });
      const outputs: BrainStep['outputs'] = [];
      for (const block of message.content) {
        if (block.type === 'text' && block.text.trim() !== '') outputs.push({ kind: 'message', text: block.text });
        if (block.type === 'tool_use') outputs.push({ kind: 'tool_use', name: block.name, input: (block.input ?? {}) as Record<string, unknown> });
      }
      return {
        outputs,
        usage: {
          input_tokens: message.usage.input_tokens,
          output_tokens: message.usage.output_tokens,
          cache_read_input_tokens: message.usage.cache_read_input_tokens ?? 0,
          cache_creation_input_tokens: message.usage.cache_creation_input_tokens ?? 0,
        },
      };
    },
  };
}
