// A release whose first errors are a series of their own. The registry's canary at minute 100
// starts answering some lookups with 404, more with each stage; its exporter keeps a `status="404"` series for the
// new build only once it has counted one, so the registry's first symptom is that series
// beginning, a minute before the ingest service, which looks devices up there, starts dropping
// uplinks as unknown. The ingest did not lead the registry. Half an hour after the page the
// release is rolled back and the drops stop at once, while the planner's stale blocks (the
// page) hold where they stood until fresh readings arrive; another release lands nine minutes
// after the rollback, too short a watch to say the rollback did not help.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('errors-first-counted', { start: '2041-05-18T17:00:00Z', minutes: 220, stepSeconds: 30 });

const series: SeriesSpec[] = [
  { metric: 'registry_http_requests_per_second', service: 'fleet-registry', labels: { status: '200', version: '2.3.5' }, level: 2, noise: 0.05, shifts: [{ at: 100, to: 1.2 }, { at: 176, to: 2 }] },
  // The canary takes one pod in six, then three, then all: the 404s step up with it.
  { metric: 'registry_http_requests_per_second', service: 'fleet-registry', labels: { status: '404', version: '2.4.0' }, level: 0.3, noise: 0.05, from: 100, until: 176, shifts: [{ at: 125, to: 0.9 }, { at: 140, to: 1.8 }] },
  { metric: 'spi_uplinks_dropped_per_second', service: 'soil-probe-ingest', labels: { reason: 'unknown_device' }, level: 0.001, noise: 0.1, shifts: [{ at: 101, to: 0.14 }, { at: 125, to: 0.4 }, { at: 140, to: 0.8 }, { at: 177, to: 0.001 }] },
  { metric: 'spi_uplinks_received_per_second', service: 'soil-probe-ingest', level: 3, noise: 0.05 },
  { metric: 'planner_blocks_stale_ratio', service: 'irrigation-planner', level: 0.002, noise: 0.1, slope: 0.01, slopeFrom: 112, slopeUntil: 170, shifts: [{ at: 190, to: -0.58 }] },
];

const changes: BundleSpec['changes'] = [
  {
    id: 'rel-fr-240',
    service: 'fleet-registry',
    type: 'deploy',
    at: 100,
    summary: 'fleet-registry 2.4.0: normalise device ids on input',
    // The canary's last stage finished at minute 145.
    attributes: { finished_at: '2041-05-18T19:25:00Z' },
    diff: patch('registry/lookup.py', ['    key = dev_eui'], ['    key = dev_eui.strip().lower()']),
  },
  { id: 'rb-fr-235', service: 'fleet-registry', type: 'rollback', at: 176, summary: 'abort rollout, fleet-registry back to 2.3.5', attributes: { reverts: 'rel-fr-240' } },
  { id: 'rel-ip-560', service: 'irrigation-planner', type: 'deploy', at: 185, summary: 'irrigation-planner 5.6.0: frost schedule', diff: patch('planner/frost.py', ['FROST_C = 1.0'], ['FROST_C = 1.5']) },
];

const logs: BundleSpec['logs'] = {
  'soil-probe-ingest': [...every(0, 220, 1, 'info', 'uplink stored'), ...every(101.2, 177, 0.5, 'warn', 'uplink dropped: unknown device')],
  'irrigation-planner': [...every(0, 220, 2, 'info', 'plan generated'), ...every(113, 190, 1, 'warn', 'moisture data stale, using fallback plan')],
};

describe('a release whose first errors are a series of their own', () => {
  it('is named: those errors began before the service that calls it failed', async () => {
    const r = await run({ alert: { title: 'Blocks stale', service: 'irrigation-planner', at: 150 }, series, changes, logs });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'fleet-registry', change_id: 'rel-fr-240' });
  });
});
