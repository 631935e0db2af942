// A change rolled out in stages (a flag from 10% to 50% to 100%): when the symptoms step up
// at each stage, the rollout is the cause, whichever stage the onset happens to fall on. An
// on-call engineer sees it as a staircase on the graph whose steps line up with the rollout.
import type { Case, Movement } from './case.js';
import { flagKeyOf } from './identifiers.js';
import { iso } from './json.js';
import { listing, movedLevel } from './prose.js';
import type { ChangeInfo, SeriesValues } from './read.js';
import { switchesFlag, turnsFlagOff } from './flags.js';
import { finding, type Finding } from './model.js';
import { median } from './values.js';
import type { PathLink } from './path.js';

/** How long after a stage its effect is looked for, and how wide the windows either side are. */
const LAG_MS = 60_000;
const WINDOW_MS = 5 * 60_000;
const MIN_POINTS = 3;
/** A step must stand this many baseline deviations, and this share of the level, above the level before the stage. */
const STEP_SIGMA = 4;
const STEP_SHARE = 0.1;

/** What a release ships, as its record names it: the version, else the commit. */
function releaseOf(change: ChangeInfo): string | null {
  const version = change.version?.trim() ?? '';
  if (version !== '') return `version ${version}`;
  const commit = change.commit?.trim() ?? '';
  return commit === '' ? null : `commit ${commit}`;
}

/**
 * The stages of the rollout a change belongs to, in order: every change that switched the same
 * flag on, or every deploy of the same service shipping the same release (a canary, then half
 * the pods, then all of them).
 */
export function familyOf(change: ChangeInfo, changes: readonly ChangeInfo[]): ChangeInfo[] {
  if (change.type === 'deploy') {
    const release = releaseOf(change);
    if (release === null || change.service === null) return [change];
    return changes.filter((x) => x.type === 'deploy' && x.service === change.service && releaseOf(x) === release).sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
  }
  if (change.type !== 'feature_flag') return [change];
  const key = flagKeyOf(change);
  if (key === null) return [change];
  return changes.filter((x) => (x.id === change.id || switchesFlag(x, key)) && !turnsFlagOff(x)).sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
}


function between(values: SeriesValues, from: number, to: number): number[] {
  const out: number[] = [];
  values.values.forEach((v, i) => {
    const t = values.start + i * values.stepMs;
    if (v !== null && t >= from && t < to) out.push(v);
  });
  return out;
}

interface Step {
  stage: ChangeInfo;
  movement: Movement;
  before: number;
  after: number;
}

/** Whether the series stepped in its direction of harm just after `at` (and not before the previous stage's effect). */
function stepAt(values: SeriesValues, m: Movement, at: number, previous: number | null, next: number | null): { before: number; after: number } | null {
  const lag = Math.max(LAG_MS, values.stepMs);
  const beforeFrom = Math.max(at - WINDOW_MS, previous === null ? -Infinity : previous + lag);
  const afterTo = Math.min(at + lag + WINDOW_MS, next === null ? Infinity : next);
  const before = between(values, beforeFrom, at);
  const after = between(values, at + lag, afterTo);
  if (before.length < MIN_POINTS || after.length < MIN_POINTS) return null;
  const level = median(before);
  const sigma = 1.4826 * median(before.map((v) => Math.abs(v - level)));
  const moved = median(after) - level;
  const sign = m.direction === 'up' ? 1 : -1;
  if (sign * moved <= Math.max(STEP_SIGMA * sigma, STEP_SHARE * Math.abs(level), 1e-12)) return null;
  return { before: level, after: median(after) };
}

/**
 * The stages of a rollout at which the service's symptoms (or its work per request) stepped
 * up. Each stage counts once, on the first series that shows it.
 */
export function stepsOfRollout(c: Case, family: readonly ChangeInfo[], elsewhere: readonly Movement[] = []): Step[] {
  const service = family[0]?.service ?? null;
  if (service === null || family.length < 2) return [];
  const own = c.movements.filter((m) => m.info.service === service && (m.symptom || (m.info.meaning.perUnit && m.direction === 'up')));
  const steps = stepsOn(c, family, own);
  // The rollout's own service may show nothing (its new path hands bad work on): the
  // symptoms downstream stepping at its stages show it just as plainly.
  if (steps.length >= 2 || elsewhere.length === 0) return steps;
  const downstream = stepsOn(c, family, elsewhere.filter((m) => m.symptom && m.info.service !== service));
  return downstream.length > steps.length ? downstream : steps;
}

function stepsOn(c: Case, family: readonly ChangeInfo[], watched: readonly Movement[]): Step[] {
  const steps: Step[] = [];
  family.forEach((stage, i) => {
    const previous = family[i - 1]?.at ?? null;
    const next = family[i + 1]?.at ?? null;
    for (const m of [...watched].sort((a, b) => b.strength - a.strength || (a.series < b.series ? -1 : 1))) {
      const values = c.values.get(m.series);
      const step = values ? stepAt(values, m, stage.at, previous, next) : null;
      if (step) {
        steps.push({ stage, movement: m, ...step });
        break;
      }
    }
  });
  return steps;
}

/**
 * A change whose rollout the incident's symptoms followed elsewhere (at least two stages, each
 * with its step in a symptom of another service): that is what ties it to them, though its
 * own service shows nothing. Null when they did not.
 */
export function rolloutPath(c: Case, symptoms: readonly Movement[], change: ChangeInfo): PathLink | null {
  const steps = stepsOfRollout(c, familyOf(change, c.changes), symptoms);
  const first = steps[0];
  if (steps.length < 2 || first === undefined || first.movement.info.service === change.service) return null;
  return {
    reason: `${first.movement.display} stepped up at ${steps.length} stages of its rollout`,
    movement: first.movement,
    log: null,
  };
}

/** The finding for a rollout whose stages the symptoms followed: at least two stages, each with its step. */
export function rolloutFinding(c: Case, change: ChangeInfo, symptoms: readonly Movement[] = []): Finding | null {
  const family = familyOf(change, c.changes);
  const steps = stepsOfRollout(c, family, symptoms);
  if (steps.length < 2) return null;
  const said = steps.map((s) => `${s.stage.id} at ${iso(s.stage.at)}: ${s.movement.display} ${movedLevel(s.movement, s.before)} → ${movedLevel(s.movement, s.after)}`);
  return finding('follows_rollout', `the symptoms stepped up at ${steps.length} stages of its rollout (${listing(said)})`, [
    ...family.map((x) => ({ source: 'changes', ref: x.id, detail: `${x.type} of ${x.service ?? 'an unnamed service'} at ${iso(x.at)}: ${x.summary}` })),
    ...steps.slice(0, 2).map((s) => ({ source: 'metrics', ref: s.movement.series, detail: `stepped from ${movedLevel(s.movement, s.before)} to ${movedLevel(s.movement, s.after)} after ${s.stage.id} (${iso(s.stage.at)})` })),
  ]);
}
