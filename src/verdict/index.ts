// Code checks the verdict: a brain proposes a diagnosis, this decides whether it
// stands, using only what the tools returned in this session.
import { DiagnosisSchema, type Diagnosis } from '../protocol/diagnosis.js';
import type { SessionEvent } from '../protocol/events.js';
import { collectSeen } from './seen.js';

export type Verdict =
  | { accepted: true; diagnosis: Diagnosis; notes: string[] }
  | { accepted: false; problems: string[] };

export function verifyDiagnosis(input: unknown, history: readonly SessionEvent[]): Verdict {
  const parsed = DiagnosisSchema.safeParse(input);
  if (!parsed.success) {
    return {
      accepted: false,
      problems: parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || 'diagnosis'}: ${issue.message}`),
    };
  }
  const diagnosis = parsed.data;
  const seen = collectSeen(history);
  const problems: string[] = [];
  for (const [index, evidence] of diagnosis.evidence.entries()) {
    if (!seen.contains(evidence.ref)) {
      problems.push(`evidence[${index}].ref "${evidence.ref}" was not returned by any tool in this session`);
    }
  }
  const changeId = diagnosis.root_cause.change_id;
  if (diagnosis.root_cause.category === 'unknown' && changeId !== null) {
    problems.push('an unknown root cause names no change: set change_id to null');
  }
  if (changeId !== null && !seen.contains(changeId)) {
    problems.push(`change ${changeId} was not returned by any tool in this session (list it with list_changes first)`);
  }
  if (diagnosis.root_cause.category !== 'unknown' && diagnosis.evidence.length === 0) {
    problems.push('a diagnosis that names a cause needs at least one piece of evidence');
  }
  if (diagnosis.confidence > 0.5 && diagnosis.evidence.length < 2) {
    problems.push(`confidence ${diagnosis.confidence} needs at least two pieces of evidence`);
  }
  if (problems.length > 0) return { accepted: false, problems };
  return { accepted: true, diagnosis, notes: [] };
}
