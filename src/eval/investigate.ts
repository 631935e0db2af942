// Investigations for evaluation and tests, run as sessions like any other: a local
// runtime under a temporary state home drives the brain through the runtime's own
// executor, its hands are the SRE toolset served in process over MCP, and each bundle is
// opened through the SDK client as `incident diagnose` opens it (agent, environment,
// upload, session, message, follow to rest). The bundle's answer key (truth.json) is
// never uploaded. One runtime serves many bundles, one after another.
import type Anthropic from '@anthropic-ai/sdk';
import type { BetaManagedAgentsAgent } from '@anthropic-ai/sdk/resources/beta/agents/agents';
import { accessSync, constants, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Brain } from '../brains/brain.js';
import { createTriageBrain } from '../brains/triage/index.js';
import { ensureAgent, ensureEnvironment } from '../client/definitions.js';
import { followSession, listHistory } from '../client/follow.js';
import { makeClient } from '../client/sdk.js';
import { listBundleFiles, mountOrDelete, uploadFiles, type BundleFileRef, type MountedFile } from '../client/upload.js';
import {
  AgentDefinitionSchema,
  defaultAgentPath,
  EnvironmentDefinitionSchema,
  loadAgentDefinition,
  type AgentDefinition,
  type EnvironmentDefinition,
} from '../definitions/index.js';
import { toolSpecs } from '../hands/tools/index.js';
import type { Diagnosis } from '../protocol/diagnosis.js';
import type { SessionEvent } from '../protocol/events.js';
import { emptyView, foldEvents } from '../render/index.js';
import { createLocalRuntime, type LocalRuntime } from '../runtime/runtime.js';
import { inProcessHands } from './hands.js';

/** The file of a bundle that holds the right answer: an evaluated brain never sees it. */
export const ANSWER_KEY = 'truth.json';

export const EVAL_PROMPT = 'Investigate the incident in the mounted bundle.';

/** The environment of an evaluation: the SRE tools over the bundle, no remediation actions. */
export const EVAL_ENVIRONMENT: EnvironmentDefinition = EnvironmentDefinitionSchema.parse({
  name: 'eval',
  description: 'The SRE tools over the mounted bundle; no remediation actions.',
});

export interface ApprovalRequest {
  name: string;
  input: Readonly<Record<string, unknown>>;
}

export type ApprovalAnswer = { allow: true } | { allow: false; message: string };

export interface InvestigateOptions {
  /** Tool calls a turn may make (the agent's max_steps; the shipped agent's by default). */
  maxSteps?: number;
  /** The first user message. */
  message?: string;
  /** The environment the session is bound to (default: EVAL_ENVIRONMENT, no actions). */
  environment?: EnvironmentDefinition;
  /** Answers a remediation action waiting for approval; by default every one is denied. */
  approve?: (request: ApprovalRequest) => ApprovalAnswer;
  signal?: AbortSignal;
}

export interface Investigation {
  /** The session's stored log, oldest first. */
  events: SessionEvent[];
  /** The accepted diagnosis, as `incident diagnose --json` reports it; null when none was accepted. */
  diagnosis: Diagnosis | null;
  toolCalls: Array<{ name: string; input: Record<string, unknown> }>;
  /** Wall time from the first upload to the session's rest. */
  elapsedMs: number;
}

export interface EvalRuntimeOptions {
  /** The brain every session runs (default: the offline triage engine). */
  brain?: () => Brain;
  /** Where actions' and tools' environment comes from (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface EvalRuntime {
  investigate(bundle: string, options?: InvestigateOptions): Promise<Investigation>;
  close(): Promise<void>;
}

const DENIED: ApprovalAnswer = { allow: false, message: 'denied: an evaluation runs no remediation' };

/**
 * Every file of a bundle but its answer key (a truth.json at the bundle's root). An empty
 * folder is a bundle with nothing in it: its session mounts no file, and the brain says so.
 */
async function bundleFiles(bundle: string): Promise<BundleFileRef[]> {
  if (statSync(bundle).isDirectory() && readdirSync(bundle).every((name) => name.startsWith('.'))) return [];
  const { files } = await listBundleFiles([bundle]);
  return files.filter((file) => file.relPath !== ANSWER_KEY);
}

/** Tool calls, in order, from a session's log. */
function toolCallsOf(events: readonly SessionEvent[]): Investigation['toolCalls'] {
  return events.flatMap((event) => (event.type === 'agent.tool_use' ? [{ name: event.name, input: event.input as Record<string, unknown> }] : []));
}

/**
 * Where the temporary state home goes: memory-backed where the system has one. Nothing of
 * an evaluation outlives it, so no commit of its log needs to wait for a disk.
 */
function scratchRoot(): string {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

export async function openEvalRuntime(options: EvalRuntimeOptions = {}): Promise<EvalRuntime> {
  const shipped = await loadAgentDefinition(defaultAgentPath());
  const home = mkdtempSync(join(scratchRoot(), 'incident-eval-'));
  // An evaluation stopped midway (Ctrl+C, a failed test) leaves no state home behind: in
  // /dev/shm one would hold its memory until the machine restarts.
  const removeHome = (): void => rmSync(home, { recursive: true, force: true });
  process.once('exit', removeHome);
  const makeBrain = options.brain ?? createTriageBrain;
  const env = options.env ?? process.env;
  let runtime: LocalRuntime;
  let client: Anthropic;
  try {
    runtime = createLocalRuntime({
      home,
      resume: false,
      environments: [EVAL_ENVIRONMENT],
      secretEnv: env,
      deps: { brainFor: () => makeBrain(), handsFor: (setup) => inProcessHands(setup, env) },
    });
    client = await makeClient({ fetch: runtime.fetch });
  } catch (error) {
    process.off('exit', removeHome);
    removeHome();
    throw error;
  }
  const agents = new Map<number, Promise<BetaManagedAgentsAgent>>();
  const environments = new Map<EnvironmentDefinition, Promise<string>>();

  const agentFor = (maxSteps: number): Promise<BetaManagedAgentsAgent> => {
    let agent = agents.get(maxSteps);
    if (agent === undefined) {
      // A budget of its own is an agent of its own, so no version replaces another mid-evaluation.
      const name = maxSteps === shipped.max_steps ? shipped.name : `${shipped.name}-${maxSteps}-steps`;
      const definition: AgentDefinition = AgentDefinitionSchema.parse({ ...shipped, name, max_steps: maxSteps });
      agent = ensureAgent(client, definition, toolSpecs());
      agents.set(maxSteps, agent);
    }
    return agent;
  };
  const environmentFor = (definition: EnvironmentDefinition): Promise<string> => {
    let id = environments.get(definition);
    if (id === undefined) {
      // This process is the runtime's operator: it serves the definitions its callers give.
      runtime.definitions.register(definition);
      id = ensureEnvironment(client, definition).then((environment) => environment.id);
      environments.set(definition, id);
    }
    return id;
  };

  async function answerApprovals(sessionId: string, ids: readonly string[], history: readonly SessionEvent[], approve: InvestigateOptions['approve']): Promise<void> {
    const answers = ids.map((toolUseId) => {
      const use = history.find((event) => event.type === 'agent.tool_use' && event.id === toolUseId);
      const request: ApprovalRequest = use?.type === 'agent.tool_use' ? { name: use.name, input: use.input as Record<string, unknown> } : { name: '', input: {} };
      const answer = approve?.(request) ?? DENIED;
      return answer.allow
        ? { type: 'user.tool_confirmation' as const, tool_use_id: toolUseId, result: 'allow' as const }
        : { type: 'user.tool_confirmation' as const, tool_use_id: toolUseId, result: 'deny' as const, deny_message: answer.message };
    });
    await client.beta.sessions.events.send(sessionId, { events: answers });
  }

  /** Follows the session until it rests, answering every approval it waits for. */
  async function followToRest(sessionId: string, approve: InvestigateOptions['approve'], signal: AbortSignal | undefined): Promise<void> {
    const seen: SessionEvent[] = [];
    for await (const event of followSession(client, sessionId, signal ? { signal } : {})) {
      if ('id' in event && typeof event.id === 'string' && event.id !== '') seen.push(event as SessionEvent);
      if (event.type !== 'session.status_idle') continue;
      const stop = event.stop_reason;
      if (stop.type !== 'requires_action' || stop.event_ids.length === 0) return;
      await answerApprovals(sessionId, stop.event_ids, seen, approve);
    }
  }

  return {
    async investigate(bundle, investigateOptions = {}) {
      const started = performance.now();
      const [agent, environmentId, files] = await Promise.all([
        agentFor(investigateOptions.maxSteps ?? shipped.max_steps),
        environmentFor(investigateOptions.environment ?? EVAL_ENVIRONMENT),
        bundleFiles(bundle),
      ]);
      const resources: MountedFile[] = await uploadFiles(client, files);
      const session = await mountOrDelete(client, resources, () =>
        client.beta.sessions.create({
          agent: { type: 'agent', id: agent.id, version: agent.version },
          environment_id: environmentId,
          resources: resources.map((resource) => ({ type: 'file', ...resource })),
          title: `evaluation of ${bundle.split(/[\\/]/).pop() ?? bundle}`,
        }),
      );
      try {
        await client.beta.sessions.events.send(session.id, {
          events: [{ type: 'user.message', content: [{ type: 'text', text: investigateOptions.message ?? EVAL_PROMPT }] }],
        });
        await followToRest(session.id, investigateOptions.approve, investigateOptions.signal);
        const events = await listHistory(client, session.id);
        const elapsedMs = performance.now() - started;
        const view = foldEvents(emptyView(), events);
        return { events, diagnosis: view.diagnosis?.value ?? null, toolCalls: toolCallsOf(events), elapsedMs };
      } finally {
        // Each session's hands hold its bundle open: a long evaluation gives them back as it
        // goes. Best effort: the state home is thrown away with the runtime anyway.
        await client.beta.sessions.delete(session.id).catch(() => undefined);
        for (const resource of resources) await client.beta.files.delete(resource.file_id).catch(() => undefined);
      }
    },
    async close() {
      try {
        await runtime.close();
      } finally {
        process.off('exit', removeHome);
        removeHome();
      }
    },
  };
}
