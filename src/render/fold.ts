// The session reducer: a pure, exhaustive fold of the event log into a SessionView. The
// TUI, resume and every scripted output fold the same events with it, so they agree.
// An event id seen twice is folded once; an event type this build does not know is
// ignored, so a newer runtime never breaks an older terminal.
import { actionCheckOf } from '../protocol/action-check.js';
import type { StreamEvent } from '../protocol/events.js';
import { textOf } from '../protocol/events.js';
import { ACTION_TOOL_PREFIX } from '../protocol/tools.js';
import { beginDraft, finishDraft, type Draft } from './draft.js';
import { appendToolOutput, confirmTool, finishTool, startTool, stopRunningTools, toolOutputFrame } from './fold-tools.js';
import { TIMEOUT_MARK_KEY } from './outcome.js';
import { PersistentMap } from './persistent-map.js';
import { costUsd } from './pricing.js';
import { explainError, retryDelayOf } from './session-error.js';
import { stopReasonText } from './stop-reason.js';
import type { FoldOptions, NoticeLevel, SessionView } from './view.js';

export function emptyView(options: FoldOptions = {}): SessionView {
  return {
    status: 'idle',
    stopReason: null,
    title: null,
    seen: PersistentMap.empty(),
    eventCount: 0,
    tools: PersistentMap.empty(),
    toolOrder: [],
    messages: [],
    hypotheses: {},
    hypothesisOrder: [],
    diagnosis: null,
    rejectedDiagnoses: [],
    pendingApprovals: [],
    usage: {
      requests: 0,
      inputTokens: 0,
      outputTokens: 0,
      cacheReadInputTokens: 0,
      cacheCreationInputTokens: 0,
      model: options.model ?? null,
      costUsd: costUsd({ inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 }, options.model),
    },
    errors: [],
    settled: [],
    live: [],
    previews: {},
    toolOutput: {},
    thinking: false,
    interruptedBy: null,
    timeoutMarked: false,
    timeoutMark: null,
    turnFailed: false,
    inputQueued: false,
    hasRun: false,
    modelRequestSince: null,
    retrying: null,
    startedAt: null,
    lastEventAt: null,
  };
}

function eventId(event: StreamEvent): string | null {
  return 'id' in event && typeof event.id === 'string' && event.id !== '' ? event.id : null;
}

function eventTime(event: StreamEvent): string | null {
  // Stream-only frames (previews, tool output) carry an empty processed_at: they have no time.
  return 'processed_at' in event && typeof event.processed_at === 'string' && event.processed_at !== '' ? event.processed_at : null;
}

/** Fold a batch of events. Returns `view` itself when every event was already folded. */
export function foldEvents(view: SessionView, events: Iterable<StreamEvent>): SessionView {
  let draft: Draft | null = null;
  for (const event of events) {
    const id = eventId(event);
    if (id !== null && (draft ?? view).seen.has(id)) continue;
    draft ??= beginDraft(view);
    if (id !== null) {
      draft.seen.set(id, true);
      draft.eventCount += 1;
    }
    const at = eventTime(event);
    if (at !== null) {
      if (draft.startedAt === null || at < draft.startedAt) draft.startedAt = at;
      if (draft.lastEventAt === null || at > draft.lastEventAt) draft.lastEventAt = at;
    }
    apply(draft, event, at);
  }
  return draft ? finishDraft(draft) : view;
}

/** Fold one event. Returns `view` itself when the event was already folded. */
export function foldEvent(view: SessionView, event: StreamEvent): SessionView {
  return foldEvents(view, [event]);
}

export function foldSession(events: Iterable<StreamEvent>, options: FoldOptions = {}): SessionView {
  return foldEvents(emptyView(options), events);
}

/** Wall time of the session: up to `nowMs` while it runs, else up to its last event. */
export function elapsedMs(view: SessionView, nowMs: number, createdAt?: string | null): number | null {
  const start = view.startedAt ?? createdAt ?? null;
  if (start === null) return null;
  const from = Date.parse(start);
  const to = view.status === 'running' || view.status === 'rescheduling' ? nowMs : Date.parse(view.lastEventAt ?? start);
  if (Number.isNaN(from) || Number.isNaN(to)) return null;
  return Math.max(0, to - from);
}

function notice(draft: Draft, key: string, level: NoticeLevel, text: string, at: string | null): void {
  draft.settled.push({ kind: 'notice', key, level, text, at });
}

function reprice(draft: Draft): void {
  draft.usage.costUsd = costUsd(draft.usage, draft.usage.model);
}

function apply(draft: Draft, event: StreamEvent, at: string | null): void {
  const output = toolOutputFrame(event);
  if (output) {
    appendToolOutput(draft, output.toolUseId, output.text);
    return;
  }
  switch (event.type) {
    case 'user.message': {
      const message = { id: event.id, role: 'user', text: textOf(event.content), at } as const;
      draft.messages.push(message);
      draft.settled.push({ kind: 'message', key: `msg:${event.id}`, message });
      draft.inputQueued = true;
      return;
    }
    case 'agent.message': {
      const message = { id: event.id, role: 'agent', text: textOf(event.content), at } as const;
      draft.messages.push(message);
      draft.settled.push({ kind: 'message', key: `msg:${event.id}`, message });
      delete draft.previews[event.id];
      draft.thinking = false;
      return;
    }
    case 'user.interrupt': {
      draft.interruptedBy = draft.timeoutMarked ? 'timeout' : 'user';
      draft.timeoutMarked = false;
      const text = draft.interruptedBy === 'timeout' ? 'timed out: the run reached its time limit and interrupted the turn' : 'interrupted';
      notice(draft, `interrupt:${event.id || draft.eventCount}`, 'info', text, at);
      return;
    }
    case 'user.tool_confirmation':
      confirmTool(draft, { toolUseId: event.tool_use_id, result: event.result, denyMessage: event.deny_message ?? null, at });
      draft.inputQueued = true;
      return;
    case 'agent.tool_use':
      startTool(draft, { id: event.id, name: event.name, kind: 'tool', input: event.input, permission: event.evaluated_permission ?? null, at, check: actionCheckOf(event) });
      return;
    case 'agent.mcp_tool_use':
      startTool(draft, { id: event.id, name: event.name, kind: 'mcp', input: event.input, permission: event.evaluated_permission ?? null, at, check: actionCheckOf(event) });
      return;
    case 'agent.custom_tool_use':
      // A remediation action declared as a custom tool (Claude Managed Agents) waits for a
      // person on the client that answers it, until its result: the log has no confirmation.
      startTool(draft, { id: event.id, name: event.name, kind: 'custom', input: event.input, permission: event.name.startsWith(ACTION_TOOL_PREFIX) ? 'ask' : null, at, check: actionCheckOf(event) });
      return;
    case 'agent.tool_result':
    case 'user.tool_result':
      finishTool(draft, { toolUseId: event.tool_use_id, content: event.content, isError: event.is_error === true, at });
      return;
    case 'agent.mcp_tool_result':
      finishTool(draft, { toolUseId: event.mcp_tool_use_id, content: event.content, isError: event.is_error === true, at });
      return;
    case 'user.custom_tool_result':
      finishTool(draft, { toolUseId: event.custom_tool_use_id, content: event.content, isError: event.is_error === true, at });
      return;
    case 'agent.thinking':
      draft.thinking = true;
      return;
    case 'agent.thread_context_compacted':
      notice(draft, `compacted:${event.id}`, 'info', 'earlier steps were summarised to make room', at);
      return;
    case 'session.error': {
      const retryStatus = event.error.retry_status?.type ?? null;
      const error = { eventId: event.id, type: event.error.type, message: event.error.message, retryStatus, retryInMs: retryDelayOf(event.error), at };
      draft.errors.push(error);
      draft.retrying = retryStatus === 'retrying' ? error : null;
      if (retryStatus === 'exhausted' || retryStatus === 'terminal') draft.turnFailed = true;
      notice(draft, `error:${event.id}`, retryStatus === 'retrying' ? 'warn' : 'error', explainError(error).sentence, at);
      return;
    }
    case 'session.status_running':
      draft.status = 'running';
      draft.stopReason = null;
      // A new turn: how the last one ended no longer describes the session.
      draft.interruptedBy = null;
      draft.turnFailed = false;
      draft.inputQueued = false;
      draft.hasRun = true;
      return;
    case 'session.status_rescheduled':
      draft.status = 'rescheduling';
      return;
    case 'session.status_idle': {
      draft.status = 'idle';
      draft.thinking = false;
      draft.hasRun = true;
      draft.inputQueued = false;
      draft.modelRequestSince = null;
      draft.retrying = null;
      const reason = event.stop_reason;
      draft.stopReason = reason.type;
      if (reason.type === 'retries_exhausted') draft.turnFailed = true;
      const waitingOn = new Set(reason.type === 'requires_action' ? reason.event_ids : []);
      for (const id of waitingOn) {
        if (draft.tools.get(id)?.state === 'awaiting_approval' && !draft.pendingApprovals.includes(id)) draft.pendingApprovals.push(id);
      }
      stopRunningTools(draft, waitingOn, at);
      const stopped = stopReasonText(reason.type, event.stop_details?.explanation);
      if (stopped) notice(draft, `idle:${event.id}`, stopped.level, stopped.text, at);
      return;
    }
    case 'session.status_terminated':
      draft.status = 'terminated';
      draft.thinking = false;
      draft.modelRequestSince = null;
      draft.retrying = null;
      draft.hasRun = true;
      stopRunningTools(draft, new Set(), at);
      notice(draft, `terminated:${event.id}`, 'info', 'session ended', at);
      return;
    case 'session.deleted':
      draft.status = 'deleted';
      draft.modelRequestSince = null;
      draft.retrying = null;
      stopRunningTools(draft, new Set(), at);
      notice(draft, `deleted:${event.id}`, 'warn', 'session deleted', at);
      return;
    case 'session.updated': {
      // A scripted run records that its time limit ran out just before it interrupts; the
      // mark is a time, so one recorded earlier (carried on in later metadata) is not news.
      const mark = event.metadata?.[TIMEOUT_MARK_KEY];
      if (mark !== undefined && mark !== draft.timeoutMark) {
        draft.timeoutMark = mark;
        draft.timeoutMarked = true;
      }
      if (event.title !== undefined) draft.title = event.title;
      if (event.agent?.model?.id) {
        draft.usage.model = event.agent.model.id;
        reprice(draft);
      }
      return;
    }
    case 'span.model_request_start':
      draft.modelRequestSince = at ?? draft.lastEventAt;
      return;
    case 'span.model_request_end': {
      const usage = event.model_usage;
      draft.usage.requests += 1;
      draft.usage.inputTokens += usage.input_tokens ?? 0;
      draft.usage.outputTokens += usage.output_tokens ?? 0;
      draft.usage.cacheReadInputTokens += usage.cache_read_input_tokens ?? 0;
      draft.usage.cacheCreationInputTokens += usage.cache_creation_input_tokens ?? 0;
      reprice(draft);
      // A request that ended (or failed) closes any preview it was streaming.
      draft.previews = {};
      draft.modelRequestSince = null;
      draft.retrying = null;
      return;
    }
    case 'event_start':
      if (event.event.type === 'agent.message') draft.previews[event.event.id] = draft.previews[event.event.id] ?? '';
      else draft.thinking = true;
      return;
    case 'event_delta': {
      const text = event.delta.content.text;
      if (typeof text === 'string') draft.previews[event.event_id] = (draft.previews[event.event_id] ?? '') + text;
      return;
    }
    // Nothing to show for these: multi-agent threads, outcomes,
    // workflow runs, cumulative usage (spans already count it), system context.
    case 'session.usage':
    case 'system.message':
    case 'user.define_outcome':
    case 'agent.thread_message_received':
    case 'agent.thread_message_sent':
    case 'session.thread_created':
    case 'session.thread_status_running':
    case 'session.thread_status_idle':
    case 'session.thread_status_terminated':
    case 'session.thread_status_rescheduled':
    case 'span.outcome_evaluation_start':
    case 'span.outcome_evaluation_ongoing':
    case 'span.outcome_evaluation_end':
    case 'workflow_run.created':
    case 'workflow_run.status_running':
    case 'workflow_run.status_idle':
    case 'workflow_run.status_ended':
    case 'workflow_run.error':
    case 'workflow_run.phase_started':
    case 'workflow_run.phase_ended':
      return;
    default:
      ignoreUnknown(event);
  }
}

/** Compile-time exhaustiveness; at run time, an event type from a newer runtime. */
function ignoreUnknown(_event: never): void {}
