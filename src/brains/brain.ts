// The brain interface: the agent loop's thinking part. A brain sees the session's
// event log and the tools it may call, and proposes the next step; it never runs a
// tool, never touches the store and never reads a credential itself (the runtime
// hands it what it needs). Brains are stateless across steps: everything they know
// is in the log, so a session resumed after a crash continues exactly.
import type { SessionEvent } from '../protocol/events.js';
import type { ToolSpec } from '../protocol/tools.js';

/** How the model thinks, from the agent definition: adaptive, off, or a token budget. */
export type ThinkingSetting = { type: 'adaptive' } | { type: 'disabled' } | { type: 'enabled'; budget_tokens: number };

/** The agent's model settings beyond its id (agents/*.yaml `model:`). */
export interface ModelSettings {
  effort?: 'low' | 'medium' | 'high' | 'xhigh' | 'max';
  thinking?: ThinkingSetting;
}

export interface BrainContext {
  sessionId: string;
  model: string;
  settings?: ModelSettings;
  system: string;
  tools: readonly ToolSpec[];
  /** The whole log so far, oldest first. */
  history: readonly SessionEvent[];
  /** How many tool calls this turn may still make. */
  stepsLeft: number;
  /**
   * The session's budget allows only this one more model request: the brain must submit its
   * diagnosis in it (a model brain is made to call submit_diagnosis and nothing else).
   */
  finalRequest?: boolean;
  signal: AbortSignal;
  /** Streams partial agent text as it is produced (stream-only previews). */
  onTextDelta?: (text: string) => void;
}

export type BrainOutput =
  | { kind: 'message'; text: string }
  | { kind: 'tool_use'; name: string; input: Record<string, unknown> };

export interface ModelUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}

export interface BrainStep {
  outputs: BrainOutput[];
  /** Token usage of the model request behind this step (zero for the offline brain). */
  usage: ModelUsage;
  /**
   * The model's thinking blocks, opaque (signatures only): kept in the log on agent.thinking
   * so the next request can hand them back, as tool use with thinking requires.
   */
  thinking?: ReadonlyArray<Record<string, unknown>>;
  /** The endpoint cleared this many old tool results to keep the context in its window. */
  contextCleared?: { toolUses: number; inputTokens: number };
}

/**
 * A model request that failed, classified the API's way: `type` is the session.error type
 * (model_overloaded_error, model_rate_limited_error, model_request_failed_error), `retryable`
 * whether trying again may help, `retryAfterMs` how long the endpoint asked to wait.
 */
export class ModelRequestFailure extends Error {
  constructor(
    message: string,
    readonly type: string,
    readonly retryable: boolean,
    readonly retryAfterMs: number | null,
  ) {
    super(message);
    this.name = 'ModelRequestFailure';
  }
}

export interface Brain {
  /** `claude` or `triage`; shown in the header and recorded in the session. */
  readonly provider: string;
  /** The next step. A step with no tool_use ends the turn. */
  step(context: BrainContext): Promise<BrainStep>;
}

/** The field of an agent.thinking event that keeps the model's opaque thinking blocks (BrainStep.thinking). */
export const THINKING_FIELD = 'incident_thinking';

export const ZERO_USAGE: ModelUsage = {
  input_tokens: 0,
  output_tokens: 0,
  cache_read_input_tokens: 0,
  cache_creation_input_tokens: 0,
};
