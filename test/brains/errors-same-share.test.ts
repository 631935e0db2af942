// Errors that kept their share of a rising crowd. The morning ramp brings the validator more
// returns every minute from minute 20, and it rejects the same one in eleven of them all along:
// its rejections per second climb with the ramp, leaving their band at a different minute than
// the validations do. At minute 70 a release adds a rule whose pattern backtracks on long
// addresses: the validator's CPU per validation doubles, and as the ramp goes on its pods
// saturate and the gateway in front times out from minute 100, which pages. The rejections
// are the crowd; the release is the cause.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-04-28T07:00:00Z';

const run = syntheticRunner('errors-same-share', { start: START, minutes: 130, stepSeconds: 30 });

const series: SeriesSpec[] = [
  { metric: 'validator_validations_per_second', service: 'return-validator', level: 30, noise: 0.1, slope: 0.6, slopeFrom: 20 },
  { metric: 'validator_rejections_per_second', service: 'return-validator', level: 2.7, noise: 0.01, slope: 0.055, slopeFrom: 20 },
  { metric: 'process_cpu_usage_ratio', service: 'return-validator', level: 0.14, noise: 0.04, shifts: [{ at: 71, to: 0.4 }, { at: 100, to: 0.98 }] },
  { metric: 'gateway_request_duration_seconds_p99', service: 'efile-gateway', labels: { route: 'return-submit' }, level: 0.3, noise: 0.05, shifts: [{ at: 100, to: 14 }] },
  { metric: 'gateway_responses_5xx_ratio', service: 'efile-gateway', labels: { route: 'return-submit', upstream: 'return-validator' }, level: 0.002, noise: 0.1, shifts: [{ at: 100, to: 0.06 }] },
  { metric: 'gateway_requests_per_second', service: 'efile-gateway', labels: { route: 'return-submit' }, level: 30, noise: 0.1, slope: 0.6, slopeFrom: 20 },
];

const changes: BundleSpec['changes'] = [
  {
    id: 'rel-validator-74',
    service: 'return-validator',
    type: 'deploy',
    at: 70,
    summary: 'return-validator 7.4: employer address plausibility rule',
    diff: patch(
      'src/main/java/rules/EmployerAddress.java',
      ['    private static final Pattern ADDRESS = Pattern.compile("^[\\\\w .,-]+$");'],
      ['    private static final Pattern ADDRESS = Pattern.compile("^((\\\\w+\\\\s?)+,?)+\\\\d{4}$");'],
    ),
  },
  {
    id: 'cfg-refund-pool',
    service: 'refund-calc',
    type: 'config',
    at: 30,
    summary: 'refund-calc: registry pool 20 -> 24',
    diff: patch('config/refund.yaml', ['  pool: 20'], ['  pool: 24']),
  },
];

const logs: BundleSpec['logs'] = {
  'return-validator': [...every(0, 130, 1, 'info', 'validated return'), ...every(72, 130, 1, 'warn', 'Slow rule EmployerAddressPlausibility took 41000 ms')],
  'efile-gateway': [...every(0, 130, 1, 'info', 'PUT /returns 200'), ...every(100.5, 130, 0.5, 'error', 'GATEWAY_TIMEOUT for PUT /returns route=return-submit upstream=return-validator')],
};

const alert = { title: 'e-filing: return submission errors above 2%', service: 'efile-gateway', at: 110 };

describe('errors that kept their share of a rising crowd', () => {
  it('do not date the incident, so the release after them is weighed and named', async () => {
    const r = await run({ alert, series, changes, logs });
    expect(r.diagnosis?.root_cause.change_id).toBe('rel-validator-74');
  });
});
