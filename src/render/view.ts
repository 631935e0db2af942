// The folded view of a session: everything a renderer needs, computed from the event
// log alone. The TUI, plain and human output, --json and the markdown report all read
// this one shape, so they cannot disagree about what happened.
import type { ActionCheck } from '../protocol/action-check.js';
import type { Diagnosis, Hypothesis } from '../protocol/diagnosis.js';
import type { PersistentMap } from './persistent-map.js';

/** What identifies a session to a person: shown in headers and reports. */
export interface SessionInfo {
  id: string;
  title: string | null;
  service: string | null;
  severity: string | null;
  runtime: string;
  createdAt: string;
  /** The agent's model id when known; it prices the tokens. */
  model?: string | null;
  /** The URL of the served runtime the session runs on; null or unset for the one embedded here. */
  runtimeUrl?: string | null;
  /** This machine's name, when the session's actions run in its hands (Claude Managed Agents). */
  handsHost?: string | null;
}

export type SessionStatus = 'idle' | 'running' | 'rescheduling' | 'terminated' | 'deleted';

export type ToolState =
  /** Sent to run; no result yet. */
  | 'running'
  /** Waits for a person to allow or deny it. */
  | 'awaiting_approval'
  | 'done'
  | 'failed'
  /** Denied by a person or by policy; it never ran. */
  | 'denied'
  /** The session stopped before a result came. */
  | 'stopped';

export type ToolKind = 'tool' | 'mcp' | 'custom';

export interface ToolCallView {
  id: string;
  name: string;
  kind: ToolKind;
  input: Readonly<Record<string, unknown>>;
  /** The arguments that matter, in one short line. */
  keyArgs: string;
  permission: 'allow' | 'ask' | 'deny' | null;
  state: ToolState;
  /** processed_at of the tool use. */
  startedAt: string | null;
  /** processed_at of the result (or of the denial). */
  finishedAt: string | null;
  /** Run time: from the approval (if one was needed) or the use, to the result. */
  durationMs: number | null;
  /** One human line describing the result. */
  summary: string | null;
  isError: boolean;
  /** The full result text (already bounded by the hands). */
  resultText: string | null;
  confirmation: { result: 'allow' | 'deny'; denyMessage: string | null; at: string | null } | null;
  /** For an action put to a person: the exact command, where it runs and whether it can (null: not reported). */
  check: ActionCheck | null;
}

export interface MessageView {
  id: string;
  role: 'agent' | 'user';
  text: string;
  at: string | null;
}

export interface HypothesisView extends Hypothesis {
  /** The note_hypothesis tool use that last changed it. */
  toolUseId: string;
  firstAt: string | null;
  updatedAt: string | null;
  /** Each status it has had, oldest first. */
  statuses: Hypothesis['status'][];
  /**
   * The status `evidence` was noted under (null when none was given): what a hypothesis was
   * ruled out with is never confused with what was noted for it before it changed status.
   */
  evidenceStatus: Hypothesis['status'] | null;
}

export interface RejectedDiagnosis {
  toolUseId: string;
  reason: string;
  at: string | null;
}

export interface SessionErrorView {
  eventId: string;
  type: string;
  message: string;
  retryStatus: string | null;
  /** When the runtime says how long until it tries again (`retry_status.retry_in_ms`). */
  retryInMs: number | null;
  at: string | null;
}

export interface UsageView {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
  model: string | null;
  /** US dollars at list price; null when the model's price is unknown. */
  costUsd: number | null;
}

export type NoticeLevel = 'info' | 'warn' | 'error';

/** One entry of the stream as a person reads it. Items never change once created. */
export type TimelineItem =
  | { kind: 'message'; key: string; message: MessageView }
  | { kind: 'tool'; key: string; toolUseId: string }
  | { kind: 'notice'; key: string; level: NoticeLevel; text: string; at: string | null };

export interface SessionView {
  status: SessionStatus;
  stopReason: string | null;
  title: string | null;
  /** Event ids already folded: an event seen twice is folded once. */
  seen: PersistentMap<true>;
  eventCount: number;
  /** Tool calls by tool use id (`view.tools.get(id)`). */
  tools: PersistentMap<ToolCallView>;
  /** Tool use ids in the order they were used. */
  toolOrder: readonly string[];
  messages: readonly MessageView[];
  hypotheses: Readonly<Record<string, HypothesisView>>;
  hypothesisOrder: readonly string[];
  diagnosis: { toolUseId: string; value: Diagnosis; at: string | null } | null;
  rejectedDiagnoses: readonly RejectedDiagnosis[];
  /** Tool use ids waiting for a person, oldest first. */
  pendingApprovals: readonly string[];
  usage: UsageView;
  errors: readonly SessionErrorView[];
  /** Items that will not change again, in the order they settled (append-only). */
  settled: readonly TimelineItem[];
  /** Items still changing (running tools, approvals), oldest first. */
  live: readonly TimelineItem[];
  /** Streamed text of agent messages not yet complete, keyed by their event id. */
  previews: Readonly<Record<string, string>>;
  /** What running tools have printed so far (stream-only, the latest part), keyed by tool use id. */
  toolOutput: Readonly<Record<string, string>>;
  thinking: boolean;
  /** How the latest turn was interrupted, if it was; cleared when the next turn starts. */
  interruptedBy: Interruption | null;
  /** A scripted run marked its time limit as reached: the next interrupt is that timeout. */
  timeoutMarked: boolean;
  /** The last time-limit mark seen (metadata carries the latest one from then on). */
  timeoutMark: string | null;
  /** The latest turn ended on an error that retrying will not fix. */
  turnFailed: boolean;
  /** Input was sent that no turn has taken up yet (a message, an answer to an approval). */
  inputQueued: boolean;
  /** A turn has started or ended at least once. */
  hasRun: boolean;
  /** processed_at of the model request under way, or null when none is. */
  modelRequestSince: string | null;
  /** The latest error while the runtime retries it; null once the request is over. */
  retrying: SessionErrorView | null;
  startedAt: string | null;
  lastEventAt: string | null;
}

export type Interruption = 'user' | 'timeout';

export interface FoldOptions {
  /** The model that produced the usage, for pricing. */
  model?: string | null;
}
