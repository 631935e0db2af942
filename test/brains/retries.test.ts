// Calls to a provider that rise only once the calls to it began to fail are retries: the
// effect of the provider failing, not demand. They must not turn a dependency outage into
// "load beyond capacity" on the gateway that retries.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2034-11-20T15:00:00Z';

const run = syntheticRunner('retries', { start: START, minutes: 150 });

const OPERATIONS = ['download', 'confirm', 'cancel'];

/** The gateway's calls to the provider: slow and failing from 95; their rate rises from `callsRiseAt`. */
function series(callsRiseAt: number): SeriesSpec[] {
  return [
    { metric: 'http_error_ratio', service: 'provisioner', level: 0.003, shifts: [{ at: 95, to: 0.3 }] },
    { metric: 'http_request_duration_seconds_p99', service: 'provisioner', level: 0.4, shifts: [{ at: 95, to: 4.8 }] },
    ...OPERATIONS.flatMap((operation): SeriesSpec[] => [
      { metric: 'provider_request_duration_seconds_p99', service: 'sim-gw', labels: { operation, provider: 'acmeprov' }, level: 0.7, shifts: [{ at: 95, to: 29.5 }] },
      { metric: 'provider_errors_per_second', service: 'sim-gw', labels: { operation, provider: 'acmeprov' }, level: 0.01, shifts: [{ at: 95, to: 4 }] },
      { metric: 'provider_requests_per_second', service: 'sim-gw', labels: { operation, provider: 'acmeprov' }, level: 3.6, shifts: [{ at: callsRiseAt, to: 9.4 }] },
    ]),
    { metric: 'jvm_threads_live_threads', service: 'sim-gw', level: 80, shifts: [{ at: 95.5, to: 198 }] },
    { metric: 'http_error_ratio', service: 'sim-gw', level: 0.003, shifts: [{ at: 95, to: 0.7 }] },
  ];
}

const logs: BundleSpec['logs'] = {
  provisioner: [...every(0, 150, 2, 'info', 'order step done'), ...every(95.4, 150, 0.5, 'error', 'activation step failed: sim-gw answered 504 after 30s')],
  'sim-gw': [...every(0, 150, 2, 'info', 'order call ok'), ...every(95.2, 150, 0.5, 'error', 'confirm failed: request timed out after 30s (POST acmeprov /es2/confirm)')],
};

describe('calls to a failing provider that rise after they fail', () => {
  it('are retries: the provider is the cause, not load on the gateway', async () => {
    const r = await run({ alert: { title: 'provisioner activations failing', service: 'provisioner', at: 104 }, series: series(95.5), changes: [], logs });
    expect(r.diagnosis?.root_cause.category).toBe('dependency');
  });

  it('are demand when they rose before the calls failed', async () => {
    const r = await run({ alert: { title: 'provisioner activations failing', service: 'provisioner', at: 104 }, series: series(91), changes: [], logs });
    expect(r.diagnosis?.root_cause.category).toBe('capacity');
  });
});
