// A grep over log chunks that touches as little as it can. A literal is found in the raw
// bytes with Buffer#indexOf, anchored on the byte of the needle that is rarest in the file
// (sampled from its first chunk): indexOf skips ahead with memchr to the needle's first byte,
// so starting from a rare one is what makes it fast. A regular expression that must contain
// some literal text is searched the same way and run only on the lines holding that text;
// so is an alternation whose every branch holds a literal (`timeout|refused|ENOSPC`), when no
// match can span lines (literal-set.ts; where the regex over the text is faster, it runs); any other runs
// over a whole decoded chunk with multiline anchors, never line by line. Only
// a line that matches is decoded and handed to the caller to parse and filter. Line numbers
// cost a newline count, so they are counted only while the caller still wants detail (a line
// number and context) for some match; after that the scan is pure search.
import {
  ByteHaystack,
  ByteLines,
  chooseAnchor,
  LiteralSetHaystack,
  linesBackward,
  linesBefore,
  linesForward,
  TextHaystack,
  type Anchor,
  type Haystack,
} from './haystack.js';
import { LiteralSetScan } from './literal-set.js';
import { alternationLiterals, isLineLocal, requiredLiteral } from './regex-literal.js';
import { escapeRegExp } from '../../regexp.js';

export { chooseAnchor, type Anchor } from './haystack.js';

export type LineMatcher =
  | { kind: 'literal'; needle: Buffer }
  /** Lines holding `needle` are candidates; `verify` decides. */
  | { kind: 'prefiltered'; needle: Buffer; verify: RegExp }
  /**
   * A line-local regex every match of which holds one of `literals`: lines holding one are
   * candidates and `verify` decides, unless the file makes `regex` over the text cheaper.
   */
  | { kind: 'literals'; literals: Buffer[]; ignoreCase: boolean; verify: RegExp; regex: RegExp }
  | { kind: 'regex'; regex: RegExp };

/**
 * One required literal per branch of a line-local pattern, as bytes; null when the pattern is
 * not like that. Ignoring case, the literals must be ASCII: only then is folding bytes exactly
 * what the regex's case-insensitive match does.
 */
function literalSet(source: string, ignoreCase: boolean): Buffer[] | null {
  if (!isLineLocal(source)) return null;
  const literals = alternationLiterals(source);
  if (literals === null) return null;
  // U+FFFD also stands for undecodable bytes, which no byte search finds.
  const plain = ignoreCase ? /^[\x00-\x7f]*$/ : /^[^\ufffd\ud800-\udfff]*$/;
  return literals.every((literal) => plain.test(literal)) ? literals.map((literal) => Buffer.from(literal, 'utf8')) : null;
}

/** A literal, or a regular expression (also for a case-insensitive literal). Throws SyntaxError on a bad regex. */
export function buildMatcher(pattern: string, options: { regex: boolean; ignoreCase: boolean }): LineMatcher {
  if (!options.regex && !options.ignoreCase) return { kind: 'literal', needle: Buffer.from(pattern, 'utf8') };
  const source = options.regex ? pattern : escapeRegExp(pattern);
  const regex = new RegExp(source, options.ignoreCase ? 'gmi' : 'gm');
  const literal = options.ignoreCase ? null : requiredLiteral(source);
  if (literal !== null) return { kind: 'prefiltered', needle: Buffer.from(literal, 'utf8'), verify: new RegExp(source) };
  const literals = literalSet(source, options.ignoreCase);
  if (literals !== null) return { kind: 'literals', literals, ignoreCase: options.ignoreCase, verify: new RegExp(source, options.ignoreCase ? 'mi' : 'm'), regex };
  return { kind: 'regex', regex };
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

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Where the chunks sit when they are a stretch of a file rather than all of it. */
export interface ScanSpan {
  /** Line number of the first line of the first chunk. */
  firstLine: number;
  /** The chunks start at the top of the file, where a BOM is dropped. */
  fileStart: boolean;
  /** The lines just before the first chunk, in file order (for context). */
  before: readonly string[];
  /** Up to `count` lines just after the last chunk (for context). */
  after(count: number): Promise<string[]>;
}

/** Scans chunks of whole lines (see lineChunks) for the request's pattern. */
export async function scanChunks<T>(chunks: AsyncIterable<Buffer>, request: ScanRequest<T>, signal?: AbortSignal, span?: ScanSpan): Promise<ScanStats> {
  const { matcher, context } = request;
  const stats: ScanStats = { bytes: 0, matchedLines: 0 };
  let lineBase = span?.firstLine ?? 1;
  let tracking = true;
  let previousTail: string[] = context > 0 && span ? span.before.slice(-context) : [];
  const fileStart = span?.fileStart ?? true;
  let pending: ScanHit[] = [];
  let anchor: Anchor | null = null;
  const literalSet = matcher.kind === 'literals' ? new LiteralSetScan(matcher.literals, matcher.ignoreCase, matcher.regex) : null;
  const haystack = (chunk: Buffer): Haystack => {
    if (matcher.kind === 'literal' || matcher.kind === 'prefiltered') {
      anchor ??= chooseAnchor(matcher.needle, chunk);
      return new ByteHaystack(chunk, matcher.needle, anchor);
    }
    const found = literalSet?.candidates(chunk) ?? null;
    return found === null ? new TextHaystack(chunk.toString('utf8'), matcher.regex) : new LiteralSetHaystack(chunk, found);
  };
  // Byte haystacks propose lines holding a literal, which the expression then decides.
  const verify = matcher.kind === 'prefiltered' || matcher.kind === 'literals' ? matcher.verify : null;

  for await (let chunk of chunks) {
    if (signal?.aborted) break;
    stats.bytes += chunk.length;
    if (fileStart && stats.bytes === chunk.length && chunk.subarray(0, 3).equals(BOM)) chunk = chunk.subarray(3);
    const hay = haystack(chunk);

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
      if (verify !== null && hay instanceof ByteLines && !verify.test(line)) continue;
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
  if (pending.length > 0 && span && !signal?.aborted) {
    const lines = await span.after(context);
    for (const hit of pending) hit.after.push(...lines.slice(0, context - hit.after.length));
  }
  return stats;
}
