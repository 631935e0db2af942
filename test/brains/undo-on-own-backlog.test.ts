// An undo judged where its own work piles up. The rating worker's release adds a call to the
// tariff API for every record it consumes; at the night's trickle that only adds load there.
// When the nightly batch of readings arrives the worker is held to what the tariff API can
// answer, its consumer lag climbs, and the invoice store it feeds pages on the age of its
// newest data. The responders roll the release back: the worker's lag drains at once, while
// the data age (minutes of waiting, which trails the backlog) is still high. The batch itself
// is a surge into a saturated pool that offers load as the cause instead.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-05-02T00:00:00Z';

const run = syntheticRunner('undo-own-backlog', { start: START, minutes: 240, stepSeconds: 60 });

/** The worker's lag: flat, climbing from the batch on, and (when `drains`) worked off after the rollback at 175. */
function lag(drains: boolean): SeriesSpec {
  const climb = [100, 110, 120, 130, 140, 150, 160, 170].map((at, i) => ({ at, to: 400_000 * (i + 1) }));
  const after = drains
    ? [180, 185, 190, 195, 200, 205, 210].map((at, i) => ({ at, to: Math.max(600, 3_000_000 - 450_000 * i) }))
    : [180, 190, 200, 210].map((at, i) => ({ at, to: 3_400_000 + 400_000 * i }));
  return { metric: 'consumer_group_lag', service: 'rating-worker', level: 600, noise: 0.05, shifts: [...climb, ...after] };
}

function series(drains: boolean): SeriesSpec[] {
  return [
    lag(drains),
    { metric: 'records_committed_per_second', service: 'rating-worker', level: 300, noise: 0.03, shifts: [{ at: 100, to: 400 }, ...(drains ? [{ at: 176, to: 8000 }, { at: 212, to: 8000 }] : [])] },
    { metric: 'batch_readings_published_per_second', service: 'meter-feed', level: 300, noise: 0.03, shifts: [{ at: 100, to: 8000 }] },
    { metric: 'http_requests_per_second', service: 'tariff-api', labels: { caller: 'rating-worker' }, level: 300, noise: 0.03, from: 41, ...(drains ? { until: 176 } : {}), shifts: [{ at: 100, to: 400 }] },
    { metric: 'http_requests_per_second', service: 'tariff-api', labels: { caller: 'portal' }, level: 40, noise: 0.03, shifts: [{ at: 100, to: 55 }] },
    { metric: 'http_request_duration_seconds_p99', service: 'tariff-api', level: 0.05, noise: 0.04, shifts: [{ at: 100, to: 2.1 }, ...(drains ? [{ at: 177, to: 0.05 }] : [])] },
    { metric: 'db_pool_connections_active', service: 'tariff-api', labels: { pool: 'main' }, level: 8, noise: 0.05, shifts: [{ at: 100, to: 40 }, ...(drains ? [{ at: 177, to: 8 }] : [])] },
    { metric: 'db_pool_connections_max', service: 'tariff-api', labels: { pool: 'main' }, level: 40, noise: 0 },
    {
      metric: 'invoice_ingest_lag_seconds_p95',
      service: 'invoice-store',
      level: 60,
      noise: 0.03,
      // Minutes behind: climbing with the lag, and coming down as fast as the worker catches up once it can.
      shifts: [
        ...[100, 110, 120, 130, 140, 150, 160, 170].map((at, i) => ({ at, to: 600 * (i + 1) })),
        ...[180, 190, 200, 210].map((at, i) => ({ at, to: drains ? 4200 - 1000 * i : 5400 + 600 * i })),
      ],
    },
    { metric: 'invoice_rows_written_per_second', service: 'invoice-store', level: 300, noise: 0.03, shifts: [{ at: 100, to: 400 }] },
  ];
}

const changes: BundleSpec['changes'] = [
  {
    id: 'rel-rating-64',
    service: 'rating-worker',
    type: 'deploy',
    at: 40,
    summary: 'rating-worker 6.4.0: skip readings of closed accounts',
    diff: patch(
      'src/main/java/rating/ReadingHandler.java',
      ['        emit(reading);'],
      [
        '        // Blocking lookup in tariff-api for every reading of a poll.',
        '        for (int attempt = 1; ; attempt++) {',
        '            try {',
        '                HttpResponse<String> resp = http.send(statusRequest(reading.accountId()), BodyHandlers.ofString());',
        '                if (AccountStatus.parse(resp.body()).isClosed()) return;',
        '                break;',
        '            } catch (IOException e) {',
        '                if (attempt >= 2) break;',
        '            }',
        '        }',
        '        emit(reading);',
      ],
    ),
  },
  {
    id: 'rel-tariff-327',
    service: 'tariff-api',
    type: 'deploy',
    at: 90,
    summary: 'tariff-api 3.2.7: framework patch release',
    diff: patch('build.gradle', ["    id 'org.springframework.boot' version '3.2.5'"], ["    id 'org.springframework.boot' version '3.2.7'"]),
  },
  {
    id: 'cfg-invoice-compress',
    service: 'invoice-store',
    type: 'config',
    at: 104,
    summary: 'compress invoice rows after 3 days instead of 7',
    diff: patch('db/policies.sql', ["SELECT add_compression_policy('invoice_rows', INTERVAL '7 days');"], ["SELECT add_compression_policy('invoice_rows', INTERVAL '3 days');"]),
  },
  { id: 'rb-rating-632', service: 'rating-worker', type: 'rollback', at: 175, summary: 'roll rating-worker back to 6.3.2', attributes: { reverts: 'rel-rating-64' } },
];

const logs: BundleSpec['logs'] = {
  'rating-worker': [...every(0, 240, 2, 'info', 'committed offsets for partition batch'), ...every(101, 175, 1, 'warn', 'poll loop took 290 s, longer than max.poll.interval.ms')],
  'tariff-api': [...every(0, 240, 3, 'info', 'served tariff lookup'), ...every(101, 175, 2, 'warn', 'connection pool main exhausted, waited 2000 ms')],
};

const alert = { title: 'invoice-store data older than 45 minutes', service: 'invoice-store', at: 150 };

describe('an undo judged on the backlog of the service it undid', () => {
  it('names the release the rollback undid when its worker drained right after', async () => {
    const r = await run({ alert, series: series(true), changes, logs });
    expect(r.diagnosis?.root_cause.category).toBe('deploy');
    expect(r.diagnosis?.root_cause.change_id).toBe('rel-rating-64');
  });

  it('does not name it when the backlog kept growing after the rollback', async () => {
    const r = await run({ alert, series: series(false), changes, logs });
    expect(r.diagnosis?.root_cause.change_id).not.toBe('rel-rating-64');
  });
});
