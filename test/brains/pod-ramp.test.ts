// A release rolled out pod by pod under one change record. The bundle counts the pods on each
// version; the caller's denials climb a step with every pod that moves to the new build, and
// stood level while none ran it. That staircase ties the release to the symptom, though its own
// latency and errors never moved (it hands the caller a value the caller reads wrongly).
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('pod-ramp', { start: '2037-07-17T16:00:00Z', minutes: 200 });

/** Pods move to the new build at minutes 150, 151.5, 153 and 154.5. */
const PODS = [150, 151.5, 153, 154.5];

function series(climbs: boolean): SeriesSpec[] {
  return [
    { metric: 'app_replicas_by_version', service: 'reservation-api', labels: { version: '2037.07.17-1' }, level: 0, noise: 0, shifts: PODS.map((at, i) => ({ at, to: i + 1 })) },
    { metric: 'app_replicas_by_version', service: 'reservation-api', labels: { version: '2037.07.15-2' }, level: 4, noise: 0, shifts: PODS.map((at, i) => ({ at, to: 3 - i })) },
    { metric: 'http_server_requests_per_second', service: 'reservation-api', level: 75, noise: 0.05 },
    { metric: 'http_server_requests_seconds_p99', service: 'reservation-api', level: 0.12, noise: 0.08 },
    { metric: 'keyrelease_attempts_per_second', service: 'key-release', level: 1.2, noise: 0.05 },
    {
      metric: 'keyrelease_denial_ratio',
      service: 'key-release',
      level: 0.02,
      noise: 0.1,
      shifts: climbs ? PODS.map((at, i) => ({ at: at + 0.25, to: 0.02 + 0.085 * (i + 1) })) : [],
    },
  ];
}

const changes = [
  {
    id: 'deploy-58',
    service: 'reservation-api',
    type: 'deploy',
    at: 149.5,
    summary: 'reservation-api: show the pickup window in lot-local time',
    attributes: { version: '2037.07.17-1', finished_at: '2037-07-17T18:35:00Z' },
    diff: patch('src/main/kotlin/Release.kt', ['  window = res.window.toInstant()'], ['  window = res.window.toLocalDateTime(lot.zone)']),
  },
  { id: 'cfg-97', service: 'locker-gateway', type: 'config', at: 143, summary: 'keepalive 30s → 45s', diff: patch('gateway.yaml', ['keepalive: 30s'], ['keepalive: 45s']) },
];

const logs = {
  'key-release': [...every(0, 200, 2, 'info', 'release granted'), ...every(151, 200, 1, 'warn', 'release denied reason=PICKUP_WINDOW_CLOSED')],
  'reservation-api': every(0, 200, 2, 'info', 'GET /reservations 200'),
};

describe('a release rolled out pod by pod', () => {
  it('is named when the symptom climbed with each pod on its version', async () => {
    const r = await run({ alert: { title: 'key releases denied', service: 'key-release', at: 160 }, series: series(true), changes, logs });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'reservation-api', change_id: 'deploy-58' });
  });

  // The denials came all at once, with the first pod, and held while three more pods moved: no
  // staircase; what is left for the release is its timing.
  it('is not named from the pods when the symptom did not climb with them', async () => {
    const once = series(false).map((x) => (x.metric === 'keyrelease_denial_ratio' ? { ...x, shifts: [{ at: 150.25, to: 0.36 }] } : x));
    const r = await run({ alert: { title: 'key releases denied', service: 'key-release', at: 160 }, series: once, changes, logs });
    expect(r.events.some((e) => JSON.stringify(e).includes('climbed with each pod'))).toBe(false);
  });
});
