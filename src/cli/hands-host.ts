// The hands of one session on this machine, for the SDK's runners: the SRE tools, the
// environment's actions (and, on a worker, the read-only part of the built-in toolset) as
// runnable tools, each call run in the same environment worker process a local session
// uses (src/runtime/hands), with the same scrubbed environment: the definition's allowed
// variables and its declared credentials, never an API key, the runtime key or an
// environment key. The session's files are laid out in a private folder on the first call
// (or a bundle folder is read as it is), and removed when the runner closes the tools.
import type Anthropic from '@anthropic-ai/sdk';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { layoutSessionFiles } from '../client/hands-runner.js';
import type { EnvironmentDefinition } from '../definitions/index.js';
import { InputError } from '../errors.js';
import { runnableHands, type HandsCaller, type RunnableHandsTool } from '../hands/runnable-tools.js';
import { toolSpecs } from '../hands/tools/index.js';
import { READ_ONLY_TOOLSET_TOOLS, REFUSED_TOOLSET_TOOLS, SESSION_UPLOADS_ROOT, toolsetSpec } from '../protocol/agent-toolset.js';
import { createRedactor } from '../protocol/redact.js';
import type { ActionCheck } from '../protocol/action-check.js';
import { ACTION_TOOL_PREFIX, RUNTIME_TOOL_NAMES, type ToolSpec } from '../protocol/tools.js';
import { actionOf, checkFromDryRun } from '../runtime/action-check.js';
import { actionToolSpec, handsConfigFromEnvironment } from '../runtime/environment-hands.js';
import { buildWorkerEnv, createHandsManager, defaultWorkerScript, sharedStart, type HandsManager } from '../runtime/hands/index.js';
import { gateActions, type GateWiring } from './action-gate.js';

/** Secrets of this process that a result must never carry, whatever the tool printed. */
const OWN_SECRETS = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'INCIDENT_RUNTIME_KEY', 'INCIDENT_ENVIRONMENT_KEY'] as const;

export interface HandsHostOptions {
  /** Reads the session's mounted files (the runtime key, or a worker's sessions token). */
  client: Anthropic;
  sessionId: string;
  definition: EnvironmentDefinition;
  /** This machine's environment: the declared credentials' values come from here. */
  env: Readonly<Record<string, string | undefined>>;
  /** Also serve the built-in toolset (a self-hosted environment answers its agent.tool_use calls). */
  toolset: boolean;
  /** Read this folder instead of the session's files (a worker's --bundle). */
  bundleRoot?: string;
  /** Files this machine already has, by mount path: cloned instead of downloaded. */
  localFiles?: ReadonlyMap<string, string>;
  /** Files of the bundle folder the session was opened from, by mount path: used when the runtime refuses a download. */
  fallbackFiles?: ReadonlyMap<string, string>;
  /** More secret values to redact (a worker's environment key). */
  secrets?: ReadonlyArray<{ name: string; value: string }>;
  /** Live output of a running action, redacted (for whoever watches on this machine). */
  onOutput?: (toolUseId: string, chunk: string) => void;
  /**
   * The actions' calls carry no confirmation (custom tools on Claude Managed Agents): each is
   * asked of this gate first. null: no one here may answer them, so they are not offered
   * and stay waiting for someone who can. Unset: a confirmation in the log gates them.
   */
  actions?: Omit<GateWiring, 'check'> | null;
}

/** The tools a session asks the hands outside the runtime for. */
export function handsToolSpecs(definition: EnvironmentDefinition, toolset: boolean): ToolSpec[] {
  const sre = toolSpecs().filter((spec) => !(RUNTIME_TOOL_NAMES as readonly string[]).includes(spec.name));
  const builtIn = toolset ? [...READ_ONLY_TOOLSET_TOOLS, ...REFUSED_TOOLSET_TOOLS].map(toolsetSpec) : [];
  return [...sre, ...definition.actions.map(actionToolSpec), ...builtIn];
}

export function hostHands(options: HandsHostOptions): RunnableHandsTool[] {
  const workerScript = defaultWorkerScript();
  if (!workerScript) throw new InputError('the environment worker is not built', { hint: 'run `npm run build` (npm install does it) and try again' });
  const { definition } = options;
  const credentials = definition.credentials.map((credential) => ({ name: credential.name, fromEnv: credential.from_env }));
  const secrets = [
    ...credentials.flatMap(({ name, fromEnv }) => {
      const value = options.env[fromEnv];
      return value ? [{ name, value }] : [];
    }),
    ...OWN_SECRETS.flatMap((name) => {
      const value = options.env[name];
      return value ? [{ name: name.toLowerCase(), value }] : [];
    }),
    ...(options.secrets ?? []),
  ];
  const redactor = createRedactor(secrets);

  let folder: string | undefined;
  const open = async (): Promise<HandsManager> => {
    let root = options.bundleRoot;
    if (root === undefined) {
      const laid = await mkdtemp(join(tmpdir(), 'incident-hands-'));
      try {
        await layoutSessionFiles(options.client, options.sessionId, laid, options.localFiles, options.fallbackFiles);
      } catch (error) {
        await rm(laid, { recursive: true, force: true });
        throw new Error(`the session's files could not be fetched: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      folder = laid;
      root = laid;
    }
    return createHandsManager({
      workerScript,
      config: handsConfigFromEnvironment(definition, root),
      env: buildWorkerEnv(options.env, definition.env.allow, credentials),
      callTimeoutMs: definition.worker.call_timeout_ms,
      idleTimeoutMs: definition.worker.idle_timeout_ms,
      shownRoot: SESSION_UPLOADS_ROOT,
      ...(options.onOutput ? { onOutput: options.onOutput } : {}),
    });
  };
  // One worker per session, however many calls ask at once; a start that failed is tried again.
  const shared = sharedStart(open);
  const hands = (): Promise<HandsCaller> => shared.start();
  const specs = handsToolSpecs(definition, options.toolset).filter((spec) => options.actions !== null || !spec.name.startsWith(ACTION_TOOL_PREFIX));
  const tools = runnableHands({
    specs,
    hands,
    redact: (text) => redactor.redact(text),
    close: async () => {
      const manager = await shared.current()?.catch(() => undefined);
      await manager?.close();
      if (folder !== undefined) await rm(folder, { recursive: true, force: true });
    },
  });
  if (!options.actions) return tools;
  // What the person approves is what runs: the argv and the credentials as the worker sees them, from a dry run.
  const check = async (name: string, input: Record<string, unknown>, signal: AbortSignal): Promise<ActionCheck | null> => {
    const action = actionOf(definition, name);
    if (action === null) return null;
    let dryRun;
    try {
      dryRun = await (await shared.start()).call(name, input, { toolUseId: 'dry-run', signal, dryRun: true });
    } catch (error) {
      dryRun = { text: error instanceof Error ? error.message : String(error), isError: true };
    }
    return checkFromDryRun(definition, action, dryRun);
  };
  return gateActions(tools, { ...options.actions, check });
}
