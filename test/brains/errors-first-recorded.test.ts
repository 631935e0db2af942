// Errors an exporter counts only once there is one. At minute 100 the broker is rolled back to
// a release without the endpoint the terminal gateway's newer release calls; from then on the
// broker answers those calls 404, and its exporter first records a `status="404"` series. The
// gateway's payments fail and page. Nothing of the broker's own leaves a band (its 200s for the
// other endpoints hold), and its rollback is the only change near the onset.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-09-19T13:00:00Z';

const run = syntheticRunner('errors-first-recorded', { start: START, minutes: 160, stepSeconds: 60 });

/** With `counted`, the broker's 404s appear as their own series from the rollback on. */
function series(counted: boolean): SeriesSpec[] {
  return [
    { metric: 'http_server_requests_per_second', service: 'broker', labels: { uri: '/v1/authorizations', status: '200' }, level: 20, noise: 0.03 },
    { metric: 'http_server_requests_per_second', service: 'broker', labels: { uri: '/v2/authorizations', status: '200' }, level: 3, noise: 0.05, until: 100 },
    ...(counted ? [{ metric: 'http_server_requests_per_second', service: 'broker', labels: { uri: 'NOT_FOUND', status: '404' }, level: 3, noise: 0.05, from: 100 }] : []),
    { metric: 'payment_attempts_per_second', service: 'terminal-gateway', labels: { outcome: 'approved' }, level: 23, noise: 0.03, shifts: [{ at: 100, to: 20 }] },
    { metric: 'payment_attempts_per_second', service: 'terminal-gateway', labels: { outcome: 'failed' }, level: 0.02, noise: 0.1, shifts: [{ at: 100, to: 3 }] },
    { metric: 'wallet_balance_reads_per_second', service: 'wallet', level: 8, noise: 0.03 },
  ];
}

const changes: BundleSpec['changes'] = [
  {
    id: 'rel-broker-310',
    service: 'broker',
    type: 'deploy',
    at: 20,
    summary: 'broker 3.10: split payments, POST /v2/authorizations',
    diff: patch('src/api/Authorizations.kt', ['    @PostMapping("/v1/authorizations")'], ['    @PostMapping("/v1/authorizations")', '    @PostMapping("/v2/authorizations")']),
  },
  {
    id: 'rb-broker-310',
    service: 'broker',
    type: 'rollback',
    at: 100,
    summary: 'roll broker back to 3.9.4: settlement preview totals off',
    attributes: { reverts: 'rel-broker-310' },
  },
  {
    id: 'rel-wallet-27',
    service: 'wallet',
    type: 'deploy',
    at: 60,
    summary: 'wallet 2.7: balance cache metrics',
    diff: patch('wallet/cache.py', ['    return store.get(key)'], ['    CACHE_READS.inc()', '    return store.get(key)']),
  },
];

const logs: BundleSpec['logs'] = {
  'terminal-gateway': [...every(0, 160, 1, 'info', 'payment approved'), ...every(100, 160, 1, 'error', 'broker call failed path=/v2/authorizations status=404')],
  broker: every(0, 160, 1, 'info', 'authorization approved'),
};

const alert = { title: 'Payment failures above 5%', service: 'terminal-gateway', at: 115 };

describe('errors counted only once there is one', () => {
  it('put the service whose error series began as a change took effect on the path', async () => {
    const r = await run({ alert, series: series(true), changes, logs });
    expect(r.diagnosis?.root_cause.change_id).toBe('rb-broker-310');
    expect(r.diagnosis?.root_cause.category).toBe('deploy');
  });

  it('without that series, and with errors that do not say which call failed, the rollback has only its timing', async () => {
    const unnamed = { ...logs, 'terminal-gateway': [...every(0, 160, 1, 'info', 'payment approved'), ...every(100, 160, 1, 'error', 'authorization failed status=404')] };
    const r = await run({ alert, series: series(false), changes, logs: unnamed });
    expect(r.diagnosis?.root_cause.change_id).not.toBe('rb-broker-310');
  });
});
