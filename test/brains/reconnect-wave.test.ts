// Clients cut off at one service come back through it, and what each asks for on coming back
// (a snapshot, a login, a resubscription) lands on the services behind it at once. From
// minute 95 the load balancer in front of the socket gateway drops idle sockets after a minute
// (its idle timeout fell back to a default); every client reconnects and resubscribes, and
// the state service behind the gateway serves a snapshot for each, at seven times its rate,
// until its threads run out. The load on the state service is the cut's wave, not demand.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-06-21T12:00:00Z';

const run = syntheticRunner('reconnect-wave', { start: START, minutes: 150, stepSeconds: 30 });

function series(cutAt: number): SeriesSpec[] {
  return [
    { metric: 'lb_requests_per_second', service: 'front-lb', level: 320, shifts: [{ at: cutAt + 1, to: 700 }] },
    { metric: 'lb_target_response_seconds_p99', service: 'front-lb', level: 0.12, shifts: [{ at: cutAt + 1, to: 0.9 }] },
    { metric: 'socket_disconnects_per_second', service: 'socket-gw', labels: { code: '1006' }, level: 2, shifts: [{ at: cutAt, to: 330 }] },
    { metric: 'socket_connects_per_second', service: 'socket-gw', level: 21, shifts: [{ at: cutAt, to: 350 }] },
    { metric: 'http_requests_per_second', service: 'socket-gw', level: 60, shifts: [{ at: cutAt + 0.5, to: 380 }] },
    { metric: 'http_requests_per_second', service: 'lot-state', level: 175, shifts: [{ at: cutAt + 0.5, to: 1250 }] },
    { metric: 'worker_threads_busy_ratio', service: 'lot-state', level: 0.25, noise: 0.03, shifts: [{ at: cutAt + 1, to: 0.99 }] },
    { metric: 'http_request_duration_seconds_p99', service: 'lot-state', level: 0.08, shifts: [{ at: cutAt + 1, to: 2.4 }] },
    { metric: 'http_error_ratio', service: 'lot-state', level: 0.001, shifts: [{ at: cutAt + 1.5, to: 0.09 }] },
    { metric: 'http_requests_per_second', service: 'bid-svc', level: 40 },
  ];
}

const changes: BundleSpec['changes'] = [
  {
    id: 'rel-lot-88',
    service: 'lot-state',
    type: 'deploy',
    at: 76,
    summary: 'lot-state 6.2.0: include reserve-met flag in snapshots',
    diff: patch('src/snapshot.kt', ['    val fields = listOf(price, bids)'], ['    val fields = listOf(price, bids, reserveMet)']),
  },
  {
    id: 'tf-edge-40',
    service: 'front-lb',
    type: 'infra',
    at: 94.5,
    summary: 'edge: move the front load balancer to the shared module',
    diff: patch('envs/prod/edge/lb.tf', ['  idle_timeout               = 600', '  enable_http2               = true'], ['  enable_http2               = true']),
  },
];

const logs: BundleSpec['logs'] = {
  'socket-gw': [...every(0, 150, 2, 'info', 'socket opened'), ...every(95.2, 150, 0.5, 'warn', 'socket closed code=1006 after 60s; client resubscribing')],
  'lot-state': [...every(0, 150, 2, 'info', 'snapshot served'), ...every(96.5, 150, 0.5, 'error', 'rejected snapshot request: worker threads exhausted')],
};

const alert = { title: 'lot-state p99 above 1s', service: 'lot-state', at: 106 };

describe('load behind a service that cut its clients off', () => {
  it('is the wave of clients coming back: the change that cut them, not load beyond capacity', async () => {
    const r = await run({ alert, series: series(95), changes, logs });
    expect(r.diagnosis?.root_cause.category).toBe('infrastructure');
    expect(r.diagnosis?.root_cause.change_id).toBe('tf-edge-40');
    // A sentence that opens with a service keeps the name as it is spelt.
    expect(r.diagnosis?.summary).toContain('. lot-state began to degrade at');
  });
});
