// Following a session in a script: print each event as it happens (human, plain,
// or NDJSON), answer approvals by policy, and stop when the session next rests.
import type Anthropic from '@anthropic-ai/sdk';
import { followSession, type Unreachable } from '../client/follow.js';
import type { StreamEvent } from '../protocol/events.js';
import { emptyView, foldEvent, renderHuman, renderPlainLine, toNdjsonLine, type SessionView } from '../render/index.js';
import { decide, type ApprovePolicy } from './approvals.js';

export type OutputMode = 'human' | 'plain' | 'json' | 'ndjson';

export interface FollowOptions {
  client: Anthropic;
  sessionId: string;
  mode: OutputMode;
  color: boolean;
  write: (line: string) => void;
  /** How to answer an approval; null: stop and leave it waiting for a person. */
  approve: ApprovePolicy | null;
  signal: AbortSignal;
  /** Ids already shown. */
  seen?: Set<string>;
  view?: SessionView;
  /** Where connection trouble is told (stderr unless given): never silent, never in the output proper. */
  warn?: (line: string) => void;
  /**
   * The session's tool calls are answered by hands outside the runtime (this process's
   * runner, or a self-hosted worker): a session waiting on them is not at rest.
   */
  handsElsewhere?: boolean;
  /** Sees every event as it is followed. */
  onEvent?: (event: StreamEvent) => void;
}

export interface FollowResult {
  view: SessionView;
  denied: string[];
  approved: string[];
}

export function printEvent(event: StreamEvent, view: SessionView, mode: OutputMode, color: boolean, write: (line: string) => void): void {
  if (mode === 'json') return;
  if (mode === 'ndjson') {
    if ((event as { id?: string }).id) write(toNdjsonLine(event));
    return;
  }
  const line = mode === 'human' ? renderHuman(event, view, { color }) : renderPlainLine(event, view);
  if (line !== null) write(line);
}

export function unreachableLine(trouble: Unreachable): string {
  return `incident: runtime unreachable (${trouble.reason}), retrying in ${trouble.retryInMs / 1000}s`;
}

export const RECONNECTED_LINE = 'incident: runtime reachable again; continuing where the session was';

/**
 * Answers the calls waiting for approval by policy, one confirmation each (denied with
 * the reason the policy gives), and records what was decided in `result`.
 */
export async function answerApprovals(
  client: Anthropic,
  sessionId: string,
  toolUseIds: readonly string[],
  view: SessionView,
  policy: ApprovePolicy,
  result: Pick<FollowResult, 'denied' | 'approved'>,
): Promise<void> {
  // Only calls waiting for a person are confirmed; the others wait for the hands' results.
  const approvals = toolUseIds.filter((toolUseId) => view.pendingApprovals.includes(toolUseId));
  const answers = approvals.map((toolUseId) => {
    const name = view.tools.get(toolUseId)?.name ?? '';
    const verdict = decide(policy, name);
    (verdict.allow ? result.approved : result.denied).push(`${name} (${toolUseId}): ${verdict.reason}`);
    return verdict.allow
      ? { type: 'user.tool_confirmation' as const, tool_use_id: toolUseId, result: 'allow' as const }
      : { type: 'user.tool_confirmation' as const, tool_use_id: toolUseId, result: 'deny' as const, deny_message: verdict.reason };
  });
  if (answers.length > 0) await client.beta.sessions.events.send(sessionId, { events: answers });
}

export async function followToRest(options: FollowOptions): Promise<FollowResult> {
  let view = options.view ?? emptyView();
  const result: FollowResult = { view, denied: [], approved: [] };
  const warn = options.warn ?? ((line: string): void => void process.stderr.write(`${line}\n`));
  const events = followSession(options.client, options.sessionId, {
    signal: options.signal,
    ...(options.seen ? { seen: options.seen } : {}),
    onUnreachable: (trouble) => warn(unreachableLine(trouble)),
    onReconnected: () => warn(RECONNECTED_LINE),
  });
  for await (const event of events) {
    view = foldEvent(view, event);
    printEvent(event, view, options.mode, options.color, options.write);
    options.onEvent?.(event);
    if (event.type !== 'session.status_idle') {
      if (event.type === 'session.deleted' || event.type === 'session.status_terminated') break;
      continue;
    }
    const stop = event.stop_reason;
    if (stop.type !== 'requires_action' || stop.event_ids.length === 0) break;
    const approvals = stop.event_ids.filter((id) => view.pendingApprovals.includes(id));
    const owedByHands = stop.event_ids.length > approvals.length;
    // Waiting for a person nobody here answers for, or for a result nobody will send: at rest.
    if ((approvals.length > 0 && !options.approve) || (owedByHands && !options.handsElsewhere)) break;
    if (approvals.length > 0 && options.approve) await answerApprovals(options.client, options.sessionId, approvals, view, options.approve, result);
  }
  return { ...result, view };
}
