// What a session's log says about its tool calls: which are waiting for a person,
// which may run, which were denied. Pure, so the executor and a restarted runtime
// reach the same answer from the same log.
import type { StoredEvent } from '../store/index.js';

export interface ToolCall {
  id: string;
  seq: number;
  name: string;
  input: Record<string, unknown>;
  permission: 'allow' | 'ask' | 'deny';
}

export interface Ledger {
  calls: Map<string, ToolCall>;
  answered: Set<string>;
  confirmations: Map<string, { result: 'allow' | 'deny'; denyMessage: string | null; seq: number }>;
  /** Calls waiting for a person (asked, neither confirmed nor answered). */
  awaiting: ToolCall[];
  /** Calls that may run now and have no result yet. */
  runnable: ToolCall[];
  /** Calls a person denied that still need their error result. */
  denied: ToolCall[];
  /** Tool calls made since the last user message (the step budget counts these). */
  callsThisTurn: number;
  /** Seq of the last user.message. */
  lastUserMessageSeq: number;
}

export function readLedger(events: readonly StoredEvent[]): Ledger {
  const calls = new Map<string, ToolCall>();
  const answered = new Set<string>();
  const confirmations: Ledger['confirmations'] = new Map();
  let callsThisTurn = 0;
  let lastUserMessageSeq = 0;
  for (const { seq, event } of events) {
    switch (event.type) {
      case 'agent.tool_use': {
        const permission = (event['evaluated_permission'] as ToolCall['permission'] | undefined) ?? 'allow';
        calls.set(event.id, {
          id: event.id,
          seq,
          name: String(event['name']),
          input: (event['input'] as Record<string, unknown>) ?? {},
          permission,
        });
        callsThisTurn += 1;
        break;
      }
      case 'agent.tool_result':
        answered.add(String(event['tool_use_id']));
        break;
      case 'user.tool_confirmation':
        confirmations.set(String(event['tool_use_id']), {
          result: event['result'] === 'allow' ? 'allow' : 'deny',
          denyMessage: typeof event['deny_message'] === 'string' ? event['deny_message'] : null,
          seq,
        });
        break;
      case 'user.message':
        callsThisTurn = 0;
        lastUserMessageSeq = seq;
        break;
      default:
        break;
    }
  }
  const awaiting: ToolCall[] = [];
  const runnable: ToolCall[] = [];
  const denied: ToolCall[] = [];
  for (const call of calls.values()) {
    if (answered.has(call.id)) continue;
    const confirmation = confirmations.get(call.id);
    if (call.permission === 'allow') runnable.push(call);
    else if (call.permission === 'deny') denied.push(call);
    else if (!confirmation) awaiting.push(call);
    else if (confirmation.result === 'allow') runnable.push(call);
    else denied.push(call);
  }
  return { calls, answered, confirmations, awaiting, runnable, denied, callsThisTurn, lastUserMessageSeq };
}
