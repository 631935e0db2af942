// The deduped event stream: open the stream, page the history, then consume the
// stream skipping ids already seen; on a dropped connection back off and redo, so a
// consumer sees every event exactly once (what resume and the TUI read).
import type Anthropic from '@anthropic-ai/sdk';
import type { SessionEvent, StreamEvent } from '../protocol/events.js';

export interface FollowOptions {
  signal?: AbortSignal;
  /** Ids already shown (for example a history rendered before following). */
  seen?: Set<string>;
  /** Stop after yielding an event for which this returns true. */
  until?: (event: StreamEvent) => boolean;
}

const END_TYPES = new Set(['session.deleted', 'session.status_terminated']);

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

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export async function* followSession(client: Anthropic, sessionId: string, options: FollowOptions = {}): AsyncGenerator<StreamEvent> {
  const seen = options.seen ?? new Set<string>();
  const { signal } = options;
  let backoff = 500;
  while (!signal?.aborted) {
    const controller = new AbortController();
    const abort = (): void => controller.abort();
    signal?.addEventListener('abort', abort);
    try {
      // Open first, then list: an event committed in between is in one or the other.
      const stream = await client.beta.sessions.events.stream(sessionId, {}, { signal: controller.signal });
      for await (const event of client.beta.sessions.events.list(sessionId, { limit: 1000 }, { signal: controller.signal })) {
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
        backoff = 500;
        yield event;
        if (options.until?.(event) || END_TYPES.has(event.type)) return;
      }
    } catch (error) {
      if (signal?.aborted) return;
      if (!retryable(error)) throw error;
    } finally {
      signal?.removeEventListener('abort', abort);
      controller.abort();
    }
    await sleep(backoff, signal);
    backoff = Math.min(backoff * 2, 10_000);
  }
}

/** The full logged history of a session, in order. */
export async function listHistory(client: Anthropic, sessionId: string): Promise<SessionEvent[]> {
  const events: SessionEvent[] = [];
  for await (const event of client.beta.sessions.events.list(sessionId, { limit: 1000 })) events.push(event);
  return events;
}
