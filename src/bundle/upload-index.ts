// A log's index built from its bytes as they are uploaded, so the walk that describe_bundle
// and the windowed tools need is done while the bytes stream in, not after. The upload knows
// only the file's name: the map is built for the reading that name gives (format, the
// service of lines that name none, gzip by name or magic bytes), and that reading is kept in
// the file (log-index-file.ts), so a mount at a path that reads the bytes otherwise walks them
// as it always did.

import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CHUNK_BYTES, streamLineChunks } from './line-chunks.js';
import { encodeLogIndex, logIndexKeyOf } from './log-index-file.js';
import { mapLogFile, type LogMapSource } from './log-map.js';
import { ProblemLog } from './problems.js';

/** Names a bundle gives its logs anywhere: `api.log`, `api.log.1`, `gw.jsonl`, `x.ndjson.gz`, `app.txt`. */
const LOG_NAME = /\.(?:log|jsonl|ndjson|txt)(?:\.\d+)?(?:\.gz)?$/i;
const JSONL_NAME = /\.(?:jsonl|ndjson)(?:\.gz)?$/i;

/** Whether an upload of this name is worth indexing as a log while it streams. */
export function isLogUploadName(name: string): boolean {
  return LOG_NAME.test(name);
}

/**
 * The upload's bytes in pieces of `size` at the same offsets as a file read in pieces of that
 * size, so a gzip stream is fed as the bundle feeds it from the stored file (a damaged one then
 * stops at the same byte). Counts the bytes and keeps the first two (to sniff gzip).
 */
class Received {
  size = 0;
  readonly head: number[] = [];
  readonly #iterator: AsyncIterator<Uint8Array>;
  readonly #size: number;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #done = false;
  /** Calls one after the other: a gzip stream may still be reading when the rest is drained. */
  #turn: Promise<unknown> = Promise.resolve();

  constructor(source: AsyncIterable<Uint8Array>, size: number) {
    this.#iterator = source[Symbol.asyncIterator]();
    this.#size = size;
  }

  /** The next piece, or null at the end. */
  next(): Promise<Buffer | null> {
    const next = this.#turn.then(() => this.#next());
    this.#turn = next.catch(() => undefined);
    return next;
  }

  async #next(): Promise<Buffer | null> {
    while (!this.#done && this.#pendingBytes < this.#size) {
      const next = await this.#iterator.next();
      if (next.done === true) {
        this.#done = true;
        break;
      }
      const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.length);
      for (let k = 0; this.head.length < 2 && k < chunk.length; k++) this.head.push(chunk[k] as number);
      this.size += chunk.length;
      this.#pending.push(chunk);
      this.#pendingBytes += chunk.length;
    }
    if (this.#pendingBytes === 0) return null;
    const all = this.#pending.length === 1 ? (this.#pending[0] as Buffer) : Buffer.concat(this.#pending);
    const piece = all.subarray(0, Math.min(this.#size, all.length));
    const left = all.subarray(piece.length);
    this.#pending = left.length > 0 ? [left] : [];
    this.#pendingBytes = left.length;
    return piece;
  }

  /** The rest of the bytes, read and dropped: an upload is whole even when its log stops early. */
  async drain(): Promise<void> {
    while ((await this.next()) !== null);
  }
}

async function* pieces(received: Received, first: Buffer | null): AsyncGenerator<Buffer> {
  for (let piece = first; piece !== null; piece = await received.next()) yield piece;
}

/**
 * The text of the index file (log-index-file.ts) of a log uploaded under `name`, built from
 * its bytes as they arrive: exactly the map, and the problems, that walking the stored file
 * mounted under that name gives.
 */
export async function indexUploadedLog(name: string, source: AsyncIterable<Uint8Array>): Promise<string> {
  const received = new Received(source, CHUNK_BYTES);
  const first = await received.next();
  // As a bundle opens a file: gzip by its name or its first bytes.
  const gzip = /\.gz$/i.test(name) || (received.head[0] === 0x1f && received.head[1] === 0x8b);
  const compressed = gzip ? Readable.from(pieces(received, first), { objectMode: false }) : null;
  const bytes = compressed === null ? pieces(received, first) : compressed.pipe(createGunzip({ chunkSize: CHUNK_BYTES }));
  const file: LogMapSource = { path: name, absPath: '', kind: JSONL_NAME.test(name) ? 'log_jsonl' : 'log_text', gzip, size: 0 };
  const problems = new ProblemLog();
  const map = await mapLogFile(file, problems, { chunks: streamLineChunks(bytes) });
  compressed?.destroy();
  await received.drain();
  return encodeLogIndex({ key: logIndexKeyOf({ ...file, size: received.size }), map, problems: problems.list() });
}
