// A service that ran out of room, but not for the load: it had taken the grown load for a
// while and filled only later, as its calls to a provider outside the company slowed or
// failed, or as each unit of its work took longer under a load that held. What fills it then
// is waiting, not demand.
import { ONSET_PRECISION_MS, type Case, type Movement } from './case.js';
import { levelIn, pointsIn } from './values.js';

/** How long a service must have taken the grown load before it filled for the filling to be read as something else's doing. */
const TOOK_LOAD_MS = 10 * 60_000;

/** A series stood this close to its level after once it had filled. */
const FILLED_SHARE = 0.9;

/**
 * When a series that ran out of room got there: its first reading, from its rise on, most of
 * the way to where it stood after. A pool may rise in steps (half full with the load, full
 * later); the first step is not the filling.
 */
function filledAt(c: Case, m: Movement): number | null {
  const values = c.values.get(m.series);
  if (values === undefined) return null;
  const threshold = m.before + FILLED_SHARE * (m.after - m.before);
  return pointsIn(values, m.onset, Infinity).find((p) => p.v >= threshold)?.t ?? null;
}

/**
 * The call to a party outside the bundle that the saturated service had begun to wait on as it
 * filled: its calls to that party slowed or failed at the moment it ran out of room, well after
 * the load had grown and been taken. A pool full of calls waiting on a slow provider is the
 * provider failing, not demand beyond the pool.
 */
export function waitsOnOutsidePeer(c: Case, saturated: Movement, loadRose: number): Movement | undefined {
  const filled = filledAt(c, saturated);
  if (saturated.direction !== 'up' || filled === null || filled - loadRose < TOOK_LOAD_MS) return undefined;
  return c.movements.find(
    (o) =>
      o.symptom &&
      (o.kind === 'latency' || o.kind === 'errors') &&
      o.direction === 'up' &&
      o.info.service === saturated.info.service &&
      o.onset >= loadRose + TOOK_LOAD_MS &&
      o.onset <= filled + ONSET_PRECISION_MS &&
      c.topology.labelPeers(o.info).some((peer) => !c.topology.services.includes(peer)),
  );
}

/** A load no more than this above where it stood just after its rise has not grown since. */
const HELD_LOAD = 1.25;
/**
 * Work that waits piles up under a load that holds, so it fills late by nature. Requests in
 * flight do not: under arrivals that hold they stand at arrivals times latency, and climb
 * only when each request takes longer.
 */
const ACCUMULATES = /(queue|backlog|pending|depth|waiting)/i;

/**
 * The service that ran out of room had taken the grown load for a while, well short of full,
 * and filled later while the load held where it had risen to: demand that did not grow is not
 * what filled it.
 */
export function filledUnderHeldLoad(c: Case, saturated: Movement, surge: readonly Movement[]): { filled: number; rose: number } | null {
  const room = c.values.get(saturated.series);
  const filled = filledAt(c, saturated);
  if (room === undefined || filled === null || saturated.direction !== 'up' || saturated.info.meaning.backlog || ACCUMULATES.test(saturated.info.name)) return null;
  // The load that reached it: its own arrivals where they rose, else all of it.
  const own = surge.filter((m) => m.info.service === saturated.info.service);
  const load = own.length > 0 ? own : surge;
  const rose = Math.min(...load.map((m) => m.onset));
  // The ten minutes before the ten before it filled: the load had risen by then.
  const from = filled - 2 * TOOK_LOAD_MS;
  const to = filled - TOOK_LOAD_MS;
  if (rose > from) return null;
  // Well short of full then: under half of the way it went.
  const taking = levelIn(room, from, to);
  if (taking === null || taking >= saturated.before + 0.5 * (saturated.after - saturated.before)) return null;
  for (const m of load) {
    const values = c.values.get(m.series);
    const then = values === undefined ? null : levelIn(values, from, to);
    // Around the filling, on either side: load that rose as it filled rose into it.
    const atFill = values === undefined ? [] : [levelIn(values, filled - TOOK_LOAD_MS / 2, filled), levelIn(values, filled, filled + TOOK_LOAD_MS / 2)].filter((v): v is number => v !== null);
    if (then === null || atFill.length === 0 || then <= 0 || Math.max(...atFill) > HELD_LOAD * then) return null;
  }
  return { filled, rose };
}

