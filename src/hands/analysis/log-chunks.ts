// Raw bytes of a log file in chunks that end on a line boundary, for scanners that search
// bytes before they decode anything. One buffer is reused (the bytes after the last newline
// move to its front before the next read), so memory stays at one chunk however large the
// file; a line longer than the buffer grows it, up to a cap past which it is handed over cut.
//
// Plain files are read synchronously in chunks small enough to stay in the CPU cache while
// they are searched: an asynchronous read pays a thread-pool round trip per chunk, which on a
// gigabyte costs more than the search itself. Every few megabytes the reader yields to the
// event loop, so an abort or another message is still handled promptly.
import { closeSync, openSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';

export const CHUNK_BYTES = 256 << 10;
const YIELD_EVERY_BYTES = 8 << 20;
const MAX_BUFFER = 64 << 20;
const NEWLINE = 10;

export interface ChunkOptions {
  gzip: boolean;
  signal?: AbortSignal;
  /** Decompressed bytes of a gzip file (injected: the bundle owns decompression). */
  openGzip?: (absPath: string) => Readable;
  chunkBytes?: number;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Yields buffers holding whole lines (the last one may lack its newline). A yielded buffer
 * is only valid until the next iteration: copy what must outlive it.
 */
export async function* lineChunks(absPath: string, options: ChunkOptions): AsyncGenerator<Buffer> {
  if (options.gzip) {
    if (!options.openGzip) throw new Error(`cannot read gzip file ${absPath} without a decompressor`);
    yield* streamChunks(options.openGzip(absPath), options.signal);
    return;
  }
  const fd = openSync(absPath, 'r');
  try {
    let buf = Buffer.allocUnsafe(options.chunkBytes ?? CHUNK_BYTES);
    let carry = 0;
    let sinceYield = 0;
    for (;;) {
      if (options.signal?.aborted) return;
      if (carry === buf.length) {
        if (buf.length >= MAX_BUFFER) {
          yield buf;
          carry = 0;
        } else {
          const bigger = Buffer.allocUnsafe(buf.length * 2);
          buf.copy(bigger, 0, 0, carry);
          buf = bigger;
        }
      }
      const bytesRead = readSync(fd, buf, carry, buf.length - carry, null);
      sinceYield += bytesRead;
      if (sinceYield >= YIELD_EVERY_BYTES) {
        sinceYield = 0;
        await nextTurn();
      }
      const end = carry + bytesRead;
      if (bytesRead === 0) {
        if (end > 0) yield buf.subarray(0, end);
        return;
      }
      const lastNewline = buf.lastIndexOf(NEWLINE, end - 1);
      if (lastNewline < 0) {
        carry = end;
        continue;
      }
      yield buf.subarray(0, lastNewline + 1);
      carry = end - lastNewline - 1;
      if (carry > 0) buf.copy(buf, 0, lastNewline + 1, end);
    }
  } finally {
    closeSync(fd);
  }
}

async function* streamChunks(stream: Readable, signal: AbortSignal | undefined): AsyncGenerator<Buffer> {
  let tail: Buffer = Buffer.alloc(0);
  try {
    for await (const data of stream as AsyncIterable<Buffer>) {
      if (signal?.aborted) return;
      const chunk = tail.length > 0 ? Buffer.concat([tail, data]) : data;
      const lastNewline = chunk.lastIndexOf(NEWLINE);
      if (lastNewline < 0 && chunk.length < MAX_BUFFER) {
        tail = chunk;
        continue;
      }
      const cut = lastNewline < 0 ? chunk.length : lastNewline + 1;
      yield chunk.subarray(0, cut);
      tail = Buffer.from(chunk.subarray(cut));
    }
    if (tail.length > 0) yield tail;
  } finally {
    stream.destroy();
  }
}
