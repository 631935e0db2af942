// Work queued beyond a declared maximum. A pool that scales with its queue (workers, nodes,
// replicas) has a maximum, set by a quota or a budget. A burst of work larger than the pool at
// its maximum can take does not fail: it waits. The autoscaler asks for more than it may have,
// the pool pins at its maximum, each unit of work takes as long as ever, and the queue grows
// until the work that was promised soonest is late, which pages. Nothing failed and nothing
// slowed; the demand was beyond the room the pool is allowed.
import type { Case, Movement } from './case.js';
import { saturationLogged } from './saturation-logged.js';
import type { Cause } from './causes.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { finding } from './model.js';
import { level, movedLevel } from './prose.js';
import { AT_LIMIT } from './limits.js';
import { levelIn, pointsIn } from './values.js';

/** How close to the onset the pool must reach its maximum, and its queue begin to grow. */
const NEAR_MS = 15 * 60_000;
/** Its own errors this many times their level (or from none) as it queued: failing, not full. */
const FAILING = 5;
/** A maximum lowered by this much over the hours read was cut by someone: not demand beyond it. */
const CUT = 1.5;

export function queuedAtLimit(c: Case, episode: Episode): Cause | null {
  const near = (t: number): boolean => Math.abs(t - episode.onset) <= NEAR_MS;
  for (const [series, limit] of c.atLimit) {
    const pinned = c.movements.find((m) => m.series === series && m.direction === 'up');
    const values = c.values.get(series);
    if (pinned === undefined || values === undefined || pinned.info.service === null) continue;
    const service = pinned.info.service;
    const reached = pointsIn(values, pinned.onset, Infinity).find((p) => p.v >= AT_LIMIT * limit.value)?.t ?? null;
    if (reached === null || !near(reached)) continue;
    const own = (m: Movement): boolean => m.info.service === service;
    const queue = c.movements
      .filter((m) => own(m) && m.info.meaning.backlog && m.direction === 'up' && near(m.onset))
      .sort((a, b) => b.strength - a.strength || (a.series < b.series ? -1 : 1))[0];
    if (queue === undefined) continue;
    // Each unit of its work taking longer is a wait on what serves it, or a cost a change added.
    if (c.movements.some((m) => own(m) && m.kind === 'latency' && !m.info.meaning.backlog && m.direction === 'up' && near(m.onset))) continue;
    if (c.movements.some((m) => own(m) && m.kind === 'errors' && m.symptom && m.direction === 'up' && near(m.onset) && (m.ratio === null || m.ratio >= FAILING))) continue;
    // A maximum that came down is a change's doing (limit-reached.ts weighs that), not demand beyond it.
    const maximum = c.values.get(limit.limit);
    const first = maximum === undefined ? null : levelIn(maximum, maximum.start, maximum.start + 15 * 60_000);
    if (first !== null && first >= CUT * limit.value) continue;
    const cause: Cause = {
      category: 'capacity',
      service,
      statement: `work queued beyond the maximum declared for ${service}`,
      findings: [
        finding(
          'service_saturated',
          `${service} fell behind (${queue.display}: ${movedLevel(queue, queue.before)} → ${movedLevel(queue, queue.after)}) with each unit of its work taking no longer than before`,
          [{ source: 'metrics', ref: queue.series, detail: `backlog up at ${iso(queue.onset)}` }],
        ),
        finding(
          'queued_beyond_limit',
          `what it was asked for went beyond its declared maximum as the queue grew (${pinned.display}: ${movedLevel(pinned, pinned.before)} → ${movedLevel(pinned, pinned.after)}, against a maximum of ${level(limit.value)} (${limit.limit}), from ${iso(reached)})`,
          [{ source: 'metrics', ref: series, detail: `at or above ${level(limit.value)} from ${iso(reached)}` }],
        ),
      ],
      signature: null,
      surge: null,
      ceiling: true,
    };
    const logged = saturationLogged(c, service);
    if (logged) cause.findings.push(logged);
    return cause;
  }
  return null;
}
