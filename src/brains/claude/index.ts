// The claude brain: the Messages API with streaming, tool use, prompt caching and the API's
// context management. It is handed its API key by the runtime's configuration and reads no
// credential itself; it never runs a tool, it only proposes calls. A failed request comes
// back as a ModelRequestFailure and the runtime decides whether and when to try again, so
// every retry is an event in the session's log (the SDK's own retries are turned off: they
// would wait silently, and they never cover a stream that fails after its headers).
import type Anthropic from '@anthropic-ai/sdk';
import { createRedactor } from '../../protocol/redact.js';
import { ModelRequestFailure, type Brain, type BrainContext, type BrainStep } from '../brain.js';
import { classifyFailure } from './failure.js';
import { buildRequest, CONTEXT_MANAGEMENT_BETA, type RequestLimits } from './request.js';

export interface ClaudeBrainOptions extends Partial<RequestLimits> {
  apiKey: string;
  baseURL?: string;
}

type Sdk = typeof Anthropic;

export function createClaudeBrain(options: ClaudeBrainOptions): Brain {
  const { redact } = createRedactor([{ name: 'anthropic_api_key', value: options.apiKey }]);
  let loaded: { sdk: Sdk; client: Anthropic } | undefined;
  const load = async (): Promise<{ sdk: Sdk; client: Anthropic }> => {
    if (!loaded) {
      const { default: sdk } = await import('@anthropic-ai/sdk');
      const client = new sdk({ apiKey: options.apiKey, maxRetries: 0, ...(options.baseURL ? { baseURL: options.baseURL } : {}) });
      loaded = { sdk, client };
    }
    return loaded;
  };
  const limits: RequestLimits = {
    maxTokens: options.maxTokens ?? 16_000,
    maxTranscriptChars: options.maxTranscriptChars ?? 400_000,
    clearToolUsesAtTokens: options.clearToolUsesAtTokens ?? 100_000,
  };
  return {
    provider: 'claude',
    async step(context: BrainContext): Promise<BrainStep> {
      const { sdk, client } = await load();
      const params = buildRequest(context, limits);
      let message: Anthropic.Beta.Messages.BetaMessage;
      try {
        const stream = client.beta.messages.stream({ ...params, betas: [CONTEXT_MANAGEMENT_BETA] }, { signal: context.signal });
        if (context.onTextDelta) stream.on('text', (text) => context.onTextDelta?.(text));
        message = await stream.finalMessage();
      } catch (error) {
        throw classifyFailure(error, sdk, redact);
      }
      // A body that ended before message_stop is a dropped connection, not an answer.
      if (message.stop_reason === null) {
        throw new ModelRequestFailure("the model's stream ended before the message was complete", 'model_request_failed_error', true, null);
      }
      return stepOf(message);
    },
  };
}

function stepOf(message: Anthropic.Beta.Messages.BetaMessage): BrainStep {
  const outputs: BrainStep['outputs'] = [];
  const thinking: Array<Record<string, unknown>> = [];
  for (const block of message.content) {
    if (block.type === 'thinking' || block.type === 'redacted_thinking') thinking.push({ ...block });
    if (block.type === 'text' && block.text.trim() !== '') outputs.push({ kind: 'message', text: block.text });
    if (block.type === 'tool_use') outputs.push({ kind: 'tool_use', name: block.name, input: (block.input ?? {}) as Record<string, unknown> });
  }
  let cleared: BrainStep['contextCleared'];
  for (const edit of message.context_management?.applied_edits ?? []) {
    if (edit.type !== 'clear_tool_uses_20250919') continue;
    cleared = { toolUses: (cleared?.toolUses ?? 0) + edit.cleared_tool_uses, inputTokens: (cleared?.inputTokens ?? 0) + edit.cleared_input_tokens };
  }
  return {
    outputs,
    usage: {
      input_tokens: message.usage.input_tokens,
      output_tokens: message.usage.output_tokens,
      cache_read_input_tokens: message.usage.cache_read_input_tokens ?? 0,
      cache_creation_input_tokens: message.usage.cache_creation_input_tokens ?? 0,
    },
    ...(thinking.length > 0 ? { thinking } : {}),
    ...(cleared ? { contextCleared: cleared } : {}),
  };
}
