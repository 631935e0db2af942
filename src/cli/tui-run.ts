// The interactive terminal over a runtime: builds the TUI's session and start-screen
// objects on the client (history then live, each id once), and runs the Ink app.
import type Anthropic from '@anthropic-ai/sdk';
import type { BetaManagedAgentsSession } from '@anthropic-ai/sdk/resources/beta/sessions/sessions';
import { hostname } from 'node:os';
import { followSession } from '../client/follow.js';
import { localMounts } from '../client/hands-runner.js';
import { defaultEnvironmentPath } from '../definitions/index.js';
import type { UploadProgress } from '../client/upload.js';
import type { TuiSession, TuiStart } from '../ui/index.js';
import { HeldActions } from './action-gate.js';
import { clientFailure, connect, type RuntimeConnection } from './connect.js';
import { INVESTIGATE_PROMPT, infoOf, openInvestigation, sendMessage } from './investigation.js';
import { colorEnabled, processIO } from './io.js';
import { recentSessions } from './sessions-run.js';
import { checkHandsReachable, startSessionHands, type SessionHands } from './session-hands.js';
import { startUploadSpinner } from './upload-progress.js';

export interface TuiRun {
  runtime: string;
  bundle?: readonly string[];
  sessionId?: string;
  agentFile?: string;
  environmentFile?: string;
}

/** The runtime a connection reaches: `local` (embedded) or the URL of an `incident serve`. */
function runtimeUrlOf(runtime: string): string | null {
  return runtime === 'local' ? null : runtime;
}

/** How long an interrupt waits for the denials of held actions to reach the session before it is sent anyway. */
const HELD_DENIAL_WAIT_MS = 10_000;

function tuiSession(client: Anthropic, session: BetaManagedAgentsSession, runtimeLabel: string, runtime: string, held: HeldActions | null): TuiSession {
  const info = infoOf(session);
  /** Sends the confirmations of calls the log can confirm (not those held here). */
  const confirm = async (answers: ReadonlyArray<{ toolUseId: string; result: 'allow' | 'deny'; denyMessage?: string }>): Promise<void> => {
    if (answers.length === 0) return;
    await client.beta.sessions.events.send(session.id, {
      events: answers.map(({ toolUseId, result, denyMessage }) =>
        result === 'allow'
          ? { type: 'user.tool_confirmation' as const, tool_use_id: toolUseId, result: 'allow' as const }
          : { type: 'user.tool_confirmation' as const, tool_use_id: toolUseId, result: 'deny' as const, ...(denyMessage ? { deny_message: denyMessage } : {}) },
      ),
    });
  };
  return {
    info: {
      id: session.id,
      title: session.title,
      service: info.service,
      severity: info.severity,
      runtime: runtimeLabel,
      runtimeUrl: runtimeUrlOf(runtime),
      ...(held ? { handsHost: hostname() } : {}),
      createdAt: session.created_at,
    },
    events: (signal, onConnection) =>
      followSession(client, session.id, {
        signal,
        onUnreachable: ({ reason, retryInMs }) => onConnection?.({ kind: 'unreachable', reason, retryInMs }),
        onReconnected: () => onConnection?.({ kind: 'reconnected' }),
      }),
    send: (text) => sendMessage(client, session.id, text),
    confirm: async (toolUseId, result, denyMessage) => {
      // On Claude Managed Agents every approval is an action held by this machine's hands.
      if (held) held.answer(toolUseId, result === 'allow', denyMessage ?? 'denied in the terminal');
      else await confirm([{ toolUseId, result, ...(denyMessage ? { denyMessage } : {}) }]);
    },
    interrupt: async (deny) => {
      // A turn waiting on a person is not running, so an interrupt alone would change nothing:
      // the denials go first (the turn resumes to take them), then the interrupt ends it.
      if (deny && deny.toolUseIds.length > 0) {
        if (held) {
          for (const toolUseId of deny.toolUseIds) held.answer(toolUseId, false, deny.message);
          // The hands post each denial as the call's result; the interrupt must come after it.
          const bound = new Promise<void>((resolve) => setTimeout(resolve, HELD_DENIAL_WAIT_MS).unref());
          await Promise.race([Promise.all(deny.toolUseIds.map((toolUseId) => held.whenPosted(toolUseId))), bound]);
        } else {
          await confirm(deny.toolUseIds.map((toolUseId) => ({ toolUseId, result: 'deny' as const, denyMessage: deny.message })));
        }
      }
      await client.beta.sessions.events.send(session.id, { events: [{ type: 'user.interrupt' }] });
    },
    ...(held ? { heldActions: held } : {}),
  };
}

/** The gate of a session whose actions this machine's hands answer without a confirmation in the log (Claude Managed Agents). */
function heldActionsFor(connection: RuntimeConnection): HeldActions | null {
  return connection.cloud ? new HeldActions() : null;
}

/** Hands this process runs for the sessions it shows (when their hands run on the client), and what they had to say. */
interface LocalHands {
  running: SessionHands[];
  /** Printed below the last frame: the interface owns the terminal until then. */
  notes: string[];
}

async function openBundle(connection: RuntimeConnection, run: TuiRun, hands: LocalHands, bundle: readonly string[], progress?: (p: UploadProgress) => void): Promise<TuiSession> {
  const opened = await openInvestigation(connection.client, {
    bundle,
    ...(run.agentFile ? { agentFile: run.agentFile } : {}),
    ...(run.environmentFile ? { environmentFile: run.environmentFile } : {}),
    ...(progress ? { onProgress: progress } : {}),
    ...(connection.uploadRecord ? { record: connection.uploadRecord } : {}),
    checkEnvironment: (definition, file) => checkHandsReachable(definition, run.runtime, file),
    cloud: connection.cloud,
  });
  const { session } = opened;
  const warn = (line: string): void => void hands.notes.push(line);
  const held = heldActionsFor(connection);
  hands.running.push(
    await startSessionHands({
      client: connection.client,
      session,
      env: process.env,
      definition: opened.environment,
      localFiles: localMounts(opened.files),
      cloud: connection.cloud,
      ...(held ? { actionGate: held } : {}),
      warn,
    }),
  );
  await sendMessage(connection.client, session.id, INVESTIGATE_PROMPT);
  return tuiSession(connection.client, session, connection.label, run.runtime, held);
}

async function resumeSession(connection: RuntimeConnection, run: TuiRun, hands: LocalHands, sessionId: string): Promise<TuiSession> {
  const session = await connection.client.beta.sessions.retrieve(sessionId);
  const warn = (line: string): void => void hands.notes.push(line);
  const held = heldActionsFor(connection);
  hands.running.push(
    await startSessionHands({
      client: connection.client,
      session,
      env: process.env,
      ...(run.environmentFile ? { candidates: [run.environmentFile] } : {}),
      cloud: connection.cloud,
      ...(held ? { actionGate: held } : {}),
      warn,
    }),
  );
  return tuiSession(connection.client, session, connection.label, run.runtime, held);
}

export async function runInteractive(run: TuiRun): Promise<number> {
  const io = processIO();
  // Ink reads CI once, when it loads, to decide whether it may redraw: a person at a
  // terminal gets the live interface whatever the environment says.
  delete process.env['CI'];
  delete process.env['CONTINUOUS_INTEGRATION'];
  // The interface and the runtime load side by side: the start screen draws at once and
  // lists recent sessions when the runtime answers.
  const ui = import('../ui/index.js');
  const connecting = connect({
    runtime: run.runtime,
    env: io.env,
    // The start screen can open a bundle, so the environment it would run is served from the start.
    environmentFiles: [run.environmentFile ?? defaultEnvironmentPath()],
    ...(run.sessionId ? { resumeSession: run.sessionId } : {}),
  });
  connecting.catch(() => undefined);
  let connection: RuntimeConnection | undefined;
  const connected = async (): Promise<RuntimeConnection> => (connection ??= await connecting);
  const hands: LocalHands = { running: [], notes: [] };
  try {
    let session: TuiSession | undefined;
    if (run.bundle && run.bundle.length > 0) {
      const conn = await connected();
      const spinner = await startUploadSpinner(io);
      try {
        session = await openBundle(conn, run, hands, run.bundle, spinner.update);
        spinner.succeed(`uploaded the bundle; session ${session.info.id} (runtime: ${conn.label})`);
      } catch (error) {
        spinner.fail('could not open the investigation');
        throw error;
      }
    } else if (run.sessionId) {
      session = await resumeSession(await connected(), run, hands, run.sessionId);
    }
    const start: TuiStart = {
      recent: async () => {
        const conn = await connected();
        const listed = await recentSessions(conn.client, 15);
        return listed.map(({ session: s, outcome }) => ({ id: s.id, title: s.title, outcome, createdAt: s.created_at, updatedAt: s.updated_at }));
      },
      open: async (bundlePath) => openBundle(await connected(), run, hands, [bundlePath]),
      resume: async (id) => {
        const conn = await connected();
        conn.continueSession?.(id);
        return resumeSession(conn, run, hands, id);
      },
    };
    const { runTui } = await ui;
    const ended = await runTui({ ...(session ? { session } : {}), start, color: colorEnabled(io) });
    await Promise.all(hands.running.splice(0).map((running) => running.stop()));
    for (const line of hands.notes) io.stderr.write(`${line}\n`);
    // Below the last frame, once the interface is gone: the line to paste to come back.
    if (ended.sessionId !== null) io.stdout.write(`Resume it with: incident resume ${ended.sessionId}\n`);
    return ended.exitCode;
  } catch (error) {
    throw clientFailure(error, connection?.label ?? run.runtime, connection?.keyHint);
  } finally {
    await Promise.all(hands.running.map((running) => running.stop()));
    // A connection still opening when the person quit is closed once it opens.
    await (connection ?? (await connecting.catch(() => undefined)))?.close();
  }
}
