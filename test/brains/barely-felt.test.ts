// A small cost is not the incident. A release of the paged service at minute 60 makes its
// median latency a few milliseconds slower (7.6 ms to 10.6 ms) and nothing else. At minute 100
// a port authority's API outside the company stops answering: the paged service and another
// caller time out against it, and the backlog the page watches starts growing a few minutes
// before the calls' latency breaks. The incident began at minute 100, with the provider: the
// release's drift is dated out by the first move that is no drift, not only by the break.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-05-11T05:00:00Z';

const run = syntheticRunner('barely-felt', { start: START, minutes: 150, stepSeconds: 30 });

function series(releaseCost: number): SeriesSpec[] {
  const peer = { peer: 'api.port-authority.example' };
  return [
    { metric: 'http_request_duration_seconds', service: 'berth-sender', labels: { quantile: '0.5' }, level: 0.0076, noise: 0.01, shifts: [{ at: 60, to: 0.0076 * releaseCost }] },
    { metric: 'http_client_requests_per_second', service: 'berth-sender', labels: { ...peer, status_class: '2xx' }, level: 4, noise: 0.03, shifts: [{ at: 100, to: 0.6 }] },
    { metric: 'http_client_requests_per_second', service: 'berth-sender', labels: { ...peer, status_class: 'timeout' }, level: 0, shifts: [{ at: 106, to: 12 }] },
    { metric: 'http_client_request_duration_seconds_p99', service: 'berth-sender', labels: peer, level: 0.6, noise: 0.03, shifts: [{ at: 106, to: 10 }] },
    { metric: 'http_client_requests_per_second', service: 'pilot-relay', labels: { ...peer, status_class: '2xx' }, level: 7, noise: 0.03, shifts: [{ at: 100, to: 0.3 }] },
    { metric: 'http_client_request_duration_seconds_p99', service: 'pilot-relay', labels: peer, level: 0.45, noise: 0.03, shifts: [{ at: 104, to: 9.8 }] },
    { metric: 'reports_pending', service: 'berth-sender', level: 3, shifts: [{ at: 101, to: 60 }, { at: 110, to: 240 }, { at: 120, to: 480 }] },
    { metric: 'http_requests_per_second', service: 'harbour-portal', level: 60, noise: 0.04 },
  ];
}

const changes: BundleSpec['changes'] = [
  {
    id: 'rel-berth-12',
    service: 'berth-sender',
    type: 'deploy',
    at: 59.5,
    summary: 'berth-sender 1.12: reuse connections to the authority',
    diff: patch('sender/client.py', ['session = None'], ['session = requests.Session()']),
  },
  {
    id: 'rel-portal-7',
    service: 'harbour-portal',
    type: 'deploy',
    at: 90,
    summary: 'harbour-portal 7.0: new berth map',
    diff: patch('web/map.ts', ["  const zoom = 12"], ["  const zoom = 13"]),
  },
];

const logs: BundleSpec['logs'] = {
  'berth-sender': [
    ...every(0, 150, 1, 'info', 'report sent to api.port-authority.example status=202'),
    ...every(100, 150, 0.25, 'error', 'send failed: POST https://api.port-authority.example/v3/reports timed out after 10s'),
  ],
  'pilot-relay': [...every(0, 150, 2, 'info', 'pilot position relayed'), ...every(100, 150, 0.5, 'error', 'relay to api.port-authority.example failed: read timeout')],
};

const alert = { title: 'berth reports pending above SLA', service: 'berth-sender', at: 125, links: ['https://prometheus.harbour.example/graph?g0.expr=reports_pending+%3E+200'] };

describe('a paged service whose own signal rose by less than half again before the incident', () => {
  it('dates the incident by the move that followed: the provider that failed, not the release', async () => {
    const r = await run({ alert, series: series(1.4), changes, logs });
    expect(r.diagnosis?.root_cause.category).toBe('dependency');
    expect(r.diagnosis?.root_cause.change_id ?? null).toBeNull();
  });
});
