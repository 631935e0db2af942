// Log levels: case-insensitive names (with the aliases real loggers print) or pino/bunyan numbers.

import type { LogLevel } from './types.js';

const NAMES: ReadonlyMap<string, LogLevel> = new Map<string, LogLevel>([
  ['trace', 'trace'],
  ['debug', 'debug'],
  ['info', 'info'],
  ['notice', 'info'],
  ['warn', 'warn'],
  ['warning', 'warn'],
  ['error', 'error'],
  ['err', 'error'],
  ['severe', 'error'],
  ['fatal', 'fatal'],
  ['critical', 'fatal'],
  ['crit', 'fatal'],
  ['panic', 'fatal'],
  ['emerg', 'fatal'],
]);

/** The longest name above: anything longer is not a level and is not lowercased. */
export const MAX_LEVEL_LENGTH = 8;

/** First letters of the names above, lowercased: most words are rejected without a lookup. */
const FIRST_LETTERS = new Set([...NAMES.keys()].map((name) => name.charCodeAt(0)));

/** pino/bunyan: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal; custom levels fall in between. */
export function levelFromNumber(n: number): LogLevel | null {
  if (!Number.isFinite(n) || n <= 0) return null;
  if (n < 20) return 'trace';
  if (n < 30) return 'debug';
  if (n < 40) return 'info';
  if (n < 50) return 'warn';
  if (n < 60) return 'error';
  return 'fatal';
}

/** A level name only (no numbers): what a text log line may start with. */
export function levelFromName(name: string): LogLevel | null {
  if (name.length === 0 || name.length > MAX_LEVEL_LENGTH || !FIRST_LETTERS.has(name.charCodeAt(0) | 0x20)) return null;
  return NAMES.get(name) ?? NAMES.get(name.toLowerCase()) ?? null;
}

export function parseLevel(value: unknown): LogLevel | null {
  if (typeof value === 'number') return levelFromNumber(value);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return levelFromNumber(Number(text));
  return levelFromName(text);
}

/** The names above as lowercase bytes, by length and first letter (slot length * 32 + letter). */
const BY_HEAD: Array<Array<{ bytes: Uint8Array; level: LogLevel }> | undefined> = [];
for (const [name, level] of NAMES) {
  const slot = name.length * 32 + (name.charCodeAt(0) - 96);
  (BY_HEAD[slot] ??= []).push({ bytes: Buffer.from(name, 'latin1'), level });
}

/**
 * levelFromName for a word given as bytes [from, to). Only ASCII letters can spell a level
 * name (no other character lowercases to one of its letters), so any other byte rejects it.
 */
export function levelFromBytes(buf: Uint8Array, from: number, to: number): LogLevel | null {
  const length = to - from;
  if (length <= 0 || length > MAX_LEVEL_LENGTH) return null;
  const letter = ((buf[from] as number) | 0x20) - 96;
  if (letter < 1 || letter > 26) return null;
  const candidates = BY_HEAD[length * 32 + letter];
  if (candidates === undefined) return null;
  for (const { bytes, level } of candidates) {
    let k = 0;
    for (; k < length; k++) {
      const c = buf[from + k] as number;
      const want = bytes[k] as number;
      if (c !== want && c !== want - 32) break;
    }
    if (k === length) return level;
  }
  return null;
}
