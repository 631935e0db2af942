// The body of `incident diagnose`: connect, open the investigation (upload progress on
// a TTY), ask, follow to rest answering approvals by policy, print the result.
import { defaultEnvironmentPath } from '../definitions/index.js';
import { EXIT, type ExitCode } from '../errors.js';
import { diagnosisToJson, hang } from '../render/index.js';
import { localMounts } from '../client/hands-runner.js';
import { MAX_TURNS_KEY } from '../runtime/budget.js';
import { parseApprove } from './approvals.js';
import { clientFailure, connect } from './connect.js';
import { INVESTIGATE_PROMPT, openInvestigation, sendMessage } from './investigation.js';
import { colorEnabled, interactive, outputClosed, processIO } from './io.js';
import { exitCodeOf } from './outcome.js';
import { rulesToMetadata } from './run-rules.js';
import { policyGate } from './action-gate.js';
import { followToRest, interruptRun, stopTurnLeftBehind, terminalWidth, type FollowResult, type OutputMode } from './scripted-run.js';
import { checkHandsReachable, startSessionHands, workerWaitNotice } from './session-hands.js';
import { startUploadSpinner } from './upload-progress.js';

export interface DiagnoseRun {
  bundle: readonly string[];
  mode: OutputMode;
  runtime: string;
  approve: readonly string[] | undefined;
  timeoutMs: number | null;
  /** The session's budget: list cost in US dollars and model requests (null: no ceiling). */
  budget?: { maxCostUsd: number | null; maxTurns: number | null };
  agentFile?: string;
  environmentFile?: string;
  message?: string;
}

export async function runDiagnose(run: DiagnoseRun): Promise<ExitCode> {
  const io = processIO();
  const color = colorEnabled(io);
  const policy = parseApprove(run.approve);
  const write = (line: string): void => void io.stdout.write(`${line}\n`);
  /** A line of the run's own (not an event's): fitted to the terminal like the events are. */
  const say = (line: string): void => write(hang('', line, terminalWidth(io.stdout)));
  const connection = await connect({ runtime: run.runtime, env: io.env, environmentFiles: [run.environmentFile ?? defaultEnvironmentPath()] });
  try {
    const spinner = run.mode === 'human' && interactive(io) ? await startUploadSpinner(io) : null;
    let opened;
    try {
      opened = await openInvestigation(connection.client, {
        bundle: run.bundle,
        ...(run.agentFile ? { agentFile: run.agentFile } : {}),
        ...(run.environmentFile ? { environmentFile: run.environmentFile } : {}),
        ...(spinner ? { onProgress: spinner.update } : {}),
        ...(connection.uploadRecord ? { record: connection.uploadRecord } : {}),
        ...(run.budget?.maxCostUsd ? { maxCostUsd: run.budget.maxCostUsd } : {}),
        cloud: connection.cloud,
        checkEnvironment: (definition, file) => checkHandsReachable(definition, run.runtime, file),
      });
      spinner?.succeed(`uploaded the bundle (runtime: ${connection.label})`);
    } catch (error) {
      spinner?.fail('could not open the investigation');
      throw error;
    }
    const { session } = opened;
    // Said on stderr in every mode: a file of the bundle the investigation will not see is never left out silently.
    for (const file of opened.refused) io.stderr.write(`incident: ${file.relPath} was not uploaded: ${file.reason}\n`);
    if (run.mode === 'human' || run.mode === 'plain') say(`session ${session.id} · ${session.title ?? ''} · runtime ${connection.label}`);
    // Before the first message: a resume after a crash answers approvals by the same rules.
    const turns: Record<string, string> = run.budget?.maxTurns ? { [MAX_TURNS_KEY]: String(run.budget.maxTurns) } : {};
    await connection.client.beta.sessions.update(session.id, { metadata: { ...rulesToMetadata({ approve: policy, timeoutMs: run.timeoutMs }), ...turns } });
    const warn = (line: string): void => void io.stderr.write(`${line}\n`);
    // The actions the cloud puts to no one are answered by the same policy, here.
    const decided: Pick<FollowResult, 'denied' | 'approved'> = { denied: [], approved: [] };
    // Hands on this client answer from before the first message; hands on workers are awaited.
    const hands = await startSessionHands({
      actionGate: policyGate(policy, (line, allow) => void (allow ? decided.approved : decided.denied).push(line)),
      client: connection.client,
      session,
      env: io.env,
      definition: opened.environment,
      localFiles: localMounts(opened.files),
      cloud: connection.cloud,
      warn,
    });
    const waiting = hands.place === 'worker' ? workerWaitNotice(opened.environment.name, warn) : null;

    const controller = new AbortController();
    let timedOut = false;
    const timer =
      run.timeoutMs === null
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, run.timeoutMs);
    const onSignal = (): void => controller.abort();
    process.once('SIGINT', onSignal);
    // Nobody reads on (`| head`): stop following, without interrupting the session.
    const detached = outputClosed();
    try {
      await sendMessage(connection.client, session.id, run.message ?? INVESTIGATE_PROMPT);
      const result = await followToRest({
        client: connection.client,
        sessionId: session.id,
        mode: run.mode,
        color,
        write,
        approve: policy,
        signal: AbortSignal.any([controller.signal, detached]),
        handsElsewhere: hands.place !== 'local',
        ...(waiting ? { onEvent: waiting.onEvent } : {}),
      });
      result.denied.push(...decided.denied);
      result.approved.push(...decided.approved);
      // Nobody reads on. A runtime elsewhere goes on driving the session; the one in this
      // process stops with it, so its turn is interrupted and logged as such (not left
      // `running`), and `incident resume <id>` continues it.
      if (detached.aborted) {
        if (connection.inProcess && !controller.signal.aborted) await stopTurnLeftBehind(connection.client, session.id, result.view);
        return EXIT.ok;
      }
      // Stopped (time limit, Ctrl-C): the turn is interrupted, and the log says which it was.
      const view = controller.signal.aborted ? await interruptRun(connection.client, session.id, result.view, timedOut ? 'timeout' : 'interrupt') : result.view;
      if (run.mode === 'json') {
        write(JSON.stringify({ ...diagnosisToJson(view, { id: session.id, title: session.title, createdAt: session.created_at }), denied: result.denied, approved: result.approved }, null, 2));
      } else if (run.mode !== 'ndjson') {
        for (const line of result.denied) say(`denied ${line}`);
        if (timedOut) say(`timed out; the session was interrupted. Resume it with: incident resume ${session.id}`);
        else if (controller.signal.aborted) say(`interrupted. Resume it with: incident resume ${session.id}`);
      }
      if (controller.signal.aborted && !timedOut) return 130;
      return exitCodeOf(view, timedOut);
    } finally {
      clearTimeout(timer);
      process.off('SIGINT', onSignal);
      waiting?.dispose();
      await hands.stop();
    }
  } catch (error) {
    throw clientFailure(error, connection.label, connection.keyHint);
  } finally {
    await connection.close();
  }
}
