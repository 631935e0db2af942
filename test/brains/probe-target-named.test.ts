// A vendor's system probed from outside, failing as its callers fail, with no label tying them.
// The kiosks' hub measures its calls to the vendor by protocol (`selfcheck_sip2_response_seconds`)
// and logs "sip2 request timed out"; a blackbox probe filed under the vendor probes
// `sip2.shelfwise.example:6001`. Nothing names the vendor in the hub's series, and all of it
// moves at the same minute, but the host the probe probes is what the hub's series and errors
// are about: the vendor is down. The hub's release half an hour before changes nothing that
// could time out its calls.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('probe-target-named', { start: '2045-12-04T00:00:00Z', minutes: 180 });

const series = (probeHost: string): SeriesSpec[] => [
  { metric: 'probe_duration_seconds', service: 'shelfwise', labels: { instance: `${probeHost}:6001`, module: 'tcp_tls' }, level: 0.16, noise: 0.05, shifts: [{ at: 120, to: 8 }] },
  { metric: 'probe_duration_seconds', service: 'city-sso', labels: { instance: 'https://sso.city.example/health', module: 'http_2xx' }, level: 0.05, noise: 0.05 },
  { metric: 'selfcheck_sip2_response_seconds', service: 'selfcheck-hub', level: 0.2, noise: 0.05, shifts: [{ at: 120, to: 6 }] },
  { metric: 'selfcheck_checkout_failure_ratio', service: 'selfcheck-hub', level: 0.007, noise: 0.1, shifts: [{ at: 120, to: 0.45 }] },
  { metric: 'selfcheck_checkouts_per_second', service: 'selfcheck-hub', level: 4, noise: 0.05 },
];

const changes = [
  {
    id: 'cr-20',
    service: 'selfcheck-hub',
    type: 'deploy',
    at: 92,
    summary: 'base image bump',
    diff: patch('Dockerfile', ['FROM node:20.11-alpine'], ['FROM node:20.12-alpine']),
  },
];

const logs = {
  'selfcheck-hub': [...every(0, 180, 1, 'info', 'checkout completed'), ...every(120.5, 180, 0.5, 'warn', 'sip2 request timed out after 5000ms')],
};

describe('a vendor probed from outside, failing with its callers', () => {
  it('is the dependency when the caller names the host the probe probes', async () => {
    const r = await run({ alert: { title: 'Self-checkout failure rate high', service: 'selfcheck-hub', at: 126 }, series: series('sip2.shelfwise.example'), changes, logs });
    expect(verdict(r)).toEqual({ category: 'dependency', service: 'shelfwise', change_id: null });
  });

  it('is not, when the probe probes a host the caller never names', async () => {
    const r = await run({ alert: { title: 'Self-checkout failure rate high', service: 'selfcheck-hub', at: 126 }, series: series('ledger.paysmith.example'), changes, logs });
    expect(verdict(r).service).not.toBe('shelfwise');
  });
});
