// One offline investigation in a runtime of this process, with the hands worker of the
// test's choosing: the triage brain, the SDK on the runtime's fetch, a shipped fixture
// uploaded and mounted as the CLI does it. What the fault suites compare is the
// investigation's transcript: every tool call with its result, and how it ended.
import Anthropic from '@anthropic-ai/sdk';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createTriageBrain } from '../../src/brains/triage/index.js';
import { INVESTIGATE_PROMPT, openInvestigation, sendMessage } from '../../src/cli/investigation.js';
import { parseEnvironmentDefinition } from '../../src/definitions/index.js';
import { environmentHands } from '../../src/runtime/environment-hands.js';
import { createLocalRuntime, type LocalRuntime } from '../../src/runtime/runtime.js';
import type { StoredEvent } from '../../src/store/index.js';
import { scratchDir } from '../fuzz/seed.js';

export const FIXTURE = 'checkout-cache-removed';

export interface Investigated {
  events: StoredEvent[];
  /** Problems of the hash chain (none when the log is whole). */
  chain: readonly unknown[];
  transcript: string[];
}

/** What happened, without ids and times: each tool call and its result, each message, each stop. */
export function transcript(events: readonly StoredEvent[]): string[] {
  return events.flatMap(({ event }) => {
    const body = event as Record<string, unknown>;
    switch (event.type) {
      case 'agent.tool_use':
        return [`use ${String(body['name'])} ${JSON.stringify(body['input'])}`];
      case 'agent.tool_result': {
        const text = ((body['content'] as Array<{ text?: string }> | undefined) ?? []).map((block) => block.text ?? '').join('\n');
        return [`result${body['is_error'] === true ? ' (error)' : ''} ${text}`];
      }
      case 'agent.message':
        return [`message ${JSON.stringify(body['content'])}`];
      case 'session.status_idle':
        return [`idle ${JSON.stringify(body['stop_reason'])}`];
      case 'session.error':
        return [`error ${JSON.stringify(body['error'])}`];
      default:
        return [];
    }
  });
}

export interface InvestigationOptions {
  /** Each hands call's timeout, as the environment file writes it. */
  callTimeout?: string;
  /** Runs between opening the session and sending the first message (a page cap, say). */
  beforeSend?: (runtime: LocalRuntime) => void;
  /** Runs once the turn stopped, before the log is read; may continue it (it must end idle). */
  afterTurn?: (runtime: LocalRuntime, sessionId: string, client: Anthropic) => Promise<void>;
  /** Keep the state folder (the caller removes it): the investigation's home. */
  home?: string;
}

/** Investigates the fixture with hands run by `workerScript`. */
export async function investigate(workerScript: string, options: InvestigationOptions = {}): Promise<Investigated> {
  const home = options.home ?? mkdtempSync(join(scratchDir(), 'incident-faults-'));
  const environmentFile = join(home, 'environment.yaml');
  const yaml = `name: faults\nworker:\n  call_timeout: ${options.callTimeout ?? '30s'}\n`;
  writeFileSync(environmentFile, yaml);
  const runtime = createLocalRuntime({
    home,
    environments: [parseEnvironmentDefinition(yaml, environmentFile)],
    deps: { brainFor: () => createTriageBrain(), handsFor: (setup) => environmentHands(setup, { workerScript, parentEnv: process.env }) },
  });
  try {
    const client = new Anthropic({ apiKey: 'local', baseURL: 'http://local.invalid', maxRetries: 0, fetch: runtime.fetch as typeof fetch });
    const { session } = await openInvestigation(client, { bundle: [resolve('fixtures', FIXTURE)], environmentFile });
    options.beforeSend?.(runtime);
    await sendMessage(client, session.id, INVESTIGATE_PROMPT).catch((error: unknown) => {
      // A message that could not be saved is refused whole; the caller's afterTurn makes room and sends again.
      if (options.afterTurn === undefined) throw error;
    });
    await runtime.engine.whenIdle(session.id);
    await options.afterTurn?.(runtime, session.id, client);
    const events = runtime.store.events.list(session.id);
    return { events, chain: runtime.store.verify(session.id), transcript: transcript(events) };
  } finally {
    await runtime.close();
    if (options.home === undefined) rmSync(home, { recursive: true, force: true });
  }
}

export const WORKER = resolve('dist', 'hands-worker.js');

/** A clean investigation with the real worker, kept for the suites of one test file to compare with. */
export interface Reference {
  run: Investigated;
  /** Pages of the state database the investigation's turn wrote. */
  pagesUsed: number;
  /** Its state folder (removed when the process exits) and session. */
  home: string;
  sessionId: string;
}

let reference: Promise<Reference> | undefined;

export function cleanReference(): Promise<Reference> {
  reference ??= (async () => {
    const home = mkdtempSync(join(scratchDir(), 'incident-reference-'));
    process.once('exit', () => rmSync(home, { recursive: true, force: true }));
    let pagesUsed = 0;
    let sessionId = '';
    const pages = (runtime: LocalRuntime): number => (runtime.store.db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count;
    const run = await investigate(WORKER, {
      home,
      beforeSend: (runtime) => void (pagesUsed = -pages(runtime)),
      afterTurn: async (runtime, id) => {
        pagesUsed += pages(runtime);
        sessionId = id;
      },
    });
    return { run, pagesUsed, home, sessionId };
  })();
  return reference;
}
