// The verdict: a change when one suspect clearly stands out and something besides its
// timing points at it; else a cause that is not a change when the metrics and logs show
// one; else unknown. Blaming the wrong change costs more than saying unknown, so a close
// race between suspects, or a suspect with nothing but its timing, ends as unknown.
import type { Category } from '../../protocol/diagnosis.js';
import { causeEvidence, causeScore, modestLoad, type Cause } from './causes.js';
import { causeConfidence, changeConfidence, has, hasMechanism, THRESHOLDS, UNKNOWN_CONFIDENCE, waitExplained, type FindingKind } from './model.js';
import type { ChangeInfo } from './read.js';
import type { RiskSignalInfo } from './read-diff.js';
import type { SignatureClass } from './signatures.js';
import { corroborated, evidenceOf, rolloutOf, scoreOfSuspect, type Suspect } from './suspects.js';
import { revertedBy } from './reverts.js';

export type Conclusion =
  | { kind: 'change'; suspect: Suspect; category: Category; confidence: number; runnerUp: Suspect | null }
  | { kind: 'cause'; cause: Cause; confidence: number }
  | { kind: 'unknown'; reason: string; confidence: number };

export { UNKNOWN_CONFIDENCE };

const CATEGORY_BY_TYPE: Record<string, Category> = {
  deploy: 'deploy',
  config: 'config',
  feature_flag: 'feature_flag',
  infra: 'infrastructure',
};


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

/** The platform failures an edit of each kind produces when it goes wrong. */
/** A limit's name that says it bounds memory (`memory_gb`, `mem_limit`, `heap_size`, `-Xmx`). */
const MEMORY_NAME = /mem|heap|xmx|rss/i;

const PRODUCES: Partial<Record<string, SignatureClass>> = {
  memory_use_raised: 'out_of_memory',
  unbounded_growth: 'out_of_memory',
  // Several times the bytes written: the storage under them slows or stalls.
  compression_removed: 'disk_slow',
};

/**
 * The surge rose far more in the suspect's own service than anywhere else, and its edit
 * harms: demand enters at the front door and reaches every tier alike, so work that grew
 * in one tier many times more than around it (records reprocessed, calls retried) is made
 * there, by the edit that weakened it.
 */
function amplified(load: Cause | null, suspect: Suspect): boolean {
  const service = suspect.change.service;
  if (load === null || service === null || !suspect.harmful || load.surgeByService === undefined) return false;
  const own = load.surgeByService.get(service) ?? 0;
  const elsewhere = Math.max(1, ...[...load.surgeByService].filter(([other]) => other !== service).map(([, ratio]) => ratio));
  return own >= THRESHOLDS.sharpSurge.value * elsewhere;
}

/**
 * The crowd came through the suspect's own door as much as it reached the service that ran out
 * of room: demand from outside, which nothing the suspect's service sends onward can add. All
 * of its traffic read grew: a service whose arrivals held while what it sends on grew
 * (messages fanned out, calls retried) made that work itself. (A flood of its calls alone
 * says otherwise too.)
 */
function crowdAtItsDoor(load: Cause | null, suspect: Suspect): boolean {
  const service = suspect.change.service;
  if (load === null || service === null || load.surgeByService === undefined || load.trafficHeld?.has(service) !== false) return false;
  // Its own output stepped far beyond its range as it took effect: what grew is what it sends, which it made.
  if (suspect.path?.outputStepped === true) return false;
  const own = load.surgeByService.get(service) ?? 0;
  const reached = (load.service === null ? undefined : load.surgeByService.get(load.service)) ?? load.surge ?? 0;
  return own >= THRESHOLDS.sharpSurge.value && own * THRESHOLDS.sharpSurge.value >= reached && !has(suspect.findings, 'floods_paged');
}

/** The cause is a failure the suspect's own harmful edit produces, of the platform it reconfigured under that service, or of the disk it stopped freeing there. */
function producedBy(cause: Cause, suspect: Suspect): boolean {
  // A quota met is met by volume: a change that made each unit of work send more is what met it.
  if (cause.category === 'dependency' && cause.quota === true && (suspect.heavier || suspect.addsLoad || has(suspect.findings, 'work_per_unit_rose'))) return true;
  if (cause.signature === null) return false;
  if (cause.service === suspect.change.service && (has(suspect.findings, 'reconfigured_failed_platform') || has(suspect.findings, 'refills_stopped'))) return true;
  // Memory the work may take, cut: the work that needs more than the new limit is killed for it.
  const memoryCut = (risk: RiskSignalInfo): boolean => risk.kind === 'limit_changed' && risk.direction === 'tightened' && risk.identifiers.some((id) => MEMORY_NAME.test(id));
  return suspect.risks.some((risk) => PRODUCES[risk.kind] === cause.signature || (cause.signature === 'out_of_memory' && memoryCut(risk)));
}

/**
 * Load said to exceed a service whose own machine failed (its disk, seen in its logs and its
 * metrics), while the crowd never reached that service's own traffic: the failure explains the
 * saturation, and the crowd elsewhere (gates opening, a morning rush) is no rival to it.
 */
function loadExplainedBy(load: Cause | undefined, platform: Cause | undefined): boolean {
  if (load === undefined || platform === undefined || load.category !== 'capacity' || platform.category !== 'infrastructure') return false;
  if (platform.service === null || platform.service !== load.service || !has(platform.findings, 'platform_metric_moved')) return false;
  return load.surgeByService !== undefined && !load.surgeByService.has(platform.service);
}

/** A platform failure that explains the saturation load was read from comes before that load, whatever their scores. */
function platformOverLoad(causes: readonly Cause[]): Cause | undefined {
  const first = causes[0];
  return causes.find((x) => causeScore(x) >= THRESHOLDS.nameCause.value && loadExplainedBy(first, x)) ?? first;
}

/** Timing that puts a change at the onset: no long wait for it to answer. */
const TIMELY: readonly FindingKind[] = ['timing_at_onset', 'timing_close', 'rollout_spans_onset'];

export function decide(suspects: readonly Suspect[], causes: readonly Cause[], changes: readonly ChangeInfo[], measured: boolean): Conclusion {
  // On equal scores, a suspect with a mechanism comes before one whose case is timing and place alone.
  const mechanism = (x: Suspect): number => Number(hasMechanism(x.findings));
  const standing = suspects
    .filter((s) => s.ruledOut === null)
    .sort((a, b) => scoreOfSuspect(b) - scoreOfSuspect(a) || mechanism(b) - mechanism(a) || b.change.at - a.change.at || (a.change.id < b.change.id ? -1 : 1));
  const top = standing[0] ?? null;
  // Stages of the same rollout are one suspect: the runner-up is the best of another change.
  const runnerUp = top === null ? null : rivalOf(standing, top, changes);
  const topScore = top === null ? 0 : scoreOfSuspect(top);
  const lead = top === null ? 0 : topScore - (runnerUp === null ? 0 : scoreOfSuspect(runnerUp));
  // A runner-up whose case is timing and place alone is no rival to one with a mechanism at its
  // score: it could not be named on its own (THRESHOLDS.nameChange), so the race is not close.
  const unrivalled = top !== null && runnerUp !== null && hasMechanism(top.findings) && !hasMechanism(runnerUp.findings) && lead >= 0;
  // Without a dated symptom (a metric or new errors in the logs) there is no onset to hold a change against.
  const changeStands = measured && top !== null && corroborated(top) && topScore >= THRESHOLDS.nameChange.value && (lead >= THRESHOLDS.lead.value || unrivalled);
  const ranked = platformOverLoad(causes);
  const runner = causes.find((x) => x !== ranked);
  // A platform failure of the very service a dependency reading names (its certificate expired, its
  // disk stalled) is why its callers saw it fail: one failure read twice, not two rivals; the
  // platform's reading says why, so it is the one named.
  const oneFailure = (a: Cause | undefined, b: Cause | undefined): boolean =>
    a !== undefined && b !== undefined && a.service !== null && a.service === b.service && a.category === 'dependency' && b.category === 'infrastructure' && causeScore(b) >= causeScore(a);
  const best = oneFailure(ranked, runner) ? runner : ranked;
  const second = causes.find((x) => x !== best && !oneFailure(x, best));
  const cause = best && causeScore(best) >= THRESHOLDS.nameCause.value ? best : null;
  // A tie with load that grew by less than a sharp surge is no rival: the failure seen as plainly comes first.
  const rival =
    cause !== null && second !== undefined && causeScore(second) === causeScore(cause) && second.category !== cause.category && !modestLoad(second) && !loadExplainedBy(second, cause);

  // Load that grew sharply before the onset, into a service that saturated, is capacity unless
  // a suspect can explain the extra load (it adds calls or work) or made the service weaker
  // (an edit that harms by nature or by its stated direction).
  // Only a service that ran out of room (not one merely busier) lets load outweigh a standing suspect.
  const load =
    causes.find((x) => x.category === 'capacity' && x.ceiling === true && causeScore(x) >= THRESHOLDS.nameCause.value + 1 && (x.surge ?? 0) >= THRESHOLDS.sharpSurge.value) ?? null;
  if (changeStands && top) {
    // A failure that is not a change, seen plainly in metrics and logs, outweighs a suspect whose
    // case rests on timing alone (no risky edit), or a modest case on another service.
    // Load is weighed against the suspect on its own terms just below: a surge wins only where no change explains it.
    // Nor a platform failure that is what the suspect's own edit produces: memory running out
    // after the memory each worker takes was raised is that edit's effect, not the platform's.
    const platformWins =
      cause !== null &&
      cause.category !== 'capacity' &&
      !producedBy(cause, top) &&
      (!hasMechanism(top.findings) ||
        (causeScore(cause) >= 4 && topScore < THRESHOLDS.platformBeatsChange.value && cause.service !== top.change.service) ||
        // One machine's own failure measured beside its siblings (its clock, its disk) is seen
        // directly; a change whose diff shows nothing that could fail that way does not outweigh it.
        (has(cause.findings, 'platform_failure_measured') && has(top.findings, 'no_risky_edit') && cause.service !== top.change.service));
    // Nor does load beat a change whose effect stepped up with each stage of its rollout: demand does not keep to a rollout's stages.
    // Nor one whose new code the failing requests run (or whose new path the symptom is measured
    // in), or whose edit the failures first named at
    // the onset (a slow-statement log quoting its new query): the load found its cost at peak.
    // A harmful edit counts against the load only where it made the service that ran out of room weaker.
    const weakened = top.harmful && load !== null && (load.service === null || load.service === top.change.service);
    // And extra load it adds explains the surge only when it can reach it: a setting moved by a
    // factor adds at most that factor (with room for doubt), not a sixteen-fold crowd; and a
    // crowd that came in through its own door was not sent by it.
    // Nor do misses that began only once the crowd was coming: new visitors ask for what no cache holds yet.
    const missesFollowedCrowd = top.missesFrom !== null && !top.heavier && load?.risesFrom !== undefined && load.risesFrom <= top.missesFrom;
    const explainsLoad =
      (top.addsLoad && !missesFollowedCrowd && !crowdAtItsDoor(load, top) && (top.loadBound === null || load === null || top.loadBound * THRESHOLDS.sharpSurge.value >= (load.surge ?? 0))) ||
      amplified(load, top);
    // Nor one whose undoing eased the symptoms: demand does not fall back when a setting is reverted.
    // Nor one whose service logged new errors right after it took effect, before the surge began:
    // those errors are not the load's.
    // Nor one that used up the room the load later ran out of (headroom_used, or heavier work per unit): without it, the load would have fit.
    const loadWins =
      load !== null &&
      !explainsLoad &&
      !weakened &&
      !has(top.findings, 'headroom_used') &&
      // Nor one whose entries filled the store the load ran out of: a crowd does not fill memory
      // that holds entries, it finds it full; without the fill, the load would have fit.
      !(top.filled !== null && load.service === top.filled) &&
      // Nor one that made each unit of work heavier as it took effect (a statement per row where
      // a batch was): the load that came needed room that change took.
      !top.heavier &&
      !has(top.findings, 'follows_rollout') &&
      !has(top.findings, 'errors_in_new_code') &&
      !has(top.findings, 'symptom_in_new_path') &&
      !has(top.findings, 'edit_named_at_onset') &&
      !(has(top.findings, 'new_errors_after') && top.errorsFrom !== null && load.risesFrom !== undefined && top.errorsFrom < load.risesFrom) &&
      !has(top.findings, 'undo_eased') &&
      // Nor one whose lock's waits began from none as it took effect: the crowd found the queue its lock made.
      !has(top.findings, 'lock_waits_began');
    // A platform failure first logged at the onset itself is evidence against a change that took
    // effect long before with nothing to show for the wait: why would it act just then? Unanswered,
    // the change is not named (the failure is, when its own case stands).
    const waitUnanswered =
      cause !== null &&
      cause.category === 'infrastructure' &&
      cause.atOnset === true &&
      !producedBy(cause, top) &&
      !waitExplained(top.findings) &&
      !TIMELY.some((kind) => has(top.findings, kind));
    if (waitUnanswered && !loadWins) return { kind: 'cause', cause, confidence: causeConfidence(causeScore(cause), causeEvidence(cause)) };
    // A dependency whose callers failed alike, one of them untouched by any change, outweighs a
    // change of another of its callers: that change cannot make the untouched caller fail. Unless
    // undoing the change eased the symptoms, which says it does hold them up.
    const sharedFailure = causes.find((x) => x.category === 'dependency' && x.callers?.includes(top.change.service ?? '') === true && causeScore(x) >= THRESHOLDS.nameCause.value);
    if (sharedFailure && !has(top.findings, 'undo_eased')) return { kind: 'cause', cause: sharedFailure, confidence: causeConfidence(causeScore(sharedFailure), causeEvidence(sharedFailure)) };
    // A dependency the paged service's first failures are calls to, failing itself as they
    // began, outweighs a change of a third service: that change does not make those calls fail.
    const calledAndFailed = causes.find(
      (x) => x.category === 'dependency' && x.failedUnder !== undefined && x.failedUnder !== top.change.service && x.service !== top.change.service && causeScore(x) >= THRESHOLDS.nameCause.value,
    );
    if (calledAndFailed && !has(top.findings, 'undo_eased')) return { kind: 'cause', cause: calledAndFailed, confidence: causeConfidence(causeScore(calledAndFailed), causeEvidence(calledAndFailed)) };
    // A dependency that a probe of its own, made by none of its callers, found failing as the
    // calls to it failed is down itself: a change of a caller that sends it no more calls than
    // before cannot fail that probe, whatever its edit.
    const probedDown = causes.find((x) => x.category === 'dependency' && x.probedDown !== undefined && x.service !== top.change.service && causeScore(x) >= THRESHOLDS.nameCause.value);
    if (probedDown && !top.addsLoad && !has(top.findings, 'undo_eased')) return { kind: 'cause', cause: probedDown, confidence: causeConfidence(causeScore(probedDown), causeEvidence(probedDown)) };
    if (!platformWins && !loadWins) {
      return { kind: 'change', suspect: top, category: categoryOf(top.change, changes), confidence: changeConfidence(topScore, lead, evidenceOf(top)), runnerUp };
    }
    if (loadWins && !platformWins) return { kind: 'cause', cause: load, confidence: causeConfidence(causeScore(load), causeEvidence(load)) };
  }
  // Changes too close to tell apart, and load that ran out of room: the one change that cut the
  // room of the service that ran out is named, since without it the load would have fit; the
  // others would have to explain why the room was short, and none of them touched it.
  const ranOut = load ?? (cause !== null && cause.category === 'capacity' && cause.ceiling === true ? cause : null);
  const cutRoom = measured && top !== null && !changeStands && ranOut !== null && ranOut.service !== null ? roomCutter(standing, topScore, ranOut.service) : null;
  if (cutRoom !== null) {
    const rivalOfCutter = rivalOf(standing, cutRoom, changes);
    const margin = Math.max(0, scoreOfSuspect(cutRoom) - (rivalOfCutter === null ? 0 : scoreOfSuspect(rivalOfCutter)));
    return { kind: 'change', suspect: cutRoom, category: categoryOf(cutRoom.change, changes), confidence: changeConfidence(scoreOfSuspect(cutRoom), margin, evidenceOf(cutRoom)), runnerUp: rivalOfCutter };
  }
  if (cause !== null && !rival) return { kind: 'cause', cause, confidence: causeConfidence(causeScore(cause), causeEvidence(cause)) };
  return { kind: 'unknown', reason: whyUnknown(measured, top, runnerUp, lead), confidence: UNKNOWN_CONFIDENCE };
}

/** The best suspect of another change than `suspect`'s: stages of the same rollout are one suspect. */
function rivalOf(standing: readonly Suspect[], suspect: Suspect, changes: readonly ChangeInfo[]): Suspect | null {
  return standing.find((s) => rolloutOf(s, changes) !== rolloutOf(suspect, changes)) ?? null;
}

/**
 * Among the suspects in the race at the top (within the lead of the best), the only one that
 * made `service` weaker (a harmful edit of its own, or room it used up as it took effect),
 * when it could be named on its score; null when none is, or more than one.
 */
function roomCutter(standing: readonly Suspect[], topScore: number, service: string): Suspect | null {
  const inRace = standing.filter((s) => topScore - scoreOfSuspect(s) < THRESHOLDS.lead.value);
  const cutters = inRace.filter((s) => s.change.service === service && (s.harmful || has(s.findings, 'headroom_used')) && corroborated(s) && scoreOfSuspect(s) >= THRESHOLDS.nameChange.value);
  return cutters.length === 1 ? (cutters[0] as Suspect) : null;
}

function whyUnknown(measured: boolean, top: Suspect | null, runnerUp: Suspect | null, lead: number): string {
  if (!measured) return 'neither the metrics nor the logs show when the incident began, so no change can be held against it';
  if (top === null) return 'no change before the onset is on the causal path, and the metrics and logs show no platform failure, dependency or load surge';
  if (!corroborated(top)) return `${top.change.id} is the nearest suspect, but only its timing and its place on the causal path point at it`;
  if (lead < THRESHOLDS.lead.value) return `${top.change.id} and ${runnerUp?.change.id ?? 'another change'} are equally plausible`;
  return `the case against ${top.change.id} is too thin to blame it`;
}
