// Log files as streams of events. Text logs group continuation lines (stack traces) under the
// event above them; JSON-lines logs are one event per line. Events come in batches (one per chunk
// of the file) for callers that walk whole files, or one by one.

import { DEFAULT_MAX_LINE, readLineBatches } from './lines.js';
import { parseJsonLogLine } from './log-jsonl.js';
import { parseLogLine } from './log-line.js';
import { describeError, type ProblemSink } from './problems.js';
import type { BundleFile, LogEvent, ParsedLogLine } from './types.js';

/** A stack trace longer than this keeps its first lines and counts the rest in `continuation_omitted`. */
export const MAX_CONTINUATION_LINES = 1000;

export type LogFormat = 'text' | 'jsonl';

export type LogSource = Pick<BundleFile, 'path' | 'absPath' | 'kind' | 'gzip'>;

export interface LogReadStats {
  events: number;
  malformed: number;
}

export interface LogReadOptions {
  signal?: AbortSignal;
  /** filled in while reading */
  stats?: LogReadStats;
}

const JSONL_NAME = /\.(?:jsonl|ndjson)(?:\.gz)?$/i;

export function logFormat(file: Pick<BundleFile, 'path' | 'kind'>): LogFormat {
  if (file.kind === 'log_jsonl') return 'jsonl';
  if (file.kind === 'log_text') return 'text';
  return JSONL_NAME.test(file.path) ? 'jsonl' : 'text';
}

/** The service a log file speaks for when its lines do not say: `logs/checkout.log.1.gz` → checkout. */
export function logServiceName(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const name = base
    .replace(/\.gz$/i, '')
    .replace(/\.\d+$/, '')
    .replace(/\.(?:log|jsonl|ndjson|txt|json)$/i, '');
  return name || base;
}

function toEvent(parsed: ParsedLogLine, file: string, line: number): LogEvent {
  // A literal with a fixed shape: object spread here costs more than the whole line parse.
  return {
    t: parsed.t,
    level: parsed.level,
    service: parsed.service,
    message: parsed.message,
    file,
    line,
    continuation: [],
    attributes: parsed.attributes,
  };
}

function withContinuation(event: LogEvent, line: string): void {
  if (event.continuation.length < MAX_CONTINUATION_LINES) {
    event.continuation.push(line);
  } else {
    const omitted = event.attributes.continuation_omitted;
    event.attributes.continuation_omitted = (typeof omitted === 'number' ? omitted : 0) + 1;
  }
}

/** Events of a log file, a batch per chunk read. Malformed lines and read errors go to `problems`. */
export async function* readLogEventBatches(
  file: LogSource,
  problems: ProblemSink,
  options: LogReadOptions = {},
): AsyncGenerator<LogEvent[]> {
  const format = logFormat(file);
  const service = logServiceName(file.path);
  const stats = options.stats ?? { events: 0, malformed: 0 };
  const malformed = (line: number, message: string): void => {
    stats.malformed += 1;
    problems.add({ path: file.path, line, message });
  };
  let pending: LogEvent | null = null;
  try {
    for await (const batch of readLineBatches(file.absPath, { signal: options.signal, gzip: file.gzip })) {
      for (const line of batch.truncated) problems.add({ path: file.path, line, message: `line longer than ${DEFAULT_MAX_LINE} characters: cut there` });
      const out: LogEvent[] = [];
      let lineNo = batch.firstLineNo - 1;
      for (const text of batch.lines) {
        lineNo += 1;
        if (format === 'jsonl') {
          if (text.trim() === '') continue;
          const parsed = parseJsonLogLine(text, service);
          if (parsed === null) malformed(lineNo, 'not a JSON object');
          else out.push(toEvent(parsed, file.path, lineNo));
          continue;
        }
        const parsed = parseLogLine(text, service);
        if (parsed !== null) {
          if (pending) out.push(pending);
          pending = toEvent(parsed, file.path, lineNo);
        } else if (text.trim() === '') {
          continue;
        } else if (pending) {
          withContinuation(pending, text);
        } else {
          malformed(lineNo, 'line does not start with a timestamp and follows no event');
        }
      }
      stats.events += out.length;
      if (out.length > 0) yield out;
    }
  } catch (error) {
    problems.add({ path: file.path, message: `could not read the whole file: ${describeError(error)}` });
  }
  if (pending && !options.signal?.aborted) {
    stats.events += 1;
    yield [pending];
  }
}

/** Events of a log file one by one, streamed. */
export async function* readLogEvents(file: LogSource, problems: ProblemSink, options: LogReadOptions = {}): AsyncGenerator<LogEvent> {
  for await (const batch of readLogEventBatches(file, problems, options)) {
    for (const event of batch) {
      if (options.signal?.aborted) return;
      yield event;
    }
  }
}
