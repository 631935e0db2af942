// An event stream from a remote runtime that goes quiet for longer than the runtime's
// keep-alives allow is a dead connection (a sleeping laptop, a dropped network, a
// host gone without closing its sockets): it fails, so the follower reconnects
// instead of waiting forever on a socket nobody will write to again.

/** The runtime sends a keep-alive every 15 s; three missed ones mean the connection is gone. */
export const STREAM_IDLE_MS = 45_000;

export class StreamIdleError extends Error {
  constructor(idleMs: number) {
    super(`no data from the runtime for ${Math.round(idleMs / 1000)}s`);
    this.name = 'StreamIdleError';
  }
}

/** The same bytes, failing with StreamIdleError when none arrive for `idleMs`. */
export function watchIdle(body: ReadableStream<Uint8Array>, idleMs: number): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let timer: NodeJS.Timeout | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const idle = new Promise<'idle'>((resolve) => {
        timer = setTimeout(() => resolve('idle'), idleMs);
      });
      try {
        const next = await Promise.race([reader.read(), idle]);
        if (next === 'idle') {
          controller.error(new StreamIdleError(idleMs));
          void reader.cancel().catch(() => undefined);
        } else if (next.done) {
          controller.close();
        } else {
          controller.enqueue(next.value);
        }
      } catch (error) {
        controller.error(error);
      } finally {
        clearTimeout(timer);
      }
    },
    cancel(reason) {
      clearTimeout(timer);
      return reader.cancel(reason);
    },
  });
}

type Fetch = typeof globalThis.fetch;

/** A fetch whose event-stream responses fail when the connection goes quiet. */
export function fetchWithIdleStreams(fetchImpl: Fetch, idleMs: number = STREAM_IDLE_MS): Fetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    const type = response.headers.get('content-type') ?? '';
    if (!response.body || !type.startsWith('text/event-stream')) return response;
    return new Response(watchIdle(response.body, idleMs), { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
