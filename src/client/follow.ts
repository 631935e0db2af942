// The deduped event stream: open the stream, page the history, then consume the
// stream skipping ids already seen; on a dropped connection back off and redo, so a
// consumer sees every event exactly once (what resume and the TUI read). While the
// runtime cannot be reached the consumer is told before each wait, so nobody waits
// on a dead runtime in silence.
import type Anthropic from '@anthropic-ai/sdk';
import type { SessionEvent, StreamEvent } from '../protocol/events.js';

/** The runtime could not be reached, or the stream broke: the next try is in `retryInMs`. */
export interface Unreachable {
  /** What went wrong, in a few words (`connection refused`, `HTTP 503`). */
  reason: string;
  retryInMs: number;
  /** 1 for the first failure in a row. */
  attempt: number;
}

export interface FollowOptions {
  signal?: AbortSignal;
  /** Ids already shown (for example a history rendered before following). */
  seen?: Set<string>;
  /** Stop after yielding an event for which this returns true. */
  until?: (event: StreamEvent) => boolean;
  /** Told before each wait for the runtime. */
  onUnreachable?: (trouble: Unreachable) => void;
  /** The stream is open again after `onUnreachable`; following continues where it was. */
  onReconnected?: () => void;
}

const END_TYPES = new Set(['session.deleted', 'session.status_terminated']);

/** The first wait after a failure, doubling up to the last. */
export const RETRY_FIRST_MS = 500;
export const RETRY_MAX_MS = 10_000;

/**
 * Trouble on the line is retried; the runtime's own word is not: a response that says
 * `x-should-retry: false` (a full disk, a damaged log) or an error frame on the stream
 * (other than overloaded) would only fail the same way again.
 */
function retryable(error: unknown): boolean {
  const { status, headers, error: body } = (error ?? {}) as { status?: unknown; headers?: { get?: (name: string) => string | null }; error?: unknown };
  if (typeof headers?.get === 'function' && headers.get('x-should-retry') === 'false') return false;
  if (typeof status !== 'number') {
    const declared = (body as { error?: { type?: unknown } } | undefined)?.error?.type;
    return typeof declared === 'string' ? declared === 'overloaded_error' : true; // else connection trouble
  }
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

const CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  UND_ERR_SOCKET: 'connection lost',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
};

/** A few words for a connection failure, from the deepest cause that says something. */
export function describeTrouble(error: unknown): string {
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number') return `HTTP ${status}`;
  let messages: string[] = [];
  for (let current: unknown = error, depth = 0; current && depth < 6; current = (current as { cause?: unknown }).cause, depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && CODES[code]) return CODES[code];
    if (current instanceof Error && current.message) messages = [...messages, current.message];
  }
  const specific = messages.findLast((message) => !/^(Connection error\.|fetch failed|terminated)$/.test(message));
  if (specific) return specific;
  return messages.includes('terminated') ? 'connection lost' : 'cannot connect';
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });
}

export async function* followSession(client: Anthropic, sessionId: string, options: FollowOptions = {}): AsyncGenerator<StreamEvent> {
  const seen = options.seen ?? new Set<string>();
  const { signal } = options;
  let backoff = RETRY_FIRST_MS;
  let failures = 0;
  while (!signal?.aborted) {
    const controller = new AbortController();
    const abort = (): void => controller.abort();
    signal?.addEventListener('abort', abort);
    // This loop owns the retries (and says so); the SDK's own would wait in silence.
    const request = { signal: controller.signal, maxRetries: 0 };
    let trouble: unknown = null;
    try {
      // Open first, then list: an event committed in between is in one or the other.
      const stream = await client.beta.sessions.events.stream(sessionId, {}, request);
      const history = await client.beta.sessions.events.list(sessionId, { limit: 1000 }, request);
      if (failures > 0) options.onReconnected?.();
      failures = 0;
      backoff = RETRY_FIRST_MS;
      for await (const event of history) {
        if (seen.has(event.id)) continue;
        seen.add(event.id);
        yield event as StreamEvent;
        if (options.until?.(event as StreamEvent) || END_TYPES.has(event.type)) return;
      }
      for await (const event of stream) {
        const id = (event as { id?: string }).id;
        if (id) {
          if (seen.has(id)) continue;
          seen.add(id);
        }
        yield event;
        if (options.until?.(event) || END_TYPES.has(event.type)) return;
      }
    } catch (error) {
      if (signal?.aborted) return;
      if (!retryable(error)) throw error;
      trouble = error;
    } finally {
      signal?.removeEventListener('abort', abort);
      controller.abort();
    }
    if (trouble !== null) {
      failures += 1;
      options.onUnreachable?.({ reason: describeTrouble(trouble), retryInMs: backoff, attempt: failures });
    }
    await sleep(backoff, signal);
    if (trouble !== null) backoff = Math.min(backoff * 2, RETRY_MAX_MS);
  }
}

/** The full logged history of a session, in order. */
export async function listHistory(client: Anthropic, sessionId: string): Promise<SessionEvent[]> {
  const events: SessionEvent[] = [];
  for await (const event of client.beta.sessions.events.list(sessionId, { limit: 1000 })) events.push(event);
  return events;
}
