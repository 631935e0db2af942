// Options several commands share, each checked where it is parsed: a value outside what
// the option takes is refused in one line naming what it does take, before any work.
// Kept free of heavy imports: commands register these at start-up.
import { Option } from 'commander';
import { InputError } from '../errors.js';
import { didYouMean } from './suggest.js';

/** `local`, or the http(s) URL of an `incident serve`. */
export function parseRuntime(value: string): string {
  const hint = 'use local, or the URL an `incident serve` printed, like http://127.0.0.1:4646';
  if (value === 'local') return value;
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    url = null;
  }
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new InputError(`--runtime ${value} is neither local nor the http(s) URL of a runtime${didYouMean(value, ['local'])}`, { hint });
  }
  return value;
}

export function runtimeOption(description: string): Option {
  return new Option('--runtime <local|url>', description).default('local').argParser(parseRuntime);
}

/** Longer than any investigation, and well inside what a timer can hold. */
const MAX_TIMEOUT_MS = 24 * 3_600_000;

/** `--timeout`: a duration (`90s`, `10m`, `1h30m`, `500ms`) or a number of seconds, from 1s to 24h. */
export async function parseTimeout(value: string | undefined): Promise<number | null> {
  if (value === undefined) return null;
  const { parseDuration } = await import('../definitions/duration.js');
  const text = value.trim();
  const ms = /^\d+(?:\.\d+)?$/.test(text) ? Number(text) * 1000 : parseDuration(text);
  if (ms === undefined || ms < 1000 || ms > MAX_TIMEOUT_MS) {
    throw new InputError(`--timeout ${value} is not a duration from 1s to 24h`, { hint: 'e.g. --timeout 90s, 10m, 1h30m, or 600 for seconds' });
  }
  return ms;
}
