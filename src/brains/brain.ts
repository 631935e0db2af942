// The brain interface: the agent loop's thinking part. A brain sees the session's
// event log and the tools it may call, and proposes the next step; it never runs a
// tool, never touches the store and never reads a credential itself (the runtime
// hands it what it needs). Brains are stateless across steps: everything they know
// is in the log, so a session resumed after a crash continues exactly.
import type { SessionEvent } from '../protocol/events.js';
import type { ToolSpec } from '../protocol/tools.js';

export interface BrainContext {
  sessionId: string;
  model: string;
  system: string;
  tools: readonly ToolSpec[];
  /** The whole log so far, oldest first. */
  history: readonly SessionEvent[];
  /** How many tool calls this turn may still make. */
  stepsLeft: number;
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
}

export interface Brain {
  /** `claude` or `triage`; shown in the header and recorded in the session. */
  readonly provider: string;
  /** The next step. A step with no tool_use ends the turn. */
  step(context: BrainContext): Promise<BrainStep>;
}

export const ZERO_USAGE: ModelUsage = {
  input_tokens: 0,
  output_tokens: 0,
  cache_read_input_tokens: 0,
  cache_creation_input_tokens: 0,
};
