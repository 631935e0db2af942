// Reading a level across a change that took effect long before the onset: the window before
// it, the window after its rollout settled, and how far the read may run toward the onset.
// The probes that explain a long wait (room used up, heavier work, errors from the start) all
// compare the same windows, and all hold a step against the changed service's traffic.
import type { ChangeInfo, SeriesInfo, SeriesValues } from './read.js';
import type { Case } from './case.js';
import { levelIn } from './values.js';

/** A change this close to the onset is judged by what happened right after it, not by a step it made. */
export const MIN_GAP_MS = 15 * 60_000;
/** The windows either side of the change that its level is read over. */
export const WINDOW_MS = 30 * 60_000;
/** Left for the rollout to settle before the level after it is read. */
const SETTLE_MS = 5 * 60_000;
/** Traffic that grew more than this across the change explains a step as load. */
export const TRAFFIC_HELD = 1.25;

export interface Span {
  from: number;
  to: number;
}

/** The windows across a change: before it, after it settled, and up to where a step must still hold. */
export interface AcrossChange {
  before: Span;
  after: Span;
  /** A step must still stand from `after.from` until here (a little before the onset). */
  heldTo: number;
}

/** The windows across `change`, or null when it took effect too close to the onset to read a step before it. */
export function windowsAcross(change: ChangeInfo, onset: number): AcrossChange | null {
  if (onset - change.at < MIN_GAP_MS) return null;
  const settled = (change.finishedAt ?? change.at) + SETTLE_MS;
  const heldTo = onset - MIN_GAP_MS / 3;
  const afterTo = Math.min(settled + WINDOW_MS, heldTo);
  if (afterTo - settled < WINDOW_MS / 3) return null;
  return { before: { from: change.at - WINDOW_MS, to: change.at }, after: { from: settled, to: afterTo }, heldTo };
}

/** The service's traffic series (two at most): what a step across a change is held against. */
export function trafficOf(c: Case, service: string): SeriesInfo[] {
  return c.series.filter((s) => s.service === service && s.meaning.measures === 'traffic').slice(0, 2);
}

/**
 * Whether the traffic grew by more than TRAFFIC_HELD from the window before the change to the
 * one after it settled (or cannot be read there): a step then cannot be told from a rush.
 */
export function rushedAcross(values: ReadonlyMap<string, SeriesValues>, traffic: readonly SeriesInfo[], w: AcrossChange): boolean {
  const levels = traffic.map((s) => {
    const v = values.get(s.id);
    return { was: v ? levelIn(v, w.before.from, w.before.to) : null, is: v ? levelIn(v, w.after.from, w.after.to) : null };
  });
  if (levels.some((l) => l.was === null || l.is === null)) return true;
  // Work that rose from nothing as the change took effect is work it started (a compilation per
  // request), not a rush of demand: the traffic that was there before says whether one came.
  const before = levels.filter((l) => (l.was as number) > 0);
  return before.length === 0 ? levels.some((l) => (l.is as number) > 0) : before.some((l) => (l.is as number) / (l.was as number) > TRAFFIC_HELD);
}
