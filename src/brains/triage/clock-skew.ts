// A clock gone wrong on one machine, read from the metrics alone. A host's clock offset (a
// deviation from true time: chrony's, node_timex's) left zero by a second or more with the
// incident while the same series of its sibling hosts held near zero: that machine stamps
// everything it sends with a wrong time, and what checks times (a store's out-of-bounds window,
// a token's validity) refuses it. Its effect can look like a party failing its calls; it is the
// machine's own clock.
import { ONSET_PRECISION_MS, type Case, type Movement } from './case.js';
import type { Cause } from './causes.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { finding } from './model.js';
import { movedLevel } from './prose.js';
import { aloneAmongMachines } from './one-machine.js';
import { signatureWords } from './signatures.js';

/** Off by this much (in the series' unit, seconds for an offset) is no drift a clock discipline corrects unnoticed. */
const OFF_BY = 1;
/** How far before the onset the clock may have gone wrong: what it stamps is refused only once it arrives. */
const LEAD_MS = 30 * 60_000;

/** Errors anywhere in the bundle that rose as the clock went wrong, within the onset's precision. */
function refusalsBeganWith(c: Case, skew: Movement): boolean {
  return c.movements.some(
    (m) => m !== skew && m.kind === 'errors' && m.direction === 'up' && m.symptom && Math.abs(m.onset - skew.onset) <= ONSET_PRECISION_MS && m.info.service !== null,
  );
}

export function measuredClockSkew(c: Case, episode: Episode): Cause[] {
  for (const m of episode.symptoms) {
    if (!m.info.meaning.deviation || m.info.service === null || Math.abs(m.after) < OFF_BY || Math.abs(m.before) >= OFF_BY) continue;
    if (m.onset > episode.onset + ONSET_PRECISION_MS) continue;
    // Longer before, the clock is still the start when refusals began with it and held to the
    // onset: what it stamped was refused at once, and the page waited for a later reading (a
    // model's next run) that counts what was refused.
    if (m.onset < episode.onset - LEAD_MS && !refusalsBeganWith(c, m)) continue;
    // Every host off at once is the reference that moved, not one machine's clock.
    const machine = aloneAmongMachines(c, m);
    if (machine === null) continue;
    const { one } = machine;
    const service = m.info.service;
    return [
      {
        category: 'infrastructure',
        service,
        statement: signatureWords('clock', service),
        findings: [
          finding('platform_failure_measured', `the clock of ${one} went wrong: ${m.display} from ${movedLevel(m, m.before)} to ${movedLevel(m, m.after)} at ${iso(m.onset)}, while the other hosts of ${service} held near zero`, [
            { source: 'metrics', ref: m.series, detail: `offset ${movedLevel(m, m.after)} from ${iso(m.onset)}; the same series of ${service}'s other hosts held` },
          ]),
        ],
        signature: 'clock',
        surge: null,
        host: one,
      },
    ];
  }
  return [];
}
