// note_hypothesis and submit_diagnosis as the hands serve them (`incident mcp`, `tools run`):
// they validate against the shared schemas and echo the record back. In a session the
// runtime answers both itself, with the session's history and the verifier.
import { DiagnosisSchema, HypothesisSchema } from '../../protocol/diagnosis.js';
import { DiagnosisAcceptedSchema, NoteHypothesisResultSchema } from '../../protocol/results/index.js';
import { defineTool } from './define.js';
import { clip } from './output.js';

export const noteHypothesis = defineTool({
  name: 'note_hypothesis',
  description: [
    'Records a hypothesis about the cause as you investigate: id (reuse it to update), statement, status',
    '(proposed | supported | refuted), the change_id and service it concerns, and the evidence for or against it',
    '({source, ref, detail} with refs exactly as tools printed them: series ids, change ids, file:line).',
    'Note each serious candidate, including the ones you rule out, so the report can say why they were refuted.',
  ].join(' '),
  inputSchema: HypothesisSchema,
  outputSchema: NoteHypothesisResultSchema,
  async run(hypothesis) {
    return {
      summary: `hypothesis ${hypothesis.id} (${hypothesis.status}): ${clip(hypothesis.statement, 160)}`,
      recorded: true as const,
      hypothesis,
    };
  },
});

export const submitDiagnosis = defineTool({
  name: 'submit_diagnosis',
  description: [
    'Ends the investigation with one structured diagnosis: summary (a paragraph an incident commander can read aloud),',
    'root_cause {category: deploy | config | feature_flag | dependency | capacity | infrastructure | unknown, service,',
    'change_id (or null), description}, confidence 0..1, evidence [{source, ref, detail}] whose refs were printed by the',
    'tools (series ids, change ids, logs/x.log:123, diffs/x.patch:45), remediation [{action: rollback | revert_config |',
    'disable_flag | scale | failover | restart | other, target, detail, risk: low | medium | high}], and a timeline',
    '[{at (RFC 3339), event}]. Blame a change only if it took effect before the onset and the evidence ties them; when',
    'the evidence does not support a cause, say unknown.',
  ].join(' '),
  inputSchema: DiagnosisSchema,
  outputSchema: DiagnosisAcceptedSchema,
  async run(diagnosis) {
    const cause = diagnosis.root_cause;
    return {
      summary: `diagnosis: ${cause.category}${cause.change_id ? ` (${cause.change_id})` : ''}${cause.service ? ` in ${cause.service}` : ''}, confidence ${diagnosis.confidence}`,
      accepted: true as const,
      diagnosis,
    };
  },
});
