// A service that changed how its JSON spells its fields, failing its reader. A fare service's
// release puts a snake_case naming strategy on the vehicle block of its quotes; its own metrics
// stay clean (it reads and writes its own spelling), while the check-in service, whose strict
// parser refuses unknown fields, fails every vehicle check-in with an error naming the type.
// A cache setting of the check-in service changed twenty minutes before is a decoy.
import { describe, expect, it } from 'vitest';
import { riskInWords } from '../../src/brains/triage/edit-traits.js';
import type { RiskSignalInfo } from '../../src/brains/triage/read-diff.js';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('wire-format', { start: '2046-12-19T06:00:00Z', minutes: 180 });

const series: SeriesSpec[] = [
  { metric: 'http_requests_per_second', service: 'fare-rules', level: 20, noise: 0.03 },
  { metric: 'http_request_duration_seconds_p99', service: 'fare-rules', level: 0.08, noise: 0.05 },
  { metric: 'checkin_requests_per_second', service: 'checkin-api', level: 12, noise: 0.03 },
  { metric: 'checkin_5xx_ratio', service: 'checkin-api', level: 0.002, noise: 0.1, shifts: [{ at: 121, to: 0.36 }] },
];

const changes = (annotation: string): BundleSpec['changes'] => [
  { id: 'cfg-44', service: 'checkin-api', type: 'config', at: 100, summary: 'seat map cache 60s -> 120s', diff: patch('config/checkin.yaml', ['seatmap_cache_ttl: 60s'], ['seatmap_cache_ttl: 120s']) },
  {
    id: 'rel-77',
    service: 'fare-rules',
    type: 'deploy',
    at: 120,
    summary: 'fare-rules 5.0.0: API style guide',
    // Only the annotation is added; the type and its fields are context.
    diff: [
      'diff --git a/src/main/kotlin/fares/dto/VehicleSurcharge.kt b/src/main/kotlin/fares/dto/VehicleSurcharge.kt',
      '--- a/src/main/kotlin/fares/dto/VehicleSurcharge.kt',
      '+++ b/src/main/kotlin/fares/dto/VehicleSurcharge.kt',
      '@@ -1,5 +1,6 @@',
      ' package fares.dto',
      ' ',
      `+${annotation}`,
      ' data class VehicleSurcharge(',
      '     val lengthCm: Int,',
      ' )',
      '',
    ].join('\n'),
  },
];

const logs: BundleSpec['logs'] = {
  'checkin-api': [
    ...every(0, 180, 0.5, 'info', 'POST /api/checkin 200'),
    ...every(121, 180, 0.2, 'error', 'POST /api/checkin type=vehicle failed: fare quote could not be read: Unrecognized field "length_cm" (class fares.VehicleSurcharge)'),
  ],
  'fare-rules': every(0, 180, 0.5, 'info', 'quote served'),
};

describe('a release that changed how its JSON spells its fields', () => {
  it('is named when its reader fails with errors naming the type', async () => {
    const r = await run({ alert: { title: 'check-in 5xx high', service: 'checkin-api', at: 130 }, series, changes: changes('@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy::class)'), logs });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'fare-rules', change_id: 'rel-77' });
  });

  it('is not, when the line it added changes no spelling', async () => {
    const r = await run({ alert: { title: 'check-in 5xx high', service: 'checkin-api', at: 130 }, series, changes: changes('// Vehicle surcharge as quoted'), logs });
    expect(verdict(r).change_id).not.toBe('rel-77');
  });
});

describe('a risky edit in words', () => {
  const risk = (detail: string, direction: RiskSignalInfo['direction']): RiskSignalInfo => ({ detail, direction, code: 'terraform/s3.tf:52' }) as unknown as RiskSignalInfo;

  it('adds the way it moved when the words do not say it, and nothing when all it says is that something changed', () => {
    expect(riskInWords(risk('pool.max_size 50 → 10 (÷5)', 'tightened'))).toBe('pool.max_size 50 → 10 (÷5) (tightened) (terraform/s3.tf:52)');
    expect(riskInWords(risk('timeout tightened 30s → 5s', 'tightened'))).toBe('timeout tightened 30s → 5s (terraform/s3.tf:52)');
    expect(riskInWords(risk('storage_class STANDARD_IA → GLACIER: objects it moves must be restored before they can be read', 'changed'))).toBe(
      'storage_class STANDARD_IA → GLACIER: objects it moves must be restored before they can be read (terraform/s3.tf:52)',
    );
  });
});
