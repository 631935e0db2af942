// When a failed model request is tried again, and how long to wait first. The wait is the
// endpoint's own `retry-after` when it gives one, else an exponential backoff; either way
// it is recorded before the wait as a `session.error` with `retry_status: retrying` and
// `retry_in_ms`, so every client shows "model overloaded, retrying in 8 s" instead of a
// silent pause. Attempts are counted from the log, so a runtime that restarts mid-retry
// neither forgets nor resets them.
import { ModelRequestFailure } from '../brains/brain.js';
import type { StoredEvent } from '../store/index.js';

/** Retries of one model request before the turn ends with retries_exhausted. */
export const MAX_MODEL_RETRIES = 5;
/** A wait the endpoint asks for beyond this is not waited out: the turn ends, to be tried again later. */
export const MAX_RETRY_WAIT_MS = 120_000;
const BACKOFF_BASE_MS = 1000;
const BACKOFF_CAP_MS = 16_000;

/** Waits `ms` or until `signal` aborts (then resolves early: the caller reads the signal). */
export type Wait = (ms: number, signal: AbortSignal) => Promise<void>;

export const realWait: Wait = (ms, signal) =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/** Retries already made of the request under way: `retrying` errors since the last answered request or message. */
export function retriesSoFar(events: readonly StoredEvent[]): number {
  let count = 0;
  for (let index = events.length - 1; index >= 0; index -= 1) {
    const event = events[index]?.event as unknown as Record<string, unknown> | undefined;
    if (!event) continue;
    if (event['type'] === 'user.message' || (event['type'] === 'span.model_request_end' && event['is_error'] !== true)) break;
    const error = event['error'] as { retry_status?: { type?: string } } | undefined;
    if (event['type'] === 'session.error' && error?.retry_status?.type === 'retrying') count += 1;
  }
  return count;
}

export interface FailurePlan {
  /** The session.error type the failure is recorded as. */
  type: string;
  message: string;
  /** Wait this long and try again; null: the turn ends. */
  retryInMs: number | null;
}

/** What to do about a failed request, given how many retries it has had. */
export function planFailure(error: unknown, retries: number): FailurePlan {
  if (!(error instanceof ModelRequestFailure)) {
    return { type: 'model_request_failed_error', message: error instanceof Error ? error.message : String(error), retryInMs: null };
  }
  const base = { type: error.type, message: error.message };
  if (!error.retryable || retries >= MAX_MODEL_RETRIES) return { ...base, retryInMs: null };
  const backoff = Math.min(BACKOFF_BASE_MS * 2 ** retries, BACKOFF_CAP_MS);
  const delay = error.retryAfterMs ?? backoff;
  if (delay > MAX_RETRY_WAIT_MS) {
    return { ...base, message: `${error.message} (the endpoint asked to wait ${Math.round(delay / 1000)} s)`, retryInMs: null };
  }
  return { ...base, retryInMs: Math.round(delay) };
}
