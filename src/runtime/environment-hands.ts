// Hands for a session, built from the definition its environment is bound to (one the
// runtime's operator registered): an environment worker process (src/runtime/hands)
// started on the first tool call (or with the first turn when the definition says `start:
// eager`), stopped after `idle_timeout` without a call, with an environment scrubbed down to
// the definition's allow-list plus its declared credentials.
import { EnvironmentDefinitionSchema, type ActionDefinition, type EnvironmentDefinition, type SourcesDefinition } from '../definitions/index.js';
import { ACTION_TOOL_PREFIX, type ToolSpec } from '../protocol/tools.js';
import { isOutOfSpace } from '../store/index.js';
import { actionOf, checkFromDryRun } from './action-check.js';
import type { Hands, SessionSetup } from './deps.js';
import { UPLOADS_ROOT } from './mounts.js';
import type { HandsConfigJson, HandsLiveJson } from './hands/config.js';
import { buildWorkerEnv } from './hands/env.js';
import type { HandsManager } from './hands/manager.js';
import { sharedStart } from './hands/shared-start.js';

export interface EnvironmentHandsOptions {
  workerScript: string;
  parentEnv: Readonly<Record<string, string | undefined>>;
}

/**
 * The hands of an environment bound to no definition: the SRE tools only, with every
 * default of the schema (no actions, no external MCP servers, the default allow-list,
 * no credentials).
 */
export const FALLBACK_ENVIRONMENT: EnvironmentDefinition = EnvironmentDefinitionSchema.parse({ name: 'fallback' });

type HandsPart = Pick<EnvironmentDefinition, 'worker' | 'credentials' | 'actions' | 'mcp_servers'> & Partial<Pick<EnvironmentDefinition, 'sources'>>;

/** An environment's live sources as the worker takes them. */
function liveConfig(sources: SourcesDefinition): HandsLiveJson {
  const { limits } = sources;
  return {
    ...(sources.prometheus !== undefined ? { prometheus: sources.prometheus } : {}),
    ...(sources.alertmanager !== undefined ? { alertmanager: sources.alertmanager } : {}),
    ...(sources.alert !== undefined ? { alert: sources.alert } : {}),
    ...(sources.service !== undefined ? { service: sources.service } : {}),
    git: sources.git,
    ...(sources.git_ref !== undefined ? { gitRef: sources.git_ref } : {}),
    gitServices: sources.git_services,
    logs: sources.logs,
    credentials: sources.credentials,
    since: sources.window.since,
    until: sources.window.until,
    timeoutMs: sources.timeout_ms,
    limits: {
      ...(limits.points !== undefined ? { points: limits.points } : {}),
      ...(limits.queries !== undefined ? { queries: limits.queries } : {}),
      ...(limits.series !== undefined ? { series: limits.series } : {}),
      ...(limits.services !== undefined ? { services: limits.services } : {}),
      ...(limits.log_bytes !== undefined ? { logBytes: limits.log_bytes } : {}),
      ...(limits.patch_bytes !== undefined ? { patchBytes: limits.patch_bytes } : {}),
      ...(limits.changes !== undefined ? { changes: limits.changes } : {}),
    },
  };
}

/** The worker configuration for a bundle, with an environment's actions and servers when one is given. */
export function handsConfigFromEnvironment(environment: HandsPart | null, bundleRoot: string, bundleMap?: string): HandsConfigJson {
  return {
    bundleRoot,
    ...(bundleMap === undefined ? {} : { bundleMap }),
    maxOutputChars: environment?.worker.max_output_chars ?? 16_000,
    credentials: (environment?.credentials ?? []).map((credential) => ({ name: credential.name, fromEnv: credential.from_env })),
    actions: (environment?.actions ?? []).map((action) => ({
      name: action.name,
      kind: action.kind,
      description: action.description,
      argv: action.argv,
      parameters: action.parameters,
      timeoutMs: action.timeout_ms,
      credentials: action.credentials,
    })),
    mcpServers: (environment?.mcp_servers ?? []).map((server) => ({ name: server.name, command: server.command, args: server.args, env: server.env })),
    ...(environment?.sources !== undefined ? { live: liveConfig(environment.sources) } : {}),
  };
}

/** The tool a model sees for an action: its parameters as a JSON schema. */
export function actionToolSpec(action: ActionDefinition): ToolSpec {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const [name, parameter] of Object.entries(action.parameters)) {
    properties[name] = {
      type: parameter.type,
      ...(parameter.description ? { description: parameter.description } : {}),
      ...(parameter.pattern ? { pattern: parameter.pattern } : {}),
      ...(parameter.enum ? { enum: parameter.enum } : {}),
      ...(parameter.default !== undefined ? { default: parameter.default } : {}),
    };
    if (parameter.required) required.push(name);
  }
  return {
    name: `${ACTION_TOOL_PREFIX}${action.name}`,
    description: `Remediation (${action.kind}): ${action.description} Runs only after a person approves this exact call. Command: ${action.argv.join(' ')}`,
    input_schema: { type: 'object', properties, required },
  };
}

export function environmentHands(setup: SessionSetup, options: EnvironmentHandsOptions): Hands {
  const definition = setup.environment ?? FALLBACK_ENVIRONMENT;
  const actionSpecs = definition.actions.map(actionToolSpec);
  let closed = false;
  let externalSpecs: ToolSpec[] = [];

  const open = async (): Promise<HandsManager> => {
    let mounted: string | { map: string };
    try {
      mounted = await setup.ensureMounted();
    } catch (error) {
      // A full state folder stops the turn (it resumes once there is room): not a tool's failure.
      if (isOutOfSpace(error)) throw error;
      // The file system's own message names host paths under the state folder: keep only its code.
      const code = (error as NodeJS.ErrnoException | null)?.code ?? 'unknown error';
      throw new Error(`the session's files could not be laid out for the hands (${code})`, { cause: error });
    }
    if (closed) throw new Error('the session closed');
    // A mapped mount is shown under the uploads root, as the cloud lays it out.
    const config =
      typeof mounted === 'string' ? handsConfigFromEnvironment(definition, mounted) : handsConfigFromEnvironment(definition, UPLOADS_ROOT, mounted.map);
    const env = buildWorkerEnv(
      options.parentEnv,
      definition.env.allow,
      definition.credentials.map((credential) => ({ name: credential.name, fromEnv: credential.from_env })),
    );
    // Loaded with the first start: the MCP client and its schema validator are a large part
    // of what a command that runs no tool (a listing, a replay) would otherwise load.
    const { createHandsManager } = await import('./hands/manager.js');
    const manager = createHandsManager({
      workerScript: options.workerScript,
      config,
      env,
      callTimeoutMs: definition.worker.call_timeout_ms,
      idleTimeoutMs: definition.worker.idle_timeout_ms,
      shownRoot: UPLOADS_ROOT,
      onOutput: (toolUseId, chunk) => setup.onToolOutput(toolUseId, chunk),
    });
    if (definition.mcp_servers.length > 0) {
      const known = new Set([...actionSpecs.map((spec) => spec.name)]);
      const all = await manager.listTools();
      externalSpecs = all.filter((spec) => spec.name.includes('__') && !known.has(spec.name));
    }
    return manager;
  };
  // One manager per session, however many callers ask at once (an eager start and the first call race);
  // a start that failed is tried again by the next call.
  const shared = sharedStart(open);
  const start = (): Promise<HandsManager> => shared.start();

  if (definition.worker.start === 'eager') void start().then((manager) => manager.warm()).catch(() => undefined);

  return {
    async call(name, input, { toolUseId, signal }) {
      let hands: HandsManager;
      try {
        hands = await start();
      } catch (error) {
        if (isOutOfSpace(error)) throw error;
        return { text: `${name} could not run: ${(error as Error).message}`, isError: true };
      }
      return hands.call(name, input, { toolUseId, signal });
    },
    async check(name, input, { toolUseId, signal }) {
      const action = actionOf(definition, name);
      if (action === null) return null;
      let dryRun;
      try {
        const hands = await start();
        dryRun = await hands.call(name, input, { toolUseId, signal, dryRun: true });
      } catch (error) {
        if (isOutOfSpace(error)) throw error;
        dryRun = { text: (error as Error).message, isError: true };
      }
      return checkFromDryRun(definition, action, dryRun);
    },
    extraTools: () => [...actionSpecs, ...externalSpecs],
    async close() {
      closed = true;
      const manager = await shared.current()?.catch(() => undefined);
      await manager?.close();
    },
  };
}
