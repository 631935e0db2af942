// A service whose work began inside the window: gates that open at nine, a shift that starts, a
// market's first bell. Before that its traffic stood at nothing, and so did everything that
// measures its work (a queue's estimated wait, a latency, an error count): a move of those as
// the work began is the day starting, not trouble. They are read from the opening on, against
// the level the open service kept, and move only when they left that. So is a build's series
// that went away and came back: it is read from its latest run.
import type { Case } from './case.js';
import type { SeriesValues } from './read.js';

/** Readings at nothing before the traffic rose, at least: a service seen closed for a while, not a gap. */
const MIN_CLOSED_POINTS = 12;
/** A change of the service this soon before its traffic began started that work: it is no opening. */
const STARTED_BY_CHANGE_MS = 15 * 60_000;

/** When the series first left zero after standing at zero from its start, or null. */
function leftNothing(series: SeriesValues): number | null {
  let zeros = 0;
  for (let i = 0; i < series.values.length; i += 1) {
    const v = series.values[i];
    if (v === null || v === undefined) continue;
    if (v !== 0) return zeros >= MIN_CLOSED_POINTS ? series.start + i * series.stepMs : null;
    zeros += 1;
  }
  return null;
}

/**
 * When the service opened: every traffic series of it read so far stood at zero from the start
 * of what was read and then rose, and no change of the service came just before. Null when it
 * worked from the start, or no traffic of it was read.
 */
export function openedAt(c: Case, service: string): number | null {
  let opened: number | null = null;
  for (const info of c.series) {
    if (info.service !== service || info.meaning.measures !== 'traffic') continue;
    const values = c.values.get(info.id);
    if (values === undefined) continue;
    const at = leftNothing(values);
    if (at === null) return null;
    opened = Math.max(opened ?? at, at);
  }
  if (opened === null) return null;
  const at = opened;
  if (c.changes.some((x) => x.service === service && x.at <= at && at - x.at <= STARTED_BY_CHANGE_MS)) return null;
  return at;
}

/** The series as the open service saw it: readings before the opening left out. */
export function fromOpening(series: SeriesValues, opened: number): SeriesValues {
  return { ...series, values: series.values.map((v, i) => (series.start + i * series.stepMs < opened ? null : v)) };
}

/** A build's series that went away for this many of its steps (and ten minutes at least) ran twice: a rollout took it off, a rollback put it back. */
const GONE_STEPS = 10;
const GONE_MS = 10 * 60_000;

/**
 * When a series of one build came back after it went away, before `until`: the start of its
 * latest run. Its points before that belong to the build's earlier run, another episode (a
 * rolled-back build's pods failing for minutes as a rollout replaced them). Null when it ran once.
 */
export function latestRun(series: SeriesValues, until: number): number | null {
  let last: number | null = null;
  let back: number | null = null;
  series.values.forEach((v, i) => {
    const t = series.start + i * series.stepMs;
    if (v === null || t > until) return;
    if (last !== null && t - last >= Math.max(GONE_STEPS * series.stepMs, GONE_MS)) back = t;
    last = t;
  });
  return back;
}

