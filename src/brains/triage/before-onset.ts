// Whether a change came before the onset: how far after the measured onset it may take effect
// and still count as first (the onset is a bucket's start, and a rollout's first pods show
// before its record's time).
import type { Case, Movement } from './case.js';
import type { Episode } from './episode.js';
import type { ChangeInfo } from './read.js';

/** How far a service's rollout may show before its record's time: canaries and the first pods start before the record says. */
const ROLLOUT_LEAD_MS = 6 * 60_000;

/**
 * The incident was dated by a signal of the change's own service a few minutes before the
 * change's recorded time, and the change came before the page: the signal may be its rollout
 * showing early, so the change is not "after the onset".
 */
export function rolloutLed(c: Case, episode: Episode, change: ChangeInfo): boolean {
  const first = episode.first;
  return (
    first !== null &&
    change.service !== null &&
    first.info.service === change.service &&
    change.at - episode.onset <= ROLLOUT_LEAD_MS &&
    change.at < c.alertAt &&
    creptAtOnset(c, first)
  );
}

/** How far along its whole move a series may be at its onset and still be creeping up, not stepping. */
const CREEPING = 0.25;

/**
 * The dating series was only creeping at its onset (a ramp that a rollout's first pods begin),
 * not already stepped to its new level: a step at the onset is the incident itself, and a
 * change minutes after it came after it.
 */
function creptAtOnset(c: Case, m: Movement): boolean {
  const values = c.values.get(m.series);
  if (!values || m.after === m.before) return false;
  const i = Math.round((m.onset - values.start) / values.stepMs);
  const v = values.values[i];
  if (v === null || v === undefined) return false;
  return (v - m.before) / (m.after - m.before) < CREEPING;
}

/** Buckets past the onset a change may take effect in and still have come first, at most. */
const LEEWAY_BUCKETS = 2;

/**
 * How far after the measured onset a change may take effect and still count as before it. The
 * onset is the start of the bucket the dating series first left its band in, walked back over
 * any foot before its rise: a change inside the bucket the rise began in may have come first
 * (a step straddling two buckets reads as a half step, and a noisy sample before it as a foot).
 */
export function onsetLeeway(episode: Episode, slackMs: number): number {
  const first = episode.first;
  if (first === null) return slackMs;
  return Math.max(slackMs, Math.min(first.rise - first.onset + first.stepMs, LEEWAY_BUCKETS * first.stepMs));
}
