// Times in tool arguments and results. Arguments take any form the bundle accepts, plus an
// offset against the page (`-30m` is thirty minutes before the alert started, `+10m` after)
// and the word `alert`; results print RFC 3339 UTC and say where a time sits against the page.
import { z } from 'zod';
import { formatTime, parseDuration, parseTime } from '../../bundle/index.js';
import { InputError } from '../../errors.js';

const TIME_FORMS = 'an RFC 3339 time, epoch seconds or ms, "alert" (the alert start), or an offset from it such as "-30m" or "+10m"';

/** An optional time argument; `purpose` says what it does, the forms it takes are added. */
export function timeArg(purpose: string): z.ZodOptional<z.ZodUnion<readonly [z.ZodString, z.ZodNumber]>> {
  return z.union([z.string(), z.number()]).optional().describe(`${purpose}: ${TIME_FORMS}`);
}

export const TIME_HINT = 'use an RFC 3339 time such as 2026-11-20T14:02:00Z, epoch seconds, or an offset from the alert such as "-30m"';

/** Epoch ms for a time argument; `alertAt` anchors relative offsets. Throws InputError. */
export function resolveTime(value: string | number, alertAt: number | null, name: string): number {
  if (typeof value === 'string') {
    const text = value.trim();
    const relative = /^([+-])\s*(.+)$/.exec(text);
    if (text.toLowerCase() === 'alert' || text.toLowerCase() === 'page' || relative) {
      if (alertAt === null) {
        throw new InputError(`${name} "${value}" is relative to the alert, but the bundle has no alert start time`, {
          hint: 'give an absolute time (describe_bundle shows the time span of the data)',
        });
      }
      if (!relative) return alertAt;
      const amount = parseDuration(relative[2] ?? '');
      if (amount === null) throw new InputError(`${name} "${value}" is not a valid offset`, { hint: TIME_HINT });
      return relative[1] === '-' ? alertAt - amount : alertAt + amount;
    }
  }
  const t = parseTime(value);
  if (t === null) throw new InputError(`${name} "${String(value)}" is not a time`, { hint: TIME_HINT });
  return t;
}

export interface Window {
  from: number | null;
  to: number | null;
}

export function resolveWindow(from: string | number | undefined, to: string | number | undefined, alertAt: number | null): Window {
  const window: Window = {
    from: from === undefined ? null : resolveTime(from, alertAt, 'from'),
    to: to === undefined ? null : resolveTime(to, alertAt, 'to'),
  };
  if (window.from !== null && window.to !== null && window.from > window.to) {
    throw new InputError(`from (${formatTime(window.from)}) is after to (${formatTime(window.to)})`, { hint: 'swap them' });
  }
  return window;
}

export function inWindow(t: number | null, window: Window): boolean {
  if (window.from === null && window.to === null) return true;
  if (t === null) return false;
  return (window.from === null || t >= window.from) && (window.to === null || t <= window.to);
}

export function windowText(window: Window): { from: string | null; to: string | null } {
  return { from: window.from === null ? null : formatTime(window.from), to: window.to === null ? null : formatTime(window.to) };
}

/** A duration in the largest units that read well: `45s`, `42m`, `2h 5m`, `3d 4h`. */
export function formatDuration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 || m >= 10 ? `${m}m` : `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 === 0 ? `${h}h` : `${h}h ${m % 60}m`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d}d` : `${d}d ${h % 24}h`;
}

/** "42m before the page", "3m after the page", "at the page"; null without an alert time. */
export function relativeToAlert(t: number | null, alertAt: number | null): string | null {
  if (t === null || alertAt === null) return null;
  const delta = t - alertAt;
  if (Math.abs(delta) < 1000) return 'at the page';
  return `${formatDuration(delta)} ${delta < 0 ? 'before' : 'after'} the page`;
}

export function timeOrNull(t: number | null): string | null {
  return t === null ? null : formatTime(t);
}
