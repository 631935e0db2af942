// Whole-file reads for the small formats (alert, metrics, changes, diffs): gzip-aware, BOM removed.
// Logs never come through here; they are streamed line by line.

import { openByteStream } from './lines.js';

/** Beyond this a metrics, changes or diff file is not read (it would not be "small" any more). */
export const MAX_TEXT_BYTES = 256 * 1024 * 1024;

/** How much of a file's head decides whether it is text. */
const SNIFF_BYTES = 8192;

/**
 * True when bytes are not text: a NUL, or more than one in ten bytes a control character
 * or not valid UTF-8 (an image, an archive, random bytes). Text in any encoding that is
 * mostly ASCII passes.
 */
export function isBinary(head: Buffer): boolean {
  const bytes = head.subarray(0, SNIFF_BYTES);
  if (bytes.length === 0) return false;
  if (bytes.includes(0)) return true;
  let odd = 0;
  for (const byte of bytes) if ((byte < 32 && byte !== 9 && byte !== 10 && byte !== 13 && byte !== 12) || byte === 127) odd += 1;
  const text = bytes.toString('utf8');
  // A character cut at the end of the sniffed bytes is no sign of binary.
  for (let i = 0; i < text.length - 1; i++) if (text.charCodeAt(i) === 0xfffd) odd += 1;
  return odd * 10 > bytes.length;
}

/** Whether a file's (decompressed) head is binary; false when it cannot be read. */
export async function fileLooksBinary(absPath: string, gzip: boolean): Promise<boolean> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    const stream = openByteStream(absPath, { gzip });
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      total += (chunk as Buffer).length;
      if (total >= SNIFF_BYTES) break;
    }
    stream.destroy();
  } catch {
    return false;
  }
  return isBinary(Buffer.concat(chunks));
}

/** A whole-file read that found binary bytes where text was expected. */
export class BinaryContent extends Error {
  constructor() {
    super('binary data, not text');
    this.name = 'BinaryContent';
  }
}

export async function readTextFile(absPath: string, gzip: boolean): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of openByteStream(absPath, { gzip })) {
    const buffer = chunk as Buffer;
    total += buffer.length;
    if (total > MAX_TEXT_BYTES) throw new Error(`larger than ${MAX_TEXT_BYTES / 1024 / 1024} MiB, not read`);
    chunks.push(buffer);
  }
  const bytes = Buffer.concat(chunks);
  if (isBinary(bytes)) throw new BinaryContent();
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
