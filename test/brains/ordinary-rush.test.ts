// The evening rush is no capacity incident by itself. Orders rise by 60% from minute 100, as
// every evening; at the same minute the routing provider outside the company slows to its
// timeout, the dispatch planner's rounds overrun and orders pile up waiting for a courier.
// The pile says the planner fell behind, which the provider explains; load that grew by less
// than half again is named only at a ceiling the numbers show.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('ordinary-rush', { start: '2036-06-19T15:00:00Z', minutes: 180 });

function series(providerFails: boolean, plannerBusy: number): SeriesSpec[] {
  return [
    { metric: 'order_requests_per_second', service: 'order-api', level: 40, noise: 0.03, shifts: [{ at: 100, to: 64 }] },
    { metric: 'eta_requests_per_second', service: 'eta-service', level: 30, noise: 0.03, shifts: [{ at: 100, to: 50 }] },
    { metric: 'orders_awaiting_courier', service: 'dispatch-planner', level: 35, noise: 0.05, shifts: [{ at: 102, to: 160 }] },
    { metric: 'planner_worker_busy_ratio', service: 'dispatch-planner', level: 0.4, noise: 0.03, shifts: [{ at: 101, to: plannerBusy }] },
    { metric: 'routing_request_duration_seconds_p99', service: 'dispatch-planner', labels: { provider: 'roadgrid' }, level: 0.4, noise: 0.05, shifts: providerFails ? [{ at: 100, to: 8 }] : [] },
    { metric: 'routing_request_duration_seconds_p99', service: 'dispatch-planner', labels: { provider: 'addrbook' }, level: 0.2, noise: 0.05 },
  ];
}

const logs = (providerFails: boolean): BundleSpec['logs'] => ({
  'dispatch-planner': [
    ...every(0, 180, 2, 'info', 'round planned'),
    ...(providerFails ? every(100.3, 180, 0.5, 'error', 'matrix fetch failed', { provider: 'roadgrid', error: '504 Gateway Timeout' }) : []),
  ],
});

const changes: BundleSpec['changes'] = [{ id: 'rel-planner-77', service: 'dispatch-planner', type: 'deploy', at: 90, summary: 'planner 7.7.0: round summary log line' }];
const alert = { title: 'orders waiting for a courier', service: 'dispatch-planner', at: 115 };

describe('an ordinary rush beside a pile', () => {
  it('is not load beyond the planner when a provider it waits on failed and no ceiling was reached', async () => {
    const r = await run({ alert, series: series(true, 0.55), changes, logs: logs(true) });
    expect(r.diagnosis?.root_cause.category).toBe('dependency');
  });

  it('is load when the planner reached its ceiling and nothing else failed', async () => {
    const r = await run({ alert, series: series(false, 0.98), changes, logs: logs(false) });
    expect(r.diagnosis?.root_cause.category).toBe('capacity');
  });
});
