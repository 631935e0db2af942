// The approval of a remediation action answered on this machine. On Claude Managed Agents
// the environment's actions are custom tools of the agent, and custom tools ignore
// permission policies: the cloud never asks anyone, so the runnable tool that would run
// the action asks first. What it shows is what the runtime's approval shows (the exact
// argv from a dry run in the hands, where it runs, whether it can); who answers is the
// host's gate: a scripted run's --approve policy or the person at the terminal UI. The
// result the agent gets says what was decided, by whom, on which machine, so everyone
// following the session reads it in the log. An approval is recorded on disk before the
// action starts, and a call found on that record again is never run a second time.
import type { DispatchedToolCall } from '@anthropic-ai/sdk/lib/tools/SessionToolRunner';
import { ToolError } from '@anthropic-ai/sdk/lib/tools/ToolError';
import type Anthropic from '@anthropic-ai/sdk';
import { hostname } from 'node:os';
import type { ApprovedActions } from '../client/approved-actions.js';
import { listHistory } from '../client/follow.js';
import type { RunnableHandsTool } from '../hands/runnable-tools.js';
import type { ActionCheck } from '../protocol/action-check.js';
import { ACTION_TOOL_PREFIX } from '../protocol/tools.js';
import { cannotRun } from '../render/index.js';
import { decide, type ApprovePolicy } from './approvals.js';

/** A call to an action, held until someone answers it. */
export interface HeldAction {
  toolUseId: string;
  name: string;
  input: Readonly<Record<string, unknown>>;
  /** The dry run's report: the exact argv, where it runs, whether it can (null: not known). */
  check: ActionCheck | null;
}

/** An approval names who or what gave it ("--approve rollback"); a denial says why. */
export type GateAnswer = { allow: true; by: string } | { allow: false; reason: string };

export interface ActionGate {
  /** The answer to one call. Rejects when `signal` aborts (this process stops answering): the call is left for a resume. */
  ask(call: HeldAction, signal: AbortSignal): Promise<GateAnswer>;
  /** Told when the result of a call this gate answered has reached the session. */
  posted?(toolUseId: string): void;
}

/** A scripted run's gate: its --approve policy, through the same decide() as the runtime's approvals. */
export function policyGate(policy: ApprovePolicy, onDecided?: (line: string, allow: boolean) => void): ActionGate {
  return {
    ask(call) {
      const verdict = decide(policy, call.name, call.check);
      onDecided?.(`${call.name}: ${verdict.reason}`, verdict.allow);
      return Promise.resolve(verdict.allow ? { allow: true, by: verdict.by ?? verdict.reason } : { allow: false, reason: verdict.reason });
    },
  };
}

/** The text of the result of an approved call that may have run before: never run again unasked. */
export function notRunAgainText(name: string, host: string): string {
  return `not run again: ${name} was approved on ${host}, and the incident process running it stopped before it reported; check its effect, then ask for it again if it is still needed`;
}

export interface GateWiring {
  gate: ActionGate;
  record: ApprovedActions;
  /** The dry run of a call in the hands: nothing runs. */
  check(name: string, input: Record<string, unknown>, signal: AbortSignal): Promise<ActionCheck | null>;
  /**
   * Aborted when this process stops answering the session. A question still open is
   * dropped without an answer, and an approved action runs under it rather than under the
   * runner's per-call limit, which started counting while the person was deciding.
   */
  signal: AbortSignal;
  /** The name of this machine, as the results say it. */
  host?: string;
}

function toolUseIdOf(context: Parameters<RunnableHandsTool['run']>[1]): string {
  const use = context?.toolUse as { id?: unknown } | undefined;
  return typeof use?.id === 'string' ? use.id : '';
}

/**
 * The result with who approved it: a field of its own, first, in a structured result (its
 * readers read fields, and the summary stays the action's), else a first line.
 */
function withApproval(approval: string, content: string | ToolError['content']): ToolError['content'] {
  if (typeof content !== 'string') return [{ type: 'text', text: approval }, ...content];
  try {
    const parsed: unknown = JSON.parse(content);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return JSON.stringify({ approval, ...parsed });
  } catch {
    // Not structured: the approval is its first line.
  }
  return `${approval}\n${content}`;
}

/** The hands' tools with each action behind the gate; the other tools are left as they are. */
export function gateActions(tools: readonly RunnableHandsTool[], wiring: GateWiring): RunnableHandsTool[] {
  const host = wiring.host ?? hostname();
  const gated = async (tool: RunnableHandsTool, input: Record<string, unknown>, context: Parameters<RunnableHandsTool['run']>[1]): Promise<string | ToolError['content']> => {
    const toolUseId = toolUseIdOf(context);
    if (context === undefined || toolUseId === '' || (await wiring.record.has(toolUseId))) throw new ToolError(notRunAgainText(tool.name, host));
    const check = await wiring.check(tool.name, input, wiring.signal);
    const answer = await wiring.gate.ask({ toolUseId, name: tool.name, input, check }, wiring.signal);
    // Whatever the gate said, an action its environment cannot run is not started.
    const blocked = cannotRun(check);
    if (!answer.allow || blocked !== null) {
      const reason = answer.allow ? `it cannot run in environment ${check?.environment ?? 'its environment'}: ${blocked ?? ''}` : answer.reason;
      throw new ToolError(`denied on ${host}: ${reason}`);
    }
    await wiring.record.add({ tool_use_id: toolUseId, name: tool.name, by: answer.by, host, at: new Date().toISOString() });
    const approval = `approved on ${host} by ${answer.by}`;
    try {
      return withApproval(approval, await tool.run(input, { ...context, signal: wiring.signal }));
    } catch (error) {
      throw new ToolError(withApproval(approval, error instanceof ToolError ? error.content : error instanceof Error ? error.message : String(error)));
    }
  };
  return tools.map((tool) => (tool.name.startsWith(ACTION_TOOL_PREFIX) ? { ...tool, run: (input, context) => gated(tool, input, context) } : tool));
}

/**
 * Answers, before a runner takes over, each call on this machine's record of approvals
 * that has no result in the log: the process that approved it died before it reported,
 * so it may have run. Returns the names of the calls so answered.
 */
export async function settleRecordedActions(client: Anthropic, sessionId: string, record: ApprovedActions): Promise<string[]> {
  const approved = await record.list();
  if (approved.length === 0) return [];
  const history = await listHistory(client, sessionId);
  const answered = new Set(history.flatMap((event) => (event.type === 'user.custom_tool_result' ? [event.custom_tool_use_id] : [])));
  const unfinished = approved.filter((entry) => !answered.has(entry.tool_use_id));
  if (unfinished.length > 0) {
    try {
      await client.beta.sessions.events.send(sessionId, {
        events: unfinished.map((entry) => ({
          type: 'user.custom_tool_result' as const,
          custom_tool_use_id: entry.tool_use_id,
          is_error: true,
          content: [{ type: 'text' as const, text: notRunAgainText(entry.name, entry.host) }],
        })),
      });
    } catch (error) {
      // Someone else answered first (400): nothing is left to settle.
      if ((error as { status?: unknown }).status !== 400) throw error;
    }
  }
  await record.clear();
  return unfinished.map((entry) => entry.name);
}

/**
 * The terminal's gate: each call waits here until the person answers it in the approval
 * prompt (which reads the dry run's report from `check`). An answer given before the
 * runner asked (the prompt is drawn from the log, which may be read first) is kept for it.
 */
export class HeldActions implements ActionGate {
  private readonly held = new Map<string, { call: HeldAction; settle: (answer: GateAnswer) => void }>();
  private readonly early = new Map<string, GateAnswer>();
  private readonly sent = new Map<string, { done: Promise<void>; resolve: () => void }>();
  private readonly listeners = new Set<() => void>();

  ask(call: HeldAction, signal: AbortSignal): Promise<GateAnswer> {
    const early = this.early.get(call.toolUseId);
    if (early) {
      this.early.delete(call.toolUseId);
      return Promise.resolve(early);
    }
    return new Promise<GateAnswer>((resolve, reject) => {
      const drop = (): void => {
        this.held.delete(call.toolUseId);
        this.changed();
        reject(signal.reason instanceof Error ? signal.reason : new Error('this process stopped answering the session'));
      };
      if (signal.aborted) return drop();
      signal.addEventListener('abort', drop, { once: true });
      this.held.set(call.toolUseId, {
        call,
        settle: (answer) => {
          signal.removeEventListener('abort', drop);
          this.held.delete(call.toolUseId);
          this.changed();
          resolve(answer);
        },
      });
      this.changed();
    });
  }

  /** The person's answer to a call: approved by them, or denied with `message`. */
  answer(toolUseId: string, allow: boolean, message: string): void {
    const answer: GateAnswer = allow ? { allow: true, by: 'the operator in the terminal' } : { allow: false, reason: message };
    const held = this.held.get(toolUseId);
    if (held) held.settle(answer);
    else this.early.set(toolUseId, answer);
  }

  /** The dry run's report of a held call (undefined while the call is not held here yet). */
  check(toolUseId: string): ActionCheck | null | undefined {
    return this.held.get(toolUseId)?.call.check;
  }

  /** Resolves once the result of this call has reached the session. */
  whenPosted(toolUseId: string): Promise<void> {
    return this.entry(toolUseId).done;
  }

  posted(toolUseId: string): void {
    this.entry(toolUseId).resolve();
  }

  /** Calls `listener` whenever the held calls change; returns how to stop. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private entry(toolUseId: string): { done: Promise<void>; resolve: () => void } {
    let entry = this.sent.get(toolUseId);
    if (!entry) {
      let resolve = (): void => undefined;
      const done = new Promise<void>((settle) => (resolve = settle));
      entry = { done, resolve };
      this.sent.set(toolUseId, entry);
    }
    return entry;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

/** What the runner reports for each call: the gate learns when its answer reached the session. */
export function notePosted(gate: ActionGate | null | undefined): ((call: DispatchedToolCall) => void) | undefined {
  return gate?.posted ? (call) => (call.posted ? gate.posted?.(call.toolUseId) : undefined) : undefined;
}
