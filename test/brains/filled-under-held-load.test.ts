// A crowd taken, then a slower disk. The doors open at minute 60: scans at the turnstile API
// climb from almost none to 120/s over twenty minutes and hold there, and the API keeps up
// with a handful of requests in flight. Half an hour later the data volume under the pass
// database's primary starts to stall: each commit takes a second, requests in flight pile up
// to sixty, and the page fires on scan latency. The crowd, a four-hundred-fold rise in scans,
// is what the numbers offer first; the service had taken it for half an hour at the same level.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-07-18T16:00:00Z';

const run = syntheticRunner('filled-under-held-load', { start: START, minutes: 160, stepSeconds: 30 });

/** Scans ramp from 0.3/s to 120/s over minutes 60 to 80; with `again`, a second wave triples them as the API fills. */
function scans(again: boolean): SeriesSpec {
  const ramp = [60, 64, 68, 72, 76, 80].map((at, i) => ({ at, to: [2, 10, 30, 60, 95, 120][i] as number }));
  return { metric: 'turnstile_scans_per_second', service: 'turnstile-api', level: 0.3, noise: 0.04, shifts: [...ramp, ...(again ? [{ at: 110, to: 360 }] : [])] };
}

function series(stall: boolean): SeriesSpec[] {
  return [
    scans(!stall),
    { metric: 'turnstile_inflight_requests', service: 'turnstile-api', level: 1, noise: 0.1, shifts: [{ at: 70, to: 4 }, { at: 110, to: 60 }] },
    { metric: 'turnstile_decision_seconds_p95', service: 'turnstile-api', level: 0.04, noise: 0.05, shifts: [{ at: 110, to: 1.9 }] },
    { metric: 'turnstile_commit_seconds_p99', service: 'turnstile-api', level: 0.012, noise: 0.05, shifts: [{ at: 110, to: stall ? 1.4 : 0.6 }] },
    { metric: 'pg_xact_commit_per_second', service: 'pass-db', labels: { instance: 'pass-db-1' }, level: 5, noise: 0.05, shifts: [{ at: 62, to: 40 }, { at: 70, to: 125 }, ...(stall ? [] : [{ at: 110, to: 370 }])] },
    { metric: 'node_disk_write_await_seconds', service: 'pass-db', labels: { instance: 'pass-db-1' }, level: 0.001, noise: 0.05, shifts: stall ? [{ at: 110, to: 0.2 }] : [] },
    { metric: 'node_disk_write_await_seconds', service: 'pass-db', labels: { instance: 'pass-db-2' }, level: 0.001, noise: 0.05 },
    { metric: 'merch_sales_per_second', service: 'merch-pos', level: 0.5, noise: 0.05, shifts: [{ at: 70, to: 6 }, { at: 100, to: 9 }] },
  ];
}

const changes: BundleSpec['changes'] = [
  {
    id: 'rel-turnstile-88',
    service: 'turnstile-api',
    type: 'deploy',
    at: 50,
    summary: 'turnstile-api 8.8: clearer reject reasons on the scanner screen',
    diff: patch('src/reasons.ts', ["  duplicate: 'DUP',"], ["  duplicate: 'Already scanned',"]),
  },
  {
    id: 'cfg-pass-db-workmem',
    service: 'pass-db',
    type: 'config',
    at: 75,
    summary: 'pass-db: work_mem 4MB -> 8MB',
    diff: patch('postgresql.conf', ['work_mem = 4MB'], ['work_mem = 8MB']),
  },
];

const logs: BundleSpec['logs'] = {
  'turnstile-api': [...every(0, 160, 2, 'info', 'scanner heartbeat ok'), ...every(111, 160, 1, 'warn', 'slow commit on pass-db')],
};

const alert = { title: 'turnstile decision latency high', service: 'turnstile-api', at: 118 };

describe('a service that took the grown load and filled later', () => {
  it('is the stalled disk, not the load, when the load held level until it filled', async () => {
    const r = await run({ alert, series: series(true), changes, logs });
    expect(r.diagnosis?.root_cause.category).toBe('infrastructure');
    expect(r.diagnosis?.root_cause.service).toBe('pass-db');
  });

  it('is overrun when the load rose again as it filled', async () => {
    const r = await run({ alert, series: series(false), changes, logs });
    expect(r.diagnosis?.root_cause.category).toBe('capacity');
  });
});
