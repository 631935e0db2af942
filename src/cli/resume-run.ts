// `incident resume` off a terminal: print the logged history, then follow the session
// until it next rests or waits for a person, and exit with its outcome.
import { listHistory } from '../client/follow.js';
import { EXIT, type ExitCode } from '../errors.js';
import { diagnosisToJson, emptyView, foldEvent } from '../render/index.js';
import { clientFailure, connect } from './connect.js';
import { outputClosed } from './io.js';
import { exitCodeOf } from './outcome.js';
import { followToRest, printEvent, type OutputMode } from './scripted-run.js';

export async function resumeScripted(runtime: string, sessionId: string, mode: OutputMode): Promise<ExitCode> {
  const connection = await connect({ runtime, env: process.env, resumeSession: sessionId });
  const write = (line: string): void => void process.stdout.write(`${line}\n`);
  try {
    const session = await connection.client.beta.sessions.retrieve(sessionId);
    for (const problem of connection.verify?.(sessionId) ?? []) {
      process.stderr.write(`warning: the log is damaged at event ${problem.seq}: ${problem.detail}\n`);
    }
    const history = await listHistory(connection.client, sessionId);
    const seen = new Set<string>();
    let view = emptyView();
    if (mode === 'plain') write(`session ${session.id} · ${session.title ?? ''} · ${session.status}`);
    for (const event of history) {
      seen.add(event.id);
      view = foldEvent(view, event);
      printEvent(event, view, mode, false, write);
    }
    const current = await connection.client.beta.sessions.retrieve(sessionId);
    if (current.status === 'running') {
      const controller = new AbortController();
      const onSignal = (): void => controller.abort();
      process.once('SIGINT', onSignal);
      try {
        view = (await followToRest({ client: connection.client, sessionId, mode, color: false, write, approve: null, signal: AbortSignal.any([controller.signal, outputClosed()]), seen, view })).view;
      } finally {
        process.off('SIGINT', onSignal);
      }
    }
    if (mode === 'json') write(JSON.stringify(diagnosisToJson(view, { id: session.id, title: session.title, createdAt: session.created_at }), null, 2));
    if (view.pendingApprovals.length > 0) {
      if (mode === 'plain') write(`waiting for approval of ${view.pendingApprovals.length} action(s): answer in the terminal UI (incident resume ${sessionId} on a TTY)`);
      return EXIT.ok;
    }
    return exitCodeOf(view, false);
  } catch (error) {
    throw clientFailure(error, connection.label);
  } finally {
    await connection.close();
  }
}
