// How long work waited is not how long it took to serve. A latency of many minutes (the age of
// the oldest event, the delay before a record is finalised) is the age of work in a backlog: it
// trails the backlog, climbing while the backlog grows and for as long as it drains.
import type { Movement } from './case.js';

/** A latency this long (in seconds) is the age of work in a backlog, not the time to serve a request. */
export const AGE_OF_WORK_S = 300;

/** A latency's value in seconds, by the unit its name gives; null when the name gives none. */
export function secondsOf(name: string, value: number): number | null {
  const words = name.toLowerCase().split(/[^a-z0-9]+/);
  if (words.some((w) => w === 'ms' || w === 'millis' || w === 'milliseconds')) return value / 1000;
  if (words.some((w) => w === 'seconds' || w === 'second' || w === 'secs' || w === 'sec' || w === 's')) return value;
  if (words.some((w) => w === 'minutes' || w === 'minute' || w === 'mins')) return value * 60;
  return null;
}

/** Whether a latency standing at `value` is the age of work waiting: many minutes of it. */
export function ageOfWork(m: Movement, value: number): boolean {
  if (m.kind !== 'latency') return false;
  const seconds = secondsOf(m.info.name, value);
  return seconds !== null && seconds >= AGE_OF_WORK_S;
}
