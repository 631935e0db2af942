// A party refusing calls its caller had multiplied is answering that volume, unless the volume
// went elsewhere or the party failed for everyone. Two of those: the calls that multiplied went
// to the party's other region (EU tenants moved in an hour before; the US endpoint fails), and
// calls that did multiply, taken well for an hour, then refused as a probe of the party's health
// endpoint, made by none of its callers, failed too.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('volume-elsewhere', { start: '2037-08-02T12:00:00Z', minutes: 180, stepSeconds: 60 });

const changes: BundleSpec['changes'] = [
  {
    id: 'deploy-identity-77',
    service: 'identity',
    type: 'deploy',
    at: 60,
    summary: 'identity: add tenant id to audit entries',
    diff: patch('src/identity/audit.py', ['    entry = {"user": user_id}'], ['    entry = {"user": user_id, "tenant": tenant_id}']),
  },
];

const usFailing: SeriesSpec[] = [
  { metric: 'upstream_errors_ratio', service: 'identity', labels: { upstream: 'veriscan', region: 'us' }, level: 0.003, noise: 0.1, shifts: [{ at: 100, to: 0.8 }] },
  { metric: 'upstream_errors_ratio', service: 'identity', labels: { upstream: 'veriscan', region: 'eu' }, level: 0.003, noise: 0.1 },
  { metric: 'verification_success_ratio', service: 'identity', level: 0.98, noise: 0.01, shifts: [{ at: 101, to: 0.3 }] },
  { metric: 'http_requests_per_second', service: 'portal', level: 20, noise: 0.04 },
];

const logs: BundleSpec['logs'] = {
  identity: [
    ...every(0, 180, 1, 'info', 'verification complete'),
    ...every(100.2, 180, 0.5, 'error', 'veriscan call failed region=us status=503 retry_after=30'),
  ],
  portal: every(0, 180, 1, 'info', 'page served'),
};

const alert = { title: 'VerificationSuccessLow', service: 'identity', at: 110 };

describe('volume that multiplied before a party refused', () => {
  it('is not what it refused when it went to the party\'s other region', async () => {
    const series: SeriesSpec[] = [
      ...usFailing,
      { metric: 'upstream_requests_per_second', service: 'identity', labels: { upstream: 'veriscan', region: 'eu' }, level: 0.2, noise: 0.04, shifts: [{ at: 40, to: 2 }] },
      { metric: 'upstream_requests_per_second', service: 'identity', labels: { upstream: 'veriscan', region: 'us' }, level: 3, noise: 0.04 },
    ];
    const r = await run({ alert, series, changes, logs });
    expect(verdict(r)).toMatchObject({ category: 'dependency', change_id: null });
  });

  const probe = { instance: 'https://api.us.veriscan.example/health', job: 'blackbox' };
  const grown = (probeFails: boolean): SeriesSpec[] => [
    ...usFailing,
    { metric: 'upstream_requests_per_second', service: 'identity', labels: { upstream: 'veriscan', region: 'us' }, level: 0.4, noise: 0.04, shifts: [{ at: 30, to: 4 }] },
    { metric: 'probe_success', service: 'veriscan', labels: probe, level: 1, noise: 0, ...(probeFails ? { shifts: [{ at: 101, to: 0 }] } : {}) },
    { metric: 'probe_duration_seconds', service: 'veriscan', labels: probe, level: 0.1, noise: 0.05 },
  ];

  it('is not what it refused when a probe of the party, made by no caller, failed with it', async () => {
    const r = await run({ alert, series: grown(true), changes, logs });
    expect(verdict(r)).toMatchObject({ category: 'dependency', service: 'veriscan', change_id: null });
  });

  it('is, when nothing but the callers saw the party fail', async () => {
    const r = await run({ alert, series: grown(false), changes, logs });
    expect(verdict(r).category).not.toBe('dependency');
  });
});
