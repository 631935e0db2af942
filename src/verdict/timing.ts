// When the incident began, as the diagnosis claims it and as the tools measured it. A
// change can only be the cause if it took effect before that.
import type { Diagnosis } from '../protocol/diagnosis.js';
import type { Facts } from './facts.js';

/**
 * Change points fall on the sampling grid, so a measured onset may precede the instant a
 * change took effect by up to one sampling interval (a minute for common scrapes), and a rate
 * read over a trailing window, or a change record stamped when the tool finished, by half as
 * much again.
 */
export const ONSET_SLACK_MS = 90_000;

/** Parses any time a timeline entry may carry (RFC 3339, or epoch seconds/ms). */
export function parseTime(value: string): number | null {
  const text = value.trim();
  if (/^\d{13}$/.test(text)) return Number(text);
  if (/^\d{9,10}(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

/** The onset the diagnosis states: its earliest timeline entry that says "onset". */
export function claimedOnset(diagnosis: Diagnosis): number | null {
  let onset: number | null = null;
  for (const entry of diagnosis.timeline) {
    if (!/\bonset\b/i.test(entry.event)) continue;
    const at = parseTime(entry.at);
    if (at !== null && (onset === null || at < onset)) onset = at;
  }
  return onset;
}

/**
 * The onset the tools measured on the series the diagnosis cites: for each cited
 * series, its last significant change point before the page (the move that paged),
 * and of those the earliest.
 */
export function detectedOnset(facts: Facts, citedRefs: ReadonlySet<string>): { at: number; series: string } | null {
  let best: { at: number; series: string } | null = null;
  const bySeries = new Map<string, number[]>();
  for (const point of facts.changePoints) {
    if (!point.significant || !citedRefs.has(point.series)) continue;
    if (facts.alertStart !== null && point.onset > facts.alertStart + ONSET_SLACK_MS) continue;
    bySeries.set(point.series, [...(bySeries.get(point.series) ?? []), point.onset]);
  }
  for (const [series, onsets] of [...bySeries].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const last = Math.max(...onsets);
    if (best === null || last < best.at) best = { at: last, series };
  }
  return best;
}

/** Whether some tool reported a change point near the instant (within `toleranceMs`). */
export function measuredNear(facts: Facts, at: number, toleranceMs: number): boolean {
  return facts.changePoints.some((point) => Math.abs(point.onset - at) <= toleranceMs);
}
