// Tiny builders for session events (ids and times increase by themselves), so each
// test reads as the story it tells.
import type { Diagnosis } from '../../src/protocol/diagnosis.js';
import type {
  StreamEvent,
  ToolUseEvent,
  ToolResultEvent,
  AgentMessageEvent,
  UserMessageEvent,
  StatusIdleEvent,
  ToolConfirmationEvent,
  ModelRequestEndEvent,
  SessionErrorEvent,
} from '../../src/protocol/events.js';

export const DIAGNOSIS: Diagnosis = {
  summary: 'Deploy deploy-4821 of checkout added a synchronous call to inventory; p99 latency rose 20x.',
  root_cause: {
    category: 'deploy',
    service: 'checkout',
    change_id: 'deploy-4821',
    description: 'A blocking inventory lookup was added to the request path.',
  },
  confidence: 0.82,
  evidence: [
    { source: 'metrics', ref: 'checkout_latency_p99', detail: 'rose from 120ms to 2.4s at 14:03' },
    { source: 'diffs', ref: 'diffs/deploy-4821.patch:42', detail: 'inventory.lookup() called per item' },
  ],
  remediation: [{ action: 'rollback', target: 'deploy-4821', detail: 'roll back to v1.41', risk: 'low' }],
  timeline: [
    { at: '2026-11-20T14:01:00Z', event: 'deploy-4821 rolled out' },
    { at: '2026-11-20T14:03:00Z', event: 'p99 latency alert fired' },
  ],
};

export type Builder = ReturnType<typeof eventBuilder>;

export function eventBuilder(start = '2026-11-20T14:00:00.000Z', stepMs = 1000) {
  let counter = 0;
  let clock = Date.parse(start);
  const next = (): { id: string; processed_at: string } => {
    counter += 1;
    clock += stepMs;
    return { id: `sevt_${String(counter).padStart(5, '0')}`, processed_at: new Date(clock).toISOString() };
  };
  const text = (value: string) => [{ type: 'text' as const, text: value }];
  return {
    userMessage: (value: string): UserMessageEvent => ({ ...next(), type: 'user.message', content: text(value) }),
    agentMessage: (value: string): AgentMessageEvent => ({ ...next(), type: 'agent.message', content: text(value) }),
    running: (): StreamEvent => ({ ...next(), type: 'session.status_running' }),
    thinking: (): StreamEvent => ({ ...next(), type: 'agent.thinking' }),
    idle: (): StatusIdleEvent => ({ ...next(), type: 'session.status_idle', stop_reason: { type: 'end_turn' }, stop_details: null }),
    requiresAction: (eventIds: string[]): StatusIdleEvent => ({
      ...next(),
      type: 'session.status_idle',
      stop_reason: { type: 'requires_action', event_ids: eventIds },
      stop_details: null,
    }),
    terminated: (): StreamEvent => ({ ...next(), type: 'session.status_terminated' }),
    interrupt: (): StreamEvent => ({ ...next(), type: 'user.interrupt' }),
    toolUse: (name: string, input: Record<string, unknown> = {}, permission: 'allow' | 'ask' | 'deny' = 'allow'): ToolUseEvent => ({
      ...next(),
      type: 'agent.tool_use',
      name,
      input,
      evaluated_permission: permission,
    }),
    toolResult: (toolUseId: string, result: string | Record<string, unknown>, isError = false): ToolResultEvent => ({
      ...next(),
      type: 'agent.tool_result',
      tool_use_id: toolUseId,
      content: text(typeof result === 'string' ? result : JSON.stringify(result)),
      is_error: isError,
    }),
    confirmation: (toolUseId: string, result: 'allow' | 'deny', denyMessage?: string): ToolConfirmationEvent => ({
      ...next(),
      type: 'user.tool_confirmation',
      tool_use_id: toolUseId,
      result,
      ...(denyMessage === undefined ? {} : { deny_message: denyMessage }),
    }),
    usage: (input: number, output: number, cacheRead = 0, cacheCreation = 0): ModelRequestEndEvent => ({
      ...next(),
      type: 'span.model_request_end',
      is_error: false,
      model_request_start_id: 'sevt_start',
      model_usage: { input_tokens: input, output_tokens: output, cache_read_input_tokens: cacheRead, cache_creation_input_tokens: cacheCreation },
    }),
    error: (message: string, retry: 'retrying' | 'exhausted' | 'terminal' = 'retrying'): SessionErrorEvent => ({
      ...next(),
      type: 'session.error',
      error: { type: 'model_overloaded_error', message, retry_status: { type: retry } },
    }),
    hypothesis: (
      id: string,
      statement: string,
      status: 'proposed' | 'supported' | 'refuted',
      evidence: Array<{ source: string; ref: string; detail: string }> = [],
    ): ToolUseEvent => ({
      ...next(),
      type: 'agent.tool_use',
      name: 'note_hypothesis',
      input: { id, statement, status, evidence },
      evaluated_permission: 'allow',
    }),
    submitDiagnosis: (diagnosis: Diagnosis = DIAGNOSIS): ToolUseEvent => ({
      ...next(),
      type: 'agent.tool_use',
      name: 'submit_diagnosis',
      input: diagnosis as unknown as Record<string, unknown>,
      evaluated_permission: 'allow',
    }),
    acceptedDiagnosis: (toolUseId: string, diagnosis: Diagnosis = DIAGNOSIS): ToolResultEvent => ({
      ...next(),
      type: 'agent.tool_result',
      tool_use_id: toolUseId,
      content: text(JSON.stringify({ summary: 'diagnosis accepted', accepted: true, diagnosis })),
      is_error: false,
    }),
  };
}

/** A whole investigation: metrics, a decoy hypothesis ruled out, an approval, the diagnosis. */
export function investigation(b: Builder = eventBuilder()): StreamEvent[] {
  const events: StreamEvent[] = [];
  const push = <T extends StreamEvent>(event: T): T => {
    events.push(event);
    return event;
  };
  push(b.userMessage('Investigate the checkout latency page.'));
  push(b.running());
  push(b.usage(1200, 300, 5000, 800));
  const query = push(b.toolUse('query_metrics', { selector: 'checkout_latency_p99', start: '14:00', end: '14:30' }));
  push(b.toolResult(query.id, { summary: 'p99 rose from 120ms to 2.4s at 14:03', points: 120 }));
  const note = (event: ToolUseEvent): void => {
    push(event);
    push(b.toolResult(event.id, { summary: `hypothesis ${String(event.input['id'])} recorded` }));
  };
  note(b.hypothesis('H1', 'The cfg-77 pool size change caused it', 'proposed'));
  note(b.hypothesis('H2', 'deploy-4821 caused it', 'proposed'));
  note(b.hypothesis('H1', 'The cfg-77 pool size change caused it', 'refuted', [{ source: 'changes', ref: 'cfg-77', detail: 'applied 40 minutes after the onset' }]));
  note(b.hypothesis('H2', 'deploy-4821 caused it', 'supported', [{ source: 'diffs', ref: 'diffs/deploy-4821.patch:42', detail: 'blocking call added' }]));
  push(b.agentMessage('The **deploy** `deploy-4821` lines up with the onset:\n- p99 up 20x\n- errors flat'));
  const submit = push(b.submitDiagnosis());
  push(b.acceptedDiagnosis(submit.id));
  const rollback = push(b.toolUse('action_rollback', { target: 'deploy-4821', to_version: 'v1.41' }, 'ask'));
  push(b.requiresAction([rollback.id]));
  return events;
}
