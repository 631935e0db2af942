// Demand that grew into a declared limit. A service with a fixed cap (connections per pod, a
// pool, a replica maximum) that ran near it every peak is pushed over it by a little more
// demand than the day before: its usage climbs the last few per cent to the cap and pins
// there, it refuses what comes beyond, and nothing else about it moved. No surge shows (the
// day's curve grew by a tenth), so it is not read as load from traffic; it is read from the
// usage at its limit and the refusals that began with it.
import type { Case, Movement } from './case.js';
import { saturationLogged } from './saturation-logged.js';
import type { Cause } from './causes.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { finding } from './model.js';
import { movedLevel } from './prose.js';
import { AT_LIMIT } from './limits.js';
import { pointsIn } from './values.js';

/** How close to the onset the usage must pin, and the refusals begin beside it. */
const NEAR_MS = 10 * 60_000;
/** Already this share of its limit before it pinned: it grew into the cap, it did not jump to it. */
const NEAR_LIMIT_BEFORE = 0.6;
/** Work that fell to this share of its level or less is a service failing, not one at its cap. */
const COLLAPSED = 0.5;

/**
 * Load beyond a declared limit with no surge to read it from: a usage that stood near its cap,
 * climbed onto it as the incident began, and the service's refusals rose with it; its work did
 * not collapse, and no latency of its own (or of the calls it makes) rose first, which would
 * make the full cap something it waits on, not demand.
 */
export function demandAtLimit(c: Case, episode: Episode): Cause | null {
  // When the usage reached its limit: its first reading at it, from its rise on (a day's curve climbs for an hour first).
  const reachedAt = (m: Movement, value: number): number | null => {
    const values = c.values.get(m.series);
    return values === undefined ? null : (pointsIn(values, m.onset, Infinity).find((p) => p.v >= AT_LIMIT * value)?.t ?? null);
  };
  const pinned = c.movements.find((m) => {
    const limit = c.atLimit.get(m.series);
    if (limit === undefined || m.info.service === null || m.direction !== 'up' || m.before < NEAR_LIMIT_BEFORE * limit.value) return false;
    const reached = reachedAt(m, limit.value);
    return reached !== null && Math.abs(reached - episode.onset) <= NEAR_MS;
  });
  if (pinned === undefined) return null;
  const service = pinned.info.service as string;
  const own = (m: Movement): boolean => m.info.service === service;
  const limit = c.atLimit.get(pinned.series) as { limit: string; value: number };
  const full = reachedAt(pinned, limit.value) as number;
  const refused = c.movements.find((m) => own(m) && m.symptom && m.kind === 'errors' && m.direction === 'up' && Math.abs(m.onset - full) <= NEAR_MS);
  if (refused === undefined) return null;
  if (c.movements.some((m) => own(m) && m.kind === 'traffic' && m.direction === 'down' && m.ratio !== null && m.ratio <= COLLAPSED)) return null;
  if (c.movements.some((m) => own(m) && m.symptom && m.kind === 'latency' && m.onset <= full + NEAR_MS)) return null;
  const cause: Cause = {
    category: 'capacity',
    service,
    statement: `demand beyond the limit declared for ${service}`,
    findings: [
      finding('service_saturated', `${service} reached its limit (${pinned.display}: ${movedLevel(pinned, pinned.before)} → ${movedLevel(pinned, pinned.after)}, at its limit of ${Number(limit.value.toPrecision(4))} (${limit.limit}))`, [
        { source: 'metrics', ref: pinned.series, detail: `at its limit from ${iso(full)}` },
      ]),
      finding('refused_at_limit', `it stood near that limit before and refused what came beyond it as it pinned there (${refused.display}: ${movedLevel(refused, refused.before)} → ${movedLevel(refused, refused.after)})`, [
        { source: 'metrics', ref: refused.series, detail: `errors up at ${iso(refused.onset)}` },
      ]),
    ],
    signature: null,
    surge: null,
    ceiling: true,
  };
  const logged = saturationLogged(c, service);
  if (logged) cause.findings.push(logged);
  return cause;
}
