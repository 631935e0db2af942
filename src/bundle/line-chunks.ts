// Raw bytes of a log file in chunks that end on a line boundary, for scanners that work on
// bytes before they decode anything. One buffer is reused (the bytes after the last newline
// move to its front before the next read), so memory stays at one chunk however large the
// file; a line longer than the buffer grows it, up to a cap past which it is handed over cut.
//
// Plain files are read synchronously in chunks small enough to stay in the CPU cache while
// they are searched: an asynchronous read pays a thread-pool round trip per chunk, which on a
// gigabyte costs more than the search itself. Every few megabytes the reader yields to the
// event loop, so an abort or another message is still handled promptly.
//
// A byte range of the (decompressed) file can be read on its own: a plain file is read from
// there, a gzip file is decompressed from its start and the bytes before the range dropped.
import { closeSync, openSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { openByteStream } from './lines.js';

export const CHUNK_BYTES = 256 << 10;
const YIELD_EVERY_BYTES = 8 << 20;
export const MAX_CHUNK_BUFFER = 64 << 20;
const NEWLINE = 10;

export interface ChunkOptions {
  gzip: boolean;
  signal?: AbortSignal;
  /** Decompressed bytes of a gzip file (default: the bundle's own gunzip stream). */
  openGzip?: (absPath: string) => Readable;
  chunkBytes?: number;
  /** First byte to read (a line start), in the decompressed file. */
  start?: number;
  /** Byte to stop before (a line start or the end), in the decompressed file. */
  end?: number;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Yields buffers holding whole lines (the last one may lack its newline). A yielded buffer
 * is only valid until the next iteration: copy what must outlive it.
 */
export async function* lineChunks(absPath: string, options: ChunkOptions): AsyncGenerator<Buffer> {
  const start = options.start ?? 0;
  const end = options.end ?? Number.POSITIVE_INFINITY;
  if (start >= end) return;
  if (options.gzip) {
    const open = options.openGzip ?? ((path: string) => openByteStream(path, { gzip: true, signal: options.signal }));
    yield* streamChunks(open(absPath), start, end, options.signal);
    return;
  }
  const fd = openSync(absPath, 'r');
  try {
    let buf = Buffer.allocUnsafe(options.chunkBytes ?? CHUNK_BYTES);
    let carry = 0;
    let position = start;
    let sinceYield = 0;
    for (;;) {
      if (options.signal?.aborted) return;
      if (carry === buf.length) {
        if (buf.length >= MAX_CHUNK_BUFFER) {
          yield buf;
          carry = 0;
        } else {
          const bigger = Buffer.allocUnsafe(buf.length * 2);
          buf.copy(bigger, 0, 0, carry);
          buf = bigger;
        }
      }
      const want = Math.min(buf.length - carry, end - position);
      const bytesRead = want > 0 ? readSync(fd, buf, carry, want, position) : 0;
      position += bytesRead;
      sinceYield += bytesRead;
      if (sinceYield >= YIELD_EVERY_BYTES) {
        sinceYield = 0;
        await nextTurn();
      }
      const filled = carry + bytesRead;
      if (bytesRead === 0) {
        if (filled > 0) yield buf.subarray(0, filled);
        return;
      }
      const lastNewline = buf.lastIndexOf(NEWLINE, filled - 1);
      if (lastNewline < 0) {
        carry = filled;
        continue;
      }
      yield buf.subarray(0, lastNewline + 1);
      carry = filled - lastNewline - 1;
      if (carry > 0) buf.copy(buf, 0, lastNewline + 1, filled);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The same chunks as lineChunks gives, from bytes that arrive as a stream (an upload, a
 * decompression) rather than from a file.
 */
export function streamLineChunks(stream: AsyncIterable<Buffer> & { destroy?: () => void }, signal?: AbortSignal): AsyncGenerator<Buffer> {
  return streamChunks(stream, 0, Number.POSITIVE_INFINITY, signal);
}

async function* streamChunks(
  stream: AsyncIterable<Buffer> & { destroy?: () => void },
  start: number,
  end: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<Buffer> {
  let tail: Buffer = Buffer.alloc(0);
  let position = 0;
  try {
    for await (let data of stream) {
      if (signal?.aborted) return;
      const at = position;
      position += data.length;
      if (position <= start) continue;
      if (at < start) data = data.subarray(start - at);
      const done = position >= end;
      if (done) data = data.subarray(0, data.length - (position - end));
      const chunk = tail.length > 0 ? Buffer.concat([tail, data]) : data;
      const lastNewline = chunk.lastIndexOf(NEWLINE);
      if (done) {
        if (chunk.length > 0) yield chunk;
        return;
      }
      if (lastNewline < 0 && chunk.length < MAX_CHUNK_BUFFER) {
        tail = chunk;
        continue;
      }
      const cut = lastNewline < 0 ? chunk.length : lastNewline + 1;
      yield chunk.subarray(0, cut);
      tail = Buffer.from(chunk.subarray(cut));
    }
    if (tail.length > 0) yield tail;
  } finally {
    stream.destroy?.();
  }
}

const PROBE_BYTES = 64 << 10;
const NEWLINE_BYTE = 10;

function countNewlines(buf: Buffer): number {
  let n = 0;
  for (let p = buf.indexOf(NEWLINE_BYTE); p >= 0; p = buf.indexOf(NEWLINE_BYTE, p + 1)) n += 1;
  return n;
}

function lineText(buf: Buffer, start: number, end: number): string {
  return buf.toString('utf8', start, end > start && buf[end - 1] === 13 ? end - 1 : end);
}

/**
 * Up to `count` lines of a plain file that end just before `offset` (a line start), in file
 * order, as a line reader gives them (no newline, no trailing CR, no BOM on the first line).
 */
export function readLinesBefore(absPath: string, offset: number, count: number): string[] {
  if (count <= 0 || offset <= 0) return [];
  const fd = openSync(absPath, 'r');
  try {
    let from = offset;
    let bytes = Buffer.alloc(0);
    // Read back until the bytes hold `count` whole lines (count + 1 newlines) or the file's start.
    while (from > 0 && countNewlines(bytes) <= count) {
      const step = Math.min(from, Math.max(PROBE_BYTES, bytes.length));
      from -= step;
      const part = Buffer.allocUnsafe(step);
      const got = readSync(fd, part, 0, step, from);
      bytes = Buffer.concat([part.subarray(0, got), bytes]);
    }
    const lines: string[] = [];
    let end = bytes.length - (bytes[bytes.length - 1] === NEWLINE_BYTE ? 1 : 0);
    while (lines.length < count && end >= 0) {
      const newline = end > 0 ? bytes.lastIndexOf(NEWLINE_BYTE, end - 1) : -1;
      if (newline < 0 && from > 0) break;
      let start = newline + 1;
      if (newline < 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
      lines.push(lineText(bytes, start, end));
      if (newline < 0) break;
      end = newline;
    }
    return lines.reverse();
  } finally {
    closeSync(fd);
  }
}

/** Up to `count` lines of a plain file from `offset` (a line start) on, as a line reader gives them. */
export function readLinesAfter(absPath: string, offset: number, count: number): string[] {
  if (count <= 0) return [];
  const fd = openSync(absPath, 'r');
  try {
    let bytes = Buffer.alloc(0);
    let position = offset;
    for (;;) {
      const part = Buffer.allocUnsafe(Math.max(PROBE_BYTES, bytes.length));
      const got = readSync(fd, part, 0, part.length, position);
      position += got;
      bytes = Buffer.concat([bytes, part.subarray(0, got)]);
      if (got === 0 || countNewlines(bytes) >= count) break;
    }
    const lines: string[] = [];
    let start = 0;
    while (lines.length < count && start < bytes.length) {
      const newline = bytes.indexOf(NEWLINE_BYTE, start);
      const end = newline < 0 ? bytes.length : newline;
      lines.push(lineText(bytes, start, end));
      start = end + 1;
    }
    return lines;
  } finally {
    closeSync(fd);
  }
}
