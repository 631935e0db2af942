// A third party probed by a blackbox job. The paged publisher's first failures are its calls to
// the seal authority, and the job that probes the authority (`probe_success`, named for it)
// fails at the same minute, though now and then a probe still passes. A config change of a
// third service twelve minutes before (a cache's lifetime shortened, its CPU up, its logs
// about misses) has a mechanism of its own, and the other caller of the authority had a flag
// changed that morning, so no untouched caller vouches for the dependency: the probe does.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('dependency-probed', { start: '2036-11-21T16:00:00Z', minutes: 180, stepSeconds: 30 });

const target = { target: 'https://seal.authority.example/v1/seal' };
/** Fails from minute 100; passes now and then, last at minute 117. */
const flapping = [{ at: 100, to: 0 }, { at: 104, to: 1 }, { at: 104.5, to: 0 }, { at: 111, to: 1 }, { at: 111.5, to: 0 }, { at: 117, to: 1 }, { at: 117.5, to: 0 }];

const series: SeriesSpec[] = [
  { metric: 'http_client_error_ratio', service: 'publisher', labels: { upstream: 'seal-authority' }, level: 0.002, noise: 0.1, shifts: [{ at: 100, to: 0.7 }] },
  { metric: 'http_client_requests_per_second', service: 'publisher', labels: { upstream: 'seal-authority' }, level: 2, noise: 0.05 },
  { metric: 'http_client_error_ratio', service: 'checker', labels: { upstream: 'seal-authority' }, level: 0.002, noise: 0.1, shifts: [{ at: 101, to: 0.6 }] },
  { metric: 'probe_success', service: 'seal-authority', labels: target, level: 1, noise: 0, shifts: flapping },
  { metric: 'results_api_requests_per_second', service: 'results-api', level: 40, noise: 0.05 },
  { metric: 'process_cpu_usage_ratio', service: 'results-api', level: 0.2, noise: 0.03, shifts: [{ at: 89, to: 0.41 }] },
];

const changes: BundleSpec['changes'] = [
  { id: 'flag-qr-v2', service: 'checker', type: 'feature_flag', at: 30, summary: 'checker: QR v2 scanning for 20% of shops' },
  {
    id: 'cfg-ttl-10',
    service: 'results-api',
    type: 'config',
    at: 88,
    summary: 'results-api: latest-draw cache max-age 30s -> 10s',
    diff: patch('config/results-api/prod.yaml', ['    max_age: 30s'], ['    max_age: 10s']),
  },
];

const logs: BundleSpec['logs'] = {
  publisher: [...every(0, 180, 1, 'info', 'draw published'), ...every(100.2, 180, 0.5, 'error', 'seal request failed status=503 upstream=seal-authority')],
  'results-api': [...every(0, 180, 1, 'info', 'served latest draw'), ...every(88.5, 180, 2, 'warn', 'cache miss, querying database')],
};

describe('a dependency its own probe shows failing', () => {
  it('is named over a change of a third service, by the name the probe gives it', async () => {
    const r = await run({ alert: { title: 'Results publication delayed', service: 'publisher', at: 120 }, series, changes, logs });
    expect(verdict(r)).toMatchObject({ category: 'dependency', service: 'seal-authority', change_id: null });
  });

  it('is named when its probes fail a quarter hour before the paged service\'s age of its last delivery shows it', async () => {
    // The station's bundles stop as the satellite provider rejects sessions; the paged relay reports the age of its last bundle,
    // which leaves its usual five minutes only later. A release of the relay comes ten minutes before the failures.
    const probes = ['gw-a.sat.example:443', 'gw-b.sat.example:443'].map(
      (host): SeriesSpec => ({ metric: 'external_probe_ok', service: 'satnet', labels: { target: host }, level: 1, noise: 0, shifts: [{ at: 100, to: 0 }] }),
    );
    const r = await run({
      alert: { title: 'Station bundles stalled', service: 'relay', at: 125 },
      series: [
        ...probes,
        { metric: 'relay_last_bundle_age_seconds', service: 'relay', labels: { site: 'camp2' }, level: 300, noise: 0.3, slope: 60, slopeFrom: 100 },
        { metric: 'relay_last_bundle_age_seconds', service: 'relay', labels: { site: 'ridge' }, level: 300, noise: 0.3 },
        { metric: 'relay_bundles_received_per_minute', service: 'relay', labels: { site: 'camp2' }, level: 0.1, noise: 0, shifts: [{ at: 100, to: 0 }] },
        { metric: 'relay_bundles_received_per_minute', service: 'relay', labels: { site: 'ridge' }, level: 0.2, noise: 0 },
        { metric: 'uplink_session_failures_per_minute', service: 'uplink', labels: { code: 'pdp_reject' }, level: 0.01, noise: 0.1, shifts: [{ at: 101, to: 2 }] },
      ],
      changes: [{ id: 'rel-relay-42', service: 'relay', type: 'deploy', at: 90, summary: 'relay 4.2: manifest schema v3', diff: patch('relay/manifest.py', ["    SCHEMA = 'v2'"], ["    SCHEMA = 'v3'"]) }],
      logs: { relay: every(0, 180, 2, 'info', 'bundle accepted site=ridge'), uplink: [...every(0, 180, 3, 'info', 'session opened'), ...every(101, 180, 1, 'warn', 'session open failed cause=38')] },
    });
    expect(verdict(r)).toMatchObject({ category: 'dependency', service: 'satnet', change_id: null });
  });

  // The gateway that calls the provider had a release half an hour before, with an edit that
  // could slow its calls (a lock held across one). The provider's own probe, made by none of
  // its callers, failed as the calls did: the provider is down, whatever the release changed.
  // With the probe passing throughout, the same failures are the gateway's own.
  const gateway = (probeFails: boolean): Parameters<typeof run>[0] => ({
    alert: { title: 'Withdrawals pending beyond SLA', service: 'orchestrator', at: 120 },
    series: [
      { metric: 'gateway_rpc_errors_per_second', service: 'gateway', labels: { provider: 'nodeco' }, level: 0.05, noise: 0.1, shifts: [{ at: 100, to: 6 }] },
      { metric: 'gateway_rpc_requests_per_second', service: 'gateway', labels: { provider: 'nodeco' }, level: 20, noise: 0.05 },
      { metric: 'gateway_rpc_errors_per_second', service: 'gateway', labels: { provider: 'selfhosted' }, level: 0.05, noise: 0.1 },
      { metric: 'gateway_rpc_requests_per_second', service: 'gateway', labels: { provider: 'selfhosted' }, level: 15, noise: 0.05 },
      { metric: 'probe_success', service: 'nodeco', labels: { target: 'https://rpc.nodeco.example/health' }, level: 1, noise: 0, shifts: probeFails ? [{ at: 100, to: 0 }] : [] },
      { metric: 'withdrawals_pending', service: 'orchestrator', level: 20, noise: 0.1, shifts: [{ at: 101, to: 400 }] },
      { metric: 'withdrawals_requested_per_minute', service: 'orchestrator', level: 30, noise: 0.05 },
    ],
    changes: [
      {
        id: 'rel-gw-77',
        service: 'gateway',
        type: 'deploy',
        at: 70,
        summary: 'gateway 7.7: cache the fee estimate',
        diff: patch('internal/fees/oracle.go', ['\tfee, err := o.rpc.FeeHistory(ctx)'], ['\to.mu.Lock()', '\tdefer o.mu.Unlock()', '\tfee, err := o.rpc.FeeHistory(ctx)']),
      },
    ],
    logs: {
      gateway: [...every(0, 180, 1, 'info', 'rpc ok provider=selfhosted'), ...every(100.2, 180, 0.5, 'error', 'rpc call failed provider=nodeco status=503')],
      orchestrator: [...every(0, 180, 1, 'info', 'withdrawal broadcast'), ...every(101, 180, 1, 'warn', 'broadcast failed, will retry')],
    },
  });

  it('is named over a release of its caller, when its own probe failed with the calls', async () => {
    const r = await run(gateway(true));
    expect(verdict(r)).toMatchObject({ category: 'dependency', service: 'nodeco', change_id: null });
  });

  it('is not, when its probe passed throughout', async () => {
    const r = await run(gateway(false));
    expect(verdict(r).category).not.toBe('dependency');
  });
});
