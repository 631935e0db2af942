// Whole-file reads for the small formats (alert, metrics, changes, diffs): gzip-aware, BOM removed.
// Logs never come through here; they are streamed line by line.

import { openByteStream } from './lines.js';

/** Beyond this a metrics, changes or diff file is not read (it would not be "small" any more). */
export const MAX_TEXT_BYTES = 256 * 1024 * 1024;

export async function readTextFile(absPath: string, gzip: boolean): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of openByteStream(absPath, { gzip })) {
    const buffer = chunk as Buffer;
    total += buffer.length;
    if (total > MAX_TEXT_BYTES) throw new Error(`larger than ${MAX_TEXT_BYTES / 1024 / 1024} MiB, not read`);
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
