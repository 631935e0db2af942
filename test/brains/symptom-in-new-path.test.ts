// A failure measured in a series the change brought. At minute 30 a flag makes the hold service
// serialise holds per screening behind one lock: its lock-wait series for row locks stops and
// one for the screening lock begins, a few milliseconds all afternoon. At minute 120 a presale
// opens, holds rise fivefold onto a few screenings, the screening lock's waits reach seconds,
// waiting holds take every pooled connection, and the booking front's hold route fails, which
// pages. The crowd into a database with locks piling up is load beyond capacity at first sight.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-03-13T13:00:00Z';

const run = syntheticRunner('symptom-in-new-path', { start: START, minutes: 150, stepSeconds: 60 });

/** With `newPath`, the waits that climb at the presale are in the series the flag began; without, in the row lock's, recorded all along. */
function series(newPath: boolean): SeriesSpec[] {
  const waits: SeriesSpec[] = newPath
    ? [
        { metric: 'hold_lock_wait_seconds', service: 'seat-hold', labels: { lock: 'seat_row', quantile: '0.99' }, level: 0.003, noise: 0.05, until: 30 },
        { metric: 'hold_lock_wait_seconds', service: 'seat-hold', labels: { lock: 'screening', quantile: '0.99' }, level: 0.007, noise: 0.05, from: 31, shifts: [{ at: 121, to: 2 }] },
      ]
    : [{ metric: 'hold_lock_wait_seconds', service: 'seat-hold', labels: { lock: 'seat_row', quantile: '0.99' }, level: 0.003, noise: 0.05, shifts: [{ at: 121, to: 2 }] }];
  return [
    ...waits,
    { metric: 'hold_requests_per_second', service: 'seat-hold', level: 20, noise: 0.04, shifts: [{ at: 120, to: 100 }] },
    { metric: 'hold_failures_per_second', service: 'seat-hold', level: 0.01, noise: 0.1, shifts: [{ at: 121, to: 55 }] },
    { metric: 'pool_acquired_conns', service: 'seat-hold', level: 20, noise: 0.05, shifts: [{ at: 121, to: 120 }] },
    { metric: 'pool_max_conns', service: 'seat-hold', level: 120, noise: 0 },
    { metric: 'pg_locks_waiting', service: 'seat-db', level: 0.5, noise: 0.1, shifts: [{ at: 121, to: 110 }] },
    { metric: 'pg_cpu_ratio', service: 'seat-db', level: 0.25, noise: 0.04, shifts: [{ at: 120, to: 0.42 }] },
    { metric: 'bff_requests_per_second', service: 'web-booking', labels: { route: '/api/holds' }, level: 20, noise: 0.04, shifts: [{ at: 120, to: 100 }] },
    { metric: 'bff_requests_per_second', service: 'web-booking', labels: { route: '/api/seatmap' }, level: 60, noise: 0.04, shifts: [{ at: 120, to: 300 }] },
    { metric: 'bff_responses_5xx_ratio', service: 'web-booking', labels: { route: '/api/holds' }, level: 0.001, noise: 0.1, shifts: [{ at: 121, to: 0.5 }] },
  ];
}

const changes: BundleSpec['changes'] = [
  {
    id: 'flag-screening-lock',
    service: 'seat-hold',
    type: 'feature_flag',
    at: 30,
    summary: 'seathold.screening_lock on: serialise holds per screening',
    attributes: { flag: 'seathold.screening_lock' },
    diff: patch('flags/seat-hold.flagd.yaml', ['    defaultVariant: "off"'], ['    defaultVariant: "on"']),
  },
  {
    id: 'rel-web-5520',
    service: 'web-booking',
    type: 'deploy',
    at: 100,
    summary: 'web-booking: seat map legend colours and aria labels',
    diff: patch('web/src/legend.css', ['  color: #777;'], ['  color: #595959;']),
  },
];

const logs: BundleSpec['logs'] = {
  'seat-hold': [...every(0, 150, 1, 'info', 'hold placed'), ...every(121.2, 150, 0.5, 'error', 'hold failed: pool exhausted waiting for a connection')],
  'web-booking': [...every(0, 150, 1, 'info', 'GET /api/seatmap 200'), ...every(121.4, 150, 0.5, 'error', 'upstream request failed route=/api/holds upstream=seat-hold status=504')],
};

const alert = { title: 'web-booking 5xx ratio above 3%', service: 'web-booking', at: 130 };

describe('a failure measured in a series the change brought', () => {
  it('is the change that began the series, not the crowd that found it', async () => {
    const r = await run({ alert, series: series(true), changes, logs });
    expect(r.diagnosis?.root_cause.change_id).toBe('flag-screening-lock');
  });

  it('is not, when the waits climbed in a series recorded all along', async () => {
    const r = await run({ alert, series: series(false), changes, logs });
    expect(r.diagnosis?.root_cause.change_id).not.toBe('flag-screening-lock');
  });
});
