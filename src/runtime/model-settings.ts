// The model settings an agent carries beyond its id, as the brain reads them: effort from
// the agent's model config (a string, or `{ type }` as the API returns it) and thinking from
// the `incident.thinking` metadata the agent definition writes (the API's model config has
// no field for it): `adaptive`, `disabled`, or a token budget.
import type { BetaManagedAgentsAgent } from '@anthropic-ai/sdk/resources/beta/agents/agents';
import type { ModelSettings, ThinkingSetting } from '../brains/brain.js';

export const THINKING_KEY = 'incident.thinking';
const EFFORTS: ReadonlySet<string> = new Set(['low', 'medium', 'high', 'xhigh', 'max']);

function effortOf(model: unknown): ModelSettings['effort'] {
  const raw = (model as { effort?: unknown } | undefined)?.effort;
  const value = typeof raw === 'string' ? raw : (raw as { type?: unknown } | undefined)?.type;
  return typeof value === 'string' && EFFORTS.has(value) ? (value as ModelSettings['effort']) : undefined;
}

export function thinkingOf(value: string | undefined): ThinkingSetting | undefined {
  if (value === 'adaptive' || value === 'disabled') return { type: value };
  const budget = Number(value);
  return Number.isInteger(budget) && budget > 0 ? { type: 'enabled', budget_tokens: budget } : undefined;
}

export function modelSettingsOf(agent: BetaManagedAgentsAgent): ModelSettings {
  const effort = effortOf(agent.model);
  const thinking = thinkingOf(agent.metadata?.[THINKING_KEY]);
  return { ...(effort ? { effort } : {}), ...(thinking ? { thinking } : {}) };
}
