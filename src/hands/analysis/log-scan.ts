// A grep over log chunks that touches as little as it can. A literal is found in the raw
// bytes with Buffer#indexOf, anchored on the byte of the needle that is rarest in the file
// (sampled from its first chunk): indexOf skips ahead with memchr to the needle's first byte,
// so starting from a rare one is what makes it fast. A regular expression that must contain
// some literal text is searched the same way and run only on the lines holding that text;
// any other runs over a whole decoded chunk with multiline anchors, never line by line. Only
// a line that matches is decoded and handed to the caller to parse and filter. Line numbers
// cost a newline count, so they are counted only while the caller still wants detail (a line
// number and context) for some match; after that the scan is pure search.
import { requiredLiteral } from './regex-literal.js';

const NEWLINE = 10;
const MAX_LOOKBACK_LINES = 1000;

export type LineMatcher =
  | { kind: 'literal'; needle: Buffer }
  /** Lines holding `needle` are candidates; `verify` decides. */
  | { kind: 'prefiltered'; needle: Buffer; verify: RegExp }
  | { kind: 'regex'; regex: RegExp };

/** A literal, or a regular expression (also for a case-insensitive literal). Throws SyntaxError on a bad regex. */
export function buildMatcher(pattern: string, options: { regex: boolean; ignoreCase: boolean }): LineMatcher {
  if (!options.regex && !options.ignoreCase) return { kind: 'literal', needle: Buffer.from(pattern, 'utf8') };
  const source = options.regex ? pattern : pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const regex = new RegExp(source, options.ignoreCase ? 'gmi' : 'gm');
  const literal = options.ignoreCase ? null : requiredLiteral(source);
  if (literal !== null) return { kind: 'prefiltered', needle: Buffer.from(literal, 'utf8'), verify: new RegExp(source) };
  return { kind: 'regex', regex };
}

/**
 * Node searches a needle shorter than 8 bytes by jumping with memchr to its first byte, and a
 * longer one with Boyer-Moore-Horspool, which is slower on text where the first byte is rare.
 * So the anchor is a piece of at most 7 bytes starting at the needle's byte that is rarest in
 * `sample`; a hit on the piece is then checked against the whole needle.
 */
export interface Anchor {
  piece: Buffer;
  offset: number;
}

const MAX_PIECE = 7;

export function chooseAnchor(needle: Buffer, sample: Buffer): Anchor {
  const counts = new Uint32Array(256);
  for (let i = 0; i < sample.length; i++) counts[sample[i] as number] = (counts[sample[i] as number] as number) + 1;
  let offset = 0;
  for (let i = 1; i < needle.length; i++) {
    if ((counts[needle[i] as number] as number) < (counts[needle[offset] as number] as number)) offset = i;
  }
  return { piece: needle.subarray(offset, offset + MAX_PIECE), offset };
}

export interface ScanHit {
  /** 1-based line number in the (decompressed) file. */
  lineNo: number;
  text: string;
  before: string[];
  /** Filled as the scan reads on, up to the context asked for (fewer at the end of the file). */
  after: string[];
}

export interface ScanRequest<T> {
  matcher: LineMatcher;
  /** Lines of context before and after each detailed hit. */
  context: number;
  /**
   * Parses and filters a matching line; null means it does not count. `previous` walks back
   * over the lines before it (nearest first, within the chunk in memory), for a line that
   * continues an event started above (a stack trace).
   */
  classify(line: string, previous: () => Iterable<string>): T | null;
  /** Whether the next accepted match gets a line number and context. */
  wantsDetail(): boolean;
  /** True once no later match will want detail: line counting stops. */
  detailDone(): boolean;
  accept(value: T, hit: ScanHit | null): void;
}

export interface ScanStats {
  bytes: number;
  /** Lines the pattern matched, before the caller's filters. */
  matchedLines: number;
}

interface Haystack {
  readonly length: number;
  find(from: number): number;
  lineStart(pos: number): number;
  /** Index of the newline ending the line at pos, or length. */
  lineEnd(pos: number): number;
  text(start: number, end: number): string;
  countNewlines(from: number, to: number): number;
}

function stripCr(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}

class ByteHaystack implements Haystack {
  constructor(
    private readonly buf: Buffer,
    private readonly needle: Buffer,
    private readonly anchor: Anchor,
  ) {}
  get length(): number {
    return this.buf.length;
  }
  find(from: number): number {
    const { buf, needle } = this;
    const { piece, offset } = this.anchor;
    if (needle.length === 0) return from < buf.length ? from : -1;
    const whole = needle.length === piece.length;
    let at = from + offset;
    for (;;) {
      const hit = buf.indexOf(piece, at);
      if (hit < 0) return -1;
      const start = hit - offset;
      if (whole || (start >= 0 && start + needle.length <= buf.length && buf.compare(needle, 0, needle.length, start, start + needle.length) === 0)) {
        return start;
      }
      at = hit + 1;
    }
  }
  lineStart(pos: number): number {
    return pos === 0 ? 0 : this.buf.lastIndexOf(NEWLINE, pos - 1) + 1;
  }
  lineEnd(pos: number): number {
    const end = this.buf.indexOf(NEWLINE, pos);
    return end < 0 ? this.buf.length : end;
  }
  text(start: number, end: number): string {
    return stripCr(this.buf.toString('utf8', start, end));
  }
  countNewlines(from: number, to: number): number {
    let count = 0;
    let p = this.buf.indexOf(NEWLINE, from);
    while (p >= 0 && p < to) {
      count += 1;
      p = this.buf.indexOf(NEWLINE, p + 1);
    }
    return count;
  }
}

class TextHaystack implements Haystack {
  constructor(
    private readonly str: string,
    private readonly regex: RegExp,
  ) {}
  get length(): number {
    return this.str.length;
  }
  find(from: number): number {
    this.regex.lastIndex = from;
    const match = this.regex.exec(this.str);
    return match ? match.index : -1;
  }
  lineStart(pos: number): number {
    return pos === 0 ? 0 : this.str.lastIndexOf('\n', pos - 1) + 1;
  }
  lineEnd(pos: number): number {
    const end = this.str.indexOf('\n', pos);
    return end < 0 ? this.str.length : end;
  }
  text(start: number, end: number): string {
    return stripCr(this.str.slice(start, end));
  }
  countNewlines(from: number, to: number): number {
    let count = 0;
    let p = this.str.indexOf('\n', from);
    while (p >= 0 && p < to) {
      count += 1;
      p = this.str.indexOf('\n', p + 1);
    }
    return count;
  }
}

function* linesBackward(hay: Haystack, lineStart: number): Generator<string> {
  let end = lineStart - 1; // the newline ending the previous line
  for (let k = 0; k < MAX_LOOKBACK_LINES && end >= 0; k++) {
    const start = hay.lineStart(end);
    yield hay.text(start, end);
    end = start - 1;
  }
}

/** The `count` lines before the line at lineStart, in file order. */
function linesBefore(hay: Haystack, lineStart: number, count: number): string[] {
  const lines: string[] = [];
  if (count === 0) return lines;
  for (const line of linesBackward(hay, lineStart)) {
    lines.push(line);
    if (lines.length === count) break;
  }
  return lines.reverse();
}

/** Up to `count` lines starting at `from`. */
function linesForward(hay: Haystack, from: number, count: number): string[] {
  const lines: string[] = [];
  let start = from;
  while (lines.length < count && start < hay.length) {
    const end = hay.lineEnd(start);
    lines.push(hay.text(start, end));
    start = end + 1;
  }
  return lines;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Scans chunks of whole lines (see lineChunks) for the request's pattern. */
export async function scanChunks<T>(chunks: AsyncIterable<Buffer>, request: ScanRequest<T>, signal?: AbortSignal): Promise<ScanStats> {
  const { matcher, context } = request;
  const stats: ScanStats = { bytes: 0, matchedLines: 0 };
  let lineBase = 1;
  let tracking = true;
  let previousTail: string[] = [];
  let pending: ScanHit[] = [];
  let anchor: Anchor | null = null;
  const verify = matcher.kind === 'prefiltered' ? matcher.verify : null;

  for await (let chunk of chunks) {
    if (signal?.aborted) break;
    stats.bytes += chunk.length;
    if (stats.bytes === chunk.length && chunk.subarray(0, 3).equals(BOM)) chunk = chunk.subarray(3);
    let hay: Haystack;
    if (matcher.kind === 'regex') {
      hay = new TextHaystack(chunk.toString('utf8'), matcher.regex);
    } else {
      anchor ??= chooseAnchor(matcher.needle, chunk);
      hay = new ByteHaystack(chunk, matcher.needle, anchor);
    }

    if (pending.length > 0) {
      const lines = linesForward(hay, 0, context);
      for (const hit of pending) hit.after.push(...lines.slice(0, context - hit.after.length));
      pending = pending.filter((hit) => hit.after.length < context);
    }

    let cursorPos = 0;
    let cursorLine = lineBase;
    let pos = 0;
    while (pos < hay.length) {
      const at = hay.find(pos);
      if (at < 0) break;
      const start = hay.lineStart(at);
      const end = hay.lineEnd(at);
      const line = hay.text(start, end);
      pos = end + 1;
      if (verify !== null && !verify.test(line)) continue;
      stats.matchedLines += 1;
      const value = request.classify(line, () => linesBackward(hay, start));
      if (value !== null) {
        let hit: ScanHit | null = null;
        if (tracking && request.wantsDetail()) {
          cursorLine += hay.countNewlines(cursorPos, start);
          cursorPos = start;
          const before = linesBefore(hay, start, context);
          if (before.length < context) before.unshift(...previousTail.slice(before.length - context));
          hit = { lineNo: cursorLine, text: line, before, after: linesForward(hay, end + 1, context) };
          if (hit.after.length < context) pending.push(hit);
        }
        request.accept(value, hit);
      }
    }

    if (tracking) {
      if (request.detailDone() && pending.length === 0) tracking = false;
      else lineBase = cursorLine + hay.countNewlines(cursorPos, hay.length);
    }
    // The last lines seen, for the context of a match at the top of the next chunk (which
    // may follow chunks shorter than the context).
    if (tracking && context > 0) previousTail = [...previousTail, ...linesBefore(hay, hay.length, context)].slice(-context);
  }
  return stats;
}
