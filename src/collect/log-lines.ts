// The lines of one log source on their way into the bundle: the format is judged from the
// first lines (JSON objects, or text), events outside the window are left out
// (continuation lines go with the event above), and the writer stops the source once it
// has written far more than the cap (the latest part is what the cap keeps, see log-tail).
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
  bytes: number;
  /** Reading stopped at the ceiling: the source had more. */
  stoppedAtCeiling: boolean;
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
  readonly #out: WriteStream;
  readonly #ceiling: number;
  #sniffed: string[] | null = [];
  #format: LogFormat = 'text';
  #timestamped = false;
  #keepCurrent = true;
  #linesIn = 0;
  #linesKept = 0;
  #bytes = 0;
  #stopped = false;

  /** `ceilingBytes`: past this much written, `push` returns false and the source should stop. */
  constructor(window: Window, out: WriteStream, ceilingBytes: number) {
    this.#window = window;
    this.#out = out;
    this.#ceiling = ceilingBytes;
  }

  /** One line (without its newline); false once the ceiling is reached. */
  push(line: string): boolean {
    if (this.#stopped) return false;
    this.#linesIn += 1;
    if (this.#sniffed !== null) {
      this.#sniffed.push(line);
      if (this.#sniffed.length >= SNIFF_LINES) this.#decide();
      return true;
    }
    return this.#take(line);
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
    for (const line of lines) if (!this.#take(line)) return;
  }

  #take(line: string): boolean {
    if (this.#timestamped) {
      const t = this.#format === 'jsonl' ? jsonTime(line) : leadingTime(line);
      if (typeof t === 'number') this.#keepCurrent = t >= this.#window.since && t <= this.#window.until;
      else if (this.#format === 'jsonl') this.#keepCurrent = line.trim() !== '';
      // A text line without a time continues the event above (a stack trace) and goes with it.
    }
    if (!this.#keepCurrent) return true;
    const bytes = Buffer.byteLength(line) + 1;
    this.#out.write(`${line}\n`);
    this.#linesKept += 1;
    this.#bytes += bytes;
    if (this.#bytes >= this.#ceiling) {
      this.#stopped = true;
      return false;
    }
    return true;
  }

  /** Resolves once the file has taken what was written (a fast reader must not outrun the disk). */
  drained(): Promise<void> {
    if (!this.#out.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => this.#out.once('drain', () => resolve()));
  }

  /** Flushes what is left and closes the file. */
  async end(): Promise<LogWriteSummary> {
    if (this.#sniffed !== null) this.#decide();
    await new Promise<void>((resolve, reject) => {
      this.#out.once('error', reject);
      this.#out.end(resolve);
    });
    return {
      format: this.#format,
      timestamped: this.#timestamped,
      linesIn: this.#linesIn,
      linesKept: this.#linesKept,
      bytes: this.#bytes,
      stoppedAtCeiling: this.#stopped,
    };
  }
}

/** Splits a byte stream into lines, across chunk boundaries. */
export class LineSplitter {
  #rest = '';
  readonly #decoder = new TextDecoder('utf-8');

  constructor(private readonly onLine: (line: string) => boolean) {}

  /** False once the consumer wants no more. */
  write(chunk: Uint8Array): boolean {
    const text = this.#rest + this.#decoder.decode(chunk, { stream: true });
    const lines = text.split('\n');
    this.#rest = lines.pop() ?? '';
    for (const line of lines) if (!this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line)) return false;
    return true;
  }

  end(): void {
    const last = this.#rest + this.#decoder.decode();
    this.#rest = '';
    if (last !== '') this.onLine(last);
  }
}
