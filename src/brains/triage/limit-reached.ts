// A limit cut, then reached. A change lowered a ceiling by a number (provisioned IOPS 16000 →
// 3000, a rate limit 500 → 100) long before the peak; nothing failed while demand stayed under
// it. At the onset, the usage the ceiling caps rose to exactly that number and went no higher:
// the very value the diff set is where the work stopped. That is the change's doing, however
// long before it came, and it answers the wait. Disk operations are often counted as reads and
// writes apart; the limit caps their sum.
import type { Case } from './case.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { finding, type Finding } from './model.js';
import { level, minutes } from './prose.js';
import { readSeriesValues, resultOf, type SeriesInfo, type SeriesValues } from './read.js';
import type { RiskSignalInfo } from './read-diff.js';
import type { Replay } from './replay.js';
import type { Suspect } from './suspects.js';
import { median, pointsIn } from './values.js';

/** A ceiling cut by less than this is a tuning step, not one the load could newly reach. */
const CUT = 1.5;
/** Reached: the usage's top at the onset within this band around the new limit... */
const NEAR_BELOW = 0.9;
const NEAR_ABOVE = 1.05;
/** ...and under it by this much before, so that it rose to the ceiling at the onset. */
const UNDER_BEFORE = 0.85;
const BEFORE_MS = 20 * 60_000;
const AFTER_MS = 15 * 60_000;
const MAX_SERIES = 24;

/** A plain number as a diff writes it (`3000`, `"3000"`); null for a value with units or none. */
function plainNumber(text: string | null): number | null {
  if (text === null) return null;
  const bare = text.trim().replace(/^["']|["']$/g, '');
  return /^\d+(\.\d+)?$/.test(bare) ? Number(bare) : null;
}

/** A limit the suspect's diff cut by a plain number, from `from` to `to`. */
export interface LimitCut {
  risk: RiskSignalInfo;
  from: number;
  to: number;
}

/** The limits its diff cut by plain numbers, enough that the load could newly reach them. */
export function limitCuts(suspect: Suspect): LimitCut[] {
  return suspect.risks
    .filter((x) => x.kind === 'limit_changed' && x.direction === 'tightened')
    .map((x) => ({ risk: x, from: plainNumber(x.oldValue), to: plainNumber(x.newValue) }))
    .filter((x): x is LimitCut => x.from !== null && x.to !== null && x.to > 0 && x.from >= CUT * x.to);
}

const READ_WRITE = /^(reads?|writes?)$/i;

/**
 * Reads and writes of the same thing, added up: `x_reads_completed` with `x_writes_completed`,
 * or one name split by a label (`node_disk_iops{op="read"}` with `{op="write"}`).
 */
function pairKey(info: SeriesInfo): string | null {
  const words = info.name.toLowerCase().split('_');
  const at = words.findIndex((w) => READ_WRITE.test(w));
  const split = Object.entries(info.labels).find(([, value]) => READ_WRITE.test(value));
  if (at < 0 && split === undefined) return null;
  const name = at < 0 ? info.name.toLowerCase() : [...words.slice(0, at), '*', ...words.slice(at + 1)].join('_');
  const labels = Object.entries(info.labels)
    .filter(([key]) => key !== split?.[0])
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `${name}|${JSON.stringify(labels)}`;
}

function summed(a: SeriesValues, b: SeriesValues): SeriesValues | null {
  if (a.start !== b.start || a.stepMs !== b.stepMs) return null;
  return { ...a, values: a.values.map((v, i) => (v === null || b.values[i] === null || b.values[i] === undefined ? null : v + (b.values[i] as number))) };
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/**
 * Whether a usage of the changed service rose at the onset to the very limit the change set
 * and stopped there. Returns the finding that the change used the room up, or null.
 */
export async function probeLimitReached(r: Replay, c: Case, episode: Episode, suspect: Suspect): Promise<Finding | null> {
  const { change } = suspect;
  if (suspect.ruledOut !== null || change.service === null) return null;
  const cuts = limitCuts(suspect);
  if (cuts.length === 0) return null;
  // Reads and writes counted apart come first: a limit on operations caps their sum, and a
  // fleet of instances can list many other usages before them.
  const usages = c.series
    .filter((s) => s.service === change.service && (s.meaning.measures === 'traffic' || s.meaning.measures === 'saturation' || s.meaning.measures === 'other') && !s.meaning.perUnit)
    .map((s, i) => ({ s, i, paired: pairKey(s) !== null }))
    .sort((a, b) => Number(b.paired) - Number(a.paired) || a.i - b.i)
    .map((x) => x.s)
    .slice(0, MAX_SERIES);
  if (usages.length === 0) return null;
  const from = episode.onset - BEFORE_MS;
  const to = episode.onset + AFTER_MS;
  const result = resultOf('query_metrics', await r.call('query_metrics', { series: usages.map((s) => s.id), from: iso(from), to: iso(to), max_points: 120, limit: usages.length }));
  if (result === null) return null;
  const read = readSeriesValues(result);
  const byId = new Map(read.map((v) => [v.id, v]));
  // Each with the series a tool printed, to cite: a sum is cited by its first part.
  const candidates: Array<{ v: SeriesValues; ref: string; name: string }> = read.map((v) => ({ v, ref: v.id, name: v.id }));
  const pairs = new Map<string, SeriesValues[]>();
  for (const s of usages) {
    const key = pairKey(s);
    const v = byId.get(s.id);
    if (key !== null && v !== undefined) pairs.set(key, [...(pairs.get(key) ?? []), v]);
  }
  for (const group of pairs.values()) {
    if (group.length !== 2) continue;
    const [a, b] = group as [SeriesValues, SeriesValues];
    const sum = summed(a, b);
    if (sum !== null) candidates.push({ v: sum, ref: a.id, name: `${a.id} + ${b.id}` });
  }
  for (const cut of cuts) {
    for (const { v, ref, name } of candidates) {
      const after = pointsIn(v, episode.onset, to).map((p) => p.v);
      const before = pointsIn(v, from, episode.onset - 5 * 60_000).map((p) => p.v);
      if (after.length < 5 || before.length < 3) continue;
      const top = quantile(after, 0.9);
      if (top < NEAR_BELOW * cut.to || top > NEAR_ABOVE * cut.to || median(after) < UNDER_BEFORE * cut.to || median(before) >= NEAR_BELOW * cut.to) continue;
      return finding(
        'headroom_used',
        `${name} rose at the onset to ${level(top)} and no higher: the very limit ${change.id} set, ${minutes(episode.onset - change.at)} before (${cut.risk.detail})`,
        [
          { source: 'metrics', ref, detail: `${name === ref ? '' : `added to ${name.slice(ref.length + 3)}: `}flat at ${level(top)} from ${iso(episode.onset)}, under it before` },
          { source: 'diffs', ref: cut.risk.patch, detail: `${cut.risk.detail} at ${cut.risk.code}` },
        ],
      );
    }
  }
  return null;
}
