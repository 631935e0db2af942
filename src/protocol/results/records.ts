// note_hypothesis' and submit_diagnosis' results, and the verifier's problems with a
// diagnosis: each a code a brain can switch on, where it is, what was expected and what was
// given, and the message for a model or a person.
import { z } from 'zod';
import { DiagnosisSchema, HypothesisSchema } from '../diagnosis.js';

export const NoteHypothesisResultSchema = z.strictObject({
  summary: z.string(),
  recorded: z.literal(true),
  hypothesis: HypothesisSchema,
});
export type NoteHypothesisResult = z.infer<typeof NoteHypothesisResultSchema>;

export const DiagnosisAcceptedSchema = z.strictObject({
  summary: z.string(),
  accepted: z.literal(true),
  diagnosis: DiagnosisSchema,
  /** What the verifier noticed without rejecting (no remediation, no timeline). */
  notes: z.array(z.string()).optional(),
});
export type DiagnosisAccepted = z.infer<typeof DiagnosisAcceptedSchema>;

/**
 * What a verifier problem is about. `expected` per code:
 * - `invalid_diagnosis`: null (the input does not match the submit_diagnosis schema; `got` is the zod issue code)
 * - `evidence_not_seen`: null (`got` is the ref)
 * - `timeline_time_invalid`: null (`got` is the text)
 * - `unknown_names_change`: null
 * - `confidence_too_high`: the highest confidence allowed (a number)
 * - `confidence_uncorroborated`: the confidence to stay below (a number), unless more evidence is cited
 * - `change_not_seen`, `change_not_cited`: the change id
 * - `category_mismatch`: the categories allowed (a list)
 * - `service_mismatch`: the service the change changed
 * - `symptom_not_cited`, `cause_not_cited`, `evidence_missing`: null
 * - `change_after_page`, `change_after_onset`: the onset (or page) time the change must precede
 * - `onset_not_measured`: null (`got` is the onset stated)
 * - `change_category_without_change`: null
 */
export const PROBLEM_CODES = [
  'invalid_diagnosis',
  'evidence_not_seen',
  'timeline_time_invalid',
  'unknown_names_change',
  'confidence_too_high',
  'confidence_uncorroborated',
  'change_not_seen',
  'category_mismatch',
  'service_mismatch',
  'change_not_cited',
  'symptom_not_cited',
  'change_after_page',
  'change_after_onset',
  'onset_not_measured',
  'change_category_without_change',
  'cause_not_cited',
  'evidence_missing',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

const ValueSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.null()]);

export const VerifierProblemSchema = z.strictObject({
  code: z.enum(PROBLEM_CODES),
  /** Where in the diagnosis: `["evidence", 1, "ref"]`; empty for the diagnosis as a whole. */
  path: z.array(z.union([z.string(), z.number()])),
  expected: ValueSchema,
  got: ValueSchema,
  /** What failed and what to do about it, in words. */
  message: z.string(),
});
export type VerifierProblem = z.infer<typeof VerifierProblemSchema>;

/** submit_diagnosis when the verifier rejects the claim (an error result). */
export const DiagnosisRejectedSchema = z.strictObject({
  summary: z.string(),
  accepted: z.literal(false),
  problems: z.array(VerifierProblemSchema).min(1),
});
export type DiagnosisRejected = z.infer<typeof DiagnosisRejectedSchema>;
