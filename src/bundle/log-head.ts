// The head of a text log line (its time, level and service) read from bytes, without decoding
// the line or building its message and attributes: what a pass over every event needs. It
// mirrors parseLogLine (log-line.ts) branch for branch and answers only where it is sure; a line
// it is not sure of (a JSON object, a line led by `time=`, a logfmt value with escapes or odd
// whitespace) is `UNSURE`, and the caller decodes it and asks parseLogLine. Where a branch reads
// text (a tag, a logfmt key), only ASCII can match, so positions in bytes and in characters agree
// wherever a decision is taken.

import { levelFromBytes } from './levels.js';
import {
  BACKSLASH,
  CLOSE_BRACKET,
  EQUALS,
  OPEN_BRACKET,
  QUOTE,
  isDigit,
  isSpace,
  isTag,
  leadingTimePair,
  levelOfValue,
  loggerAt,
  looksLikeLogfmt,
  roleOf,
  skipQuoted,
  skipSpaces,
  skipWord,
} from './log-head-bytes.js';
import { ByteTime } from './time-bytes.js';
import type { LogLevel } from './types.js';

/** parseLogLine would return null: a continuation, blank or malformed line. */
export const HEAD_NONE = 0;
/** An event starts here; `t`, `level` and `service` hold its head. */
export const HEAD_EVENT = 1;
/** Decode the line and ask parseLogLine. */
export const HEAD_UNSURE = 2;
export type HeadKind = typeof HEAD_NONE | typeof HEAD_EVENT | typeof HEAD_UNSURE;

/** Reads line heads; one instance per file, reused for every line. */
export class LineHeads {
  t = 0;
  /** The time the line starts with, NaN when none, even when the line is no event (`2026-…Zjunk`). */
  stamp = Number.NaN;
  level: LogLevel | null = null;
  service = '';
  readonly #fallback: string;
  readonly #time = new ByteTime();
  // The level word found by #levelAt and where the text after it starts.
  #word: LogLevel | null = null;
  #next = 0;
  // The last few service names decoded, so a file of tagged lines does not decode the same tag a million times.
  readonly #names = new Map<string, string>();

  constructor(fallbackService: string) {
    this.#fallback = fallbackService;
  }

  /** What parseLogLine would make of the line in buf[start, end) (no newline, no trailing CR). */
  read(buf: Buffer, start: number, end: number): HeadKind {
    this.stamp = Number.NaN;
    if (start >= end) return HEAD_NONE;
    const first = buf[start] as number;
    if (first === 123 /* { */) return HEAD_UNSURE;
    if (first === 116 /* t */) return leadingTimePair(buf, start, end) ? HEAD_UNSURE : HEAD_NONE;
    const bracketed = first === OPEN_BRACKET;
    const at = bracketed ? start + 1 : start;
    if (at >= end || !isDigit(buf[at] as number) || !this.#time.scan(buf, at, end)) return HEAD_NONE;
    this.stamp = this.#time.t;
    let i = this.#time.end;
    if (bracketed) {
      if (i >= end || buf[i] !== CLOSE_BRACKET) return HEAD_NONE;
      i += 1;
    }
    if (i < end && !isSpace(buf[i] as number)) return HEAD_NONE;
    this.t = this.#time.t;
    return this.#body(buf, skipSpaces(buf, i, end), end);
  }

  #body(buf: Buffer, i: number, end: number): HeadKind {
    if (i < end && buf[i] === OPEN_BRACKET) {
      let close = i + 1;
      while (close < end && buf[close] !== CLOSE_BRACKET) close += 1;
      if (close < end && close > i + 1 && isTag(buf, i + 1, close) && levelFromBytes(buf, i + 1, close) === null) {
        const after = skipSpaces(buf, close + 1, end);
        if (this.#levelAt(buf, after, end)) {
          this.level = this.#word;
          this.service = loggerAt(buf, this.#next, end) ? this.#fallback : this.#text(buf, i + 1, close);
          return HEAD_EVENT;
        }
        if (looksLikeLogfmt(buf, after, end)) return this.#logfmt(buf, after, end, i + 1, close);
        this.level = null;
        this.service = this.#text(buf, i + 1, close);
        return HEAD_EVENT;
      }
    }
    if (this.#levelAt(buf, i, end)) {
      this.level = this.#word;
      this.service = this.#fallback;
      return HEAD_EVENT;
    }
    if (looksLikeLogfmt(buf, i, end)) return this.#logfmt(buf, i, end, -1, -1);
    this.level = null;
    this.service = this.#fallback;
    return HEAD_EVENT;
  }

  /** A level word at i (`ERROR`, `error:`, `[WARN]`), as levelAt in log-line.ts. */
  #levelAt(buf: Buffer, i: number, end: number): boolean {
    if (i >= end) return false;
    const wordEnd = skipWord(buf, i, end);
    let from = i;
    let to = wordEnd;
    if (buf[from] === OPEN_BRACKET && buf[to - 1] === CLOSE_BRACKET) {
      from += 1;
      to -= 1;
    } else if (buf[to - 1] === 58 /* : */) {
      to -= 1;
    }
    const level = levelFromBytes(buf, from, to);
    if (level === null) return false;
    this.#word = level;
    this.#next = skipSpaces(buf, wordEnd, end);
    return true;
  }

  /**
   * The level and service of a logfmt record at i, as fromLogfmt in log-line.ts reads them;
   * the service defaults to the tag in buf[tagFrom, tagTo) when there is one.
   */
  #logfmt(buf: Buffer, i: number, end: number, tagFrom: number, tagTo: number): HeadKind {
    let level: LogLevel | null = null;
    const found: Record<'service' | 'svc' | 'app', string | null> = { service: null, svc: null, app: null };
    while (i < end) {
      while (i < end && isSpace(buf[i] as number)) i += 1;
      if (i >= end) break;
      const keyStart = i;
      while (i < end && !isSpace(buf[i] as number) && buf[i] !== EQUALS) i += 1;
      if (i === keyStart) {
        // `=value` with no key: skip the value.
        i += 1;
        while (i < end && !isSpace(buf[i] as number)) i += 1;
        continue;
      }
      if (i >= end || buf[i] !== EQUALS) continue; // a flag: not a string value, no role
      const role = roleOf(buf, keyStart, i);
      let from: number;
      let to: number;
      if (i + 1 < end && buf[i + 1] === QUOTE) {
        const quoted = i + 1;
        let close = quoted + 1;
        while (close < end && buf[close] !== QUOTE && buf[close] !== BACKSLASH) close += 1;
        if (close < end && buf[close] === QUOTE) {
          from = quoted + 1;
          to = close;
          i = close + 1;
        } else {
          // Escapes or no closing quote: only the parser gets the value right.
          if (role !== null) return HEAD_UNSURE;
          i = skipQuoted(buf, quoted, end);
          continue;
        }
      } else {
        from = ++i;
        while (i < end && !isSpace(buf[i] as number)) i += 1;
        to = i;
      }
      if (role === 'level') {
        if (level !== null) continue;
        const value = levelOfValue(buf, from, to);
        if (value === undefined) return HEAD_UNSURE;
        level = value;
      } else if (role !== null && found[role] === null && to > from) {
        found[role] = this.#text(buf, from, to);
      }
    }
    this.level = level;
    this.service = found.service ?? found.svc ?? found.app ?? (tagFrom >= 0 ? this.#text(buf, tagFrom, tagTo) : this.#fallback);
    return HEAD_EVENT;
  }

  /** Bytes as text, remembering the last names seen. */
  #text(buf: Buffer, from: number, to: number): string {
    if (to - from > 64) return buf.toString('utf8', from, to);
    const key = buf.toString('latin1', from, to);
    let text = this.#names.get(key);
    if (text === undefined) {
      if (this.#names.size >= 256) this.#names.clear();
      text = buf.toString('utf8', from, to);
      this.#names.set(key, text);
    }
    return text;
  }
}
