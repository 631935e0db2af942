// The text a grep searches, one chunk at a time, behind one interface: where the next match
// starts, and the lines around a position. Bytes are searched for a literal (anchored on its
// rarest byte) or a set of literals; a regular expression runs over the decoded chunk.

const NEWLINE = 10;
const MAX_LOOKBACK_LINES = 1000;

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

export interface Haystack {
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

/** Lines of a chunk of bytes; what finds the matches is up to the subclass. */
export abstract class ByteLines implements Haystack {
  constructor(protected readonly buf: Buffer) {}
  abstract find(from: number): number;
  get length(): number {
    return this.buf.length;
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

export class ByteHaystack extends ByteLines {
  constructor(
    buf: Buffer,
    private readonly needle: Buffer,
    private readonly anchor: Anchor,
  ) {
    super(buf);
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
}

/** The positions of any of a set of literals, found up front for the whole chunk (ascending). */
export class LiteralSetHaystack extends ByteLines {
  readonly #found: readonly number[];
  #next = 0;
  constructor(buf: Buffer, found: readonly number[]) {
    super(buf);
    this.#found = found;
  }
  find(from: number): number {
    const found = this.#found;
    while (this.#next < found.length && (found[this.#next] as number) < from) this.#next += 1;
    return this.#next < found.length ? (found[this.#next] as number) : -1;
  }
}

export class TextHaystack implements Haystack {
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

export function* linesBackward(hay: Haystack, lineStart: number): Generator<string> {
  let end = lineStart - 1; // the newline ending the previous line
  for (let k = 0; k < MAX_LOOKBACK_LINES && end >= 0; k++) {
    const start = hay.lineStart(end);
    yield hay.text(start, end);
    end = start - 1;
  }
}

/** The `count` lines before the line at lineStart, in file order. */
export function linesBefore(hay: Haystack, lineStart: number, count: number): string[] {
  const lines: string[] = [];
  if (count === 0) return lines;
  for (const line of linesBackward(hay, lineStart)) {
    lines.push(line);
    if (lines.length === count) break;
  }
  return lines.reverse();
}

/** Up to `count` lines starting at `from`. */
export function linesForward(hay: Haystack, from: number, count: number): string[] {
  const lines: string[] = [];
  let start = from;
  while (lines.length < count && start < hay.length) {
    const end = hay.lineEnd(start);
    lines.push(hay.text(start, end));
    start = end + 1;
  }
  return lines;
}

