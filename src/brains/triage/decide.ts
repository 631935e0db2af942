// The verdict: a change when one suspect clearly stands out and something besides its
// timing points at it; else a cause that is not a change when the metrics and logs show
// one; else unknown. Blaming the wrong change costs more than saying unknown, so a close
// race between suspects, or a suspect with nothing but its timing, ends as unknown.
import type { Category } from '../../protocol/diagnosis.js';
import type { Cause } from './causes.js';
import type { ChangeInfo } from './read.js';
import type { Suspect } from './suspects.js';

export type Conclusion =
  | { kind: 'change'; suspect: Suspect; category: Category; confidence: number; runnerUp: Suspect | null }
  | { kind: 'cause'; cause: Cause; confidence: number }
  | { kind: 'unknown'; reason: string; confidence: number };

/** A suspect needs this score (timing, path, diff, effect, logs) to be named. */
export const NAME_SCORE = 5;
/** ...and this lead over the next suspect. */
export const LEAD = 2;
/** A cause needs this strength to be named. */
export const CAUSE_STRENGTH = 3;
export const UNKNOWN_CONFIDENCE = 0.2;
/** Load that at least doubled is a surge no ordinary change on the callee explains. */
const SHARP_SURGE = 2;

const CATEGORY_BY_TYPE: Record<string, Category> = {
  deploy: 'deploy',
  config: 'config',
  feature_flag: 'feature_flag',
  infra: 'infrastructure',
};

/** What a rollback rolled back: its `reverts` attribute, else a change id its summary names. */
export function revertedBy(change: ChangeInfo, changes: readonly ChangeInfo[]): ChangeInfo | null {
  const named = change.attributes['reverts'] ?? change.attributes['rolls_back'] ?? change.attributes['reverted'];
  if (typeof named === 'string') return changes.find((c) => c.id === named) ?? null;
  return changes.find((c) => c.id !== change.id && c.at < change.at && new RegExp(`(?<![\\w-])${c.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(change.summary)) ?? null;
}

/** The category of a change that caused an incident (spec: a rollback counts as what it rolled back). */
export function categoryOf(change: ChangeInfo, changes: readonly ChangeInfo[]): Category {
  const direct = CATEGORY_BY_TYPE[change.type];
  if (direct) return direct;
  if (change.type === 'rollback') {
    const reverted = revertedBy(change, changes);
    return (reverted && CATEGORY_BY_TYPE[reverted.type]) ?? 'deploy';
  }
  return 'deploy';
}

function changeConfidence(suspect: Suspect, lead: number): number {
  let confidence = Math.min(0.9, 0.5 + 0.05 * suspect.score);
  if (lead < LEAD + 1) confidence -= 0.05;
  // High confidence needs a diff line or a log line besides the metrics.
  const corroborated = suspect.evidence.some((e) => e.source === 'diffs' || e.source === 'logs');
  if (!corroborated) confidence = Math.min(confidence, 0.65);
  return Math.round(confidence * 100) / 100;
}

function causeConfidence(cause: Cause): number {
  const base = cause.strength >= 5 ? 0.8 : cause.strength >= 4 ? 0.7 : 0.6;
  const sources = new Set(cause.evidence.map((e) => e.source));
  return sources.has('metrics') && sources.has('logs') ? base : Math.min(base, 0.65);
}

export function decide(suspects: readonly Suspect[], causes: readonly Cause[], changes: readonly ChangeInfo[], measured: boolean): Conclusion {
  const standing = suspects
    .filter((s) => s.ruledOut === null)
    .sort((a, b) => b.score - a.score || b.change.at - a.change.at || (a.change.id < b.change.id ? -1 : 1));
  const top = standing[0] ?? null;
  const runnerUp = standing[1] ?? null;
  const lead = top === null ? 0 : top.score - (runnerUp?.score ?? 0);
  // Without a dated symptom (a metric or new errors in the logs) there is no onset to hold a change against.
  const changeStands = measured && top !== null && top.corroborated && top.score >= NAME_SCORE && lead >= LEAD;
  const cause = causes[0] && causes[0].strength >= CAUSE_STRENGTH ? causes[0] : null;
  const rival = cause !== null && causes[1] !== undefined && causes[1].strength === cause.strength && causes[1].category !== cause.category;

  // Load that grew sharply before the onset, into a service that saturated, is capacity unless
  // a suspect can explain the extra load (it adds calls or work) or made the service weaker
  // (an edit that harms by nature or by its stated direction).
  const load = causes.find((x) => x.category === 'capacity' && x.strength >= CAUSE_STRENGTH + 1 && (x.surge ?? 0) >= SHARP_SURGE) ?? null;
  if (changeStands && top) {
    // A failure that is not a change, seen plainly in metrics and logs, outweighs a suspect whose
    // case rests on timing alone (no risky edit), or a modest case on another service.
    const platformWins = cause !== null && (!top.risky || (cause.strength >= 4 && top.score < 7 && cause.service !== top.change.service));
    const loadWins = load !== null && !top.addsLoad && !top.harmful;
    if (!platformWins && !loadWins) return { kind: 'change', suspect: top, category: categoryOf(top.change, changes), confidence: changeConfidence(top, lead), runnerUp };
    if (loadWins && !platformWins) return { kind: 'cause', cause: load, confidence: causeConfidence(load) };
  }
  if (cause !== null && !rival) return { kind: 'cause', cause, confidence: causeConfidence(cause) };
  return { kind: 'unknown', reason: whyUnknown(measured, top, runnerUp, lead), confidence: UNKNOWN_CONFIDENCE };
}

function whyUnknown(measured: boolean, top: Suspect | null, runnerUp: Suspect | null, lead: number): string {
  if (!measured) return 'neither the metrics nor the logs show when the incident began, so no change can be held against it';
  if (top === null) return 'no change before the onset is on the causal path, and the metrics and logs show no platform failure, dependency or load surge';
  if (!top.corroborated) return `${top.change.id} is the nearest suspect, but only its timing and its place on the causal path point at it`;
  if (lead < LEAD) return `${top.change.id} and ${runnerUp?.change.id ?? 'another change'} are equally plausible`;
  return `the case against ${top.change.id} is too thin to blame it`;
}
