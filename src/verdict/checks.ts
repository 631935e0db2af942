// One check per claim a diagnosis makes. Each returns the problems it found: a code, where
// in the diagnosis, what was expected and what was given (a brain corrects its claim from
// these), and the same in words, saying what failed and what to do about it (for a model).
import type { Category, Diagnosis } from '../protocol/diagnosis.js';
import type { VerifierProblem } from '../protocol/results/index.js';
import type { EvidenceProfile } from './evidence.js';
import type { Facts, ObservedChange } from './facts.js';
import type { Seen } from './seen.js';
import { claimedOnset, detectedOnset, measuredNear, ONSET_SLACK_MS, parseTime } from './timing.js';

/** Highest confidence an `unknown` diagnosis may carry: it claims nothing. */
export const UNKNOWN_MAX_CONFIDENCE = 0.3;
/** From this confidence on, a cause needs corroboration from a second kind of source. */
export const HIGH_CONFIDENCE = 0.7;
/**
 * How far a claimed onset may sit from the nearest change point a tool measured. Change
 * points of a ramp are placed only roughly (minutes), so this catches an invented onset,
 * not an imprecise one.
 */
const ONSET_SUPPORT_MS = 15 * 60_000;
/** Without a stated onset, the measured one is a change point: allow for its imprecision. */
const DETECTED_ONSET_SLACK_MS = 5 * 60_000;

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

const CATEGORY_BY_TYPE: Record<string, Category> = {
  deploy: 'deploy',
  config: 'config',
  feature_flag: 'feature_flag',
  infra: 'infrastructure',
};

/** The categories a change may be blamed under (a rollback counts as what it rolled back). */
export function categoriesFor(change: ObservedChange, facts: Facts): Category[] {
  const direct = CATEGORY_BY_TYPE[change.type];
  if (direct) return [direct];
  const reverted = change.reverts ? facts.changes.get(change.reverts) : undefined;
  const category = reverted ? CATEGORY_BY_TYPE[reverted.type] : undefined;
  return category ? [category] : ['deploy', 'config', 'feature_flag', 'infrastructure'];
}

/** Confidence above this needs at least two pieces of evidence. */
const SINGLE_EVIDENCE_MAX_CONFIDENCE = 0.5;

function problem(code: VerifierProblem['code'], path: VerifierProblem['path'], expected: VerifierProblem['expected'], got: VerifierProblem['got'], message: string): VerifierProblem {
  return { code, path, expected, got, message };
}

export function checkRefs(diagnosis: Diagnosis, seen: Seen): VerifierProblem[] {
  const problems: VerifierProblem[] = [];
  for (const [index, evidence] of diagnosis.evidence.entries()) {
    if (!seen.contains(evidence.ref)) {
      problems.push(
        problem(
          'evidence_not_seen',
          ['evidence', index, 'ref'],
          null,
          evidence.ref,
          `evidence[${index}].ref "${evidence.ref}" was not returned by any tool in this session: cite a series id, change id or file:line exactly as a tool printed it`,
        ),
      );
    }
  }
  return problems;
}

export function checkTimeline(diagnosis: Diagnosis): VerifierProblem[] {
  const problems: VerifierProblem[] = [];
  for (const [index, entry] of diagnosis.timeline.entries()) {
    if (parseTime(entry.at) === null) {
      problems.push(problem('timeline_time_invalid', ['timeline', index, 'at'], null, entry.at, `timeline[${index}].at "${entry.at}" is not a time: use RFC 3339 (2026-02-10T14:03:10Z)`));
    }
  }
  return problems;
}

export function checkUnknown(diagnosis: Diagnosis): VerifierProblem[] {
  if (diagnosis.root_cause.category !== 'unknown') return [];
  const problems: VerifierProblem[] = [];
  if (diagnosis.root_cause.change_id !== null) {
    problems.push(problem('unknown_names_change', ['root_cause', 'change_id'], null, diagnosis.root_cause.change_id, 'an unknown root cause names no change: set change_id to null'));
  }
  if (diagnosis.confidence > UNKNOWN_MAX_CONFIDENCE) {
    problems.push(
      problem(
        'confidence_too_high',
        ['confidence'],
        UNKNOWN_MAX_CONFIDENCE,
        diagnosis.confidence,
        `an unknown root cause cannot carry confidence ${diagnosis.confidence}: set it to ${UNKNOWN_MAX_CONFIDENCE} or less`,
      ),
    );
  }
  return problems;
}

function checkChangeTiming(diagnosis: Diagnosis, change: ObservedChange, facts: Facts, profile: EvidenceProfile): VerifierProblem[] {
  const problems: VerifierProblem[] = [];
  const path = ['root_cause', 'change_id'];
  if (facts.alertStart !== null && change.at > facts.alertStart) {
    problems.push(
      problem('change_after_page', path, iso(facts.alertStart), iso(change.at), `change ${change.id} took effect at ${iso(change.at)}, after the page at ${iso(facts.alertStart)}: it cannot have caused it`),
    );
    return problems;
  }
  const claimed = claimedOnset(diagnosis);
  if (claimed !== null) {
    if (change.at > claimed + ONSET_SLACK_MS) {
      problems.push(
        problem(
          'change_after_onset',
          path,
          iso(claimed),
          iso(change.at),
          `change ${change.id} took effect at ${iso(change.at)}, after the onset you state (${iso(claimed)}): a change after the onset cannot be the cause; blame an earlier change or say unknown`,
        ),
      );
    }
    if (facts.changePoints.length > 0 && !measuredNear(facts, claimed, ONSET_SUPPORT_MS)) {
      problems.push(
        problem(
          'onset_not_measured',
          ['timeline'],
          null,
          iso(claimed),
          `the onset you state (${iso(claimed)}) is not near any change point a tool measured: run detect_changes on the paged service's signals and use the onset it reports`,
        ),
      );
    }
    return problems;
  }
  const detected = detectedOnset(facts, profile.refs);
  if (detected !== null && change.at > detected.at + DETECTED_ONSET_SLACK_MS) {
    problems.push(
      problem(
        'change_after_onset',
        path,
        iso(detected.at),
        iso(change.at),
        `change ${change.id} took effect at ${iso(change.at)}, after ${detected.series} began to move at ${iso(detected.at)}: a change after the onset cannot be the cause`,
      ),
    );
  }
  return problems;
}

export function checkChange(diagnosis: Diagnosis, facts: Facts, profile: EvidenceProfile): VerifierProblem[] {
  const { category, change_id: changeId, service } = diagnosis.root_cause;
  if (changeId === null || category === 'unknown') return [];
  const change = facts.changes.get(changeId);
  if (!change) {
    return [
      problem('change_not_seen', ['root_cause', 'change_id'], null, changeId, `change ${changeId} was not returned by any tool in this session: list it with list_changes first, or name no change`),
    ];
  }
  const problems: VerifierProblem[] = [];
  const allowed = categoriesFor(change, facts);
  if (!allowed.includes(category)) {
    problems.push(
      problem('category_mismatch', ['root_cause', 'category'], allowed, category, `change ${changeId} is a ${change.type} change, so the category is ${allowed.join(' or ')}, not ${category}`),
    );
  }
  if (change.service !== null && service !== change.service) {
    problems.push(
      problem('service_mismatch', ['root_cause', 'service'], change.service, service, `change ${changeId} changed ${change.service}: set root_cause.service to "${change.service}"`),
    );
  }
  if (!profile.refs.has(changeId)) {
    problems.push(problem('change_not_cited', ['evidence'], changeId, null, `cite change ${changeId} itself in the evidence (source "changes", ref "${changeId}")`));
  }
  // A bundle without metrics can still show the symptom: then its log lines must.
  const noMetrics = facts.seriesInBundle === 0;
  if (!profile.kinds.has('metric') && !(noMetrics && profile.kinds.has('log'))) {
    problems.push(
      problem(
        'symptom_not_cited',
        ['evidence'],
        null,
        null,
        noMetrics
          ? 'a change blamed for an incident needs evidence of the symptom: this bundle has no metrics, so cite a log line (file:line) a tool returned'
          : 'a change blamed for an incident needs metric evidence of the symptom: cite a series id that query_metrics or detect_changes returned',
      ),
    );
  }
  problems.push(...checkChangeTiming(diagnosis, change, facts, profile));
  return problems;
}

export function checkCauseWithoutChange(diagnosis: Diagnosis, profile: EvidenceProfile): VerifierProblem[] {
  const { category, change_id: changeId } = diagnosis.root_cause;
  if (category === 'unknown' || changeId !== null) return [];
  if (category === 'deploy' || category === 'config' || category === 'feature_flag') {
    return [
      problem(
        'change_category_without_change',
        ['root_cause', 'change_id'],
        null,
        null,
        `a ${category} cause is a change: name its change_id, or choose dependency, capacity, infrastructure or unknown`,
      ),
    ];
  }
  if (!profile.kinds.has('metric') && !profile.kinds.has('log')) {
    return [problem('cause_not_cited', ['evidence'], null, null, `a ${category} cause needs evidence from metrics or logs: cite a series id or a file:line a tool returned`)];
  }
  return [];
}

export function checkConfidence(diagnosis: Diagnosis, profile: EvidenceProfile): VerifierProblem[] {
  const { confidence } = diagnosis;
  const { category, change_id: changeId } = diagnosis.root_cause;
  const problems: VerifierProblem[] = [];
  if (category !== 'unknown' && diagnosis.evidence.length === 0) {
    problems.push(problem('evidence_missing', ['evidence'], null, null, 'a diagnosis that names a cause needs at least one piece of evidence'));
  }
  if (confidence > SINGLE_EVIDENCE_MAX_CONFIDENCE && diagnosis.evidence.length < 2) {
    problems.push(
      problem(
        'confidence_too_high',
        ['confidence'],
        SINGLE_EVIDENCE_MAX_CONFIDENCE,
        confidence,
        `confidence ${confidence} needs at least two pieces of evidence: add evidence or lower the confidence to ${SINGLE_EVIDENCE_MAX_CONFIDENCE}`,
      ),
    );
  }
  if (category === 'unknown' || confidence < HIGH_CONFIDENCE) return problems;
  const corroborated = changeId !== null ? profile.kinds.has('diff') || profile.kinds.has('log') : profile.kinds.has('metric') && profile.kinds.has('log');
  if (!corroborated) {
    const needs = changeId !== null ? 'a diff line (get_diff) or a log line (search_logs, log_patterns)' : 'both a series and a log line';
    problems.push(
      problem(
        'confidence_uncorroborated',
        ['confidence'],
        HIGH_CONFIDENCE,
        confidence,
        `confidence ${confidence} needs corroboration: cite ${needs}, or lower the confidence below ${HIGH_CONFIDENCE}`,
      ),
    );
  }
  return problems;
}
