// `incident resume` off a terminal: print the logged history, then follow the session
// until it next rests, and exit with its outcome. A session a scripted run started is
// answered by that run's recorded rules (approvals, time limit) unless --approve or
// --timeout say otherwise; any other session is left waiting for a person.
import type { SessionEvent } from '../protocol/events.js';
import { EXIT, type ExitCode } from '../errors.js';
import { diagnosisToJson, emptyView, foldEvent, foldEvents, hang, outcomeLabel, outcomeOf, type SessionView } from '../render/index.js';
import { policyGate } from './action-gate.js';
import { formatPolicy, parseApprove, type ApprovePolicy } from './approvals.js';
import { chainWarnings, listChecked } from './chain-check.js';
import { clientFailure, connect } from './connect.js';
import { outputClosed } from './io.js';
import { awaitsRuntime, cutShort } from './cut-short.js';
import { CONTINUE_PROMPT, sendMessage } from './investigation.js';
import { exitCodeOf } from './outcome.js';
import { rulesFromMetadata, rulesToMetadata } from './run-rules.js';
import { applyBudget, type BudgetLimits } from './session-budget.js';
import { answerApprovals, followToRest, interruptRun, printEvent, stopTurnLeftBehind, terminalWidth, type FollowResult, type OutputMode } from './scripted-run.js';
import { startSessionHands, type SessionHands } from './session-hands.js';

export interface ResumeRun {
  runtime: string;
  sessionId: string;
  mode: OutputMode;
  /** --approve given on the resume: overrides the run's recorded policy. */
  approve?: readonly string[];
  /** --timeout given on the resume (ms): overrides the run's recorded limit. */
  timeoutMs?: number | null;
  /** --environment: the definition the session's hands run, when they run on this client. */
  environmentFile?: string;
  /** --max-cost / --max-turns: the session's ceilings from now on. */
  budget?: BudgetLimits;
}

/** The session rests waiting on tool results that hands outside the runtime owe (not on a person). */
function awaitsHands(history: readonly SessionEvent[], pendingApprovals: readonly string[]): boolean {
  const last = history.findLast((event) => event.type === 'session.status_idle');
  if (last?.type !== 'session.status_idle' || last.stop_reason.type !== 'requires_action') return false;
  return last.stop_reason.event_ids.some((id) => !pendingApprovals.includes(id));
}

function note(line: string): void {
  process.stderr.write(`${line}\n`);
}

interface ResumeRules {
  policy: ApprovePolicy | null;
  timeoutMs: number | null;
  /** The command line changed the recorded rules: record the new ones before going on. */
  overridden: boolean;
}

/** The approval policy and time limit this resume answers by, saying so when the command line overrides the record. */
function rulesOf(run: ResumeRun, metadata: Record<string, string>): ResumeRules {
  const recorded = rulesFromMetadata(metadata);
  let policy = recorded?.approve ?? null;
  if (run.approve !== undefined) {
    policy = parseApprove(run.approve);
    const was = recorded ? `this run's recorded --approve ${formatPolicy(recorded.approve)}` : 'no recorded policy';
    note(`incident: answering approvals by --approve ${formatPolicy(policy)} (instead of ${was})`);
  }
  let timeoutMs = recorded?.timeoutMs ?? null;
  if (run.timeoutMs !== undefined) timeoutMs = run.timeoutMs;
  return { policy, timeoutMs, overridden: run.approve !== undefined || run.timeoutMs !== undefined };
}

export async function resumeScripted(run: ResumeRun): Promise<ExitCode> {
  const { sessionId, mode } = run;
  const connection = await connect({ runtime: run.runtime, env: process.env, resumeSession: sessionId });
  const width = terminalWidth();
  const write = (line: string): void => void process.stdout.write(`${line}\n`);
  /** A line of the run's own (not an event's): fitted to the terminal like the events are. */
  const say = (line: string): void => write(hang('', line, width));
  let hands: SessionHands | undefined;
  try {
    const session = await connection.client.beta.sessions.retrieve(sessionId);
    // Before anything goes on: a turn under way reads its ceilings at its next model request.
    if (run.budget) await applyBudget(connection.client, session, run.budget);
    const rules = rulesOf(run, session.metadata);
    const { policy, timeoutMs } = rules;
    const { events: history, problems } = await listChecked(connection.client, sessionId);
    for (const warning of chainWarnings(sessionId, problems ?? [])) note(warning);
    const seen = new Set<string>();
    let view: SessionView = emptyView();
    if (mode === 'plain') say(`session ${session.id} · ${session.title ?? ''} · ${outcomeLabel(outcomeOf(foldEvents(view, history)))}`);
    for (const event of history) {
      seen.add(event.id);
      view = foldEvent(view, event);
      printEvent(event, view, mode, false, write);
    }
    const answered: Pick<FollowResult, 'denied' | 'approved'> = { denied: [], approved: [] };
    const pending = policy ? view.pendingApprovals : [];
    // Hands on this client answer what the process before left unanswered, each call once.
    hands = await startSessionHands({
      client: connection.client,
      session,
      env: process.env,
      // Actions the cloud puts to no one are answered by the same rules; without rules they wait for a person.
      ...(policy ? { actionGate: policyGate(policy, (line, allow) => void (allow ? answered.approved : answered.denied).push(line)) } : {}),
      ...(run.environmentFile ? { candidates: [run.environmentFile] } : {}),
      cloud: connection.cloud,
      warn: note,
    });
    // Read after the history: a turn that ends from here on ends with an event not yet seen.
    const current = await connection.client.beta.sessions.retrieve(sessionId);
    const owed = hands.place !== 'local' && awaitsHands(history, view.pendingApprovals);
    // Stopped (Ctrl-C, its time limit, a reader that went away) before it reached a diagnosis:
    // the hint said `incident resume` goes on, so the investigation is asked to continue.
    const stoppedShort = cutShort(history, current.status, view);
    if (stoppedShort) await sendMessage(connection.client, sessionId, CONTINUE_PROMPT);
    const goesOn = stoppedShort || pending.length > 0 || current.status === 'running' || awaitsRuntime(history) || owed;
    // The rules it goes on by are the session's from now on (and a later resume keeps them).
    if (goesOn && rules.overridden && policy) {
      await connection.client.beta.sessions.update(sessionId, { metadata: rulesToMetadata({ approve: policy, timeoutMs }) });
    }
    // Killed while an approval was pending: answer it now, as the run would have.
    if (policy && pending.length > 0) await answerApprovals(connection.client, sessionId, pending, view, policy, answered);
    let timedOut = false;
    const controller = new AbortController();
    if (goesOn) {
      const timer =
        timeoutMs === null
          ? undefined
          : setTimeout(() => {
              timedOut = true;
              controller.abort();
            }, timeoutMs);
      const onSignal = (): void => controller.abort();
      process.once('SIGINT', onSignal);
      try {
        const followed = await followToRest({
          client: connection.client,
          sessionId,
          mode,
          color: false,
          write,
          approve: policy,
          signal: AbortSignal.any([controller.signal, outputClosed()]),
          seen,
          view,
          handsElsewhere: hands.place !== 'local',
        });
        view = followed.view;
        answered.denied.push(...followed.denied);
        answered.approved.push(...followed.approved);
        if (controller.signal.aborted) view = await interruptRun(connection.client, sessionId, view, timedOut ? 'timeout' : 'interrupt');
        // Nobody reads on: the runtime in this process stops with it, so its turn stops too.
        else if (outputClosed().aborted && connection.inProcess) view = await stopTurnLeftBehind(connection.client, sessionId, view);
      } finally {
        clearTimeout(timer);
        process.off('SIGINT', onSignal);
      }
    }
    if (mode === 'json') {
      const result = diagnosisToJson(view, { id: session.id, title: session.title, createdAt: session.created_at });
      write(JSON.stringify(policy ? { ...result, denied: answered.denied, approved: answered.approved } : result, null, 2));
    } else if (mode !== 'ndjson') {
      for (const line of answered.denied) say(`denied ${line}`);
      if (timedOut) say(`timed out; the session was interrupted. Resume it with: incident resume ${sessionId}`);
      else if (controller.signal.aborted) say(`interrupted. Resume it with: incident resume ${sessionId}`);
    }
    if (controller.signal.aborted && !timedOut) return EXIT.cancelled;
    if (view.pendingApprovals.length > 0 && !timedOut) {
      if (mode === 'plain') say(`waiting for approval of ${view.pendingApprovals.length} action(s): answer in the terminal UI (incident resume ${sessionId} on a TTY)`);
      return EXIT.ok;
    }
    return exitCodeOf(view, timedOut);
  } catch (error) {
    throw clientFailure(error, connection.label, connection.keyHint);
  } finally {
    await hands?.stop();
    await connection.close();
  }
}
