// Wire types of the session event log, taken from the SDK's own exported types so the
// compiler catches any drift from the Managed Agents API. Type-only imports: nothing
// of the SDK is loaded at run time by this module.
import type {
  BetaManagedAgentsSessionEvent,
  BetaManagedAgentsStreamSessionEvents,
  BetaManagedAgentsEventParams,
  BetaManagedAgentsAgentToolUseEvent,
  BetaManagedAgentsAgentToolResultEvent,
  BetaManagedAgentsAgentMessageEvent,
  BetaManagedAgentsSessionStatusIdleEvent,
  BetaManagedAgentsSessionErrorEvent,
  BetaManagedAgentsUserMessageEvent,
  BetaManagedAgentsUserToolConfirmationEvent,
  BetaManagedAgentsSpanModelRequestEndEvent,
} from '@anthropic-ai/sdk/resources/beta/sessions/events';

/** Any event that is persisted in a session's log and returned by list. */
export type SessionEvent = BetaManagedAgentsSessionEvent;
/** Anything the stream may yield (persisted events plus stream-only previews). */
export type StreamEvent = BetaManagedAgentsStreamSessionEvents;
/** What a client may send. */
export type SentEventParams = BetaManagedAgentsEventParams;

export type ToolUseEvent = BetaManagedAgentsAgentToolUseEvent;
export type ToolResultEvent = BetaManagedAgentsAgentToolResultEvent;
export type AgentMessageEvent = BetaManagedAgentsAgentMessageEvent;
export type StatusIdleEvent = BetaManagedAgentsSessionStatusIdleEvent;
export type SessionErrorEvent = BetaManagedAgentsSessionErrorEvent;
export type UserMessageEvent = BetaManagedAgentsUserMessageEvent;
export type ToolConfirmationEvent = BetaManagedAgentsUserToolConfirmationEvent;
export type ModelRequestEndEvent = BetaManagedAgentsSpanModelRequestEndEvent;

export type SessionEventType = SessionEvent['type'];

/** Events a client may send to POST /v1/sessions/{id}/events in this runtime. */
export const SENDABLE_EVENT_TYPES = [
  'user.message',
  'user.interrupt',
  'user.tool_confirmation',
  'user.custom_tool_result',
  'user.tool_result',
] as const;
export type SendableEventType = (typeof SENDABLE_EVENT_TYPES)[number];

/** A session is done talking when it reaches one of these. */
export const TERMINAL_EVENT_TYPES: readonly SessionEventType[] = ['session.status_terminated', 'session.deleted'];

/** Text of an event's content blocks, joined; empty when it has none. */
export function textOf(content: ReadonlyArray<{ type: string; text?: string }> | undefined): string {
  if (!content) return '';
  return content
    .map((block) => (block.type === 'text' && typeof block.text === 'string' ? block.text : ''))
    .filter((text) => text.length > 0)
    .join('\n');
}
