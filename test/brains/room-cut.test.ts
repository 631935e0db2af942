// Room for work cut while the load was light, met when the crowd came. A consumer's workers
// were cut from 12 to 4 after a morning peak, to spare the database's connections; its count
// of workers stepped down with the change, nothing showed while the reads stayed low, and when
// the next crowd arrived the four workers could not keep up. A quota on what each user may do,
// cut the same way, shares no room with the crowd; and a cut the running service never took
// (its workers still 12) is no evidence either: the crowd exhausting the service is load.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('room-cut', { start: '2036-04-12T06:00:00Z', minutes: 220 });

/** Reads arrive at 30/s until minute 150, then a crowd brings 1,200/s; the consumer tops out at 920/s. */
const series = (workersCut: boolean): SeriesSpec[] => [
  { metric: 'consumer_workers_active', service: 'split-calc', level: 12, noise: 0, shifts: workersCut ? [{ at: 61, to: 4 }] : [] },
  { metric: 'reads_published_per_second', service: 'mat-ingest', level: 30, noise: 0.05, shifts: [{ at: 150, to: 1200 }] },
  { metric: 'consumer_records_consumed_per_second', service: 'split-calc', level: 30, noise: 0.05, shifts: [{ at: 150, to: 920 }] },
  { metric: 'consumer_lag_records', service: 'split-calc', level: 40, noise: 0.3, shifts: [{ at: 152, to: 90000 }] },
  { metric: 'worker_busy_ratio', service: 'split-calc', level: 0.02, noise: 0.1, shifts: [{ at: 60, to: 0.05 }, { at: 150, to: 0.99 }] },
  { metric: 'tracker_split_age_seconds_p95', service: 'tracker-api', level: 5, noise: 0.05, shifts: [{ at: 153, to: 240 }] },
  { metric: 'tracker_http_requests_per_second', service: 'tracker-api', level: 300, noise: 0.05, shifts: [{ at: 150, to: 700 }] },
];

const alert = { title: 'split age above 60s', service: 'tracker-api', at: 160 };

function cut(key: string, file: string): BundleSpec['changes'] {
  return [
    { id: 'cfg-77', service: 'split-calc', type: 'config', at: 60, summary: 'right-size the consumer after the morning peak', diff: patch(file, [`  ${key}: 12`], [`  ${key}: 4`]) },
    { id: 'deploy-41', service: 'tracker-api', type: 'deploy', at: 120, summary: 'tracker-api: map pin colours', diff: patch('web/pins.ts', ["const PIN = 'red'"], ["const PIN = 'blue'"]) },
  ];
}

const logs = {
  'split-calc': every(0, 220, 2, 'info', 'batch committed'),
  'tracker-api': [...every(0, 220, 2, 'info', 'GET /splits 200'), ...every(154, 220, 1, 'warn', 'split feed stale')],
};

describe('room for work cut long before the crowd', () => {
  it('is named when the crowd that needed it came', async () => {
    const r = await run({ alert, series: series(true), changes: cut('workers', 'deploy/split-calc/values.yaml'), logs });
    expect(verdict(r)).toEqual({ category: 'config', service: 'split-calc', change_id: 'cfg-77' });
  });

  it('is not, for a quota each user has to themselves', async () => {
    const r = await run({ alert, series: series(true), changes: cut('max_bookings_per_user', 'deploy/split-calc/values.yaml'), logs });
    expect(verdict(r).change_id).toBeNull();
  });

  // The diff says 4, but the running consumer still counts 12 workers: the value never reached it.
  it('is not, when the room it cut never stepped down', async () => {
    const r = await run({ alert, series: series(false), changes: cut('workers', 'deploy/split-calc/values.yaml'), logs });
    expect(verdict(r).change_id).toBeNull();
  });
});
