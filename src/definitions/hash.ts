// A definition's version is the hash of what it means, not how it is written: the parsed
// value (defaults applied, durations in ms) as JSON with sorted keys. Comments, key
// order, quoting and `30s` versus `30000ms` do not change it; any change in meaning does.
import { createHash } from 'node:crypto';
import type { AgentDefinition } from './agent-schema.js';
import type { EnvironmentDefinition } from './environment-schema.js';

/** JSON with object keys sorted at every level; undefined members are left out, as JSON does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
}

/** The first 16 hex characters of sha256 over the canonical JSON of a parsed definition. */
export function definitionHash(definition: AgentDefinition | EnvironmentDefinition): string {
  return createHash('sha256').update(canonicalJson(definition)).digest('hex').slice(0, 16);
}

/**
 * The metadata key under which a runtime reports the hash of what a record is: for an
 * environment, the definition the runtime bound to it; for an agent, its content.
 */
export const HASH_METADATA_KEY = 'incident.hash';

/** The agent metadata that sets how a session behaves (step limit, which calls wait for a person, thinking). */
export const AGENT_POLICY_KEYS = ['incident.max_steps', 'incident.always_ask', 'incident.actions_permission', 'incident.thinking'] as const;

/** The parts of an agent record (as created over the API, or as the API returns it) that decide what its sessions do. */
export interface AgentRecordContent {
  name: string;
  description?: string | null;
  system?: string | null;
  model: unknown;
  tools?: readonly unknown[];
  metadata?: Readonly<Record<string, string | undefined>>;
}

/**
 * The hash of what an agent is: name, description, system prompt, model, tools and the
 * policy metadata, never a hash written into its metadata. The same function runs on a
 * body about to be sent and on a record read back, so a record is reused only when it
 * is exactly the agent the caller would create. A model given as a bare id is the same
 * model as `{ id }`.
 */
export function agentRecordHash(agent: AgentRecordContent): string {
  const policy: Record<string, string> = {};
  for (const key of AGENT_POLICY_KEYS) {
    const value = agent.metadata?.[key];
    if (value !== undefined) policy[key] = value;
  }
  const content = {
    name: agent.name,
    description: agent.description ?? null,
    system: agent.system ?? null,
    model: typeof agent.model === 'string' ? { id: agent.model } : agent.model,
    tools: agent.tools ?? [],
    policy,
  };
  return createHash('sha256').update(canonicalJson(content)).digest('hex').slice(0, 16);
}
