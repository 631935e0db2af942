// Agent and environment definitions on a runtime, versioned by content hash: the same
// YAML (and the same tool schemas) never creates a second agent version, and an edit
// creates exactly one. Nothing found on a runtime is reused on the word of a hash some
// client wrote: an agent's hash is recomputed here from what the agent is, and an
// environment's is the one the runtime computed from a definition its operator loaded.
import type Anthropic from '@anthropic-ai/sdk';
import type { BetaManagedAgentsAgent } from '@anthropic-ai/sdk/resources/beta/agents/agents';
import type { BetaEnvironment } from '@anthropic-ai/sdk/resources/beta/environments/environments';
import { agentRecordHash, definitionHash, HASH_METADATA_KEY, type AgentDefinition, type EnvironmentDefinition } from '../definitions/index.js';
import { InputError } from '../errors.js';
import { ACTION_TOOL_PREFIX, type ToolSpec } from '../protocol/tools.js';

export const HASH_KEY = HASH_METADATA_KEY;

interface AgentBody {
  name: string;
  description: string | null;
  model: string | { id: string; effort: string };
  system: string;
  tools: Array<{ type: 'custom'; name: string; description: string; input_schema: ToolSpec['input_schema'] }>;
  metadata: Record<string, string>;
}

const customTool = (spec: ToolSpec): AgentBody['tools'][number] => ({ type: 'custom', name: spec.name, description: spec.description, input_schema: spec.input_schema });

function agentBody(definition: AgentDefinition, specs: readonly ToolSpec[], actions: readonly ToolSpec[]): AgentBody {
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const tools = definition.tools
    .filter((tool) => !tool.name.startsWith(ACTION_TOOL_PREFIX))
    .map((tool) => {
      const spec = byName.get(tool.name);
      if (!spec) throw new Error(`the toolset has no tool named ${tool.name}`);
      return customTool(spec);
    });
  // The environment's actions, for a runtime whose environment declares none to the agent (Claude Managed Agents).
  tools.push(...actions.map(customTool));
  const asked = definition.tools.filter((tool) => tool.permission === 'always_ask').map((tool) => tool.name);
  return {
    name: definition.name,
    description: definition.description || null,
    model: definition.model.effort ? { id: definition.model.id, effort: definition.model.effort } : definition.model.id,
    system: definition.system,
    tools,
    metadata: {
      'incident.max_steps': String(definition.max_steps),
      'incident.always_ask': asked.join(','),
      'incident.actions_permission': definition.actions_permission,
      // The API's model config has no thinking field: the runtime's brain reads it from here.
      ...(definition.model.thinking !== undefined ? { 'incident.thinking': String(definition.model.thinking) } : {}),
    },
  };
}

/**
 * An agent this definition created on a runtime that fills in what the request left out
 * (Claude Managed Agents resolves the model's effort and speed, so the agent it returns
 * never hashes as the body sent): the hash recorded at creation names this content, and
 * what the runtime keeps as given (name, prompt, model, tool names, the policy) agrees.
 */
function writtenFrom(agent: BetaManagedAgentsAgent, content: AgentBody, hash: string): boolean {
  if (agent.metadata[HASH_KEY] !== hash || agent.name !== content.name || agent.system !== content.system) return false;
  const model = typeof content.model === 'string' ? { id: content.model } : content.model;
  // The runtime may return an effort as `{ type: 'high' }` for the `'high'` it was given.
  const effort = (value: unknown): unknown => (typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : value);
  if (agent.model.id !== model.id || ('effort' in model && effort(agent.model.effort) !== model.effort)) return false;
  const names = (tools: ReadonlyArray<{ type: string; name?: string }>): string => JSON.stringify(tools.map((tool) => `${tool.type}:${tool.name ?? ''}`));
  if (names(agent.tools) !== names(content.tools)) return false;
  return Object.entries(content.metadata).every(([key, value]) => agent.metadata[key] === value);
}

/** An earlier version of this agent that is exactly `content` (sessions pin a version, so one can be used again). */
async function earlierVersion(client: Anthropic, agent: BetaManagedAgentsAgent, content: AgentBody, hash: string): Promise<BetaManagedAgentsAgent | null> {
  for await (const version of client.beta.agents.versions.list(agent.id, { limit: 100 })) {
    if (version.version !== agent.version && (agentRecordHash(version) === hash || writtenFrom(version, content, hash))) return version;
  }
  return null;
}

/**
 * The agent for a definition on a runtime, reused by content hash. `actions` are the
 * environment's actions, declared on the agent itself where the runtime's environment does
 * not declare them (Claude Managed Agents): the agent then depends on the environment, and
 * switching between environments goes back to the version that has the same actions
 * instead of writing a new one each time.
 */
export async function ensureAgent(
  client: Anthropic,
  definition: AgentDefinition,
  specs: readonly ToolSpec[],
  actions: readonly ToolSpec[] = [],
): Promise<BetaManagedAgentsAgent> {
  const content = agentBody(definition, specs, actions);
  // The tool schemas and the policy are part of what the agent is: a change in either is a new version.
  const hash = agentRecordHash(content);
  let sameName: BetaManagedAgentsAgent | undefined;
  for await (const agent of client.beta.agents.list({ limit: 100 })) {
    if (agent.archived_at) continue;
    // Hashed from the agent's own fields, so another client's record is reused only if it is this agent exactly.
    if (agentRecordHash(agent) === hash || writtenFrom(agent, content, hash)) return agent;
    if (agent.name === definition.name && !sameName) sameName = agent;
  }
  // Reported for runtimes that do not compute it; this runtime writes its own.
  const body = { ...content, metadata: { ...content.metadata, [HASH_KEY]: hash } };
  if (sameName) {
    const earlier = await earlierVersion(client, sameName, content, hash);
    if (earlier) return earlier;
    return client.beta.agents.update(sameName.id, { ...body, version: sameName.version } as unknown as Parameters<
      typeof client.beta.agents.update
    >[1]);
  }
  return client.beta.agents.create(body as unknown as Parameters<typeof client.beta.agents.create>[0]);
}

function isBadRequest(error: unknown): error is Error & { status: 400 } {
  return error instanceof Error && (error as { status?: unknown }).status === 400;
}

/**
 * The runtime's environment for a definition: one whose runtime-computed hash is this
 * definition's, else a new one selecting it. The runtime runs only definitions its
 * operator loaded, so against a runtime that does not serve this one it fails with a
 * line naming the definition (`source` is how to name its file).
 */
export async function ensureEnvironment(client: Anthropic, definition: EnvironmentDefinition, source?: string): Promise<BetaEnvironment> {
  const hash = definitionHash(definition);
  // Hands on workers are served through a self-hosted environment's work queue.
  const type = definition.hands === 'worker' ? 'self_hosted' : 'cloud';
  for await (const environment of client.beta.environments.list({ limit: 100 })) {
    if (environment.archived_at || environment.config.type !== type) continue;
    if (environment.metadata[HASH_KEY] === hash) return environment;
  }
  const body = {
    name: definition.name,
    description: definition.description || null,
    config: type === 'self_hosted' ? { type } : { type, networking: { type: 'limited', allowed_hosts: [] } },
    // A selector: the runtime binds the definition it registered under this hash, or refuses.
    metadata: { [HASH_KEY]: hash },
  };
  try {
    return await client.beta.environments.create(body as unknown as Parameters<typeof client.beta.environments.create>[0]);
  } catch (error) {
    if (isBadRequest(error) && error.message.includes(hash)) {
      throw new InputError(`the runtime does not serve the environment definition "${definition.name}"${source ? ` from ${source}` : ''} (hash ${hash})`, {
        hint: `the runtime's operator must load it: incident serve --environment ${source ?? '<file>'}`,
        cause: error,
      });
    }
    throw error;
  }
}
