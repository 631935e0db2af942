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
import { infoOf } from './incident-info.js';
import { cutShort } from './cut-short.js';
import { CONTINUE_PROMPT, INVESTIGATE_PROMPT, openInvestigation, sendMessage } from './investigation.js';
import { colorEnabled, processIO } from './io.js';
import { recentSessions } from './sessions-run.js';
import { applyBudget, type BudgetLimits } from './session-budget.js';
import { checkHandsReachable, startSessionHands, type SessionHands } from './session-hands.js';
import { startUploadSpinner } from './upload-progress.js';

export interface TuiRun {
  runtime: string;
  bundle?: readonly string[];
  sessionId?: string;
  agentFile?: string;
  environmentFile?: string;
  /** --max-cost / --max-turns: the ceilings of each session opened or resumed here. */
  budget?: BudgetLimits;
}

/** The runtime a connection reaches: `local` (embedded) or the URL of an `incident serve`. */
function runtimeUrlOf(runtime: string): string | null {
  return runtime === 'local' ? null : runtime;
}

/** How long an interrupt waits for the denials of held actions to reach the session before it is sent anyway. */
const HELD_DENIAL_WAIT_MS = 10_000;

function tuiSession(client: Anthropic, session: BetaManagedAgentsSession, runtimeLabel: string, runtime: string): TuiSession {
  const info = infoOf(session);
  return {
    info: {
      id: session.id,
      title: session.title,
      service: info.service,
      severity: info.severity,
      runtime: runtimeLabel,
      runtimeUrl: runtimeUrlOf(runtime),
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
      await client.beta.sessions.events.send(session.id, {
        events: [
          result === 'allow'
            ? { type: 'user.tool_confirmation', tool_use_id: toolUseId, result: 'allow' }
            : { type: 'user.tool_confirmation', tool_use_id: toolUseId, result: 'deny', ...(denyMessage ? { deny_message: denyMessage } : {}) },
        ],
      });
    },
    interrupt: async (deny) => {
      // A turn waiting on a person is not running, so an interrupt alone would change nothing:
      // the denials go first (the turn resumes to take them), then the interrupt ends it.
      if (deny && deny.toolUseIds.length > 0) {
        await client.beta.sessions.events.send(session.id, {
          events: deny.toolUseIds.map((toolUseId) => ({ type: 'user.tool_confirmation', tool_use_id: toolUseId, result: 'deny', deny_message: deny.message })),
        });
      }
      await client.beta.sessions.events.send(session.id, { events: [{ type: 'user.interrupt' }] });
    },
  };
}

/**
 * A session whose actions this machine's hands hold for the person (Claude Managed Agents
 * logs no confirmation for them): the prompt's answers go to the hands, which post each
 * as the call's result, and the prompt shows the check the hands made.
 */
export function withHeldActions(session: TuiSession, held: HeldActions, host: string = hostname()): TuiSession {
  return {
    ...session,
    info: { ...session.info, handsHost: host },
    confirm: (toolUseId, result, denyMessage) => {
      held.answer(toolUseId, result === 'allow', denyMessage ?? 'denied in the terminal');
      return Promise.resolve();
    },
    interrupt: async (deny) => {
      if (deny && deny.toolUseIds.length > 0) {
        for (const toolUseId of deny.toolUseIds) held.answer(toolUseId, false, deny.message);
        // Each denial is posted as the call's result, and the turn resumes to take it: the interrupt comes after.
        let timer: NodeJS.Timeout | undefined;
        const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, HELD_DENIAL_WAIT_MS)));
        await Promise.race([Promise.all(deny.toolUseIds.map((toolUseId) => held.whenPosted(toolUseId))), bound]);
        clearTimeout(timer);
      }
      await session.interrupt();
    },
    heldActions: held,
  };
}

/** The gate of a session whose actions this machine's hands answer without a confirmation in the log (Claude Managed Agents). */
function heldActionsFor(connection: RuntimeConnection): HeldActions | null {
  return connection.cloud ? new HeldActions() : null;
}

function shownSession(connection: RuntimeConnection, session: BetaManagedAgentsSession, runtime: string, held: HeldActions | null): TuiSession {
  const shown = tuiSession(connection.client, session, connection.label, runtime);
  return held ? withHeldActions(shown, held) : shown;
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
    ...(run.budget?.maxCostUsd ? { maxCostUsd: run.budget.maxCostUsd } : {}),
  });
  const { session } = opened;
  // The spend ceiling went with the creation; the request limit goes before the first message.
  if (run.budget?.maxTurns) await applyBudget(connection.client, session, { maxCostUsd: null, maxTurns: run.budget.maxTurns });
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
  return shownSession(connection, session, run.runtime, held);
}

async function resumeSession(connection: RuntimeConnection, run: TuiRun, hands: LocalHands, sessionId: string): Promise<TuiSession> {
  const session = await connection.client.beta.sessions.retrieve(sessionId);
  if (run.budget) await applyBudget(connection.client, session, run.budget);
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
  // Stopped before its diagnosis: the investigation is asked to go on, as the hint promised.
  const history = [];
  for await (const event of connection.client.beta.sessions.events.list(sessionId, { limit: 1000 })) history.push(event);
  if (cutShort(history, session.status)) await sendMessage(connection.client, sessionId, CONTINUE_PROMPT);
  return shownSession(connection, session, run.runtime, held);
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
    // Quit mid-turn on the runtime in this process: nothing drives the turn once this process
    // ends, so it is interrupted and logged so (resume goes on with it), never left `running`.
    if (ended.sessionId !== null && connection?.inProcess === true) {
      const [{ stopTurnLeftBehind }, { emptyView }] = await Promise.all([import('./scripted-run.js'), import('../render/index.js')]);
      await stopTurnLeftBehind(connection.client, ended.sessionId, emptyView());
    }
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
