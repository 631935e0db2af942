// The diagnosis every brain submits (spec/bundle.md, "The diagnosis"). One schema,
// shared by the submit_diagnosis tool, the verifier, the renderers and --json output.
import { z } from 'zod';

export const CATEGORIES = [
  'deploy',
  'config',
  'feature_flag',
  'dependency',
  'capacity',
  'infrastructure',
  'unknown',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const REMEDIATION_ACTIONS = [
  'rollback',
  'revert_config',
  'disable_flag',
  'scale',
  'failover',
  'restart',
  'other',
] as const;

export const RISKS = ['low', 'medium', 'high'] as const;

export const EvidenceSchema = z.object({
  source: z.string().min(1),
  ref: z.string().min(1),
  detail: z.string(),
});

export const RemediationStepSchema = z.object({
  action: z.enum(REMEDIATION_ACTIONS),
  target: z.string(),
  detail: z.string(),
  risk: z.enum(RISKS),
});

export const TimelineEntrySchema = z.object({
  at: z.string().min(1),
  event: z.string().min(1),
});

export const DiagnosisSchema = z.object({
  summary: z.string().min(1),
  root_cause: z.object({
    category: z.enum(CATEGORIES),
    service: z.string().nullable(),
    change_id: z.string().nullable(),
    description: z.string(),
  }),
  confidence: z.number().min(0).max(1),
  evidence: z.array(EvidenceSchema),
  remediation: z.array(RemediationStepSchema),
  timeline: z.array(TimelineEntrySchema),
});

export type Diagnosis = z.infer<typeof DiagnosisSchema>;
export type Evidence = z.infer<typeof EvidenceSchema>;
export type RemediationStep = z.infer<typeof RemediationStepSchema>;

/** A hypothesis the brain records along the way (the note_hypothesis tool). */
export const HYPOTHESIS_STATUSES = ['proposed', 'supported', 'refuted'] as const;
export const HypothesisSchema = z.object({
  id: z.string().min(1),
  statement: z.string().min(1),
  status: z.enum(HYPOTHESIS_STATUSES),
  change_id: z.string().nullable().optional(),
  service: z.string().nullable().optional(),
  evidence: z.array(EvidenceSchema).default([]),
});
export type Hypothesis = z.infer<typeof HypothesisSchema>;
