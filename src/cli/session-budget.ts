// A session's ceilings as the API keeps them: its list cost in `budget` (whole cents; set
// when the session is created, raised or lowered later, never added to a session created
// without one) and its model requests in the `incident.max_turns` metadata, which this
// project's runtime reads before each model request. `diagnose` sets them at creation;
// `resume` and the terminal UI change them for a session that goes on.
import type Anthropic from '@anthropic-ai/sdk';
import type { BetaManagedAgentsBudgetLimit } from '@anthropic-ai/sdk/resources/beta/sessions/sessions';
import { InputError } from '../errors.js';
import { MAX_TURNS_KEY } from '../runtime/budget.js';

export interface BudgetLimits {
  /** US dollars at list price; null: left as it is. */
  maxCostUsd: number | null;
  /** Model requests in the whole session; null: left as it is. */
  maxTurns: number | null;
}

/** The API's spend ceiling for an amount of US dollars. */
export function costBudget(usd: number): BetaManagedAgentsBudgetLimit {
  return { type: 'limit', max_list_cost: { amount: String(Math.round(usd * 100)), currency: 'USD' } } as BetaManagedAgentsBudgetLimit;
}

/** The session's ceilings from now on (what is not given stays as it was). */
export async function applyBudget(client: Anthropic, session: { id: string; budget?: unknown }, limits: BudgetLimits): Promise<void> {
  if (limits.maxCostUsd !== null && (session.budget ?? null) === null) {
    throw new InputError(`session ${session.id} was started without --max-cost, and a spend ceiling can only be set when a session is created`, {
      hint: 'limit it with --max-turns instead, or start a new session with --max-cost',
    });
  }
  if (limits.maxCostUsd === null && limits.maxTurns === null) return;
  await client.beta.sessions.update(session.id, {
    ...(limits.maxTurns !== null ? { metadata: { [MAX_TURNS_KEY]: String(limits.maxTurns) } } : {}),
    ...(limits.maxCostUsd !== null ? { budget: costBudget(limits.maxCostUsd) } : {}),
  });
}
