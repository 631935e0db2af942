// Agent and environment definitions on a runtime, versioned by content hash: the same
// YAML (and the same tool schemas) never creates a second agent version, and an edit
// creates exactly one.
import { createHash } from 'node:crypto';
import type Anthropic from '@anthropic-ai/sdk';
import type { BetaManagedAgentsAgent } from '@anthropic-ai/sdk/resources/beta/agents/agents';
import type { BetaEnvironment } from '@anthropic-ai/sdk/resources/beta/environments/environments';
import { canonicalJson, definitionHash, type AgentDefinition, type EnvironmentDefinition } from '../definitions/index.js';
import { ACTION_TOOL_PREFIX, type ToolSpec } from '../protocol/tools.js';

export const HASH_KEY = 'incident.hash';

function agentBody(definition: AgentDefinition, specs: readonly ToolSpec[], hash: string): Record<string, unknown> {
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const tools = definition.tools
    .filter((tool) => !tool.name.startsWith(ACTION_TOOL_PREFIX))
    .map((tool) => {
      const spec = byName.get(tool.name);
      if (!spec) throw new Error(`the toolset has no tool named ${tool.name}`);
      return { type: 'custom', name: spec.name, description: spec.description, input_schema: spec.input_schema };
    });
  const asked = definition.tools.filter((tool) => tool.permission === 'always_ask').map((tool) => tool.name);
  return {
    name: definition.name,
    description: definition.description || null,
    model: definition.model.effort ? { id: definition.model.id, effort: definition.model.effort } : definition.model.id,
    system: definition.system,
    tools,
    metadata: {
      [HASH_KEY]: hash,
      'incident.max_steps': String(definition.max_steps),
      'incident.always_ask': asked.join(','),
      'incident.actions_permission': definition.actions_permission,
    },
  };
}

export async function ensureAgent(
  client: Anthropic,
  definition: AgentDefinition,
  specs: readonly ToolSpec[],
): Promise<BetaManagedAgentsAgent> {
  // The tool schemas are part of what the agent is: a changed schema is a new version.
  const hash = createHash('sha256').update(definitionHash(definition)).update(canonicalJson(specs)).digest('hex').slice(0, 16);
  let sameName: BetaManagedAgentsAgent | undefined;
  for await (const agent of client.beta.agents.list({ limit: 100 })) {
    if (agent.archived_at) continue;
    if (agent.metadata[HASH_KEY] === hash) return agent;
    if (agent.name === definition.name && !sameName) sameName = agent;
  }
  const body = agentBody(definition, specs, hash);
  if (sameName) {
    return client.beta.agents.update(sameName.id, { ...body, version: sameName.version } as unknown as Parameters<
      typeof client.beta.agents.update
    >[1]);
  }
  return client.beta.agents.create(body as unknown as Parameters<typeof client.beta.agents.create>[0]);
}

export async function ensureEnvironment(client: Anthropic, definition: EnvironmentDefinition): Promise<BetaEnvironment> {
  const hash = definitionHash(definition);
  for await (const environment of client.beta.environments.list({ limit: 100 })) {
    if (!environment.archived_at && environment.metadata[HASH_KEY] === hash) return environment;
  }
  const body = {
    name: definition.name,
    description: definition.description || null,
    config: { type: 'cloud', networking: { type: 'limited', allowed_hosts: [] } },
    metadata: { [HASH_KEY]: hash },
    // The local runtime's extension: the full definition its hands are built from.
    incident: definition,
  };
  return client.beta.environments.create(body as unknown as Parameters<typeof client.beta.environments.create>[0]);
}
