// What a running session is waiting on, for the terminal's status line and the scripted
// run's spinner: the model (and for how long), or a retry after a model error (and when).
// And what its model use comes to, said only for a brain that uses tokens at all.
import { formatCost, formatTokens, msBetween } from './format.js';
import { explainError } from './session-error.js';
import type { SessionView, UsageView } from './view.js';

export interface Waiting {
  /** "waiting for the model", "model overloaded, retrying in 8 s". */
  text: string;
  /** How long it has waited so far. */
  elapsedMs: number;
  retrying: boolean;
}

export function totalTokens(usage: UsageView): number {
  return usage.inputTokens + usage.cacheReadInputTokens + usage.cacheCreationInputTokens + usage.outputTokens;
}

/** Requests were answered and none of them used a token: the offline engine. */
export function usesNoTokens(usage: UsageView): boolean {
  return usage.requests > 0 && totalTokens(usage) === 0;
}

/** Tokens and their cost, e.g. ["120k tokens", "$1.00"]; nothing while no token was used. */
export function usageFacts(usage: UsageView): string[] {
  const tokens = totalTokens(usage);
  if (tokens === 0) return [];
  const cost = formatCost(usage.costUsd);
  return cost === '' ? [`${formatTokens(tokens)} tokens`] : [`${formatTokens(tokens)} tokens`, cost];
}

/** What the running session waits on at `nowMs`, or null when it waits on nothing worth saying. */
export function waitingOf(view: SessionView, nowMs: number): Waiting | null {
  if (view.status !== 'running' && view.status !== 'rescheduling') return null;
  const retry = view.retrying;
  if (retry) {
    const since = retry.at === null ? null : Date.parse(retry.at);
    const remaining = retry.retryInMs === null || since === null || Number.isNaN(since) ? null : Math.max(0, since + retry.retryInMs - nowMs);
    return { text: explainError(retry, remaining).short, elapsedMs: Math.max(0, since === null || Number.isNaN(since) ? 0 : nowMs - since), retrying: true };
  }
  if (view.modelRequestSince === null || usesNoTokens(view.usage)) return null;
  const elapsed = msBetween(view.modelRequestSince, new Date(nowMs).toISOString()) ?? 0;
  return { text: 'waiting for the model', elapsedMs: elapsed, retrying: false };
}
