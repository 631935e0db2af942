// The session executor: runs a brain turn by turn and dispatches its tool calls: to the
// runtime's own tools, to the hands, or out to the client or a self-hosted worker as the
// call's route says (call-routes.ts). Every decision is read back from the log (the
// ledger), so a runtime that restarts mid-turn continues from its last committed event.
import type { BetaManagedAgentsAgent } from '@anthropic-ai/sdk/resources/beta/agents/agents';
import { THINKING_FIELD, type Brain } from '../brains/brain.js';
import { ACTION_CHECK_FIELD } from '../protocol/action-check.js';
import { refusedToolsetText } from '../protocol/agent-toolset.js';
import { isOutOfSpace, orderedId, type NewEvent, type StoredEvent } from '../store/index.js';
import { brainHistory } from './brain-view.js';
import { allowance, budgetOf, budgetStop, spentOf } from './budget.js';
import type { CallRoutes } from './call-routes.js';
import type { Hands, ToolOutcome } from './deps.js';
import { outstanding, readLedger, type ToolCall } from './ledger.js';
import { modelSettingsOf } from './model-settings.js';
import { planFailure, realWait, retriesSoFar, type Wait } from './model-retry.js';
import type { Session, SessionLog } from './session-log.js';

export interface TurnContext {
  sessionId: string;
  agent: BetaManagedAgentsAgent;
  brain: Brain;
  hands: Hands;
  /** Who answers each tool call of this session. */
  routes: CallRoutes;
  log: SessionLog;
  signal: AbortSignal;
  /** True when this run continues a turn that a previous process started. */
  recovering: boolean;
  /** Publishes a stream-only preview frame (never stored). */
  preview?: (frame: { type: string; [key: string]: unknown }) => void;
  /** The turn now waits on these calls' results from hands outside the runtime. */
  onWaitingForHands?: (calls: readonly ToolCall[]) => void;
  /** The session's budget (`budget`, `incident.max_turns` metadata); none when absent. */
  session?: Pick<Session, 'budget' | 'metadata'>;
  /** How the turn waits before retrying a model request (tests pass one that does not sleep). */
  wait?: Wait;
}

const DEFAULT_MAX_STEPS = 40;

/** Abort reason of a runtime shutting down: the session stays running and resumes on restart. */
export const SHUTDOWN = 'runtime-shutdown';

function shuttingDown(signal: AbortSignal): boolean {
  return signal.aborted && signal.reason === SHUTDOWN;
}

function maxSteps(agent: BetaManagedAgentsAgent): number {
  const raw = Number(agent.metadata['incident.max_steps']);
  return Number.isInteger(raw) && raw > 0 ? raw : DEFAULT_MAX_STEPS;
}

function toolResult(toolUseId: string, outcome: ToolOutcome): NewEvent {
  return { type: 'agent.tool_result', tool_use_id: toolUseId, content: [{ type: 'text', text: outcome.text }], is_error: outcome.isError };
}

/** Runs until the turn ends (idle) or waits for a person. Never throws for a brain or tool failure. */
export async function runTurn(context: TurnContext): Promise<void> {
  const { sessionId, log, signal } = context;
  const limit = maxSteps(context.agent);
  let recovering = context.recovering;
  const { routes } = context;
  const model = context.agent.model.id;

  // The log only grows: each read adds what was appended since the last one.
  let seen: StoredEvent[] = [];
  const read = (): StoredEvent[] => (seen = log.since(sessionId, seen));

  for (;;) {
    const events = read();
    // Read at each step: a resume may raise or lower the ceilings of a turn under way.
    const session = context.session ? (log.limits(sessionId) ?? context.session) : null;
    const budget = budgetOf(session ?? { budget: null, metadata: {} });
    if (shuttingDown(signal)) return;
    if (signal.aborted) return endInterrupted(context, events);
    const ledger = readLedger(events, routes.runsHere);

    for (const call of ledger.denied) {
      const message =
        call.permission === 'deny'
          ? `${call.name} is not a tool of this session`
          : (ledger.confirmations.get(call.id)?.denyMessage ?? 'denied by the person at the terminal');
      log.append(sessionId, [toolResult(call.id, { text: `not run: ${message}`, isError: true })]);
    }
    // The brain must see those answers: read the log again before anything else.
    if (ledger.denied.length > 0) continue;
    if (ledger.runnable.length > 0) {
      for (const call of ledger.runnable) {
        if (signal.aborted) break;
        const outcome = await runCall(context, call, events, recovering);
        if (shuttingDown(signal)) return;
        log.append(sessionId, [toolResult(call.id, outcome)]);
      }
      recovering = false;
      continue;
    }
    recovering = false;
    const open = outstanding(ledger);
    if (open.length > 0) {
      // Exactly the calls still outstanding: confirmations a person owes and results the hands owe.
      log.append(sessionId, [idle({ type: 'requires_action', event_ids: open.map((call) => call.id) })]);
      if (ledger.external.length > 0) context.onWaitingForHands?.(ledger.external);
      return;
    }
    if (answeredAlready(events)) {
      log.append(sessionId, [idle({ type: 'end_turn' })]);
      return;
    }
    if (ledger.callsThisTurn >= limit) {
      log.append(sessionId, [
        { type: 'agent.message', content: [{ type: 'text', text: `Stopped: this turn used its budget of ${limit} tool calls.` }] },
        idle({ type: 'end_turn' }),
      ]);
      return;
    }

    const allowed = allowance(budget, spentOf(events, model));
    if (allowed === 'spent') {
      log.append(sessionId, budgetStop(session?.budget ?? null, budget, events, model));
      return;
    }

    const seenSeq = events.at(-1)?.seq ?? 0;
    const start = log.append(sessionId, [{ type: 'span.model_request_start' }])[0];
    // Streamed text is previewed under the id its agent.message will be stored with.
    const previewId = orderedId('sevt');
    let previewing = false;
    const onTextDelta = (text: string): void => {
      if (!context.preview) return;
      if (!previewing) {
        previewing = true;
        context.preview({ type: 'event_start', event: { type: 'agent.message', id: previewId } });
      }
      context.preview({ type: 'event_delta', event_id: previewId, delta: { type: 'content_delta', content: { type: 'text', text } } });
    };
    let step;
    try {
      step = await context.brain.step({
        sessionId,
        model,
        settings: modelSettingsOf(context.agent),
        finalRequest: allowed === 'last',
        system: context.agent.system ?? '',
        tools: routes.tools(),
        history: brainHistory(events),
        stepsLeft: limit - ledger.callsThisTurn,
        signal,
        onTextDelta,
      });
    } catch (error) {
      if (shuttingDown(signal)) return;
      if (signal.aborted) return endInterrupted(context, read());
      const failed = { type: 'span.model_request_end', model_request_start_id: start?.event.id, is_error: true, model_usage: zeroUsage() };
      const plan = planFailure(error, retriesSoFar(read()));
      if (plan.retryInMs !== null) {
        // Said before the wait, with how long it is: every client shows the retry as it happens.
        log.append(sessionId, [
          failed,
          { type: 'session.error', error: { type: plan.type, message: plan.message, retry_status: { type: 'retrying', retry_in_ms: plan.retryInMs } } },
        ]);
        await (context.wait ?? realWait)(plan.retryInMs, signal);
        continue;
      }
      log.append(sessionId, [
        failed,
        { type: 'session.error', error: { type: plan.type, message: plan.message, retry_status: { type: 'exhausted' } } },
        idle({ type: 'retries_exhausted' }),
      ]);
      return;
    }
    if (shuttingDown(signal)) return;
    let previewUsed = false;
    const outputs: NewEvent[] = step.thinking ? [{ type: 'agent.thinking', [THINKING_FIELD]: step.thinking }] : [];
    if (step.contextCleared) {
      outputs.push({ type: 'agent.thread_context_compacted', cleared_tool_uses: step.contextCleared.toolUses, cleared_input_tokens: step.contextCleared.inputTokens });
    }
    for (const output of step.outputs) {
      if (output.kind === 'message') {
        const id = previewing && !previewUsed ? previewId : undefined;
        previewUsed = true;
        outputs.push({ type: 'agent.message', ...(id ? { id } : {}), content: [{ type: 'text', text: output.text }] });
        continue;
      }
      const route = routes.route(output.name);
      // A tool the session does not offer is refused before any policy applies, as the API does.
      if (route === null) {
        outputs.push({ type: 'agent.tool_use', name: output.name, input: output.input, evaluated_permission: 'deny' });
        continue;
      }
      // Custom tools carry no permission in the API: the client that answers them decides.
      if (route === 'custom') {
        outputs.push({ type: 'agent.custom_tool_use', name: output.name, input: output.input });
        continue;
      }
      const permission = routes.permission(output.name);
      // What the person is asked to approve travels with the question: the exact command,
      // where it runs and whether it can (a dry run in the hands; nothing is executed).
      // Only the runtime's own hands can answer that here: hands on a client or a worker
      // hold credentials this process never sees, so their calls carry no check.
      const check =
        permission === 'ask' && route === 'environment' ? await context.hands.check?.(output.name, output.input, { toolUseId: 'dry-run', signal }) : null;
      outputs.push({
        type: 'agent.tool_use',
        name: output.name,
        input: output.input,
        evaluated_permission: permission,
        evaluation: { type: permission === 'ask' ? 'always_ask' : 'always_allow' },
        ...(check ? { [ACTION_CHECK_FIELD]: check } : {}),
      });
    }
    if (shuttingDown(signal)) return;
    log.append(sessionId, [
      ...outputs,
      { type: 'span.model_request_end', model_request_start_id: start?.event.id, is_error: false, model_usage: step.usage },
    ]);
    const madeCalls = step.outputs.some((output) => output.kind === 'tool_use');
    if (!madeCalls) {
      const newer = read().some((stored) => stored.seq > seenSeq && stored.event.type === 'user.message');
      if (newer) continue;
      const after = read();
      // The last request a budget allowed ended without a call: the budget, not the model, ends the turn.
      if (allowance(budget, spentOf(after, model)) === 'spent') {
        log.append(sessionId, budgetStop(session?.budget ?? null, budget, after, model));
        return;
      }
      log.append(sessionId, [idle({ type: 'end_turn' })]);
      return;
    }
  }
}

async function runCall(context: TurnContext, call: ToolCall, events: readonly StoredEvent[], recovering: boolean): Promise<ToolOutcome> {
  const route = context.routes.route(call.name);
  if (route === 'runtime') {
    // Loaded on a session's first such call: the verifier and the results' schemas behind it
    // are the heaviest modules the runtime has, and most processes that open one (listing,
    // showing, exporting sessions) never answer a tool.
    const { answerRuntimeTool } = await import('./runtime-tools.js');
    return answerRuntimeTool(call, brainHistory(events));
  }
  if (route === 'refused') return { text: refusedToolsetText(call.name), isError: true };
  if (recovering && call.permission === 'ask') {
    // An approved action may have been running when the runtime died: never run it twice unasked.
    return {
      text: `not run again: the runtime restarted while ${call.name} was approved or running; check its effect, then ask for it again if it is still needed`,
      isError: true,
    };
  }
  try {
    return await context.hands.call(call.name, call.input, { toolUseId: call.id, signal: context.signal });
  } catch (error) {
    // The state folder is full (laying out the mounted files): the turn stops and resumes, not the brain's problem.
    if (isOutOfSpace(error)) throw error;
    return { text: `the tool failed in the environment: ${error instanceof Error ? error.message : String(error)}`, isError: true };
  }
}

/**
 * True when the turn already has its answer: the last model request ended without a tool call
 * and nothing came after it but restarts. Only a crash or a full disk between saving that
 * answer and saving the idle status leaves a log like this; asking the brain again would
 * say the answer twice.
 */
function answeredAlready(events: readonly StoredEvent[]): boolean {
  const endAt = events.findLastIndex((stored) => stored.event.type === 'span.model_request_end');
  const end = events[endAt]?.event;
  if (end === undefined || end['is_error'] === true) return false;
  const restartsOnly = events.slice(endAt + 1).every(({ event }) => event.type === 'span.model_request_start' || event.type === 'session.status_running');
  if (!restartsOnly) return false;
  const startAt = events.findLastIndex((stored, index) => index < endAt && stored.event.id === end['model_request_start_id']);
  if (startAt < 0) return false;
  const step = events.slice(startAt + 1, endAt);
  return step.some(({ event }) => event.type === 'agent.message') && step.every(({ event }) => event.type !== 'agent.tool_use');
}

function endInterrupted(context: TurnContext, events: readonly StoredEvent[]): void {
  const ledger = readLedger(events, context.routes.runsHere);
  const open = [...ledger.runnable, ...ledger.awaiting, ...ledger.denied, ...ledger.external];
  context.log.append(context.sessionId, [
    ...open.map((call) => toolResult(call.id, { text: 'not run: the turn was interrupted', isError: true })),
    idle({ type: 'end_turn' }),
  ]);
}

function idle(stopReason: Record<string, unknown>): NewEvent {
  return { type: 'session.status_idle', stop_reason: stopReason, stop_details: null };
}

function zeroUsage(): Record<string, number> {
  return { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
}
