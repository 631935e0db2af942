// One Messages API request from a brain context: the agent's model settings (effort,
// thinking), prompt caching laid out so each request reads the previous one's prefix from
// the cache, the API's clearing of old tool results before the context window fills, and
// the request a budget allows last, which must submit the diagnosis.
import type Anthropic from '@anthropic-ai/sdk';
import type { BrainContext } from '../brain.js';
import { buildTranscript, compact, type Block, type Turn } from './transcript.js';

type Params = Anthropic.Beta.Messages.MessageCreateParamsNonStreaming;

/** The beta that lets the API clear old tool results server-side (`context_management`). */
export const CONTEXT_MANAGEMENT_BETA = 'context-management-2025-06-27';

/** The tool every investigation ends with; the request a budget allows last may call only it. */
const SUBMIT = 'submit_diagnosis';
/** Tools whose uses are never cleared: the model's own notes and its diagnosis are the facts it keeps. */
const KEPT_TOOLS = ['note_hypothesis', SUBMIT];
/** Tool results kept whole when the API clears older ones. */
const KEEP_RECENT_TOOL_USES = 6;

export interface RequestLimits {
  maxTokens: number;
  /**
   * Characters of transcript sent at most (~4 a token): past it the oldest tool results are
   * elided here, a ceiling under the API's own clearing that keeps any request in the window.
   */
  maxTranscriptChars: number;
  /** Input tokens at which the API clears the oldest tool results (keeping the recent ones). */
  clearToolUsesAtTokens: number;
}

function lastUserTurn(turns: Turn[]): Turn {
  const last = turns.at(-1);
  if (last?.role === 'user') return last;
  const turn: Turn = { role: 'user', content: [] };
  turns.push(turn);
  return turn;
}

/** What the model is told about its budget; after the cached prefix, so it never spoils the cache. */
function budgetNote(context: BrainContext): string | null {
  if (context.finalRequest) {
    return `The session's budget allows only this one more model request: call ${SUBMIT} now with the best diagnosis the evidence supports (category unknown and a low confidence if it is not proven).`;
  }
  if (context.stepsLeft <= 3) return `You have ${context.stepsLeft} tool calls left in this turn: submit your diagnosis now.`;
  return null;
}

export function buildRequest(context: BrainContext, limits: RequestLimits): Params {
  const { turns } = compact(buildTranscript(context.history), limits.maxTranscriptChars);
  // The growing history is cached up to its newest block: the next request reads it back.
  const newest = turns.at(-1)?.content.at(-1);
  if (newest) Object.assign(newest, { cache_control: { type: 'ephemeral' } });
  const note = budgetNote(context);
  if (note) lastUserTurn(turns).content.push({ type: 'text', text: note } satisfies Block);

  const offered = context.finalRequest ? context.tools.filter((tool) => tool.name === SUBMIT) : context.tools;
  const tools = offered.map((tool, index) => ({
    name: tool.name,
    description: tool.description,
    input_schema: tool.input_schema as Anthropic.Beta.Messages.BetaTool.InputSchema,
    ...(index === offered.length - 1 ? { cache_control: { type: 'ephemeral' as const } } : {}),
  }));

  const { effort, thinking: setting } = context.settings ?? {};
  // A forced tool choice cannot go with thinking: the last request forces submit_diagnosis
  // when the agent does not think, and otherwise offers it alone.
  const thinking = setting && setting.type !== 'disabled' ? setting : null;
  const forceSubmit = context.finalRequest === true && thinking === null && offered.length > 0;
  return {
    model: context.model,
    max_tokens: limits.maxTokens,
    system: [{ type: 'text', text: context.system, cache_control: { type: 'ephemeral' } }],
    tools,
    messages: turns as Anthropic.Beta.Messages.BetaMessageParam[],
    ...(effort ? { output_config: { effort } } : {}),
    // Omitted display: the log keeps only the signed blocks the next request must hand back.
    ...(thinking ? { thinking: thinking.type === 'adaptive' ? { type: 'adaptive', display: 'omitted' } : { ...thinking, display: 'omitted' } } : {}),
    ...(forceSubmit ? { tool_choice: { type: 'tool', name: SUBMIT } } : {}),
    context_management: {
      edits: [
        {
          type: 'clear_tool_uses_20250919',
          trigger: { type: 'input_tokens', value: limits.clearToolUsesAtTokens },
          keep: { type: 'tool_uses', value: KEEP_RECENT_TOOL_USES },
          exclude_tools: KEPT_TOOLS,
        },
      ],
    },
  };
}
