// What one event means to a reader, independent of styling: a tag, a tone and a line
// of text. Plain and human output format the same description, so a piped run and a
// TTY run say the same things.
import type { StreamEvent } from '../protocol/events.js';
import type { Diagnosis } from '../protocol/diagnosis.js';
import { textOf } from '../protocol/events.js';
import { cannotRun, commandLine } from './action-check.js';
import { formatDuration, oneLine } from './format.js';
import { explainError, retryDelayOf } from './session-error.js';
import { stopReasonText } from './stop-reason.js';
import type { SessionView, ToolCallView } from './view.js';

export type Tone = 'info' | 'ok' | 'warn' | 'error' | 'dim' | 'agent' | 'user';

export interface Described {
  at: string | null;
  tag: string;
  tone: Tone;
  text: string;
  /** Set on the result that carried the accepted diagnosis. */
  diagnosis?: Diagnosis;
  /** The full markdown of an agent message. */
  markdown?: string;
}

function at(event: StreamEvent): string | null {
  return 'processed_at' in event && typeof event.processed_at === 'string' ? event.processed_at : null;
}

function toolLabel(tool: ToolCallView | undefined, fallback: string): string {
  if (!tool) return fallback;
  return tool.keyArgs ? `${tool.name} ${tool.keyArgs}` : tool.name;
}

/**
 * A remediation step's heading: its kind in words, then its target (`rollback deploy-4821`,
 * `revert config payments`). A step of no listed kind is headed by its target alone: "other"
 * is a category of the schema, not a word of the plan.
 */
export function stepHeading(step: Diagnosis['remediation'][number]): string {
  return [stepKind(step), step.target].filter((part) => part !== '').join(' ');
}

/** A remediation step's kind in words, or nothing for a step of no listed kind. */
export function stepKind(step: Diagnosis['remediation'][number]): string {
  return step.action === 'other' ? '' : step.action.replace(/_/g, ' ');
}

export function diagnosisHeadline(diagnosis: Diagnosis): string {
  const cause = diagnosis.root_cause;
  const parts = [cause.category, cause.service ? `service=${cause.service}` : null, cause.change_id ? `change=${cause.change_id}` : null];
  return `${parts.filter((part) => part !== null).join(' ')} confidence=${diagnosis.confidence.toFixed(2)}`;
}

/**
 * An agent message without the accepted diagnosis's summary in it: the diagnosis is shown
 * once, as the diagnosis, and a closing message that quotes it keeps only what it adds.
 * Empty when the message said nothing else.
 */
export function withoutRestatedDiagnosis(text: string, diagnosis: Diagnosis | null | undefined): string {
  if (!diagnosis) return text;
  const summary = oneLine(diagnosis.summary);
  // A short summary could occur in any sentence; only a quotation of the whole is cut.
  if (summary.length < 40) return text;
  const flat = oneLine(text);
  if (!flat.includes(summary)) return text;
  return flat.replace(summary, ' ').replace(/\s+/g, ' ').trim();
}

function describeResult(event: StreamEvent, toolUseId: string, view: SessionView): Described {
  const tool = view.tools.get(toolUseId);
  const name = tool?.name ?? 'tool';
  const duration = formatDuration(tool?.durationMs ?? null);
  const summary = tool?.summary ?? '';
  if (view.diagnosis?.toolUseId === toolUseId) {
    const diagnosis = view.diagnosis.value;
    return { at: at(event), tag: 'diagnosis', tone: 'ok', text: `${diagnosisHeadline(diagnosis)} ${oneLine(diagnosis.summary)}`, diagnosis };
  }
  if (name === 'submit_diagnosis') {
    return { at: at(event), tag: 'rejected', tone: 'warn', text: `diagnosis not accepted: ${summary}` };
  }
  const failed = tool?.isError ?? false;
  const text = [name, duration, summary].filter((part) => part !== '').join('  ');
  return { at: at(event), tag: failed ? 'failed' : 'done', tone: failed ? 'error' : 'ok', text };
}

function describeUse(event: StreamEvent, id: string, view: SessionView, fallback: string): Described {
  const tool = view.tools.get(id);
  const label = toolLabel(tool, fallback);
  if (tool?.permission === 'ask') {
    const check = tool.check;
    const blocked = cannotRun(check);
    const parts = [label, check?.argv ? `would run: ${commandLine(check.argv)}` : null, blocked === null ? 'awaiting approval' : `cannot run: ${blocked}`];
    return { at: at(event), tag: 'approval', tone: 'warn', text: parts.filter((part): part is string => part !== null).join(' · ') };
  }
  if (tool?.permission === 'deny') return { at: at(event), tag: 'blocked', tone: 'warn', text: `${label} (denied by policy)` };
  return { at: at(event), tag: 'tool', tone: 'info', text: label };
}

/**
 * `view` is the session folded through this event. Returns null for events with
 * nothing to tell a reader (request spans, thinking, thread bookkeeping).
 */
export function describeEvent(event: StreamEvent, view: SessionView): Described | null {
  switch (event.type) {
    case 'user.message': {
      const text = textOf(event.content);
      return { at: at(event), tag: 'user', tone: 'user', text: oneLine(text), markdown: text };
    }
    case 'agent.message': {
      const full = textOf(event.content);
      const text = withoutRestatedDiagnosis(full, view.diagnosis?.value);
      if (text.trim() === '') return null;
      return { at: at(event), tag: 'agent', tone: 'agent', text: oneLine(text), markdown: text };
    }
    case 'agent.tool_use':
    case 'agent.mcp_tool_use':
    case 'agent.custom_tool_use':
      return describeUse(event, event.id, view, event.name);
    case 'agent.tool_result':
    case 'user.tool_result':
      return describeResult(event, event.tool_use_id, view);
    case 'agent.mcp_tool_result':
      return describeResult(event, event.mcp_tool_use_id, view);
    case 'user.custom_tool_result':
      return describeResult(event, event.custom_tool_use_id, view);
    case 'user.tool_confirmation': {
      const tool = view.tools.get(event.tool_use_id);
      const label = toolLabel(tool, 'an action');
      if (event.result === 'allow') return { at: at(event), tag: 'approved', tone: 'ok', text: label };
      return { at: at(event), tag: 'denied', tone: 'warn', text: `${label}${event.deny_message ? `: ${event.deny_message}` : ''}` };
    }
    case 'user.interrupt':
      return view.interruptedBy === 'timeout'
        ? { at: at(event), tag: 'timeout', tone: 'warn', text: 'time limit reached: the turn was interrupted' }
        : { at: at(event), tag: 'interrupt', tone: 'warn', text: 'interrupted by the user' };
    case 'session.status_running':
      return { at: at(event), tag: 'status', tone: 'dim', text: 'working' };
    case 'session.status_rescheduled':
      return { at: at(event), tag: 'status', tone: 'warn', text: 'the runtime is rescheduling the session' };
    case 'session.status_idle': {
      const reason = event.stop_reason;
      if (reason.type === 'requires_action') {
        const names = reason.event_ids.map((id) => view.tools.get(id)?.name ?? 'an action').join(', ');
        return { at: at(event), tag: 'status', tone: 'warn', text: `waiting for a person to approve ${names}` };
      }
      const stopped = stopReasonText(reason.type, reason.type === 'refusal' ? event.stop_details?.explanation : null);
      if (stopped) return { at: at(event), tag: 'status', tone: stopped.level === 'error' ? 'error' : 'warn', text: stopped.text };
      return { at: at(event), tag: 'status', tone: 'dim', text: 'turn finished' };
    }
    case 'session.status_terminated':
      return { at: at(event), tag: 'status', tone: 'dim', text: 'session ended' };
    case 'session.deleted':
      return { at: at(event), tag: 'status', tone: 'warn', text: 'session deleted' };
    case 'session.error': {
      const retry = event.error.retry_status?.type ?? null;
      const explained = explainError({ type: event.error.type, message: event.error.message, retryStatus: retry, retryInMs: retryDelayOf(event.error) });
      return { at: at(event), tag: retry === 'retrying' ? 'retrying' : 'error', tone: retry === 'retrying' ? 'warn' : 'error', text: explained.sentence };
    }
    case 'agent.thread_context_compacted':
      return { at: at(event), tag: 'status', tone: 'dim', text: 'earlier steps were summarised to make room' };
    default:
      return null;
  }
}
