// A multipart/form-data body read as it arrives (`Request.formData()` would hold the
// whole upload in memory before anyone could check its size). The file part is handed on
// as a stream, so the store can cap it while it streams; the few text fields are small
// and collected.
import { Readable } from 'node:stream';
import { ApiError, badRequest } from './api-error.js';

export interface FilePart {
  filename: string;
  type: string;
  body: Readable;
}

const MAX_PREAMBLE_BYTES = 16 * 1024;
const MAX_HEADER_BYTES = 16 * 1024;
const MAX_FIELD_BYTES = 16 * 1024;
const MAX_PARTS = 16;

const CRLF = Buffer.from('\r\n');
const HEADERS_END = Buffer.from('\r\n\r\n');

/** The boundary of a multipart/form-data content type, or null when it is not one. */
export function multipartBoundary(contentType: string): string | null {
  if (!/^multipart\/form-data\s*;/i.test(contentType)) return null;
  const match = /;\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2] ?? null;
}

function malformed(detail: string): ApiError {
  return badRequest(`the multipart body could not be read: ${detail}`);
}

/** Pulls bytes from the body on demand, holding only what has arrived and not been handed on. */
class ByteSource {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  private async more(): Promise<void> {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await this.reader.read();
    } catch {
      throw new ApiError(400, 'the upload was cut off before it was complete');
    }
    if (next.done) throw malformed('it ended before its closing boundary');
    const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
  }

  /** The bytes before `delimiter` (which is consumed); at most `max` of them. */
  async before(delimiter: Buffer, max: number, what: string): Promise<Buffer> {
    for (;;) {
      const at = this.buffer.indexOf(delimiter);
      if (at >= 0) {
        const head = this.buffer.subarray(0, at);
        this.buffer = this.buffer.subarray(at + delimiter.length);
        return head;
      }
      if (this.buffer.length > max + delimiter.length) throw malformed(`${what} is longer than ${max} bytes`);
      await this.more();
    }
  }

  async take(count: number): Promise<Buffer> {
    while (this.buffer.length < count) await this.more();
    const head = this.buffer.subarray(0, count);
    this.buffer = this.buffer.subarray(count);
    return head;
  }

  async startsWith(prefix: Buffer): Promise<boolean> {
    while (this.buffer.length < prefix.length) await this.more();
    return this.buffer.subarray(0, prefix.length).equals(prefix);
  }

  /** Streams the bytes before `delimiter`, keeping back only what could be its start. */
  async *until(delimiter: Buffer): AsyncGenerator<Buffer> {
    for (;;) {
      const at = this.buffer.indexOf(delimiter);
      if (at >= 0) {
        const head = this.buffer.subarray(0, at);
        this.buffer = this.buffer.subarray(at + delimiter.length);
        if (head.length > 0) yield head;
        return;
      }
      const safe = this.buffer.length - (delimiter.length - 1);
      if (safe > 0) {
        const head = this.buffer.subarray(0, safe);
        this.buffer = this.buffer.subarray(safe);
        yield head;
      }
      await this.more();
    }
  }

  /** Reads and drops up to `max` more bytes; true when the body ended within them. */
  async drain(max: number): Promise<boolean> {
    let dropped = this.buffer.length;
    this.buffer = Buffer.alloc(0);
    while (dropped <= max) {
      const next = await this.reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (next.done) return true;
      dropped += next.value.byteLength;
    }
    return false;
  }
}

interface PartHeaders {
  name: string;
  filename: string | null;
  type: string;
}

/** A quoted header parameter as browsers and undici write it: `"` and line breaks percent-encoded. */
function unquote(value: string): string {
  return value.replace(/\\(.)/g, '$1').replace(/%22/g, '"').replace(/%0D/gi, '\r').replace(/%0A/gi, '\n');
}

function parseHeaders(block: Buffer): PartHeaders {
  let disposition = '';
  let type = '';
  for (const line of block.toString('utf8').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'content-disposition') disposition = value;
    else if (key === 'content-type') type = value;
  }
  if (!/^form-data\s*(;|$)/i.test(disposition)) throw malformed('a part has no Content-Disposition: form-data header');
  const params = new Map<string, string>();
  for (const match of disposition.matchAll(/;\s*([A-Za-z0-9_*.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/g)) {
    params.set((match[1] ?? '').toLowerCase(), match[2] !== undefined ? unquote(match[2]) : (match[3] ?? ''));
  }
  const name = params.get('name');
  if (name === undefined) throw malformed('a part has no name');
  let filename = params.get('filename') ?? null;
  const extended = /^utf-8''(.*)$/i.exec(params.get('filename*') ?? '');
  if (extended) {
    try {
      filename = decodeURIComponent(extended[1] ?? '');
    } catch {
      // An undecodable extended name leaves the plain one.
    }
  }
  return { name, filename, type };
}

export interface MultipartResult {
  fields: Map<string, string>;
  sawFile: boolean;
}

/**
 * Reads a multipart body, handing the part named `file` to `onFile` as a stream and
 * collecting the text fields. When `onFile` fails (a limit passed), the rest of the body
 * is read and dropped (up to `drainBytes`), so the client hears the refusal rather than
 * a reset connection; the error is then passed on.
 */
export async function readMultipart(
  body: ReadableStream<Uint8Array>,
  boundary: string,
  onFile: (part: FilePart) => Promise<void>,
  options: { drainBytes: number },
): Promise<MultipartResult> {
  const reader = body.getReader();
  const source = new ByteSource(reader);
  const dashBoundary = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.concat([CRLF, dashBoundary]);
  const fields = new Map<string, string>();
  let sawFile = false;
  let settled = false;
  try {
    await source.before(dashBoundary, MAX_PREAMBLE_BYTES, 'the text before the first part');
    for (let parts = 0; ; parts += 1) {
      const after = await source.take(2);
      if (after.toString('latin1') === '--') break;
      if (!after.equals(CRLF)) throw malformed('a boundary is followed by neither a line break nor --');
      if (parts >= MAX_PARTS) throw malformed(`it has more than ${MAX_PARTS} parts`);
      if (await source.startsWith(CRLF)) throw malformed('a part has no headers');
      const headers = parseHeaders(await source.before(HEADERS_END, MAX_HEADER_BYTES, 'a part header'));
      if (headers.name === 'file' && headers.filename !== null) {
        if (sawFile) throw badRequest('upload one file per request: the body has a second `file` part');
        sawFile = true;
        const stream = Readable.from(source.until(delimiter), { objectMode: false });
        try {
          await onFile({ filename: headers.filename, type: headers.type, body: stream });
        } catch (error) {
          stream.destroy();
          // The refusal is only heard once the client has finished sending: read on and drop it.
          const ended = await source.drain(options.drainBytes);
          settled = ended;
          throw error;
        }
      } else {
        const chunks: Buffer[] = [];
        let length = 0;
        for await (const chunk of source.until(delimiter)) {
          length += chunk.length;
          if (length > MAX_FIELD_BYTES) throw malformed(`the field ${headers.name} is longer than ${MAX_FIELD_BYTES} bytes`);
          chunks.push(chunk);
        }
        fields.set(headers.name, Buffer.concat(chunks).toString('utf8'));
      }
    }
    // Whatever follows the closing boundary is read too, so the body is consumed to its end.
    settled = await source.drain(MAX_PREAMBLE_BYTES);
    return { fields, sawFile };
  } finally {
    // A body not read to its end is cancelled (over HTTP, that closes the connection).
    if (!settled) await reader.cancel().catch(() => undefined);
    try {
      reader.releaseLock();
    } catch {
      // A read still pending on a cancelled body: nothing more to release.
    }
  }
}
