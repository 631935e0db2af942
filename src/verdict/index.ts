// Code checks the verdict: a brain proposes a diagnosis, this decides whether it
// stands, using only what the tools returned in this session.
import { DiagnosisSchema, type Diagnosis } from '../protocol/diagnosis.js';
import type { SessionEvent } from '../protocol/events.js';
import type { VerifierProblem } from '../protocol/results/index.js';
import { checkCauseWithoutChange, checkChange, checkConfidence, checkRefs, checkTimeline, checkUnknown } from './checks.js';
import { profileOf } from './evidence.js';
import { factsOf } from './facts.js';
import { observationsOf } from './observations.js';
import { seenIn } from './seen.js';

export type Verdict =
  | { accepted: true; diagnosis: Diagnosis; notes: string[] }
  | { accepted: false; problems: VerifierProblem[] };

export { collectSeen, type Seen } from './seen.js';
export { HIGH_CONFIDENCE, UNKNOWN_MAX_CONFIDENCE } from './checks.js';

const MAX_SCHEMA_ISSUES = 5;

function notesOn(diagnosis: Diagnosis): string[] {
  const notes: string[] = [];
  if (diagnosis.root_cause.category !== 'unknown' && diagnosis.remediation.length === 0) notes.push('no remediation step was proposed');
  if (diagnosis.timeline.length === 0) notes.push('no timeline was given');
  return notes;
}

export function verifyDiagnosis(input: unknown, history: readonly SessionEvent[]): Verdict {
  const parsed = DiagnosisSchema.safeParse(input);
  if (!parsed.success) {
    return {
      accepted: false,
      problems: parsed.error.issues.slice(0, MAX_SCHEMA_ISSUES).map((issue) => ({
        code: 'invalid_diagnosis' as const,
        path: issue.path.map((key) => (typeof key === 'number' ? key : String(key))),
        expected: null,
        got: issue.code,
        message: `${issue.path.join('.') || 'diagnosis'}: ${issue.message} (see the submit_diagnosis input schema)`,
      })),
    };
  }
  const diagnosis = parsed.data;
  const observations = observationsOf(history);
  const seen = seenIn(observations);
  const facts = factsOf(observations);
  const profile = profileOf(diagnosis.evidence, seen, facts);
  const problems = [
    ...checkRefs(diagnosis, seen),
    ...checkTimeline(diagnosis),
    ...checkUnknown(diagnosis),
    ...checkChange(diagnosis, facts, profile),
    ...checkCauseWithoutChange(diagnosis, profile),
    ...checkConfidence(diagnosis, profile),
  ];
  if (problems.length > 0) return { accepted: false, problems };
  return { accepted: true, diagnosis, notes: notesOn(diagnosis) };
}
