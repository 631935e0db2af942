// The tools the runtime answers itself because they need the session's history:
// note_hypothesis (recorded as given, after validation) and submit_diagnosis (checked
// by the verifier; a failed claim is a tool error whose problems say, as fields and in
// words, what failed). Their results follow the same output schemas as the hands' tools.
import { HypothesisSchema } from '../protocol/diagnosis.js';
import type { SessionEvent } from '../protocol/events.js';
import { errorPayload, type DiagnosisAccepted, type DiagnosisRejected, type NoteHypothesisResult } from '../protocol/results/index.js';
import { verifyDiagnosis } from '../verdict/index.js';
import type { ToolOutcome } from './deps.js';
import type { ToolCall } from './ledger.js';

export function answerRuntimeTool(call: ToolCall, history: readonly SessionEvent[]): ToolOutcome {
  if (call.name === 'note_hypothesis') {
    const parsed = HypothesisSchema.safeParse(call.input);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const message = `hypothesis rejected: ${first ? `${first.path.join('.')}: ${first.message}` : 'invalid'}`;
      return { text: JSON.stringify(errorPayload(message, 'fix the field named above (see the note_hypothesis input schema)')), isError: true };
    }
    const hypothesis = parsed.data;
    const result: NoteHypothesisResult = { summary: `hypothesis ${hypothesis.id} ${hypothesis.status}: ${hypothesis.statement}`, recorded: true, hypothesis };
    return { text: JSON.stringify(result), isError: false };
  }
  const verdict = verifyDiagnosis(call.input, history);
  if (!verdict.accepted) {
    const rejected: DiagnosisRejected = { summary: `diagnosis rejected: ${verdict.problems[0]?.message ?? 'invalid'}`, accepted: false, problems: verdict.problems };
    return { text: JSON.stringify(rejected), isError: true };
  }
  const { diagnosis } = verdict;
  const culprit = diagnosis.root_cause.change_id ? ` (${diagnosis.root_cause.change_id})` : '';
  const accepted: DiagnosisAccepted = {
    summary: `diagnosis accepted: ${diagnosis.root_cause.category}${culprit} at ${Math.round(diagnosis.confidence * 100)}% confidence`,
    accepted: true,
    diagnosis,
    notes: verdict.notes,
  };
  return { text: JSON.stringify(accepted), isError: false };
}
