// The one scoring model of the triage engine. Every hypothesis (each change, and each
// cause that is not a change: infrastructure, a dependency, load beyond capacity) collects
// typed findings for and against it; its tables (findings-change.ts, findings-cause.ts) say
// what each finding weighs and why, which findings are *specific* (a mechanism seen in a
// diff, in logs or in the telemetry, at the right place and time) and which ones settle a
// hypothesis on their own. The
// thresholds that name a cause and the confidence that goes with it live here too, so
// the whole judgement can be read, argued with and changed in one place.
import type { Evidence } from '../../protocol/diagnosis.js';
import { CAUSE_FINDINGS } from './findings-cause.js';
import { CHANGE_FINDINGS } from './findings-change.js';

export interface FindingRule {
  /** Points for (positive) or against (negative) the hypothesis. */
  weight: number;
  /** It shows how the change did harm (its edit, or its effect measured as it acted), not only that something followed it. */
  mechanism?: boolean;
  /** It shows the change acting from when it took effect: a long wait until the symptoms is then no argument against it. */
  explainsWait?: boolean;
  /** A mechanism seen at the right place and time, not just timing or position. */
  specific: boolean;
  /** Why the finding weighs what it weighs. */
  reason: string;
}

/** What each finding weighs and why: those about a change, then those about a cause that is not one. */
const TABLE = { ...CHANGE_FINDINGS, ...CAUSE_FINDINGS } satisfies Record<string, FindingRule>;

/** Every kind of finding the model weighs: the keys of its table. */
export type FindingKind = keyof typeof TABLE;

export const FINDINGS: Readonly<Record<FindingKind, FindingRule>> = TABLE;

export interface Threshold {
  value: number;
  reason: string;
}

export const THRESHOLDS = {
  nameChange: {
    value: 5,
    reason: 'timing and position together give at most 5: blaming a change needs them and something more, or a strong mechanism',
  },
  lead: {
    value: 2,
    reason: 'a change is named only when it leads the next suspect by a clear margin: a close race is unknown, not a coin toss',
  },
  nameCause: {
    value: 3,
    reason: 'a cause without a change needs its specific finding (the logged failure, the degraded dependency) at least',
  },
  sharpSurge: {
    value: 2,
    reason: 'load that at least doubled is a surge no ordinary change on the callee explains',
  },
  capacityBeatsChange: {
    value: 3,
    reason: 'a saturated service under a surge outweighs a suspect that neither adds load nor weakens the service',
  },
  platformBeatsChange: {
    value: 8,
    reason: 'a logged platform failure on another service outweighs a change whose case is no stronger than its timing at the onset, its place and one edit (3 + 2 + 2): an edit that could act, seen nowhere acting, is weaker than a failure seen',
  },
  highConfidence: {
    value: 0.7,
    reason: 'from this confidence on, the verifier asks for a diff or log reference beside the metrics',
  },
} as const satisfies Record<string, Threshold>;

/** The confidence of an unknown: it claims nothing. */
export const UNKNOWN_CONFIDENCE = 0.2;

/** One piece of evidence for or against a hypothesis, as the model weighs it. */
export interface Finding {
  kind: FindingKind;
  /** In words, for the person watching and the report. */
  text: string;
  /** The references that show it (series ids, change ids, file:line). */
  evidence: Evidence[];
}

export function finding(kind: FindingKind, text: string, evidence: Evidence[] = []): Finding {
  return { kind, text, evidence };
}

export function weightOf(finding: Finding): number {
  return FINDINGS[finding.kind].weight;
}

/** The total the model gives a hypothesis's findings. */
export function scoreOf(findings: readonly Finding[]): number {
  return findings.reduce((sum, f) => sum + weightOf(f), 0);
}

/** Whether anything besides timing and position points at the hypothesis. */
export function isSpecific(findings: readonly Finding[]): boolean {
  return findings.some((f) => FINDINGS[f.kind].specific && FINDINGS[f.kind].weight > 0);
}

/** Whether the findings show how the change did harm: a failure seen plainly elsewhere outweighs one that only followed it. */
export function hasMechanism(findings: readonly Finding[]): boolean {
  return findings.some((f) => FINDINGS[f.kind].mechanism === true);
}

/** A finding shows the change acting from the start, so a long wait is no argument against it. */
export function waitExplained(findings: readonly Finding[]): boolean {
  return findings.some((f) => FINDINGS[f.kind].explainsWait === true);
}

export function has(findings: readonly Finding[], kind: FindingKind): boolean {
  return findings.some((f) => f.kind === kind);
}

/**
 * Confidence in a blamed change: half for a named suspect, more with each point of
 * evidence, capped at 0.9 (nothing offline is certain), a little less when the race was
 * close, and below the verifier's high band unless a diff or a log line backs it.
 */
export function changeConfidence(score: number, lead: number, evidence: readonly Evidence[]): number {
  let confidence = Math.min(0.9, 0.5 + 0.05 * score);
  if (lead < THRESHOLDS.lead.value + 1) confidence -= 0.05;
  const corroborated = evidence.some((e) => e.source === 'diffs' || e.source === 'logs');
  if (!corroborated) confidence = Math.min(confidence, THRESHOLDS.highConfidence.value - 0.05);
  return Math.round(confidence * 100) / 100;
}

/** Confidence in a cause that is not a change: strong causes higher, and only metrics and logs together reach the high band. */
export function causeConfidence(score: number, evidence: readonly Evidence[]): number {
  const base = score >= 5 ? 0.8 : score >= 4 ? 0.7 : 0.6;
  const sources = new Set(evidence.map((e) => e.source));
  const confidence = sources.has('metrics') && sources.has('logs') ? base : Math.min(base, THRESHOLDS.highConfidence.value - 0.05);
  // In hundredths, as it is reported (0.7 − 0.05 is 0.6499999… in floating point).
  return Math.round(confidence * 100) / 100;
}
