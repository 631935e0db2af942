// A pool cut per pod, read off the limit the service declares for all its pods. At minute 30
// a config change cuts the check-in API's connections to the booking service from 50 to 10 a
// pod; with four pods, the pool's declared maximum (summed) steps from 200 to 40. The morning
// crowd grows slowly; at minute 150 the connections leased reach 40 and go no higher, requests
// queue for a connection and the API slows until the page. Under the old 200 it would have
// had room. The API's own harmless release at minute 140 is the nearer suspect in time.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-05-04T04:00:00Z';

const run = syntheticRunner('declared-cut', { start: START, minutes: 200, stepSeconds: 60 });

/** With `applied`, the cut reached the pods (the declared maximum stepped down); without, it never did. */
function series(applied: boolean, names: { limit: string; use: string } = { limit: 'client_pool_max_connections', use: 'client_pool_leased_connections' }): SeriesSpec[] {
  return [
    { metric: names.limit, service: 'checkin-api', labels: { route: 'booking' }, level: 200, noise: 0, shifts: applied ? [{ at: 31, to: 40 }] : [] },
    { metric: names.use, service: 'checkin-api', labels: { route: 'booking' }, level: 10, noise: 0.03, slope: 0.25, slopeFrom: 30, slopeUntil: 150 },
    { metric: 'checkin_requests_per_second', service: 'checkin-api', level: 25, noise: 0.03, slope: 0.625, slopeFrom: 30, slopeUntil: 150 },
    { metric: 'checkin_request_duration_seconds_p99', service: 'checkin-api', level: 0.25, noise: 0.05, shifts: [{ at: 150, to: 1.9 }] },
    { metric: 'booking_lookup_duration_seconds_p99', service: 'booking', level: 0.04, noise: 0.05 },
    { metric: 'booking_lookups_per_second', service: 'booking', level: 25, noise: 0.03, slope: 0.625, slopeFrom: 30, slopeUntil: 150 },
  ];
}

const changes: BundleSpec['changes'] = [
  {
    id: 'cfg-checkin-pool',
    service: 'checkin-api',
    type: 'config',
    at: 30,
    summary: 'checkin-api: booking client pool per platform guideline',
    diff: patch('deploy/checkin-api/application.yaml', ['      max-per-route: 50'], ['      max-per-route: 10']),
  },
  {
    id: 'rel-checkin-72',
    service: 'checkin-api',
    type: 'deploy',
    at: 140,
    summary: 'checkin-api 7.2: add boarding group to the check-in log line',
    diff: patch('src/checkin/log.ts', ['  log.info("checked in", { booking });'], ['  log.info("checked in", { booking, group });']),
  },
];

const logs: BundleSpec['logs'] = {
  'checkin-api': [...every(0, 200, 1, 'info', 'check-in completed'), ...every(151, 200, 0.5, 'warn', 'waiting for a booking connection from the pool')],
  booking: every(0, 200, 2, 'info', 'lookup served'),
};

const alert = { title: 'Check-in p99 above one second', service: 'checkin-api', at: 165 };

describe('a pool cut per pod, met by a slowly growing crowd', () => {
  it('is blamed: the declared limit stepped down by the cut as it took effect, and the use climbed to it', async () => {
    const r = await run({ alert, series: series(true), changes, logs });
    expect(r.diagnosis?.root_cause.change_id).toBe('cfg-checkin-pool');
    expect(r.diagnosis?.root_cause.category).toBe('config');
  });

  // A pool's size beside its busy workers, and slots beside the conversions in flight, declare a limit as plainly as a `_max`.
  it.each([
    ['a pool size', { limit: 'booking_worker_pool_size', use: 'booking_workers_busy' }],
    ['slots', { limit: 'booking_call_slots', use: 'booking_calls_in_flight' }],
  ])('is blamed when the limit is declared as %s', async (_, names) => {
    const r = await run({ alert, series: series(true, names), changes, logs });
    expect(r.diagnosis?.root_cause.change_id).toBe('cfg-checkin-pool');
  });

  it('is not, when the declared limit never moved: the cut did not reach the pods', async () => {
    const r = await run({ alert, series: series(false), changes, logs });
    expect(r.diagnosis?.root_cause.change_id).not.toBe('cfg-checkin-pool');
  });
});

describe('a limit cut with no number in the diff, measured where the service declares it', () => {
  const cacheSeries = (applied: boolean): SeriesSpec[] => [
    { metric: 'redis_memory_max_bytes', service: 'catalog-cache', level: 21e9, noise: 0, shifts: applied ? [{ at: 31, to: 10.5e9 }] : [] },
    { metric: 'redis_memory_used_bytes', service: 'catalog-cache', level: 6e9, noise: 0.01, slope: 0.04e9, slopeFrom: 30, slopeUntil: 150 },
    { metric: 'redis_keyspace_hit_ratio', service: 'catalog-cache', level: 0.97, noise: 0.005, shifts: [{ at: 150, to: 0.6 }] },
    { metric: 'catalog_requests_per_second', service: 'catalog', level: 40, noise: 0.03 },
    { metric: 'catalog_request_duration_seconds_p99', service: 'catalog', level: 0.05, noise: 0.05, shifts: [{ at: 151, to: 1.8 }] },
  ];
  const cacheChanges: BundleSpec['changes'] = [
    {
      id: 'infra-cache-size',
      service: 'catalog-cache',
      type: 'infra',
      at: 30,
      summary: 'right-size catalog-cache',
      diff: patch('terraform/cache.tf', ['  node_type = "cache.r6g.xlarge"'], ['  node_type = "cache.r6g.large"']),
    },
  ];
  const cacheLogs: BundleSpec['logs'] = { catalog: every(0, 200, 1, 'info', 'lookup served'), 'catalog-cache': every(0, 200, 5, 'info', 'background save done') };
  const cacheAlert = { title: 'catalog p99 high', service: 'catalog', at: 165 };

  it('is blamed: the declared maximum halved as it took effect, and the use climbed to it', async () => {
    const r = await run({ alert: cacheAlert, series: cacheSeries(true), changes: cacheChanges, logs: cacheLogs });
    expect(r.diagnosis?.root_cause.change_id).toBe('infra-cache-size');
  });

  it('is not, when the declared maximum never moved', async () => {
    const r = await run({ alert: cacheAlert, series: cacheSeries(false), changes: cacheChanges, logs: cacheLogs });
    expect(r.diagnosis?.root_cause.change_id).not.toBe('infra-cache-size');
  });
});
