// The log as the brain and the verifier read it: one shape for every tool call, whoever
// answered it. A call the client or a self-hosted worker answered is logged the API's way
// (`agent.custom_tool_use` with `user.custom_tool_result`, or `agent.tool_use` with
// `user.tool_result`); here it reads as the `agent.tool_use` / `agent.tool_result` pair a
// call answered by the runtime's own hands is, ids kept, so a brain's transcript, the
// triage replay and the evidence a diagnosis cites do not depend on where the hands ran.
import type { SessionEvent } from '../protocol/events.js';
import type { StoredEvent } from '../store/index.js';

function asToolUse(event: Record<string, unknown>): Record<string, unknown> {
  return { id: event['id'], type: 'agent.tool_use', processed_at: event['processed_at'], name: event['name'], input: event['input'] ?? {}, evaluated_permission: 'allow' };
}

function asToolResult(event: Record<string, unknown>, toolUseId: unknown): Record<string, unknown> {
  return {
    id: event['id'],
    type: 'agent.tool_result',
    processed_at: event['processed_at'],
    tool_use_id: toolUseId,
    content: event['content'] ?? [],
    is_error: event['is_error'] === true,
  };
}

export function brainHistory(events: readonly StoredEvent[]): SessionEvent[] {
  return events.map(({ event }) => {
    const raw = event as unknown as Record<string, unknown>;
    switch (event.type) {
      case 'agent.custom_tool_use':
        return asToolUse(raw) as unknown as SessionEvent;
      case 'user.custom_tool_result':
        return asToolResult(raw, raw['custom_tool_use_id']) as unknown as SessionEvent;
      case 'user.tool_result':
        return asToolResult(raw, raw['tool_use_id']) as unknown as SessionEvent;
      default:
        return event as unknown as SessionEvent;
    }
  });
}
