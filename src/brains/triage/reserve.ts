// A reserve that ran dry at the onset. Some capacity is lent rather than owned: a burstable
// host's CPU credits, a volume's burst balance. It is earned while the load is light and spent
// while it is heavy, so a change that put a service on such capacity shows nothing for hours:
// the reserve drains with the day's load, and the service is throttled the moment it is
// empty. An on-call engineer links the change to the symptoms by that moment, not by the
// change's own time.
import { CHANGE_HORIZON_MS, type Case } from './case.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { finding, type Finding } from './model.js';
import { level, minutes } from './prose.js';
import type { PathLink } from './path.js';
import type { ChangeInfo, SeriesInfo } from './read.js';
import { readMovements } from './gather.js';
import type { Replay } from './replay.js';

export interface DrainedReserve {
  /** The headroom series that drained, as it is named and cited. */
  info: SeriesInfo;
  ref: string;
  /** Its level at its fullest, when it was there last, and when it reached empty. */
  full: number;
  began: number;
  dryAt: number;
}

/** Empty: at most this share of its level at its fullest. */
const EMPTY = 0.05;
/** A drain, not a step: it took at least this long from full to empty. */
const DRAINING_MS = 30 * 60_000;
/** Halfway through a drain the reserve stands at most this share of its fullest. */
const DRAINED_BY_HALFWAY = 0.8;
/** How close to the onset it must have run dry. */
const DRY_NEAR_MS = 10 * 60_000;

/** A headroom series (worse when it falls) that drained gradually and ran dry as the incident began. */
function drained(c: Case, episode: Episode, info: SeriesInfo, ref: string): DrainedReserve | null {
  if (info.service === null || info.meaning.measures !== 'availability' || info.meaning.worseWhen !== 'down') return null;
  const values = c.values.get(ref);
  if (values === undefined) return null;
  const at = (i: number): number => values.start + i * values.stepMs;
  // Where it stood at its fullest before the onset (its last reading there), and the first reading at empty after that.
  let peak = -1;
  for (let i = 0; i < values.values.length && at(i) <= episode.onset; i++) {
    const v = values.values[i];
    if (v !== null && v !== undefined && (peak < 0 || v >= (values.values[peak] as number))) peak = i;
  }
  const full = peak < 0 ? null : (values.values[peak] as number);
  if (full === null || !(full > 0)) return null;
  const dry = values.values.findIndex((v, i) => i > peak && v !== null && v <= EMPTY * full);
  if (dry < 0 || at(dry) - at(peak) < DRAINING_MS || Math.abs(at(dry) - episode.onset) > DRY_NEAR_MS) return null;
  // Drained on the way, not stepped down at the end: halfway from its fullest to empty it stood
  // well below full (a noisy flat level puts its fullest reading anywhere before a step).
  const halfway = values.values.slice(Math.floor((peak + dry) / 2) - 1, Math.floor((peak + dry) / 2) + 2).filter((v): v is number => v !== null && v !== undefined);
  if (halfway.length === 0 || Math.min(...halfway) > DRAINED_BY_HALFWAY * full) return null;
  // A count of seconds left that fell by a second every second is a lifetime running out (a
  // token's, a certificate's), which the clock spends whatever the load: no reserve drained.
  const perSecond = full / ((at(dry) - at(peak)) / 1000);
  if (SECONDS.test(info.name) && perSecond >= CLOCK_PACE[0] && perSecond <= CLOCK_PACE[1]) return null;
  return { info, ref, full, began: at(peak), dryAt: at(dry) };
}

/** A series counted in seconds. */
const SECONDS = /(?:^|_)(?:seconds|secs|sec|s)(?:_|$)/i;
/** Falling this many seconds per second of wall time is the clock's own pace. */
const CLOCK_PACE = [0.7, 1.4] as const;

/** Headroom that drained gradually and ran dry as the incident began, among the series read, by its service (the first found for each). */
export function drainedReserves(c: Case, episode: Episode): Map<string, DrainedReserve> {
  const found = new Map<string, DrainedReserve>(c.reserves);
  for (const m of c.movements) {
    if (m.info.service === null || found.has(m.info.service) || m.direction !== 'down') continue;
    const reserve = drained(c, episode, m.info, m.series);
    if (reserve) found.set(m.info.service, reserve);
  }
  return found;
}

/** Reserves read, at most, in one call. */
const MAX_RESERVES = 4;

/**
 * A reserve drains slowly, so it is rarely among the series that moved the most and were read
 * first, nor does a slow drain leave its band the way a step does: the headroom series of the
 * services that changed, not read yet, are read here (those of services changed longest before
 * the onset first, as a reserve's wait is long), and any that ran dry at the onset is kept.
 * They never date the incident: a reserve that ran dry is a mechanism, read beside the symptoms.
 */
export async function probeReserves(r: Replay, c: Case, episode: Episode, from: number): Promise<Map<string, DrainedReserve>> {
  const found = drainedReserves(c, episode);
  const changedAt = new Map<string, number>();
  for (const x of c.changes) {
    if (x.service !== null && x.at <= episode.onset && episode.onset - x.at <= CHANGE_HORIZON_MS) changedAt.set(x.service, Math.min(changedAt.get(x.service) ?? Infinity, x.at));
  }
  const headroom = c.series
    .filter((s) => s.service !== null && changedAt.has(s.service) && s.meaning.measures === 'availability' && s.meaning.worseWhen === 'down')
    .sort((a, b) => (changedAt.get(a.service as string) as number) - (changedAt.get(b.service as string) as number) || (a.id < b.id ? -1 : 1));
  // Read already, but its slow drain never left its band as a move: judged from the values read.
  for (const info of headroom.filter((s) => c.values.has(s.id))) {
    const reserve = found.has(info.service as string) ? null : drained(c, episode, info, info.id);
    if (reserve) found.set(info.service as string, reserve);
  }
  const unread = headroom.filter((s) => !found.has(s.service as string) && !c.values.has(s.id)).slice(0, MAX_RESERVES);
  if (unread.length === 0) return found;
  await readMovements(r, c, unread, from, 1);
  for (const info of unread) {
    const reserve = info.service === null || found.has(info.service) ? null : drained(c, episode, info, info.id);
    if (reserve) found.set(info.service as string, reserve);
  }
  return found;
}

/**
 * A change of the service whose reserve ran dry, made before the reserve began to drain: what
 * it did waited for the load that spent the reserve, which answers why the symptoms came so
 * long after it.
 */
export function reserveFinding(reserve: DrainedReserve | null, change: ChangeInfo): Finding | null {
  if (reserve === null || change.service !== reserve.info.service) return null;
  if (change.at > reserve.began || reserve.dryAt - change.at > CHANGE_HORIZON_MS) return null;
  return finding(
    'reserve_ran_dry',
    `${reserve.ref} of ${change.service} drained from ${level(reserve.full)} at ${iso(reserve.began)} to empty at ${iso(reserve.dryAt)}, as the incident began, ${minutes(reserve.dryAt - change.at)} after ${change.id}: capacity lent while the load was light ran out under the load`,
    [{ source: 'metrics', ref: reserve.ref, detail: `fell from ${iso(reserve.began)}, empty from ${iso(reserve.dryAt)}` }],
  );
}

/**
 * The reserve of the changed service ran dry as the incident began, having drained since the
 * change: that moment ties the change to the symptoms, however quiet its service's own signals
 * stayed (a shared volume whose throughput fell to its baseline slows every reader and writer).
 */
export function reservePath(reserve: DrainedReserve | null, change: ChangeInfo): PathLink | null {
  if (reserveFinding(reserve, change) === null || reserve === null) return null;
  return { reason: `${change.service}'s ${reserve.ref} ran dry at ${iso(reserve.dryAt)}, as the incident began`, movement: null, log: null };
}
