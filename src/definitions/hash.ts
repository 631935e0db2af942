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
