// search_logs: grep over the bundle's logs, fast on gigabytes (see analysis/log-scan.ts):
// only matching lines are parsed, to filter by time, level and service and to count matches
// per minute; the first few matches come back with their line references and context.
import { z } from 'zod';
import {
  BLOCK_BYTES,
  formatTime,
  logServiceName,
  parseJsonLogLine,
  parseLogLine,
  readLinesAfter,
  readLinesBefore,
  scanTime,
  type Bundle,
  type BundleFile,
  type LogLevel,
  type ParsedLogLine,
  type WalkRange,
} from '../../bundle/index.js';
import { InputError } from '../../errors.js';
import { SearchLogsResultSchema, type LogMatch } from '../../protocol/results/index.js';
import { lineChunks } from '../analysis/log-chunks.js';
import { buildMatcher, scanChunks, type LineMatcher, type ScanHit, type ScanSpan } from '../analysis/log-scan.js';
import { defineTool } from './define.js';
import { MinuteCounts } from './histogram.js';
import { LEVELS, levelRank, selectLogFiles } from './log-files.js';
import { reachesWindow, walkRanges } from './log-window.js';
import { clip, fitList, offsetPaging } from './output.js';
import { sameName } from './patterns.js';
import { inWindow, relativeToAlert, resolveWindow, timeArg, timeOrNull, windowText, type Window } from './time-args.js';

const input = z.object({
  pattern: z.string().min(1).describe('text to find (literal by default; a regular expression with regex: true)'),
  regex: z.boolean().default(false).describe('treat pattern as a JavaScript regular expression (^ and $ anchor at line ends)'),
  ignore_case: z.boolean().default(false).describe('match case-insensitively (slower on large logs)'),
  file: z.string().optional().describe('only log files whose path matches: exact path, glob, /regex/ or substring'),
  service: z.string().optional().describe('only events of this service'),
  level: z.enum(LEVELS as [LogLevel, ...LogLevel[]]).optional().describe('minimum level, e.g. "warn" keeps warn, error and fatal'),
  from: timeArg('only events from this time (e.g. "-30m")'),
  to: timeArg('only events up to this time'),
  context: z.number().int().min(0).max(10).default(0).describe('lines of context before and after each shown match'),
  max_matches: z.number().int().min(1).max(500).default(50).describe('how many matches to show (all are counted)'),
  offset: z.number().int().min(0).default(0).describe('skip this many matches before showing (to page on)'),
});

/** Files with matches listed in a result; the rest are counted. */
const MAX_FILES_LISTED = 50;

interface Classified {
  t: number | null;
  level: LogLevel | null;
  service: string;
  /** The match is on a continuation line (a stack trace) of the event above it. */
  continuation: boolean;
  /** The line that starts the event (the match itself unless it continues one), for parsing later. */
  eventLine: string | null;
  /** Level and service were read (they are only needed to filter, or for a match that is shown). */
  parsed: boolean;
}

interface Shown {
  ref: string;
  value: Classified;
  hit: ScanHit;
}

/**
 * How a matching line is read. Without a level or service filter only its time is needed (to
 * window and count it), so a text line's leading timestamp is scanned and nothing else: a
 * search that matches millions of lines must not parse each one in full. Shown matches are
 * parsed in full later (`complete`).
 */
function classifier(file: BundleFile, args: z.output<typeof input>, window: Window) {
  const fallback = logServiceName(file.path);
  const jsonl = file.kind === 'log_jsonl';
  const minLevel = args.level === undefined ? -1 : levelRank(args.level);
  const full = jsonl || minLevel >= 0 || args.service !== undefined;
  const filtering = window.from !== null || window.to !== null;
  const parse = (line: string): ParsedLogLine | null => (jsonl ? parseJsonLogLine(line, fallback) : parseLogLine(line, fallback));
  const quickTime = (line: string): number | null => {
    const scanned = scanTime(line, line.charCodeAt(0) === 91 /* [ */ ? 1 : 0);
    return scanned === null ? null : scanned.t;
  };
  const read = (line: string): Classified | null => {
    if (!full) {
      const t = quickTime(line);
      if (t !== null) return { t, level: null, service: fallback, continuation: false, eventLine: line, parsed: false };
    }
    const parsed = parse(line);
    return parsed && { t: parsed.t, level: parsed.level, service: parsed.service, continuation: false, eventLine: line, parsed: true };
  };
  return (line: string, previous: () => Iterable<string>): Classified | null => {
    let value = read(line);
    if (value === null && !jsonl) {
      for (const before of previous()) {
        value = read(before);
        if (value !== null) break;
      }
      value = value === null ? { t: null, level: null, service: fallback, continuation: true, eventLine: null, parsed: true } : { ...value, continuation: true };
    }
    value ??= { t: null, level: null, service: fallback, continuation: false, eventLine: null, parsed: true };
    if (filtering && !inWindow(value.t, window)) return null;
    if (minLevel >= 0 && levelRank(value.level) < minLevel) return null;
    if (args.service !== undefined && !sameName(value.service, args.service)) return null;
    return value;
  };
}

/** Level and service of a match that is shown, when the scan only read its time. */
function complete(file: BundleFile, value: Classified): Classified {
  if (value.parsed || value.eventLine === null) return value;
  const parsed = parseLogLine(value.eventLine, logServiceName(file.path));
  return parsed ? { ...value, level: parsed.level, service: parsed.service, parsed: true } : value;
}

/**
 * The stretches of a file a windowed search must read: with a time window, a plain file larger
 * than a block is read only where its block map (from the bundle's pass over it) has lines
 * dated in the window; every other line there belongs to an event outside it. Null: all of it.
 */
async function rangesFor(bundle: Bundle, file: BundleFile, window: Window, signal: AbortSignal): Promise<WalkRange[] | null> {
  if (file.gzip || (window.from === null && window.to === null) || file.size <= BLOCK_BYTES) return null;
  const map = await bundle.logMap(file, { signal });
  if (map.blocks.length < 2) return null;
  return walkRanges(
    map.blocks.filter((block) => reachesWindow(block, window)),
    file,
  );
}

/** Where a range of a file sits, for line numbers and the context of matches at its edges. */
function spanOf(file: BundleFile, range: WalkRange, context: number): ScanSpan {
  return {
    firstLine: range.line,
    fileStart: range.offset === 0,
    before: readLinesBefore(file.absPath, range.offset, context),
    after: async (count) => (range.end === undefined ? [] : readLinesAfter(file.absPath, range.end, count)),
  };
}

function compile(args: z.output<typeof input>): LineMatcher {
  try {
    return buildMatcher(args.pattern, { regex: args.regex, ignoreCase: args.ignore_case });
  } catch (error) {
    throw new InputError(`pattern is not a valid regular expression: ${(error as Error).message}`, {
      hint: 'escape special characters with a backslash, or search a literal with regex: false',
    });
  }
}

export const searchLogs = defineTool({
  name: 'search_logs',
  description: [
    'Searches the log files for a literal (default) or a regular expression (regex: true), fast even on gigabytes.',
    'Filters by file, service, minimum level, and time window (from/to; offsets from the alert such as "-30m" work).',
    'Returns the total number of matching lines, counts per file, counts over time (per minute, wider buckets for long',
    'spans: use it to see when an error started), and the first max_matches matches (default 50), each with its reference',
    '(logs/api.log:1234), time, level, service, text and optional context lines. A match inside a stack trace is',
    'attributed to the event above it. To see more, call again with offset set to the number already seen.',
    'Use log_patterns instead to see which kinds of messages appeared or spiked.',
  ].join(' '),
  inputSchema: input,
  outputSchema: SearchLogsResultSchema,
  async run(args, context) {
    const { bundle, signal } = context;
    const alertAt = (await bundle.alert())?.startedAt ?? null;
    const window = resolveWindow(args.from, args.to, alertAt);
    const files = selectLogFiles(bundle, args.file);
    const matcher = compile(args);

    let accepted = 0;
    const wanted = args.offset + args.max_matches;
    const shown: Shown[] = [];
    const perFile: Array<{ file: string; matches: number; bytes_scanned: number }> = [];
    const histogram = new MinuteCounts();
    let undated = 0;
    let first: number | null = null;
    let last: number | null = null;

    for (const file of files) {
      if (signal.aborted) break;
      let count = 0;
      const classify = classifier(file, args, window);
      const ranges = await rangesFor(bundle, file, window, signal);
      let bytes = 0;
      for (const range of ranges ?? [null]) {
        if (signal.aborted) break;
        const chunks = lineChunks(file.absPath, { gzip: file.gzip, signal, start: range?.offset, end: range?.end });
        const stats = await scanChunks<Classified>(
          chunks,
          {
            matcher,
            context: args.context,
            classify,
            wantsDetail: () => accepted >= args.offset && accepted < wanted,
            detailDone: () => accepted >= wanted,
            accept: (value, hit) => {
              if (hit) shown.push({ ref: `${file.path}:${hit.lineNo}`, value: complete(file, value), hit });
              accepted += 1;
              count += 1;
              if (value.t === null) {
                undated += 1;
              } else {
                histogram.add(value.t);
                if (first === null || value.t < first) first = value.t;
                if (last === null || value.t > last) last = value.t;
              }
            },
          },
          signal,
          range === null ? undefined : spanOf(file, range, args.context),
        );
        bytes += stats.bytes;
      }
      perFile.push({ file: file.path, matches: count, bytes_scanned: bytes });
    }

    const items = shown.map(({ ref, value, hit }): LogMatch => ({
      ref,
      t: timeOrNull(value.t),
      level: value.level,
      service: value.service,
      ...(value.continuation ? { in_event_above: true as const } : {}),
      text: clip(hit.text, 500),
      ...(args.context > 0 ? { before: hit.before.map((l) => clip(l, 300)), after: hit.after.map((l) => clip(l, 300)) } : {}),
    }));
    const rest = Math.max(0, accepted - args.offset - items.length);
    const overTime = histogram.buckets();
    const when = first === null ? '' : `, first ${formatTime(first)}${alertAt === null ? '' : ` (${relativeToAlert(first, alertAt)})`}, last ${formatTime(last ?? first)}`;
    return fitList({
      items,
      maxChars: context.limits.maxOutputChars,
      alreadyOmitted: rest,
      alreadyPageOn: offsetPaging('search_logs', args.offset)(items.length),
      pageOn: offsetPaging('search_logs', args.offset, args.context > 0 ? ' (or less context)' : ''),
      build: (list) => ({
        summary: `${accepted} matching lines in ${perFile.filter((f) => f.matches > 0).length} of ${files.length} log files${when}${signal.aborted ? ' (search cancelled before the end)' : ''}`,
        total_matches: accepted,
        offset: args.offset,
        window: windowText(window),
        files: perFile.filter((f) => f.matches > 0).slice(0, MAX_FILES_LISTED),
        files_without_matches: perFile.filter((f) => f.matches === 0).length,
        over_time: overTime,
        ...(undated > 0 ? { matches_without_time: undated } : {}),
        matches: list,
      }),
    });
  },
});
