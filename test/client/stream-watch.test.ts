// An event stream that goes quiet past the runtime's keep-alives fails (so the follower
// reconnects) instead of leaving the client waiting on a dead connection for ever.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StreamIdleError, watchIdle } from '../../src/client/stream-watch.js';

afterEach(() => vi.useRealTimers());

/** A body the test writes to by hand; it never ends on its own. */
function body(): { stream: ReadableStream<Uint8Array>; send(text: string): void; cancelled: () => boolean } {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, send: (text) => controller.enqueue(new TextEncoder().encode(text)), cancelled: () => cancelled };
}

describe('a watched event stream', () => {
  it('fails after the idle limit with no bytes, and lets go of the connection', async () => {
    vi.useFakeTimers();
    const source = body();
    const reader = watchIdle(source.stream, 45_000).getReader();
    const read = reader.read();
    read.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(44_999);
    source.send(': keep-alive\n\n');
    expect(new TextDecoder().decode((await read).value)).toBe(': keep-alive\n\n');
    // Keep-alives every 15 s keep it open however long nothing else happens.
    for (let i = 0; i < 10; i += 1) {
      const next = reader.read();
      await vi.advanceTimersByTimeAsync(15_000);
      source.send(': keep-alive\n\n');
      expect((await next).done).toBe(false);
    }
    const silent = reader.read();
    silent.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(45_000);
    await expect(silent).rejects.toBeInstanceOf(StreamIdleError);
    expect(source.cancelled()).toBe(true);
  });

  it('ends when its source ends', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([1]));
        controller.close();
      },
    });
    const reader = watchIdle(stream, 45_000).getReader();
    expect((await reader.read()).value).toEqual(new Uint8Array([1]));
    expect((await reader.read()).done).toBe(true);
  });
});
