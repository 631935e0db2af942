// What the engine reads and how it dates the incident. A paged service with many series
// that all moved must not crowd out the series of a service changed just before the page:
// that service's own signals are how its change is weighed. And a neighbour that only got a
// little busier before the page did not degrade first: it does not move the onset earlier.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2035-04-02T13:00:00Z';

const run = syntheticRunner('reading', { start: START, minutes: 150, stepSeconds: 15 });

describe('a crowded paged service', () => {
  const ROUTES = ['/v1/validate', '/v1/refresh', '/v1/revoke', '/v1/introspect', '/v1/issue', '/v1/keys', '/v1/userinfo'];
  // Every route of the paged service slows and fails under a flood of validations from minute 96.
  const paged: SeriesSpec[] = ROUTES.flatMap((route): SeriesSpec[] => [
    { metric: 'http_request_duration_seconds_p99', service: 'token-svc', labels: { route }, level: 0.05, shifts: [{ at: 96, to: 1.9 }] },
    { metric: 'http_error_ratio', service: 'token-svc', labels: { route }, level: 0.002, shifts: [{ at: 96.5, to: 0.15 }] },
    { metric: 'http_requests_per_second', service: 'token-svc', labels: { route }, level: 40, shifts: [{ at: 96, to: 700 }] },
  ]);
  // The gateway in front: since its change, sessions are cut and every client reconnects.
  const gateway: SeriesSpec[] = [
    { metric: 'ws_disconnects_per_second', service: 'push-gateway', labels: { reason: 'idle_timeout' }, level: 0.5, shifts: [{ at: 95.5, to: 600 }] },
    { metric: 'ws_session_errors_ratio', service: 'push-gateway', level: 0.001, shifts: [{ at: 95.5, to: 0.4 }] },
  ];
  const changes: BundleSpec['changes'] = [
    {
      id: 'cfg-77',
      service: 'push-gateway',
      type: 'config',
      at: 95,
      summary: 'push-gateway: align idle timeout on platform default',
      diff: patch('deploy/push-gateway/values.yaml', ['  idleTimeoutSeconds: 3600'], ['  idleTimeoutSeconds: 60']),
    },
  ];
  const logs: BundleSpec['logs'] = {
    'push-gateway': every(0, 150, 2, 'info', 'session opened'),
    'token-svc': [...every(0, 150, 2, 'info', 'validated'), ...every(96.6, 150, 0.5, 'error', 'validate failed: worker pool exhausted')],
  };

  it("still reads the changed service's own series, and names its change", async () => {
    const r = await run({ alert: { title: 'token-svc validate latency', service: 'token-svc', at: 104 }, series: [...paged, ...gateway], changes, logs });
    expect(r.diagnosis?.root_cause.change_id).toBe('cfg-77');
  });
});

describe('a neighbour that only got busier first', () => {
  const series: SeriesSpec[] = [
    { metric: 'http_request_duration_seconds_p99', service: 'ledger-api', level: 0.1, shifts: [{ at: 96, to: 2.5 }] },
    { metric: 'http_error_ratio', service: 'ledger-api', level: 0.002, shifts: [{ at: 96, to: 0.12 }] },
    { metric: 'db_pool_pending', service: 'ledger-api', labels: { upstream: 'fx-rates' }, level: 0.5, shifts: [{ at: 96, to: 30 }] },
    // fx-rates' CPU goes from 8% to 14% well before: busier, nowhere near full.
    { metric: 'process_cpu_usage', service: 'fx-rates', level: 0.08, noise: 0.02, shifts: [{ at: 86, to: 0.14 }] },
    { metric: 'http_requests_per_second', service: 'fx-rates', level: 50 },
  ];
  const changes: BundleSpec['changes'] = [
    {
      id: 'deploy-880',
      service: 'ledger-api',
      type: 'deploy',
      at: 95,
      summary: 'ledger-api 7.1.0: hold the row lock across the fx call',
      diff: patch('src/ledger/post.py', ['    pool = Pool(max_connections=64)'], ['    pool = Pool(max_connections=4)']),
    },
  ];
  const logs: BundleSpec['logs'] = { 'ledger-api': [...every(0, 150, 2, 'info', 'posted'), ...every(96.5, 150, 0.5, 'error', 'timed out waiting for a pooled connection')] };

  it('does not date the incident: the change just before the paged service degraded is still in time', async () => {
    const r = await run({ alert: { title: 'ledger-api errors', service: 'ledger-api', at: 104 }, series, changes, logs });
    expect(r.diagnosis?.root_cause.change_id).toBe('deploy-880');
  });
});

describe('the paged service busier with the evening', () => {
  it('is dated by what its users feel, not by its CPU climbing with the dinner rush an hour before', async () => {
    const r = await run({
      alert: { title: 'tickets late on the kitchen screens', service: 'screen-gw', at: 104 },
      series: [
        // The rush: traffic and CPU climb from minute 40, as every evening.
        { metric: 'http_requests_per_second', service: 'screen-gw', level: 40, shifts: [{ at: 40, to: 90 }] },
        { metric: 'container_cpu_usage_cores', service: 'screen-gw', level: 0.8, noise: 0.03, shifts: [{ at: 40, to: 1.9 }] },
        // The incident: from minute 96 the parser pins its CPU and tickets arrive late.
        { metric: 'ticket_delivery_seconds_p95', service: 'screen-gw', level: 2, shifts: [{ at: 96, to: 95 }] },
        { metric: 'container_cpu_usage_cores', service: 'order-parser', level: 1, noise: 0.03, shifts: [{ at: 95.5, to: 4 }] },
      ],
      changes: [
        {
          id: 'rel-2290',
          service: 'order-parser',
          type: 'deploy',
          at: 95,
          summary: 'order-parser 4.3: structured modifiers',
          diff: patch('src/modifiers.ts', ['const MODS = null;'], ["const MODS = /^(\\s*(?:no|extra)?\\s*[\\w'-]+(?:\\s+[\\w'-]+)*\\s*,?)+$/i;"]),
        },
      ],
      logs: { 'screen-gw': [...every(0, 150, 2, 'info', 'ticket shown'), ...every(96.5, 150, 0.5, 'warn', 'ticket late on screen')] },
    });
    expect(r.diagnosis?.root_cause.change_id).toBe('rel-2290');
  });
});
