// A session's budget: a ceiling on list cost (the API's `budget.max_list_cost`, in cents)
// and on model requests (`incident.max_turns` metadata). Before each model request the
// runtime asks where the session stands: open, down to its last request (which must submit
// the diagnosis), or spent (the turn ends with `budget_reached`, as the API's does).
import type { Session } from './session-log.js';
import { costUsd } from '../protocol/pricing.js';
import type { StoredEvent } from '../store/index.js';

export const MAX_TURNS_KEY = 'incident.max_turns';

export interface SessionBudget {
  /** US dollars at list price; null: no ceiling. */
  maxCostUsd: number | null;
  /** Model requests in the whole session; null: no ceiling. */
  maxRequests: number | null;
}

export interface Spent {
  requests: number;
  costUsd: number;
  /** What the latest request cost: the estimate of what the next one will. */
  lastCostUsd: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
}

export type Allowance = 'open' | 'last' | 'spent';

/** A request usually costs a little more than the one before it (the history grows). */
const NEXT_REQUEST_GROWTH = 1.25;

export function budgetOf(session: Pick<Session, 'budget' | 'metadata'>): SessionBudget {
  const cents = session.budget?.type === 'limit' ? Number(session.budget.max_list_cost.amount) : Number.NaN;
  const turns = Number(session.metadata?.[MAX_TURNS_KEY]);
  return {
    maxCostUsd: Number.isFinite(cents) && cents > 0 ? cents / 100 : null,
    maxRequests: Number.isInteger(turns) && turns > 0 ? turns : null,
  };
}

/** The answered model requests of the session so far and what they cost at `model`'s list price. */
export function spentOf(events: readonly StoredEvent[], model: string): Spent {
  const spent: Spent = { requests: 0, costUsd: 0, lastCostUsd: 0, inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 };
  for (const { event } of events) {
    if (event.type !== 'span.model_request_end') continue;
    const usage = (event['model_usage'] ?? {}) as Partial<Record<'input_tokens' | 'output_tokens' | 'cache_read_input_tokens' | 'cache_creation_input_tokens', number>>;
    const tokens = {
      inputTokens: usage.input_tokens ?? 0,
      outputTokens: usage.output_tokens ?? 0,
      cacheReadInputTokens: usage.cache_read_input_tokens ?? 0,
      cacheCreationInputTokens: usage.cache_creation_input_tokens ?? 0,
    };
    const cost = costUsd(tokens, model) ?? 0;
    spent.costUsd += cost;
    spent.inputTokens += tokens.inputTokens;
    spent.outputTokens += tokens.outputTokens;
    spent.cacheReadInputTokens += tokens.cacheReadInputTokens;
    spent.cacheCreationInputTokens += tokens.cacheCreationInputTokens;
    if (event['is_error'] === true) continue;
    spent.requests += 1;
    spent.lastCostUsd = cost;
  }
  return spent;
}

export function allowance(budget: SessionBudget, spent: Spent): Allowance {
  const { maxRequests, maxCostUsd } = budget;
  if (maxRequests !== null && spent.requests >= maxRequests) return 'spent';
  if (maxCostUsd !== null && spent.costUsd >= maxCostUsd) return 'spent';
  if (maxRequests !== null && spent.requests + 1 >= maxRequests) return 'last';
  if (maxCostUsd !== null && spent.requests > 0 && spent.costUsd + spent.lastCostUsd * NEXT_REQUEST_GROWTH >= maxCostUsd) return 'last';
  return 'open';
}

/** In words, for the line that says the budget stopped the session: "3 of 3 model requests", "$0.52 of $0.50". */
export function describeSpent(budget: SessionBudget, spent: Spent): string {
  const parts: string[] = [];
  if (budget.maxRequests !== null) parts.push(`${spent.requests} of ${budget.maxRequests} model requests`);
  if (budget.maxCostUsd !== null) parts.push(`$${spent.costUsd.toFixed(2)} of $${budget.maxCostUsd.toFixed(2)}`);
  return parts.join(', ');
}

/** The API's `session.usage` event: the cumulative usage and the budget, right before a budget_reached idle. */
export function usageEvent(session: Pick<Session, 'budget'>, spent: Spent): { type: string; [key: string]: unknown } {
  return {
    type: 'session.usage',
    usage: {
      input_tokens: spent.inputTokens,
      output_tokens: spent.outputTokens,
      cache_read_input_tokens: spent.cacheReadInputTokens,
      cache_creation: { ephemeral_5m_input_tokens: spent.cacheCreationInputTokens },
      list_cost: { amount: String(Math.round(spent.costUsd * 100)), currency: 'USD' },
    },
    budget: session.budget ?? null,
  };
}

/** Whether the verifier accepted a diagnosis in this session (a submit_diagnosis answered without error). */
function diagnosed(events: readonly StoredEvent[]): boolean {
  const submits = new Set<string>();
  for (const { event } of events) {
    if (event.type === 'agent.tool_use' && event['name'] === 'submit_diagnosis') submits.add(event.id);
    if (event.type === 'agent.tool_result' && submits.has(String(event['tool_use_id'])) && event['is_error'] !== true) return true;
  }
  return false;
}

/**
 * The events that end a turn whose budget is spent: a line saying so when no diagnosis was
 * verified (so nobody mistakes the stop for an answer), the usage, and the API's idle.
 */
export function budgetStop(record: Session['budget'] | null, budget: SessionBudget, events: readonly StoredEvent[], model: string): Array<{ type: string; [key: string]: unknown }> {
  const spent = spentOf(events, model);
  const said = diagnosed(events)
    ? []
    : [{ type: 'agent.message', content: [{ type: 'text', text: `Stopped before a verified diagnosis was reached: the session's budget is spent (${describeSpent(budget, spent)}).` }] }];
  return [...said, usageEvent({ budget: record }, spent), { type: 'session.status_idle', stop_reason: { type: 'budget_reached' }, stop_details: null }];
}
