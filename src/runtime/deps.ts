// What the runtime needs from outside: a brain for an agent, and hands for a session.
// Both are injected, so tests can script them and the CLI can pick providers.
import type { BetaManagedAgentsAgent } from '@anthropic-ai/sdk/resources/beta/agents/agents';
import type { Brain } from '../brains/brain.js';
import type { EnvironmentDefinition } from '../definitions/index.js';
import type { ActionCheck } from '../protocol/action-check.js';
import type { ToolSpec } from '../protocol/tools.js';
import type { Wait } from './model-retry.js';

export interface ToolOutcome {
  text: string;
  isError: boolean;
}

/** A session's hands. Nothing may start before the first call: the brain never waits for them. */
export interface Hands {
  call(name: string, input: Record<string, unknown>, options: { toolUseId: string; signal: AbortSignal }): Promise<ToolOutcome>;
  /**
   * For a remediation action about to be put to a person: the exact command line, where it
   * runs and whether it can (a dry run, nothing executed); null for anything else.
   */
  check?(name: string, input: Record<string, unknown>, options: { toolUseId: string; signal: AbortSignal }): Promise<ActionCheck | null>;
  /** Tools the hands offer beyond the agent's own (environment actions, external MCP servers). */
  extraTools(): readonly ToolSpec[];
  close(): Promise<void>;
}

export interface SessionSetup {
  sessionId: string;
  agent: BetaManagedAgentsAgent;
  /**
   * The definition the session's environment is bound to, as the runtime's operator
   * registered it (never anything a client sent), or null when it is bound to none.
   */
  environment: EnvironmentDefinition | null;
  /**
   * Lays the session's files out for the hands (idempotent): a folder holding them by path,
   * or `{ map }`, a file that maps each path to its stored bytes (MountMapJson).
   */
  ensureMounted(): Promise<string | { map: string }>;
  /** Streams a running tool's output (remediation actions) to whoever watches. */
  onToolOutput(toolUseId: string, chunk: string): void;
}

export interface RuntimeDeps {
  brainFor(agent: BetaManagedAgentsAgent): Brain;
  handsFor(setup: SessionSetup): Hands;
  /** How a turn waits before retrying a model request (default: a real timer). */
  wait?: Wait;
}
