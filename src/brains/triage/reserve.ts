// A reserve that ran dry at the onset. Some capacity is lent rather than owned: a burstable
// host's CPU credits, a volume's burst balance. It is earned while the load is light and spent
// while it is heavy, so a change that put a service on such capacity shows nothing for hours:
// the reserve drains with the day's load, and the service is throttled the moment it is
// empty. An on-call engineer links the change to the symptoms by that moment, not by the
// change's own time.
import { CHANGE_HORIZON_MS, type Case, type Movement } from './case.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { finding, type Finding } from './model.js';
import { level, minutes } from './prose.js';
import type { ChangeInfo } from './read.js';

export interface DrainedReserve {
  /** The headroom series that drained, and its level before. */
  movement: Movement;
  /** When it began to fall, and when it reached empty. */
  began: number;
  dryAt: number;
}

/** Empty: at most this share of its level before. */
const EMPTY = 0.05;
/** A drain, not a step: it took at least this long from its fall to empty. */
const DRAINING_MS = 30 * 60_000;
/** How close to the onset it must have run dry. */
const DRY_NEAR_MS = 10 * 60_000;

/** Headroom that drained gradually and ran dry as the incident began, by its service (the first found for each). */
export function drainedReserves(c: Case, episode: Episode): Map<string, DrainedReserve> {
  const found = new Map<string, DrainedReserve>();
  for (const m of c.movements) {
    const meaning = m.info.meaning;
    const service = m.info.service;
    if (service === null || found.has(service) || meaning.measures !== 'availability' || meaning.worseWhen !== 'down' || m.direction !== 'down') continue;
    if (!(m.before > 0) || m.after > EMPTY * m.before) continue;
    const values = c.values.get(m.series);
    if (values === undefined) continue;
    const first = Math.max(0, Math.ceil((m.onset - values.start) / values.stepMs));
    const dry = values.values.findIndex((v, i) => i >= first && v !== null && v <= EMPTY * m.before);
    if (dry < 0) continue;
    const dryAt = values.start + dry * values.stepMs;
    if (dryAt - m.onset < DRAINING_MS || Math.abs(dryAt - episode.onset) > DRY_NEAR_MS) continue;
    found.set(service, { movement: m, began: m.onset, dryAt });
  }
  return found;
}

/**
 * A change of the service whose reserve ran dry, made before the reserve began to drain: what
 * it did waited for the load that spent the reserve, which answers why the symptoms came so
 * long after it.
 */
export function reserveFinding(reserve: DrainedReserve | null, change: ChangeInfo): Finding | null {
  if (reserve === null || change.service !== reserve.movement.info.service) return null;
  if (change.at > reserve.began || reserve.dryAt - change.at > CHANGE_HORIZON_MS) return null;
  const m = reserve.movement;
  return finding(
    'reserve_ran_dry',
    `${m.display} of ${change.service} drained from ${level(m.before)} at ${iso(reserve.began)} to empty at ${iso(reserve.dryAt)}, as the incident began, ${minutes(reserve.dryAt - change.at)} after ${change.id}: capacity lent while the load was light ran out under the load`,
    [{ source: 'metrics', ref: m.series, detail: `fell from ${iso(reserve.began)}, empty from ${iso(reserve.dryAt)}` }],
  );
}
