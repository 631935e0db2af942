// Following a session in a script: print each event as it happens (human, plain,
// or NDJSON), say when it waits on the model, answer approvals by policy, and stop when
// the session next rests.
import type Anthropic from '@anthropic-ai/sdk';
import { followSession, type Unreachable } from '../client/follow.js';
import type { StreamEvent } from '../protocol/events.js';
import { emptyView, foldEvent, foldEvents, renderHuman, renderPlainLine, TIMEOUT_MARK_KEY, toNdjsonLine, type SessionView } from '../render/index.js';
import { decide, type ApprovePolicy } from './approvals.js';
import { interactive, processIO } from './io.js';
import { WaitNotice } from './wait-notice.js';

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
  /** The width to wrap lines to; unset: the terminal's, when stdout is one (piped output is never wrapped). */
  width?: number | null;
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

/** The terminal's width when stdout is a terminal; null when it is piped (lines are then never wrapped). */
export function terminalWidth(stdout: { isTTY?: boolean; columns?: number } = process.stdout): number | null {
  return stdout.isTTY === true && typeof stdout.columns === 'number' && stdout.columns > 0 ? stdout.columns : null;
}

export function printEvent(
  event: StreamEvent,
  view: SessionView,
  mode: OutputMode,
  color: boolean,
  write: (line: string) => void,
  width: number | null = terminalWidth(),
): void {
  if (mode === 'json') return;
  if (mode === 'ndjson') {
    if ((event as { id?: string }).id) write(toNdjsonLine(event));
    return;
  }
  const line = mode === 'human' ? renderHuman(event, view, { color, width }) : renderPlainLine(event, view, width);
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
  // An action that is a custom tool (Claude Managed Agents) has no confirmation: the hands' gate answers it.
  const approvals = toolUseIds.filter((toolUseId) => view.pendingApprovals.includes(toolUseId) && view.tools.get(toolUseId)?.kind !== 'custom');
  const answers = approvals.map((toolUseId) => {
    const tool = view.tools.get(toolUseId);
    const name = tool?.name ?? '';
    const verdict = decide(policy, name, tool?.check ?? null);
    (verdict.allow ? result.approved : result.denied).push(`${name || 'an action'}: ${verdict.reason}`);
    return verdict.allow
      ? { type: 'user.tool_confirmation' as const, tool_use_id: toolUseId, result: 'allow' as const }
      : { type: 'user.tool_confirmation' as const, tool_use_id: toolUseId, result: 'deny' as const, deny_message: verdict.reason };
  });
  if (answers.length > 0) await client.beta.sessions.events.send(sessionId, { events: answers });
}

/** How the run says it waits: a spinner where a person watches, plain lines when piped, nothing for machines. */
async function waitNoticeFor(mode: OutputMode, write: (line: string) => void): Promise<WaitNotice | null> {
  if (mode === 'json' || mode === 'ndjson') return null;
  if (mode === 'human' && interactive(processIO())) {
    const { default: ora } = await import('ora');
    return new WaitNotice({ spinner: ora({ stream: process.stderr, discardStdin: false }), write });
  }
  return new WaitNotice({ spinner: null, write });
}

export async function followToRest(options: FollowOptions): Promise<FollowResult> {
  let view = options.view ?? emptyView();
  const result: FollowResult = { view, denied: [], approved: [] };
  const warn = options.warn ?? ((line: string): void => void process.stderr.write(`${line}\n`));
  const waiting = await waitNoticeFor(options.mode, options.write);
  const write = (line: string): void => {
    waiting?.clear();
    options.write(line);
  };
  const events = followSession(options.client, options.sessionId, {
    signal: options.signal,
    ...(options.seen ? { seen: options.seen } : {}),
    onUnreachable: (trouble) => {
      waiting?.clear();
      warn(unreachableLine(trouble));
    },
    onReconnected: () => warn(RECONNECTED_LINE),
  });
  try {
    for await (const event of events) {
      view = foldEvent(view, event);
      printEvent(event, view, options.mode, options.color, write, options.width === undefined ? terminalWidth() : options.width);
      options.onEvent?.(event);
      waiting?.update(view);
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
  } finally {
    waiting?.stop();
  }
  return { ...result, view };
}

/**
 * Ends the turn of a run that is being stopped (its `--timeout`, Ctrl-C) and returns the
 * session as the log then tells it. A timeout is recorded first (as metadata, logged as
 * `session.updated`), so every later reader of the log says "timed out", not "interrupted".
 */
export async function interruptRun(client: Anthropic, sessionId: string, view: SessionView, why: 'timeout' | 'interrupt'): Promise<SessionView> {
  try {
    if (why === 'timeout') await client.beta.sessions.update(sessionId, { metadata: { [TIMEOUT_MARK_KEY]: new Date().toISOString() } });
    await client.beta.sessions.events.send(sessionId, { events: [{ type: 'user.interrupt' }] });
    // What was logged since the run stopped reading (ids already folded are skipped).
    const logged = [];
    for await (const event of client.beta.sessions.events.list(sessionId, { limit: 1000 })) logged.push(event);
    return foldEvents(view, logged);
  } catch {
    // The runtime went away meanwhile: the session is left as it stands, and resume continues it.
    return view;
  }
}

/**
 * A run whose reader went away (`| head`) on the runtime in this process: a turn still
 * running stops here, since nothing will drive it once this process ends, and is logged as
 * interrupted; a session already at rest (diagnosed, waiting for approval) is left as it is.
 */
export async function stopTurnLeftBehind(client: Anthropic, sessionId: string, view: SessionView): Promise<SessionView> {
  try {
    const { status } = await client.beta.sessions.retrieve(sessionId);
    if (status !== 'running' && status !== 'rescheduling') return view;
  } catch {
    return view;
  }
  const stopped = await interruptRun(client, sessionId, view, 'interrupt');
  // The turn stops in the runtime a moment later (its open calls closed as interrupted, the
  // session idle): waited for here, or this process would end first and leave it running.
  const until = Date.now() + TURN_STOPS_MS;
  try {
    while (Date.now() < until && (await client.beta.sessions.retrieve(sessionId)).status === 'running') await new Promise((done) => setTimeout(done, 20));
  } catch {
    // The runtime went away meanwhile: resume finds the session as it stands.
  }
  return stopped;
}

/** How long an interrupted turn of the runtime in this process is given to come to rest. */
const TURN_STOPS_MS = 10_000;
