// What the TUI needs from the outside world: a session to show (or a way to pick one).
// The CLI builds these on top of the client; the TUI never talks to the SDK itself.
import type { ActionCheck } from '../protocol/action-check.js';
import type { StreamEvent } from '../protocol/events.js';
import type { Outcome } from '../render/outcome.js';
import type { SessionInfo } from '../render/view.js';

export type { SessionInfo };

export interface TuiSession {
  info: SessionInfo;
  /**
   * The whole history first, then live events; each id once. Ends when `signal` aborts.
   * While the runtime cannot be reached it keeps retrying, and says so through `onConnection`.
   */
  events(signal: AbortSignal, onConnection?: (notice: ConnectionNotice) => void): AsyncIterable<StreamEvent>;
  send(text: string): Promise<void>;
  confirm(toolUseId: string, result: 'allow' | 'deny', denyMessage?: string): Promise<void>;
  /**
   * Ends the turn. Approvals still waiting are denied with `deny.message` first (an
   * interrupt alone does not end a turn that waits on a person), then the interrupt is sent.
   */
  interrupt(deny?: { toolUseIds: readonly string[]; message: string }): Promise<void>;
  /**
   * Actions held on this machine for the person's answer (Claude Managed Agents logs no
   * confirmation for them): the dry run's report of each, which the log does not carry.
   */
  heldActions?: HeldActionsView;
}

export interface HeldActionsView {
  /** The check of a held call; undefined while it is not held here (yet). */
  check(toolUseId: string): ActionCheck | null | undefined;
  /** Calls `listener` whenever the held calls change; returns how to stop. */
  subscribe(listener: () => void): () => void;
}

/** The runtime stopped answering (the next try is in `retryInMs`), or answers again. */
export type ConnectionNotice = { kind: 'unreachable'; reason: string; retryInMs: number } | { kind: 'reconnected' };

export interface SessionSummary {
  id: string;
  title: string | null;
  /** Where the session stands, from its event log (null when the log could not be read). */
  outcome: Outcome | null;
  createdAt: string;
  updatedAt: string;
}

export interface TuiStart {
  recent(): Promise<SessionSummary[]>;
  open(bundlePath: string): Promise<TuiSession>;
  resume(id: string): Promise<TuiSession>;
}

export interface TuiOptions {
  session?: TuiSession;
  start?: TuiStart;
  /** A pending approval left unanswered this long is denied. */
  approvalTimeoutMs?: number;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  color?: boolean;
}

/** How the interface ended: the exit code, and the session that was on screen (null if none). */
export interface TuiExit {
  exitCode: number;
  sessionId: string | null;
}

/** Unanswered approvals are denied after this long unless the caller says otherwise. */
export const DEFAULT_APPROVAL_TIMEOUT_MS = 15 * 60_000;
