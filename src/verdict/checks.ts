// One check per claim a diagnosis makes. Each returns the problems it found, worded as
// what failed and what to do about it, because the brain reads them to fix its claim.
import type { Category, Diagnosis } from '../protocol/diagnosis.js';
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

export function checkRefs(diagnosis: Diagnosis, seen: Seen): string[] {
  const problems: string[] = [];
  for (const [index, evidence] of diagnosis.evidence.entries()) {
    if (!seen.contains(evidence.ref)) {
      problems.push(
        `evidence[${index}].ref "${evidence.ref}" was not returned by any tool in this session: cite a series id, change id or file:line exactly as a tool printed it`,
      );
    }
  }
  return problems;
}

export function checkTimeline(diagnosis: Diagnosis): string[] {
  const problems: string[] = [];
  for (const [index, entry] of diagnosis.timeline.entries()) {
    if (parseTime(entry.at) === null) problems.push(`timeline[${index}].at "${entry.at}" is not a time: use RFC 3339 (2026-02-10T14:03:10Z)`);
  }
  return problems;
}

export function checkUnknown(diagnosis: Diagnosis): string[] {
  if (diagnosis.root_cause.category !== 'unknown') return [];
  const problems: string[] = [];
  if (diagnosis.root_cause.change_id !== null) problems.push('an unknown root cause names no change: set change_id to null');
  if (diagnosis.confidence > UNKNOWN_MAX_CONFIDENCE) {
    problems.push(`an unknown root cause cannot carry confidence ${diagnosis.confidence}: set it to ${UNKNOWN_MAX_CONFIDENCE} or less`);
  }
  return problems;
}

function checkChangeTiming(diagnosis: Diagnosis, change: ObservedChange, facts: Facts, profile: EvidenceProfile): string[] {
  const problems: string[] = [];
  if (facts.alertStart !== null && change.at > facts.alertStart) {
    problems.push(`change ${change.id} took effect at ${iso(change.at)}, after the page at ${iso(facts.alertStart)}: it cannot have caused it`);
    return problems;
  }
  const claimed = claimedOnset(diagnosis);
  if (claimed !== null) {
    if (change.at > claimed + ONSET_SLACK_MS) {
      problems.push(
        `change ${change.id} took effect at ${iso(change.at)}, after the onset you state (${iso(claimed)}): a change after the onset cannot be the cause; blame an earlier change or say unknown`,
      );
    }
    if (facts.changePoints.length > 0 && !measuredNear(facts, claimed, ONSET_SUPPORT_MS)) {
      problems.push(`the onset you state (${iso(claimed)}) is not near any change point a tool measured: run detect_changes on the paged service's signals and use the onset it reports`);
    }
    return problems;
  }
  const detected = detectedOnset(facts, profile.refs);
  if (detected !== null && change.at > detected.at + DETECTED_ONSET_SLACK_MS) {
    problems.push(
      `change ${change.id} took effect at ${iso(change.at)}, after ${detected.series} began to move at ${iso(detected.at)}: a change after the onset cannot be the cause`,
    );
  }
  return problems;
}

export function checkChange(diagnosis: Diagnosis, facts: Facts, profile: EvidenceProfile): string[] {
  const { category, change_id: changeId, service } = diagnosis.root_cause;
  if (changeId === null || category === 'unknown') return [];
  const change = facts.changes.get(changeId);
  if (!change) {
    return [`change ${changeId} was not returned by any tool in this session: list it with list_changes first, or name no change`];
  }
  const problems: string[] = [];
  const allowed = categoriesFor(change, facts);
  if (!allowed.includes(category)) {
    problems.push(`change ${changeId} is a ${change.type} change, so the category is ${allowed.join(' or ')}, not ${category}`);
  }
  if (change.service !== null && service !== change.service) {
    problems.push(`change ${changeId} changed ${change.service}: set root_cause.service to "${change.service}"`);
  }
  if (!profile.refs.has(changeId)) problems.push(`cite change ${changeId} itself in the evidence (source "changes", ref "${changeId}")`);
  // A bundle without metrics can still show the symptom: then its log lines must.
  const noMetrics = facts.seriesInBundle === 0;
  if (!profile.kinds.has('metric') && !(noMetrics && profile.kinds.has('log'))) {
    problems.push(
      noMetrics
        ? 'a change blamed for an incident needs evidence of the symptom: this bundle has no metrics, so cite a log line (file:line) a tool returned'
        : 'a change blamed for an incident needs metric evidence of the symptom: cite a series id that query_metrics or detect_changes returned',
    );
  }
  problems.push(...checkChangeTiming(diagnosis, change, facts, profile));
  return problems;
}

export function checkCauseWithoutChange(diagnosis: Diagnosis, profile: EvidenceProfile): string[] {
  const { category, change_id: changeId } = diagnosis.root_cause;
  if (category === 'unknown' || changeId !== null) return [];
  if (category === 'deploy' || category === 'config' || category === 'feature_flag') {
    return [`a ${category} cause is a change: name its change_id, or choose dependency, capacity, infrastructure or unknown`];
  }
  if (!profile.kinds.has('metric') && !profile.kinds.has('log')) {
    return [`a ${category} cause needs evidence from metrics or logs: cite a series id or a file:line a tool returned`];
  }
  return [];
}

export function checkConfidence(diagnosis: Diagnosis, profile: EvidenceProfile): string[] {
  const { confidence } = diagnosis;
  const { category, change_id: changeId } = diagnosis.root_cause;
  const problems: string[] = [];
  if (category !== 'unknown' && diagnosis.evidence.length === 0) {
    problems.push('a diagnosis that names a cause needs at least one piece of evidence');
  }
  if (confidence > 0.5 && diagnosis.evidence.length < 2) {
    problems.push(`confidence ${confidence} needs at least two pieces of evidence: add evidence or lower the confidence to 0.5`);
  }
  if (category === 'unknown' || confidence < HIGH_CONFIDENCE) return problems;
  const corroborated = changeId !== null ? profile.kinds.has('diff') || profile.kinds.has('log') : profile.kinds.has('metric') && profile.kinds.has('log');
  if (!corroborated) {
    const needs = changeId !== null ? 'a diff line (get_diff) or a log line (search_logs, log_patterns)' : 'both a series and a log line';
    problems.push(`confidence ${confidence} needs corroboration: cite ${needs}, or lower the confidence below ${HIGH_CONFIDENCE}`);
  }
  return problems;
}
