// Scoring a diagnosis against a bundle's truth. Each bundle gets exactly one outcome:
// correct (category, change and service all right), a wrong blame (a change named that
// is not the truth's, or a cause named when the truth is unknown), an abstention
// (unknown when there was a cause), a wrong category, or partly right (right category,
// wrong or missing service or change, no wrong blame). A wrong blame is kept apart from
// an abstention because rolling back the wrong change mid-incident costs more than an
// honest "unknown".
import { z } from 'zod';
import type { Diagnosis } from '../protocol/diagnosis.js';

export const TruthSchema = z.object({
  category: z.string().min(1),
  service: z.string().nullable(),
  change_id: z.string().nullable(),
  /** Other changes that count as right (say, any stage of a staged rollout). */
  acceptable_change_ids: z.array(z.string()).default([]),
  onset: z.string().nullable().optional(),
});
export type Truth = z.infer<typeof TruthSchema>;

export const OUTCOMES = ['correct', 'wrong_blame', 'abstained', 'wrong_category', 'partly_right', 'no_diagnosis'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface Scored {
  bundle: string;
  truth: Truth;
  diagnosis: Diagnosis | null;
  outcome: Outcome;
  category: boolean;
  change: boolean;
  service: boolean;
  /** |claimed onset − true onset| in seconds, when both are known. */
  onsetErrorSeconds: number | null;
  toolCalls: number;
  elapsedMs: number;
}

function claimedOnset(diagnosis: Diagnosis | null): number | null {
  const entry = diagnosis?.timeline.find((e) => /\bonset\b/i.test(e.event));
  const at = entry ? Date.parse(entry.at) : Number.NaN;
  return Number.isNaN(at) ? null : at;
}

function outcomeOf(truth: Truth, diagnosis: Diagnosis | null, right: { category: boolean; change: boolean; service: boolean }): Outcome {
  if (diagnosis === null) return 'no_diagnosis';
  if (right.category && right.change && right.service) return 'correct';
  const { category, change_id: changeId } = diagnosis.root_cause;
  const blamedWrongChange = changeId !== null && !right.change;
  if (blamedWrongChange || (truth.category === 'unknown' && category !== 'unknown')) return 'wrong_blame';
  if (category === 'unknown') return 'abstained';
  return right.category ? 'partly_right' : 'wrong_category';
}

export function score(
  bundle: string,
  truth: Truth,
  diagnosis: Diagnosis | null,
  run: { toolCalls: number; elapsedMs: number },
): Scored {
  const changeId = diagnosis?.root_cause.change_id ?? null;
  const right = {
    category: (diagnosis?.root_cause.category ?? 'unknown') === truth.category,
    change: changeId === truth.change_id || (changeId !== null && truth.acceptable_change_ids.includes(changeId)),
    service: (diagnosis?.root_cause.service ?? null) === truth.service,
  };
  const claimed = claimedOnset(diagnosis);
  const trueOnset = truth.onset ? Date.parse(truth.onset) : Number.NaN;
  return {
    bundle,
    truth,
    diagnosis,
    outcome: outcomeOf(truth, diagnosis, right),
    ...right,
    onsetErrorSeconds: claimed === null || Number.isNaN(trueOnset) ? null : Math.abs(claimed - trueOnset) / 1000,
    toolCalls: run.toolCalls,
    elapsedMs: run.elapsedMs,
  };
}

/** A confidence band: ≤0.3 closes on the right, the others on the left (0.6 is in 0.6–0.8). */
export interface Band {
  label: string;
  min: number;
  max: number;
}

export const BANDS: readonly Band[] = [
  { label: '≤0.3', min: 0, max: 0.3 },
  { label: '0.3–0.6', min: 0.3, max: 0.6 },
  { label: '0.6–0.8', min: 0.6, max: 0.8 },
  { label: '≥0.8', min: 0.8, max: 1 },
];

function bandOf(confidence: number): Band | undefined {
  if (confidence <= 0.3) return BANDS[0];
  return BANDS.find((band) => confidence >= band.min && (confidence < band.max || band.max === 1));
}

export interface Calibration {
  band: string;
  /** Diagnoses whose confidence fell in the band. */
  diagnoses: number;
  /** How many of those were correct. */
  right: number;
}

export function calibration(rows: readonly Scored[]): Calibration[] {
  return BANDS.map((band) => {
    const inBand = rows.filter((row) => row.diagnosis !== null && bandOf(row.diagnosis.confidence) === band);
    return { band: band.label, diagnoses: inBand.length, right: inBand.filter((row) => row.outcome === 'correct').length };
  });
}

export interface Summary {
  bundles: number;
  outcomes: Record<Outcome, number>;
  /** Per field, over every bundle. */
  categoryRight: number;
  changeRight: number;
  serviceRight: number;
  meanOnsetErrorSeconds: number | null;
  onsetsCompared: number;
  meanMs: number;
  maxMs: number;
  calibration: Calibration[];
}

export function summarize(rows: readonly Scored[]): Summary {
  const count = (pick: (row: Scored) => boolean): number => rows.filter(pick).length;
  const errors = rows.map((row) => row.onsetErrorSeconds).filter((e): e is number => e !== null);
  const times = rows.map((row) => row.elapsedMs);
  return {
    bundles: rows.length,
    outcomes: Object.fromEntries(OUTCOMES.map((outcome) => [outcome, count((row) => row.outcome === outcome)])) as Record<Outcome, number>,
    categoryRight: count((row) => row.category),
    changeRight: count((row) => row.change),
    serviceRight: count((row) => row.service),
    meanOnsetErrorSeconds: errors.length === 0 ? null : errors.reduce((a, b) => a + b, 0) / errors.length,
    onsetsCompared: errors.length,
    meanMs: times.length === 0 ? 0 : times.reduce((a, b) => a + b, 0) / times.length,
    maxMs: times.length === 0 ? 0 : Math.max(...times),
    calibration: calibration(rows),
  };
}
