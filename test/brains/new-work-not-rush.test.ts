// Work a release started, read across it. At minute 60 a release of the validator compiles a
// schema for every document instead of keeping them compiled: its compilations rise from
// nothing to one per document, and its CPU steps threefold while the documents coming in hold.
// Nothing fails at the morning's level; the evening's deadline rush, four hours later, runs
// the CPU out and the gateway's acknowledgements wait. The compilations rose from nothing as it
// took effect: they are the release's work, not a rush that explains the step.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-04-30T06:00:00Z';

const run = syntheticRunner('new-work-not-rush', { start: START, minutes: 360, stepSeconds: 60 });

function series(): SeriesSpec[] {
  return [
    { metric: 'documents_validated_per_second', service: 'validator', level: 15, noise: 0.03, slope: 0.5, slopeFrom: 240, slopeUntil: 330 },
    { metric: 'schema_compilations_per_second', service: 'validator', level: 0, noise: 0.03, shifts: [{ at: 61, to: 15 }], slope: 0.5, slopeFrom: 240, slopeUntil: 330 },
    { metric: 'container_cpu_usage_ratio', service: 'validator', level: 0.06, noise: 0.03, shifts: [{ at: 61, to: 0.2 }, { at: 300, to: 1 }], slope: 0.008, slopeFrom: 240, slopeUntil: 300 },
    { metric: 'validation_seconds_p99', service: 'validator', level: 0.1, noise: 0.04, shifts: [{ at: 61, to: 0.5 }, { at: 300, to: 2.5 }] },
    { metric: 'ack_latency_seconds_p95', service: 'gateway', level: 5, noise: 0.04, shifts: [{ at: 302, to: 420 }] },
    { metric: 'http_requests_per_second', service: 'gateway', level: 15, noise: 0.03, slope: 0.5, slopeFrom: 240, slopeUntil: 330 },
  ];
}

const changes: BundleSpec['changes'] = [
  {
    id: 'rel-validator-78',
    service: 'validator',
    type: 'deploy',
    at: 60,
    summary: 'validator 7.8: schema revisions per tax year',
    diff: patch('src/schema/Registry.java', ['        return byForm.get(formId);'], ['        return compile(catalogue.source(formId, taxYear));']),
  },
  {
    id: 'rel-gateway-31',
    service: 'gateway',
    type: 'deploy',
    at: 255,
    summary: 'gateway 3.1: receipt wording',
    diff: patch('src/receipt.ts', ['  const text = "Received";'], ['  const text = "Your return was received";']),
  },
];

const logs: BundleSpec['logs'] = {
  validator: every(0, 360, 2, 'info', 'document validated'),
  gateway: [...every(0, 360, 2, 'info', 'return accepted'), ...every(303, 360, 1, 'warn', 'acknowledgement SLO at risk')],
};

const alert = { title: 'Acknowledgement p95 above 5 minutes', service: 'gateway', at: 320 };

describe('work a release started from nothing, read across it', () => {
  it('is no rush: the CPU step at level intake is the room the release used up', async () => {
    const r = await run({ alert, series: series(), changes, logs });
    expect(r.diagnosis?.root_cause.change_id).toBe('rel-validator-78');
  });
});
