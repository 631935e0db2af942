// What the tools returned in a session, call by call. Only the environment's tools
// count as observations: the runtime's own tools (note_hypothesis, submit_diagnosis)
// echo what the brain wrote, so a claim seen only there was never observed.
import type { SessionEvent } from '../protocol/events.js';
import { textOf } from '../protocol/events.js';
import { RUNTIME_TOOL_NAMES } from '../protocol/tools.js';

export interface Observation {
  /** The tool_result event's id (an evidence ref may name it). */
  eventId: string;
  tool: string;
  input: Record<string, unknown>;
  text: string;
  /** The result parsed as JSON, or null when it is not JSON. */
  json: unknown;
}

function parseJson(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return null;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return null;
  }
}

/** Successful results of environment tools, oldest first. */
export function observationsOf(history: readonly SessionEvent[]): Observation[] {
  const uses = new Map<string, { name: string; input: Record<string, unknown> }>();
  const observations: Observation[] = [];
  for (const event of history) {
    if (event.type === 'agent.tool_use') {
      uses.set(event.id, { name: event.name, input: event.input ?? {} });
      continue;
    }
    if (event.type !== 'agent.tool_result' || event.is_error === true) continue;
    const use = uses.get(event.tool_use_id);
    if (!use || (RUNTIME_TOOL_NAMES as readonly string[]).includes(use.name)) continue;
    const text = textOf(event.content as Array<{ type: string; text?: string }> | undefined);
    observations.push({ eventId: event.id, tool: use.name, input: use.input, text, json: parseJson(text) });
  }
  return observations;
}

/** Every string value inside a JSON value (keys excluded), depth first. */
export function stringsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsOf(item, out);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) stringsOf(item, out);
  return out;
}
