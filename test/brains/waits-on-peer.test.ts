// A pool that filled waiting on a provider outside the company is the provider failing, not
// load beyond the pool. A storm triples the bookings at minute 45, and the booking service
// takes them (its pool at half its room) for fifty minutes; at 95 its calls to the hotel
// provider hang and fail, and the pool fills with calls waiting on it. The load that came an
// hour earlier did not fill it; the provider did.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-07-18T19:00:00Z';
const PEER = 'api.roomfinder.example';

const run = syntheticRunner('waits-on-peer', { start: START, minutes: 160 });

/** Demand triples at `loadAt`; the booking pool fills at 95, when the provider's calls slow (`peerFails`) or demand grows again. */
function series(loadAt: number, peerFails: boolean): SeriesSpec[] {
  return [
    { metric: 'http_requests_per_second', service: 'disruption-desk', level: 2.5, shifts: [{ at: loadAt, to: 7.5 }] },
    { metric: 'recovery_plans_pending', service: 'disruption-desk', level: 4, noise: 0.05, shifts: [{ at: 96, to: 38 }] },
    { metric: 'http_requests_per_second', service: 'stay-booker', level: 3, shifts: [{ at: loadAt, to: 9 }, ...(peerFails ? [] : [{ at: 94, to: 19 }])] },
    { metric: 'booking_pool_utilization', service: 'stay-booker', level: 0.18, noise: 0.03, shifts: [{ at: loadAt, to: 0.5 }, { at: 95, to: 0.99 }] },
    { metric: 'http_client_request_duration_seconds_p99', service: 'stay-booker', labels: { peer: PEER }, level: 1.7, shifts: peerFails ? [{ at: 95, to: 15 }] : [] },
    { metric: 'http_client_error_ratio', service: 'stay-booker', labels: { peer: PEER }, level: 0.005, shifts: peerFails ? [{ at: 95, to: 0.6 }] : [] },
    { metric: 'http_client_request_duration_seconds_p99', service: 'stay-booker', labels: { peer: 'transfers-svc' }, level: 0.2 },
    { metric: 'http_requests_per_second', service: 'transfers-svc', level: 1.2 },
  ];
}

function logs(peerFails: boolean): BundleSpec['logs'] {
  return {
    'stay-booker': [
      ...every(0, 160, 2, 'info', 'booking confirmed'),
      ...every(96, 160, 0.5, 'warn', 'booking pool exhausted: request queued behind 64 active calls'),
      ...(peerFails ? every(95.2, 160, 0.5, 'error', `POST https://${PEER}/v2/holds failed: 503 upstream_unavailable`) : []),
    ],
    'disruption-desk': [...every(0, 160, 2, 'info', 'plan committed'), ...every(96.5, 160, 1, 'warn', 'plan waiting on hotel booking')],
  };
}

const alert = { title: 'Recovery plans pending above 30', service: 'disruption-desk', at: 112 };

describe('a pool that filled as its calls to a provider hung, long after the load grew', () => {
  it('is the provider, not load beyond capacity', async () => {
    const r = await run({ alert, series: series(45, true), changes: [], logs: logs(true) });
    expect(r.diagnosis?.root_cause.category).toBe('dependency');
  });

  it('is load when the pool filled as demand grew again and the provider held', async () => {
    const r = await run({ alert, series: series(45, false), changes: [], logs: logs(false) });
    expect(r.diagnosis?.root_cause.category).toBe('capacity');
  });
});
