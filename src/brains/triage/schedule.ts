// When a change acts. Most changes act as they take effect; a change that moves a cron
// schedule acts when the schedule next fires (a nightly export moved to 14:00 hurts at
// 14:00, not when the manifest was applied). Cron expressions are read in UTC, with the five
// standard fields, an optional leading seconds field and trailing year (Quartz, Spring), and
// the usual macros.
import type { DiffInfo } from './read-diff.js';

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** The values a cron field allows, or null when it allows every value (`*`, `?`). */
function field(text: string, min: number, max: number, names: readonly string[] = [], offset = 0): Set<number> | null {
  if (text === '*' || text === '?') return null;
  const out = new Set<number>();
  const value = (token: string): number => {
    const named = names.indexOf(token.toLowerCase());
    return named >= 0 ? named + offset : Number(token);
  };
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let from = min;
    let to = max;
    if (range !== '*' && range !== undefined) {
      const [a, b] = range.split('-');
      from = value(a ?? '');
      to = b === undefined ? (stepText === undefined ? from : max) : value(b);
    }
    if (![from, to, step].every(Number.isFinite) || step <= 0) return new Set();
    for (let v = from; v <= to; v += step) out.add(v === 7 && max === 6 ? 0 : v);
  }
  return out;
}

interface Cron {
  minute: Set<number> | null;
  hour: Set<number> | null;
  dom: Set<number> | null;
  month: Set<number> | null;
  dow: Set<number> | null;
}

export function parseCron(expression: string): Cron | null {
  const text = MACROS[expression.trim().toLowerCase()] ?? expression.trim();
  let parts = text.split(/\s+/);
  if (parts.length === 6 || parts.length === 7) parts = parts.slice(1, 6);
  if (parts.length !== 5) return null;
  const [minute, hour, dom, month, dow] = parts as [string, string, string, string, string];
  return { minute: field(minute, 0, 59), hour: field(hour, 0, 23), dom: field(dom, 1, 31), month: field(month, 1, 12, MONTHS, 1), dow: field(dow, 0, 6, DAYS) };
}

const allows = (set: Set<number> | null, v: number): boolean => set === null || set.has(v);

/** The first time after `after` (epoch ms, UTC) at which the schedule fires, looking at most `horizonMs` ahead. */
export function nextFire(expression: string, after: number, horizonMs = 48 * 3600_000): number | null {
  const cron = parseCron(expression);
  if (cron === null) return null;
  const start = Math.floor(after / 60_000) * 60_000 + 60_000;
  for (let t = start; t <= after + horizonMs; t += 60_000) {
    const d = new Date(t);
    // Standard cron: when both day fields are restricted, either one matching is enough.
    const dayOk =
      cron.dom !== null && cron.dow !== null ? cron.dom.has(d.getUTCDate()) || cron.dow.has(d.getUTCDay()) : allows(cron.dom, d.getUTCDate()) && allows(cron.dow, d.getUTCDay());
    if (allows(cron.minute, d.getUTCMinutes()) && allows(cron.hour, d.getUTCHours()) && allows(cron.month, d.getUTCMonth() + 1) && dayOk) return t;
  }
  return null;
}

/**
 * When a change to a scheduled job first acts after it took effect: when the schedule it
 * moved next fires, or, for an edit to a job's definition, when that job next runs.
 */
export function scheduledFire(diff: DiffInfo | undefined, at: number): { at: number; cron: string; code: string; patch: string; moved: boolean } | null {
  for (const signal of diff?.riskSignals ?? []) {
    // Entries set to expire together at a boundary act when the boundary comes, as a moved
    // schedule does; so does a lifecycle rule, when the provider next runs it.
    if ((signal.kind !== 'schedule_changed' && signal.kind !== 'expiry_aligned' && signal.kind !== 'objects_expired') || signal.newValue === null) continue;
    const fire = nextFire(signal.newValue, at);
    if (fire !== null) return { at: fire, cron: signal.newValue, code: signal.code, patch: signal.patch, moved: true };
  }
  for (const schedule of diff?.schedules ?? []) {
    const fire = nextFire(schedule.cron, at);
    if (fire !== null) return { at: fire, cron: schedule.cron, code: schedule.code, patch: schedule.patch, moved: false };
  }
  return null;
}
