// The tools the runtime answers itself because they need the session's history:
// note_hypothesis (recorded as given, after validation) and submit_diagnosis (checked
// by the verifier; a failed claim is a tool error saying what failed).
import { HypothesisSchema } from '../protocol/diagnosis.js';
import type { SessionEvent } from '../protocol/events.js';
import { verifyDiagnosis } from '../verdict/index.js';
import type { ToolOutcome } from './deps.js';
import type { ToolCall } from './ledger.js';

export function answerRuntimeTool(call: ToolCall, history: readonly SessionEvent[]): ToolOutcome {
  if (call.name === 'note_hypothesis') {
    const parsed = HypothesisSchema.safeParse(call.input);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      return { text: `hypothesis rejected: ${first ? `${first.path.join('.')}: ${first.message}` : 'invalid'}`, isError: true };
    }
    const hypothesis = parsed.data;
    return {
      text: JSON.stringify({ summary: `hypothesis ${hypothesis.id} ${hypothesis.status}: ${hypothesis.statement}`, hypothesis }),
      isError: false,
    };
  }
  const verdict = verifyDiagnosis(call.input, history);
  if (!verdict.accepted) {
    return {
      text: JSON.stringify({ summary: `diagnosis rejected: ${verdict.problems[0] ?? 'invalid'}`, accepted: false, problems: verdict.problems }),
      isError: true,
    };
  }
  const { diagnosis } = verdict;
  const culprit = diagnosis.root_cause.change_id ? ` (${diagnosis.root_cause.change_id})` : '';
  return {
    text: JSON.stringify({
      summary: `diagnosis accepted: ${diagnosis.root_cause.category}${culprit} at ${Math.round(diagnosis.confidence * 100)}% confidence`,
      accepted: true,
      diagnosis,
      notes: verdict.notes,
    }),
    isError: false,
  };
}
