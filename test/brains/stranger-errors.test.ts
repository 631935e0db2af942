// A stranger's own new errors. The room-booking API slows for a quarter hour on every pod and
// recovers by itself; nothing it depends on moves. Four minutes before, a release of the plough
// tracker (another tenant of the same platform, named nowhere in the booking API's series or
// logs) begins logging errors of its own. Trouble in a service nothing ties to the paged one
// says it had trouble, not that its trouble reached the paged service.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('stranger-errors', { start: '2036-12-07T08:00:00Z', minutes: 180, stepSeconds: 60 });

const series: SeriesSpec[] = [
  { metric: 'http_request_duration_seconds_p99', service: 'roombook-api', level: 0.25, noise: 0.04, shifts: [{ at: 150, to: 2.8 }, { at: 165, to: 0.25 }] },
  { metric: 'http_5xx_ratio', service: 'roombook-api', level: 0.001, noise: 0.1, shifts: [{ at: 150, to: 0.02 }, { at: 165, to: 0.001 }] },
  { metric: 'http_requests_per_second', service: 'roombook-api', level: 30, noise: 0.03 },
  { metric: 'gps_fixes_per_second', service: 'plough-tracker', level: 40, noise: 0.03 },
];

const changes = [
  {
    id: 'rel-plough-61',
    service: 'plough-tracker',
    type: 'deploy',
    at: 146,
    summary: 'plough-tracker 6.1: drop fixes with jitter above 25 m',
    diff: patch('tracker/filter.go', ['\tif jitter > 50 {'], ['\tif jitter > 25 {']),
  },
];

const logs = {
  'roombook-api': [...every(0, 180, 1, 'info', 'booking listed'), ...every(150.2, 165, 0.5, 'warn', 'slow request GET /rooms')],
  'plough-tracker': [...every(0, 180, 1, 'info', 'fix stored'), ...every(146.3, 180, 1, 'error', 'fix dropped: jitter above limit')],
};

describe('a stranger with new errors of its own', () => {
  it('is not blamed for an episode nothing ties it to', async () => {
    const r = await run({ alert: { title: 'roombook latency high', service: 'roombook-api', at: 160 }, series, changes, logs });
    expect(verdict(r).change_id ?? null).toBeNull();
  });

  it('leaves the paged service out of the dependencies its callers name', async () => {
    // The gateway in front reports its calls to the booking API failing: that is the paged service's own trouble, seen from outside.
    const gateway: SeriesSpec[] = [
      { metric: 'gateway_upstream_5xx_ratio', service: 'api-gateway', labels: { upstream: 'roombook-api' }, level: 0.001, noise: 0.1, shifts: [{ at: 149, to: 0.03 }, { at: 165, to: 0.001 }] },
      { metric: 'gateway_upstream_5xx_ratio', service: 'api-gateway', labels: { upstream: 'plough-tracker' }, level: 0.001, noise: 0.1 },
    ];
    const r = await run({ alert: { title: 'roombook latency high', service: 'roombook-api', at: 160 }, series: [...series, ...gateway], changes, logs });
    expect(verdict(r).service ?? null).not.toBe('roombook-api');
  });
});
