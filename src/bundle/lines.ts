// Line streaming for files that may be gigabytes and may be gzip. Bytes arrive in large chunks,
// are decoded once, and are split with String#split; an unfinished line is kept as a list of
// pieces and joined once, so a line spanning many chunks costs linear time. A line longer than
// `maxLineLength` is cut there (the rest up to the newline is skipped) so one runaway line cannot
// fill memory. CRLF endings and a leading UTF-8 BOM are removed.

import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

const CHUNK_BYTES = 256 * 1024;
export const DEFAULT_MAX_LINE = 1 << 20;

export interface ByteStreamOptions {
  signal?: AbortSignal;
  /** skip sniffing when the caller already knows */
  gzip?: boolean;
}

/** True when the file starts with the gzip magic bytes. Missing or unreadable files are not gzip. */
export function isGzipFile(absPath: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(absPath, 'r');
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Raw decompressed bytes of a file (gzip by magic bytes). Errors, including a missing file, surface as stream errors. */
export function openByteStream(absPath: string, options: ByteStreamOptions = {}): Readable {
  const source = createReadStream(absPath, { highWaterMark: CHUNK_BYTES, signal: options.signal });
  if (!(options.gzip ?? isGzipFile(absPath))) return source;
  const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
  source.on('error', (error) => gunzip.destroy(error));
  // Destroying the gunzip (a consumer that stops early) must also close the file.
  gunzip.on('close', () => source.destroy());
  return source.pipe(gunzip);
}

export interface LineBatch {
  lines: string[];
  /** line number (1-based) of lines[0] */
  firstLineNo: number;
  /** line numbers whose text was cut at maxLineLength */
  truncated: number[];
}

export interface LineStreamOptions extends ByteStreamOptions {
  maxLineLength?: number;
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error instanceof Error && error.name === 'AbortError');
}

function stripCr(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}

/**
 * The lines of a file, one batch per decoded chunk: the cheap way to walk a huge file.
 * An abort ends the stream quietly; read errors (a missing file, a truncated gzip) are thrown.
 */
export async function* readLineBatches(absPath: string, options: LineStreamOptions = {}): AsyncGenerator<LineBatch> {
  const max = options.maxLineLength ?? DEFAULT_MAX_LINE;
  const { signal } = options;
  if (signal?.aborted) return;
  const stream = openByteStream(absPath, options);
  stream.setEncoding('utf8');
  let pieces: string[] = [];
  let pendingLength = 0;
  let lineNo = 0;
  let first = true;
  const take = (piece: string): void => {
    if (pendingLength < max + 1) pieces.push(piece);
    pendingLength += piece.length;
  };
  const finish = (tail: string, truncated: number[]): string => {
    take(tail);
    let line = pieces.length === 1 ? (pieces[0] ?? '') : pieces.join('');
    pieces = [];
    const long = pendingLength > max;
    pendingLength = 0;
    line = stripCr(line);
    if (long && line.length > max) {
      truncated.push(lineNo + 1);
      line = line.slice(0, max);
    }
    return line;
  };
  try {
    for await (const data of stream as AsyncIterable<string>) {
      let chunk = data;
      if (first) {
        first = false;
        if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      }
      const parts = chunk.split('\n');
      const tail = parts.pop() ?? '';
      if (parts.length === 0) {
        take(tail);
        continue;
      }
      const truncated: number[] = [];
      parts[0] = finish(parts[0] ?? '', truncated);
      const firstLineNo = lineNo + 1;
      lineNo += 1;
      for (let k = 1; k < parts.length; k++) {
        let line = stripCr(parts[k] ?? '');
        lineNo += 1;
        if (line.length > max) {
          truncated.push(lineNo);
          line = line.slice(0, max);
        }
        parts[k] = line;
      }
      if (tail !== '') take(tail);
      yield { lines: parts, firstLineNo, truncated };
      if (signal?.aborted) return;
    }
    if (pendingLength > 0) {
      const truncated: number[] = [];
      const line = finish('', truncated);
      yield { lines: [line], firstLineNo: lineNo + 1, truncated };
    }
  } catch (error) {
    if (isAbort(error, signal)) return;
    throw error;
  } finally {
    stream.destroy();
  }
}

/** Every line of a file with its 1-based number; gzip-aware, CRLF and BOM handled. */
export async function* openLineStream(
  absPath: string,
  options: LineStreamOptions = {},
): AsyncGenerator<{ line: string; lineNo: number }> {
  for await (const batch of readLineBatches(absPath, options)) {
    let lineNo = batch.firstLineNo;
    for (const line of batch.lines) {
      if (options.signal?.aborted) return;
      yield { line, lineNo };
      lineNo += 1;
    }
  }
}
