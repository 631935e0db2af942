// One line of a text log. It starts with a timestamp (ISO or epoch, optionally in brackets), then:
//   LEVEL message
//   LEVEL [thread] logger - message          (logback / log4j)
//   [thread] LEVEL a.dotted.Logger - message (logback's default layout; the dots tell it from a tag)
//   [service] LEVEL message | [service] message | [service] key=value…
//   key=value… (logfmt: level/lvl/severity, service/svc/app, msg/message)
// A line without a leading timestamp is a continuation (null). Two kinds of line that carry their
// time inside are events too: a JSON object with a time field, and logfmt that starts with `time=`.

import { levelFromName, MAX_LEVEL_LENGTH, parseLevel } from './levels.js';
import { mapJsonLogRecord } from './log-jsonl.js';
import { LogfmtCursor, looksLikeLogfmt } from './logfmt.js';
import { parseTime, scanTime } from './time.js';
import type { LogLevel, ParsedLogLine } from './types.js';

const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;

const TAG = /^[\w.\-:/@]+$/;
const LEADING_TIME_PAIR = /^(?:time|ts|timestamp)=/;

function isSpace(code: number): boolean {
  return code === 32 || code === 9;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function skipSpaces(line: string, i: number): number {
  while (isSpace(line.charCodeAt(i))) i += 1;
  return i;
}

function wordEnd(line: string, i: number): number {
  while (i < line.length && !isSpace(line.charCodeAt(i))) i += 1;
  return i;
}

/** A level word such as `ERROR`, `error:` or `[WARN]`; its level and where the text after it starts. */
function levelAt(line: string, i: number): { level: LogLevel; next: number } | null {
  const end = wordEnd(line, i);
  let from = i;
  let to = end;
  if (line.charCodeAt(from) === OPEN_BRACKET && line.charCodeAt(to - 1) === CLOSE_BRACKET) {
    from += 1;
    to -= 1;
  } else if (line.charCodeAt(to - 1) === 58 /* : */) {
    to -= 1;
  }
  if (to - from > MAX_LEVEL_LENGTH || to <= from) return null;
  const level = levelFromName(line.slice(from, to));
  return level ? { level, next: skipSpaces(line, end) } : null;
}

const DOTTED_LOGGER = /^[\w$]+(?:\.[\w$]+)+(?::\d+)?$/;

/** `logger - message` at i: the logger name and where the message starts. */
function loggerAt(line: string, i: number, requireDots: boolean): { logger: string; next: number } | null {
  const end = wordEnd(line, i);
  if (end === i) return null;
  const dash = skipSpaces(line, end);
  if (line.charCodeAt(dash) !== 45 /* - */ || (dash + 1 < line.length && !isSpace(line.charCodeAt(dash + 1)))) return null;
  const logger = line.slice(i, end);
  if (requireDots && !DOTTED_LOGGER.test(logger)) return null;
  return { logger, next: skipSpaces(line, dash + 1) };
}

function hasUpperCase(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) return true;
  }
  return false;
}

type LogfmtRole = 'level' | 'message' | 'service' | 'svc' | 'app' | 'time' | null;

/** What a logfmt key means here; a plain switch, because this runs for every pair of every line. */
function roleOf(key: string): LogfmtRole {
  switch (key) {
    case 'level':
    case 'lvl':
    case 'severity':
    case 'loglevel':
      return 'level';
    case 'msg':
    case 'message':
      return 'message';
    case 'service':
    case 'svc':
    case 'app':
      return key;
    case 'time':
    case 'ts':
    case 'timestamp':
    case '@timestamp':
      return 'time';
    default:
      return hasUpperCase(key) ? roleOf(key.toLowerCase()) : null;
  }
}

/** One cursor for every line: parsing is synchronous, so it is never shared across calls in flight. */
const LOGFMT = new LogfmtCursor();

function fromLogfmt(line: string, i: number, t: number | null, service: string): ParsedLogLine {
  const attributes: Record<string, unknown> = {};
  let level: LogLevel | null = null;
  let message: string | null = null;
  let time = t;
  let byService: string | null = null;
  let bySvc: string | null = null;
  let byApp: string | null = null;
  const cursor = LOGFMT.reset(line, i);
  while (cursor.next()) {
    const key = cursor.key;
    const value = cursor.value;
    const role = typeof value === 'string' ? roleOf(key) : null;
    if (role === 'level' && level === null) {
      level = parseLevel(value);
      if (level !== null) continue;
    } else if (role === 'message' && message === null) {
      message = value as string;
      continue;
    } else if (role === 'service' && byService === null && value !== '') {
      byService = value as string;
      continue;
    } else if (role === 'svc' && bySvc === null && value !== '') {
      bySvc = value as string;
      continue;
    } else if (role === 'app' && byApp === null && value !== '') {
      byApp = value as string;
      continue;
    } else if (role === 'time' && time === null) {
      time = parseTime(value);
      if (time !== null) continue;
    }
    attributes[key] = value;
  }
  return { t: time, level, service: byService ?? bySvc ?? byApp ?? service, message: message ?? line.slice(i), attributes };
}

/** Everything after the timestamp. */
function parseBody(line: string, start: number, t: number, fallbackService: string): ParsedLogLine {
  let i = start;
  const service = fallbackService;
  if (line.charCodeAt(i) === OPEN_BRACKET) {
    const close = line.indexOf(']', i + 1);
    const tag = close > i + 1 ? line.slice(i + 1, close) : '';
    if (tag !== '' && levelFromName(tag) === null && TAG.test(tag)) {
      const after = skipSpaces(line, close + 1);
      const level = levelAt(line, after);
      if (level) {
        const logger = loggerAt(line, level.next, true);
        if (logger) {
          return { t, level: level.level, service, message: line.slice(logger.next), attributes: { thread: tag, logger: logger.logger } };
        }
        return { t, level: level.level, service: tag, message: line.slice(level.next), attributes: {} };
      }
      if (looksLikeLogfmt(line, after)) return fromLogfmt(line, after, t, tag);
      return { t, level: null, service: tag, message: line.slice(after), attributes: {} };
    }
  }
  const level = levelAt(line, i);
  if (level) {
    i = level.next;
    if (line.charCodeAt(i) === OPEN_BRACKET) {
      const close = line.indexOf(']', i + 1);
      const logger = close > i ? loggerAt(line, skipSpaces(line, close + 1), false) : null;
      if (logger) {
        return {
          t,
          level: level.level,
          service,
          message: line.slice(logger.next),
          attributes: { thread: line.slice(i + 1, close), logger: logger.logger },
        };
      }
    } else {
      const logger = loggerAt(line, i, true);
      if (logger) return { t, level: level.level, service, message: line.slice(logger.next), attributes: { logger: logger.logger } };
    }
    return { t, level: level.level, service, message: line.slice(i), attributes: {} };
  }
  if (looksLikeLogfmt(line, i)) return fromLogfmt(line, i, t, service);
  return { t, level: null, service, message: line.slice(i), attributes: {} };
}

/** A text log line; null when it does not start with a timestamp (a continuation line). */
export function parseLogLine(line: string, fallbackService: string): ParsedLogLine | null {
  const first = line.charCodeAt(0);
  if (first === OPEN_BRACE) {
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      return null;
    }
    const parsed = mapJsonLogRecord(record, fallbackService);
    return parsed && parsed.t !== null ? parsed : null;
  }
  const bracketed = first === OPEN_BRACKET;
  const start = bracketed ? 1 : 0;
  const scanned = isDigit(line.charCodeAt(start)) ? scanTime(line, start) : null;
  if (scanned === null) {
    if (first === 116 /* t */ && LEADING_TIME_PAIR.test(line)) {
      const parsed = fromLogfmt(line, 0, null, fallbackService);
      return parsed.t === null ? null : parsed;
    }
    return null;
  }
  let i = scanned.end;
  if (bracketed) {
    if (line.charCodeAt(i) !== CLOSE_BRACKET) return null;
    i += 1;
  }
  if (i < line.length && !isSpace(line.charCodeAt(i))) return null;
  return parseBody(line, skipSpaces(line, i), scanned.t, fallbackService);
}
