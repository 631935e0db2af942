// Work that moved, not work that began or stopped. A cutover (egress to a new NAT gateway, a
// queue to a new broker, traffic to a new region) shows as one series rising from nothing and
// its sibling (the same metric of the same service, for the old gateway) falling to nothing in
// the same minutes. Neither is new work a change started nor a job it stopped: the same work
// goes on elsewhere.
import type { Case } from './case.js';
import type { SeriesInfo, SeriesValues } from './read.js';
import { levelIn } from './values.js';

/** Read this long on each side of the moment. */
const SIDE_MS = 10 * 60_000;
/** At or below this share of its level on the other side: nothing. */
const NOTHING = 0.02;

/** Whether two series of one service are the same metric that differs in exactly one label's value. */
function siblings(a: SeriesInfo, b: SeriesInfo): boolean {
  if (a.id === b.id || a.name !== b.name || a.service !== b.service) return false;
  const keys = new Set([...Object.keys(a.labels), ...Object.keys(b.labels)]);
  let differ = 0;
  for (const key of keys) if (a.labels[key] !== b.labels[key]) differ += 1;
  return differ === 1;
}

/** The same work keeps its volume when it moves: the level that went and the one that came are within this factor. */
const SAME_VOLUME = 3;

/** The level the values left or reached at `at`, when they went to nothing from it (`down`) or from nothing to it (`up`); null otherwise. */
function wentTheOtherWay(values: SeriesValues, at: number, way: 'up' | 'down'): number | null {
  const before = levelIn(values, at - SIDE_MS, at);
  const after = levelIn(values, at, at + SIDE_MS);
  if (before === null || after === null) return null;
  if (way === 'down') return before > 0 && after <= NOTHING * before ? before : null;
  return after > 0 && before <= NOTHING * after ? after : null;
}

/**
 * Whether the series' rise from nothing to `level` (`up`) or fall to nothing from `level`
 * (`down`) at `at` is its work moving: a sibling series went the other way in the same minutes,
 * at about the same volume, as read (`values`, else what the case holds). Rejections that went
 * from one rate-limit key to another at a hundred times the volume are no move: the new key bites.
 */
export function movedWork(c: Case, info: SeriesInfo, at: number, way: 'up' | 'down', level: number, values: ReadonlyMap<string, SeriesValues> = c.values): boolean {
  const other = way === 'up' ? 'down' : 'up';
  return c.series.some((s) => {
    if (!siblings(info, s)) return false;
    const read = values.get(s.id) ?? c.values.get(s.id);
    const went = read === undefined ? null : wentTheOtherWay(read, at, other);
    return went !== null && level > 0 && went <= SAME_VOLUME * level && level <= SAME_VOLUME * went;
  });
}
