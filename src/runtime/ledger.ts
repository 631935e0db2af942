// What a session's log says about its tool calls: which are waiting for a person,
// which may run here, which wait for a result from hands outside the runtime (the
// client, a self-hosted worker), which were denied. Pure, so the executor, the events
// route and a restarted runtime reach the same answer from the same log.
import type { StoredEvent } from '../store/index.js';

export interface ToolCall {
  id: string;
  seq: number;
  name: string;
  input: Record<string, unknown>;
  permission: 'allow' | 'ask' | 'deny';
  /** `custom`: an agent.custom_tool_use (answered by the client); else an agent.tool_use. */
  kind?: 'tool_use' | 'custom';
}

export interface Ledger {
  calls: Map<string, ToolCall>;
  answered: Set<string>;
  confirmations: Map<string, { result: 'allow' | 'deny'; denyMessage: string | null; seq: number }>;
  /** Calls waiting for a person (asked, neither confirmed nor answered). */
  awaiting: ToolCall[];
  /** Calls the runtime may run now and has no result for yet. */
  runnable: ToolCall[];
  /** Calls whose result comes from hands outside the runtime and has not come yet. */
  external: ToolCall[];
  /** Calls a person denied that still need their error result. */
  denied: ToolCall[];
  /** Tool calls made since the last user message (the step budget counts these). */
  callsThisTurn: number;
  /** Seq of the last user.message. */
  lastUserMessageSeq: number;
  /** The last session.status_idle: its seq and the ids it said the session waits on (empty unless requires_action). */
  lastIdle: { seq: number; waitingOn: readonly string[] } | null;
}

/** Whether the runtime itself answers an agent.tool_use of this name (else the hands outside do). */
export type RunsHere = (toolName: string) => boolean;

const everythingHere: RunsHere = () => true;

/** The calls a session waits on outside the runtime, then those waiting for a person, in log order. */
export function outstanding(ledger: Ledger): ToolCall[] {
  return [...ledger.awaiting, ...ledger.external].sort((a, b) => a.seq - b.seq);
}

export function readLedger(events: readonly StoredEvent[], runsHere: RunsHere = everythingHere): Ledger {
  const calls = new Map<string, ToolCall>();
  const answered = new Set<string>();
  const confirmations: Ledger['confirmations'] = new Map();
  let callsThisTurn = 0;
  let lastUserMessageSeq = 0;
  let lastIdle: Ledger['lastIdle'] = null;
  for (const { seq, event } of events) {
    switch (event.type) {
      case 'agent.tool_use':
      case 'agent.custom_tool_use': {
        const custom = event.type === 'agent.custom_tool_use';
        const permission = custom ? 'allow' : ((event['evaluated_permission'] as ToolCall['permission'] | undefined) ?? 'allow');
        calls.set(event.id, {
          id: event.id,
          seq,
          name: String(event['name']),
          input: (event['input'] as Record<string, unknown>) ?? {},
          permission,
          kind: custom ? 'custom' : 'tool_use',
        });
        callsThisTurn += 1;
        break;
      }
      case 'agent.tool_result':
      case 'user.tool_result':
        answered.add(String(event['tool_use_id']));
        break;
      case 'user.custom_tool_result':
        answered.add(String(event['custom_tool_use_id']));
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
      case 'session.status_idle': {
        const stop = event['stop_reason'] as { type?: unknown; event_ids?: unknown } | undefined;
        const ids = stop?.type === 'requires_action' && Array.isArray(stop.event_ids) ? stop.event_ids.map(String) : [];
        lastIdle = { seq, waitingOn: ids };
        break;
      }
      default:
        break;
    }
  }
  const awaiting: ToolCall[] = [];
  const runnable: ToolCall[] = [];
  const external: ToolCall[] = [];
  const denied: ToolCall[] = [];
  const allowed = (call: ToolCall): void => {
    if (call.kind === 'custom' || !runsHere(call.name)) external.push(call);
    else runnable.push(call);
  };
  for (const call of calls.values()) {
    if (answered.has(call.id)) continue;
    const confirmation = confirmations.get(call.id);
    if (call.permission === 'allow') allowed(call);
    else if (call.permission === 'deny') denied.push(call);
    else if (!confirmation) awaiting.push(call);
    else if (confirmation.result === 'allow') allowed(call);
    else denied.push(call);
  }
  return { calls, answered, confirmations, awaiting, runnable, external, denied, callsThisTurn, lastUserMessageSeq, lastIdle };
}

/**
 * What a session at rest should do next, read from its log alone (so a restarted runtime
 * decides the same): `turn` when there is something for the brain or the runtime to do
 * (input no turn has answered, calls it may run or must refuse, or every call a
 * `requires_action` idle named is answered), `reidle` when some of those calls were
 * answered and others are still outstanding (a fresh idle names the rest), else `rest`.
 */
export function nextMove(ledger: Ledger): 'turn' | 'reidle' | 'rest' {
  if (ledger.runnable.length > 0 || ledger.denied.length > 0) return 'turn';
  const lastIdleSeq = ledger.lastIdle?.seq ?? 0;
  if (ledger.lastUserMessageSeq > lastIdleSeq) return 'turn';
  const waitingOn = ledger.lastIdle?.waitingOn ?? [];
  if (waitingOn.length === 0) return 'rest';
  const open = outstanding(ledger).map((call) => call.id);
  if (open.length === 0) return 'turn';
  const same = open.length === waitingOn.length && open.every((id, index) => id === waitingOn[index]);
  return same ? 'rest' : 'reidle';
}
