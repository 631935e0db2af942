// The lines of one log source on their way into the bundle: the format is judged from the
// first lines (JSON objects, or text), events outside the window are left out
// (continuation lines go with the event above), and what is kept rolls over segments of
// the cap's size, the older ones dropped: however much a source prints, at most two
// segments are on disk, and together they hold its latest lines (log-tail cuts them to
// the cap).
//
// Timestamps are never invented: text whose lines do not start with a time is kept as it
// came, and the source is reported as having no timestamps.
import type { WriteStream } from 'node:fs';
import { parseTime, scanTime } from '../bundle/index.js';
import type { Window } from './window.js';

/** Lines looked at before the format is decided. */
const SNIFF_LINES = 200;
const JSON_TIME_KEYS = ['time', 'ts', 'timestamp', '@timestamp'];

export type LogFormat = 'text' | 'jsonl';

export interface LogWriteSummary {
  format: LogFormat;
  /** Whether events carry times (and so were kept to the window). */
  timestamped: boolean;
  linesIn: number;
  linesKept: number;
  /** Bytes of every line kept, including those in segments since dropped. */
  bytes: number;
  /** The segments left, oldest first: together, the latest lines. */
  segments: string[];
}

/** Where the segments go (scratch files of the bundle being written). */
export interface SegmentStore {
  open(): { path: string; stream: WriteStream };
  discard(path: string): Promise<void>;
}

function jsonTime(line: string): number | null | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const fields = value as Record<string, unknown>;
  for (const key of JSON_TIME_KEYS) {
    const t = parseTime(fields[key]);
    if (t !== null) return t;
  }
  return null;
}

function leadingTime(line: string): number | null {
  return scanTime(line)?.t ?? null;
}

export class LogLineWriter {
  readonly #window: Window;
  readonly #store: SegmentStore;
  readonly #segmentBytes: number;
  #out: WriteStream;
  #segments: string[] = [];
  #inSegment = 0;
  readonly #closing: Array<Promise<void>> = [];
  #sniffed: string[] | null = [];
  #format: LogFormat = 'text';
  #timestamped = false;
  #keepCurrent = true;
  #linesIn = 0;
  #linesKept = 0;
  #bytes = 0;

  /** `segmentBytes`: the cap; a segment that reaches it is closed and a new one begun. */
  constructor(window: Window, store: SegmentStore, segmentBytes: number) {
    this.#window = window;
    this.#store = store;
    this.#segmentBytes = segmentBytes;
    this.#out = this.#begin();
  }

  #begin(): WriteStream {
    const { path, stream } = this.#store.open();
    this.#segments.push(path);
    this.#inSegment = 0;
    return stream;
  }

  /** Closes the full segment, drops the one before it, begins the next. */
  #roll(): void {
    const full = this.#out;
    this.#closing.push(new Promise<void>((resolve) => full.end(resolve)));
    while (this.#segments.length > 1) {
      const dropped = this.#segments.shift();
      if (dropped !== undefined) this.#closing.push(this.#store.discard(dropped));
    }
    this.#out = this.#begin();
  }

  /** One line (without its newline). */
  push(line: string): void {
    this.#linesIn += 1;
    if (this.#sniffed !== null) {
      this.#sniffed.push(line);
      if (this.#sniffed.length >= SNIFF_LINES) this.#decide();
      return;
    }
    this.#take(line);
  }

  /** Judges the format from the lines so far, then writes them. */
  #decide(): void {
    const lines = this.#sniffed ?? [];
    this.#sniffed = null;
    const filled = lines.filter((line) => line.trim() !== '');
    const json = filled.filter((line) => jsonTime(line) !== undefined).length;
    if (filled.length > 0 && json >= 0.8 * filled.length) {
      this.#format = 'jsonl';
      this.#timestamped = filled.some((line) => typeof jsonTime(line) === 'number');
    } else {
      this.#timestamped = filled.length > 0 && filled.filter((line) => leadingTime(line) !== null).length >= 0.5 * filled.length;
    }
    for (const line of lines) this.#take(line);
  }

  #take(line: string): void {
    if (this.#timestamped) {
      const t = this.#format === 'jsonl' ? jsonTime(line) : leadingTime(line);
      if (typeof t === 'number') this.#keepCurrent = t >= this.#window.since && t <= this.#window.until;
      else if (this.#format === 'jsonl') this.#keepCurrent = line.trim() !== '';
      // A text line without a time continues the event above (a stack trace) and goes with it.
    }
    if (!this.#keepCurrent) return;
    const bytes = Buffer.byteLength(line) + 1;
    this.#out.write(`${line}\n`);
    this.#linesKept += 1;
    this.#bytes += bytes;
    this.#inSegment += bytes;
    if (this.#inSegment >= this.#segmentBytes) this.#roll();
  }

  /** Resolves once the file has taken what was written (a fast reader must not outrun the disk). */
  drained(): Promise<void> {
    if (!this.#out.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => this.#out.once('drain', () => resolve()));
  }

  /** Flushes what is left and closes the segments. */
  async end(): Promise<LogWriteSummary> {
    if (this.#sniffed !== null) this.#decide();
    const last = this.#out;
    await new Promise<void>((resolve, reject) => {
      last.once('error', reject);
      last.end(resolve);
    });
    await Promise.all(this.#closing);
    return {
      format: this.#format,
      timestamped: this.#timestamped,
      linesIn: this.#linesIn,
      linesKept: this.#linesKept,
      bytes: this.#bytes,
      segments: [...this.#segments],
    };
  }
}

/** Splits a byte stream into lines, across chunk boundaries. */
export class LineSplitter {
  #rest = '';
  readonly #decoder = new TextDecoder('utf-8');

  constructor(private readonly onLine: (line: string) => void) {}

  write(chunk: Uint8Array): void {
    const text = this.#rest + this.#decoder.decode(chunk, { stream: true });
    const lines = text.split('\n');
    this.#rest = lines.pop() ?? '';
    for (const line of lines) this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  }

  end(): void {
    const last = this.#rest + this.#decoder.decode();
    this.#rest = '';
    if (last !== '') this.onLine(last);
  }
}
