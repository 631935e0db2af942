// A log over its cap keeps its latest part: the page is at the end of the window, so the
// minutes before it matter most. The cut starts at a line boundary and, for text logs with
// timestamps, at an event's first line, so no stack trace is left without its head.
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { scanTime } from '../bundle/index.js';

export interface TailCut {
  /** Bytes before the cut. */
  total: number;
  kept: number;
}

/** Copies the last `maxBytes` of `from` (whole events) to `to`; null when it fits and nothing was cut. */
export async function keepTail(from: string, to: string, maxBytes: number, alignToEvents: boolean): Promise<TailCut | null> {
  const { size } = await stat(from);
  if (size <= maxBytes) return null;
  const input = createReadStream(from, { start: size - maxBytes });
  const output = createWriteStream(to);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let first = true;
  let started = false;
  let kept = 0;
  for await (const line of lines) {
    // The first line read is most likely the tail of a line cut in the middle.
    if (first) {
      first = false;
      continue;
    }
    if (!started && alignToEvents && scanTime(line) === null) continue;
    started = true;
    const text = `${line}\n`;
    kept += Buffer.byteLength(text);
    if (!output.write(text)) await new Promise<void>((resolve) => output.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => {
    output.once('error', reject);
    output.end(resolve);
  });
  return { total: size, kept };
}
