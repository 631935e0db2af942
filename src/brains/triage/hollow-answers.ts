// A party that answers without doing the work: a 200 with an empty body, a report without its
// scores. Its callers see no error and no slowness; their calls to it come back faster than
// ever, and what they log of each answer (at any level) says what came back.
import type { Case, Movement } from './case.js';
import type { Episode } from './episode.js';
import { OPERATION_KEY, PLACE_KEY } from './party-names.js';
import { WITH_ONSET_MS } from './peer-probes.js';
import type { TemplateInfo } from './read.js';

/** Calls this many times faster than their level, all at once, no longer do the work they did. */
const HOLLOW_FOLD = 3;
/** A rate of calls that fell by more than this share stopped being made, rather than being answered. */
const CALLS_FELL = 0.5;

/**
 * Calls to a party that came back several times faster as the incident began, while they went
 * on at their pace: the party answers without doing the work (a 200 with an empty body, a
 * report without its scores). A caller does not make its calls faster by failing them. Whose
 * calls they are, and whether the party's other callers' calls held, the partition decides.
 * Dated within `lagMs` of the paged service's onset.
 */
export function hollowAnswers(c: Case, episode: Episode, lagMs: number): Movement[] {
  const pagedAt = episode.pagedOnset ?? episode.onset;
  return c.movements.filter((m) => {
    if (m.kind !== 'latency' || m.direction !== 'down' || m.ratio === null || m.ratio > 1 / HOLLOW_FOLD || m.info.service === null) return false;
    if (Math.abs(m.onset - pagedAt) > lagMs) return false;
    // Calls that stopped (the party's traffic fell away with its latency) were not answered at all.
    const own = Object.entries(m.info.labels).filter(([key]) => !PLACE_KEY.test(key) && !OPERATION_KEY.test(key));
    return !c.movements.some(
      (t) =>
        t.kind === 'traffic' &&
        t.direction === 'down' &&
        t.info.service === m.info.service &&
        t.ratio !== null &&
        t.ratio < CALLS_FELL &&
        Math.abs(t.onset - m.onset) <= WITH_ONSET_MS &&
        own.every(([key, value]) => t.info.labels[key] === undefined || t.info.labels[key] === value),
    );
  });
}

/** A log template that appeared or spiked with the incident, whatever its level: what a caller logs of each answer (`partner response without ads`) is news at debug too. */
export function newLines(c: Case, pick: (t: TemplateInfo) => boolean): TemplateInfo | undefined {
  return c.templates.find((t) => (t.flag === 'new' || t.flag === 'spiking') && pick(t));
}
