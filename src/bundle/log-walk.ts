// A walk over the events of a log file that reads bytes and decodes only what it must: for a
// text log each line's head (time, level, service) is read in place (log-head.ts) and the line is
// decoded only when the head reader is unsure, when a caller asks for the whole event, or to tell
// a blank line from a malformed one. It finds exactly the events, line numbers and problems that
// readLogEventBatches (logs.ts) finds; continuation lines are skipped, not collected.
//
// Lines are what readLineBatches makes of them: a leading UTF-8 BOM and a trailing CR are dropped,
// and a line longer than DEFAULT_MAX_LINE characters is cut there (and reported).

import { lineChunks } from './line-chunks.js';
import { DEFAULT_MAX_LINE } from './lines.js';
import { HEAD_EVENT, HEAD_NONE, HEAD_UNSURE, LineHeads, type HeadKind } from './log-head.js';
import { parseJsonLogLine } from './log-jsonl.js';
import { parseLogLine } from './log-line.js';
import { scanTime } from './time.js';
import { logFormat, logServiceName, type LogReadStats, type LogSource } from './logs.js';
import { describeError, type ProblemSink } from './problems.js';
import type { LogLevel, ParsedLogLine, WalkedEvent, WalkRange } from './types.js';

export type { WalkedEvent, WalkRange } from './types.js';

const NEWLINE = 10;
const CR = 13;
/** Enough bytes to hold DEFAULT_MAX_LINE + 1 UTF-16 units whatever the encoding: a longer line is cut anyway. */
const MAX_DECODED_BYTES = 3 * (DEFAULT_MAX_LINE + 2);

export interface LogWalkOptions {
  signal?: AbortSignal;
  range?: WalkRange;
  /** Events and malformed lines, counted while walking. */
  stats?: LogReadStats;
  /** Called for a line that is no event but starts with a time (`2026-…Zjunk`), which a grep may still date. */
  stamped?: (t: number, offset: number) => void;
  /**
   * The file's (decompressed) bytes in chunks that end on line boundaries, as lineChunks
   * gives them, when they arrive from elsewhere than the file (an upload as it streams).
   */
  chunks?: AsyncIterable<Buffer>;
}

/** Whitespace that String#trim drops, in ASCII. */
function isAsciiBlank(buf: Buffer, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = buf[k] as number;
    if (c !== 32 && (c < 9 || c > 13)) return false;
  }
  return true;
}

class Walk implements WalkedEvent {
  t: number | null = null;
  level: LogLevel | null = null;
  service = '';
  line = 0;
  offset = 0;
  readonly #jsonl: boolean;
  readonly #fallback: string;
  readonly #heads: LineHeads;
  readonly #problems: ProblemSink;
  readonly #path: string;
  readonly #stats: LogReadStats;
  readonly #visit: (event: WalkedEvent) => void;
  readonly #stamped: ((t: number, offset: number) => void) | undefined;
  /** Set once the file has shown an event: later lines that are none continue it. */
  #started: boolean;
  // The current line: its bytes, and its text and parse once someone needed them.
  #buf: Buffer = Buffer.alloc(0);
  #from = 0;
  #to = 0;
  #text: string | null = null;
  #parsed: ParsedLogLine | null = null;

  constructor(file: LogSource, problems: ProblemSink, options: LogWalkOptions, started: boolean, visit: (event: WalkedEvent) => void) {
    this.#jsonl = logFormat(file) === 'jsonl';
    this.#fallback = logServiceName(file.path);
    this.#heads = new LineHeads(this.#fallback);
    this.#problems = problems;
    this.#path = file.path;
    this.#stats = options.stats ?? { events: 0, malformed: 0 };
    this.#started = started;
    this.#visit = visit;
    this.#stamped = options.stamped;
  }

  parse(): ParsedLogLine {
    this.#parsed ??= (this.#jsonl ? parseJsonLogLine(this.#lineText(), this.#fallback) : parseLogLine(this.#lineText(), this.#fallback)) as ParsedLogLine;
    return this.#parsed;
  }

  /** The line as readLineBatches gives it: decoded, and cut (and reported) past DEFAULT_MAX_LINE. */
  #lineText(): string {
    if (this.#text !== null) return this.#text;
    const length = this.#to - this.#from;
    let text = this.#buf.toString('utf8', this.#from, this.#from + Math.min(length, MAX_DECODED_BYTES));
    if (text.length > DEFAULT_MAX_LINE) {
      this.#problems.add({ path: this.#path, line: this.line, message: `line longer than ${DEFAULT_MAX_LINE} characters: cut there` });
      text = text.slice(0, DEFAULT_MAX_LINE);
    }
    this.#text = text;
    return text;
  }

  /** One line, buf[from, to) without its newline or CR, at `offset` in the file. */
  take(buf: Buffer, from: number, to: number, lineNo: number, offset: number): void {
    this.#buf = buf;
    this.#from = from;
    this.#to = to;
    this.#text = null;
    this.#parsed = null;
    this.line = lineNo;
    this.offset = offset;
    // A line that may be cut is decoded first, so the cut is reported and the parse sees the cut text.
    const long = to - from > DEFAULT_MAX_LINE;
    if (long) this.#lineText();
    if (this.#jsonl) {
      this.#json(buf, from, to);
      return;
    }
    let kind: HeadKind = long ? HEAD_UNSURE : this.#heads.read(buf, from, to);
    if (kind === HEAD_UNSURE) kind = this.#parseOrNull() === null ? HEAD_NONE : HEAD_EVENT;
    else if (kind === HEAD_EVENT) this.#fromHeads();
    if (kind === HEAD_EVENT) {
      this.#started = true;
      this.#stats.events += 1;
      this.#visit(this);
      return;
    }
    if (this.#stamped !== undefined) this.#stamp(long);
    if (this.#started || isAsciiBlank(buf, from, to) || this.#lineText().trim() === '') return;
    this.#stats.malformed += 1;
    this.#problems.add({ path: this.#path, line: lineNo, message: 'line does not start with a timestamp and follows no event' });
  }

  /** Reports the time a line that is no event starts with, as a grep's quick read of it would find it. */
  #stamp(long: boolean): void {
    let t = this.#heads.stamp;
    if (long) {
      const text = this.#lineText();
      t = scanTime(text, text.charCodeAt(0) === 91 ? 1 : 0)?.t ?? Number.NaN;
    }
    if (!Number.isNaN(t)) this.#stamped?.(t, this.offset);
  }

  /** The parse of a line the head reader left to the parser; null when it is no event. */
  #parseOrNull(): ParsedLogLine | null {
    const parsed = parseLogLine(this.#lineText(), this.#fallback);
    if (parsed === null) return null;
    this.#parsed = parsed;
    this.t = parsed.t;
    this.level = parsed.level;
    this.service = parsed.service;
    return parsed;
  }

  #fromHeads(): void {
    const heads = this.#heads;
    this.t = heads.t;
    this.level = heads.level;
    this.service = heads.service;
  }

  #json(buf: Buffer, from: number, to: number): void {
    if (isAsciiBlank(buf, from, to) || this.#lineText().trim() === '') return;
    const parsed = parseJsonLogLine(this.#lineText(), this.#fallback);
    if (parsed === null) {
      this.#stats.malformed += 1;
      this.#problems.add({ path: this.#path, line: this.line, message: 'not a JSON object' });
      return;
    }
    this.#parsed = parsed;
    this.t = parsed.t;
    this.level = parsed.level;
    this.service = parsed.service;
    this.#stats.events += 1;
    this.#visit(this);
  }
}

/**
 * Calls `visit` for every event of a log file (or of a range of it) in file order, and returns
 * the offset it stopped at (the decompressed size, for a whole file). Malformed lines, cut
 * lines and read errors go to `problems`; an abort ends the walk quietly.
 */
export async function walkLogEvents(
  file: LogSource,
  problems: ProblemSink,
  visit: (event: WalkedEvent) => void,
  options: LogWalkOptions = {},
): Promise<number> {
  const { signal, range } = options;
  const start = range?.offset ?? 0;
  // A range starts on an event, so nothing in it can be malformed.
  const walk = new Walk(file, problems, options, start > 0, visit);
  let lineNo = (range?.line ?? 1) - 1;
  let offset = start;
  /** The chunk before ended inside a line cut at the buffer cap: skip to its end. */
  let skipping = false;
  try {
    const chunks = options.chunks ?? lineChunks(file.absPath, { gzip: file.gzip, signal, start, end: range?.end });
    for await (const chunk of chunks) {
      if (signal?.aborted) return offset;
      let from = 0;
      if (skipping) {
        const newline = chunk.indexOf(NEWLINE);
        skipping = newline < 0;
        from = skipping ? chunk.length : newline + 1;
      } else if (offset === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        from = 3;
      }
      const length = chunk.length;
      while (from < length) {
        const newline = chunk.indexOf(NEWLINE, from);
        const lineEnd = newline < 0 ? length : newline;
        let to = lineEnd;
        if (to > from && chunk[to - 1] === CR) to -= 1;
        lineNo += 1;
        walk.take(chunk, from, to, lineNo, offset + from);
        if (newline < 0) skipping = true;
        from = lineEnd + 1;
      }
      offset += length;
    }
  } catch (error) {
    if (!signal?.aborted) problems.add({ path: file.path, message: `could not read the whole file: ${describeError(error)}` });
  }
  return offset;
}
