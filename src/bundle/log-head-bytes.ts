// The byte-level pieces of reading a text log line's head (log-head.ts): character classes, a
// logfmt key's role, a level written as a logfmt value, a dotted logger name, a tag. Each
// mirrors its string counterpart in log-line.ts, levels.ts or logfmt.ts for ASCII, the only
// text these decisions can accept.

import { levelFromBytes, levelFromNumber } from './levels.js';
import type { LogLevel } from './types.js';

const SPACE = 32;
const TAB = 9;
export const OPEN_BRACKET = 91;
export const CLOSE_BRACKET = 93;
export const EQUALS = 61;
export const QUOTE = 34;
export const BACKSLASH = 92;

export const isSpace = (c: number): boolean => c === SPACE || c === TAB;
export const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlnum = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c);

/** `[\w.\-:/@]`, the characters of a `[service]` tag. */
const isTagByte = (c: number): boolean => isAlnum(c) || c === 95 || c === 46 || c === 45 || c === 58 || c === 47 || c === 64;
/** `[\w$]`, a character of a dotted logger name. */
const isLoggerByte = (c: number): boolean => isAlnum(c) || c === 95 || c === 36;
/** The characters looksLikeLogfmt accepts in a key. */
const isKeyByte = (c: number): boolean => isAlnum(c) || c === 95 || c === 46 || c === 45 || c === 64;

export type Role = 'level' | 'service' | 'svc' | 'app' | null;

const ROLE_KEYS: ReadonlyArray<[Uint8Array, Role]> = [
  ['level', 'level'],
  ['lvl', 'level'],
  ['severity', 'level'],
  ['loglevel', 'level'],
  ['service', 'service'],
  ['svc', 'svc'],
  ['app', 'app'],
].map(([name, role]) => [Buffer.from(name as string, 'latin1'), role as Role]);

/** The role of a logfmt key, case-insensitively, as roleOf in log-line.ts; message and time keys do not matter here. */
export function roleOf(buf: Buffer, from: number, to: number): Role {
  const length = to - from;
  for (const [name, role] of ROLE_KEYS) {
    if (name.length !== length) continue;
    let k = 0;
    for (; k < length; k++) {
      const c = buf[from + k] as number;
      const want = name[k] as number;
      if (c !== want && c !== want - 32) break;
    }
    if (k === length) return role;
  }
  return null;
}

/** `^[\w$]+(?:\.[\w$]+)+(?::\d+)?$` over bytes [from, to). */
function isDottedLogger(buf: Buffer, from: number, to: number): boolean {
  let i = from;
  let segments = 0;
  for (;;) {
    const segment = i;
    while (i < to && isLoggerByte(buf[i] as number)) i += 1;
    if (i === segment) return false;
    segments += 1;
    if (i === to) return segments >= 2;
    const c = buf[i] as number;
    if (c === 46) {
      i += 1;
    } else if (c === 58 && segments >= 2) {
      const number = ++i;
      while (i < to && isDigit(buf[i] as number)) i += 1;
      return i > number && i === to;
    } else {
      return false;
    }
  }
}

/** parseLevel for a logfmt value in bytes: null when it is no level, undefined when unsure. */
export function levelOfValue(buf: Buffer, from: number, to: number): LogLevel | null | undefined {
  let numeric = to > from;
  for (let k = from; k < to; k++) {
    const c = buf[k] as number;
    // trim() drops more than spaces: leave anything like whitespace or beyond ASCII to the parser.
    if (c <= SPACE || c >= 0x7f) return undefined;
    if (!isDigit(c)) numeric = false;
  }
  if (!numeric) return levelFromBytes(buf, from, to);
  if (to - from > 15) return undefined;
  let n = 0;
  for (let k = from; k < to; k++) n = n * 10 + ((buf[k] as number) - 48);
  return levelFromNumber(n);
}

export function skipSpaces(buf: Buffer, i: number, end: number): number {
  while (i < end && isSpace(buf[i] as number)) i += 1;
  return i;
}

export function skipWord(buf: Buffer, i: number, end: number): number {
  while (i < end && !isSpace(buf[i] as number)) i += 1;
  return i;
}

export function isTag(buf: Buffer, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (!isTagByte(buf[k] as number)) return false;
  return true;
}

/** `logger - message` at i with a dotted logger name, as loggerAt(…, true) in log-line.ts. */
export function loggerAt(buf: Buffer, i: number, end: number): boolean {
  const wordEnd = skipWord(buf, i, end);
  if (wordEnd === i) return false;
  const dash = skipSpaces(buf, wordEnd, end);
  if (dash >= end || buf[dash] !== 45 /* - */ || (dash + 1 < end && !isSpace(buf[dash + 1] as number))) return false;
  return isDottedLogger(buf, i, wordEnd);
}

/** True when the text at i begins with `key=`. */
export function looksLikeLogfmt(buf: Buffer, i: number, end: number): boolean {
  for (let k = i; k < end; k++) {
    const c = buf[k] as number;
    if (c === EQUALS) return k > i;
    if (!isKeyByte(c)) return false;
  }
  return false;
}

/** Past a quoted value at `quote` (Go-style escapes; an unterminated quote runs to the end). */
export function skipQuoted(buf: Buffer, quote: number, end: number): number {
  let i = quote + 1;
  while (i < end) {
    const c = buf[i] as number;
    if (c === QUOTE) return i + 1;
    i += c === BACKSLASH && i + 1 < end ? 2 : 1;
  }
  return end;
}

/** `time=`, `ts=` or `timestamp=` at the start of the line. */
export function leadingTimePair(buf: Buffer, start: number, end: number): boolean {
  const is = (text: string): boolean => {
    if (start + text.length > end) return false;
    for (let k = 0; k < text.length; k++) if (buf[start + k] !== text.charCodeAt(k)) return false;
    return true;
  };
  return is('time=') || is('ts=') || is('timestamp=');
}
