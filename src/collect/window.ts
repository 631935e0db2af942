// The window a collection covers, as people say it: an absolute time (`2026-11-20T14:00Z`,
// epoch seconds), a duration meaning "that long ago" (`3h`), `now`, or a time relative to
// now or to the alert's start (`now-3h`, `alert-1h`, `alert+30m`). Specs are kept as
// written in the plan (a rerun means the same thing) and resolved once, when the
// collection starts; the resolved window is then kept in its manifest.
import { parseDuration, parseTime } from '../bundle/index.js';
import { InputError } from '../errors.js';

export type TimeSpec = string;

export const DEFAULT_SINCE: TimeSpec = '3h';
export const DEFAULT_UNTIL: TimeSpec = 'now';

export interface Window {
  since: number;
  until: number;
}

const RELATIVE = /^(now|alert)\s*(?:([+-])\s*(.*))?$/i;

/** Whether the spec needs the alert's start to mean anything. */
export function needsAlert(spec: TimeSpec): boolean {
  return /^alert\b/i.test(spec.trim());
}

/** A spec's problem in words, or null when it is one (checked before anything is collected). */
export function checkTimeSpec(spec: TimeSpec): string | null {
  const text = spec.trim();
  if (text === '') return 'is empty';
  const relative = RELATIVE.exec(text);
  if (relative) return relative[3] === undefined || parseDuration(relative[3]) !== null ? null : `has no duration after ${relative[2] ?? ''} (like 1h, 30m)`;
  if (parseDuration(text) !== null && !/^\d{10,}(?:\.\d+)?$/.test(text)) return null;
  return parseTime(text) === null ? 'is not a time' : null;
}

/** Epoch milliseconds of a spec; throws an InputError naming the option when it is not one. */
export function resolveTime(spec: TimeSpec, option: string, context: { now: number; alertStart: number | null }): number {
  const text = spec.trim();
  const relative = RELATIVE.exec(text);
  if (relative) {
    const anchor = relative[1]?.toLowerCase() === 'alert' ? context.alertStart : context.now;
    if (anchor === null) {
      throw new InputError(`${option} ${spec} is relative to the alert, and the alert has no start time`, {
        hint: 'give the alert (--alertmanager with --alert, or --started-at), or an absolute time or a duration like 3h',
      });
    }
    if (relative[3] === undefined) return anchor;
    const offset = parseDuration(relative[3]);
    if (offset === null) throw new InputError(`${option} ${spec} has no duration after ${relative[2] ?? ''}`, { hint: 'like alert-1h or now-30m' });
    return relative[2] === '-' ? anchor - offset : anchor + offset;
  }
  // A bare number of ten or more digits is an epoch time; anything shorter with a unit is "that long ago".
  const ago = /^\d{10,}(?:\.\d+)?$/.test(text) ? null : parseDuration(text);
  if (ago !== null) return context.now - ago;
  const t = parseTime(text);
  if (t === null) {
    throw new InputError(`${option} ${spec} is not a time`, { hint: 'give an RFC 3339 time, epoch seconds, a duration ago (3h), or now-30m, alert-1h, alert+15m' });
  }
  return t;
}

export function resolveWindow(since: TimeSpec, until: TimeSpec, context: { now: number; alertStart: number | null }): Window {
  const from = resolveTime(since, '--since', context);
  const to = Math.min(resolveTime(until, '--until', context), context.now);
  if (!(from < to)) {
    throw new InputError(`the window is empty: --since ${since} is not before --until ${until}${to === context.now ? ' (or now)' : ''}`, {
      hint: 'give a --since earlier than --until',
    });
  }
  return { since: from, until: to };
}
