// An earlier symptom that nothing followed. At minute 100 a flag gives the hourly census job
// more to write, and its run takes three times as long: census-reporting, which feeds the bed
// board, "degrades" twenty minutes before anything else. Nothing else moves until minute 121,
// when the housekeeping service's bed-status sync goes from every minute to every five
// seconds: bed-allocation is flooded, its database pins, and the bed board (paged) fails, all
// within a minute of one another. The incident is that front; the census job, left alone
// twenty minutes before it, did not lead it.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('isolated-lead', { start: '2040-02-11T06:00:00Z', minutes: 180 });

const series: SeriesSpec[] = [
  { metric: 'census_snapshot_duration_seconds', service: 'census-reporting', level: 40, noise: 0.05, shifts: [{ at: 100, to: 115 }] },
  { metric: 'bedalloc_requests_per_second', service: 'bed-allocation', labels: { caller: 'housekeeping-tasks' }, level: 4, noise: 0.05, shifts: [{ at: 121, to: 47 }] },
  { metric: 'bedalloc_requests_per_second', service: 'bed-allocation', labels: { caller: 'bed-board-web' }, level: 12, noise: 0.05 },
  { metric: 'bedalloc_request_duration_seconds_p99', service: 'bed-allocation', level: 0.08, noise: 0.05, shifts: [{ at: 121, to: 4 }] },
  { metric: 'bed_status_sync_duration_seconds_p99', service: 'housekeeping-tasks', level: 2, noise: 0.05, shifts: [{ at: 121, to: 9 }] },
  { metric: 'pg_cpu_utilisation_ratio', service: 'beds-postgres', level: 0.3, noise: 0.05, shifts: [{ at: 121, to: 0.99 }] },
  { metric: 'bff_http_5xx_ratio', service: 'bed-board-web', level: 0.001, noise: 0.1, shifts: [{ at: 122, to: 0.09 }] },
  { metric: 'bff_http_requests_per_second', service: 'bed-board-web', level: 30, noise: 0.05 },
];

const changes: BundleSpec['changes'] = [
  { id: 'ff-census-v2', service: 'census-reporting', type: 'feature_flag', at: 100, summary: 'census.snapshot_v2 -> on (blocked-bed reasons in the hourly census)', attributes: { flag: 'census.snapshot_v2' } },
  {
    id: 'cfg-hk-1187',
    service: 'housekeeping-tasks',
    type: 'config',
    at: 120.5,
    summary: 'housekeeping-tasks: faster bed status sync',
    diff: patch('deploy/housekeeping/values-prod.yaml', ['  bedStatusSync:', '    intervalSeconds: 60'], ['  bedStatusSync:', '    intervalSeconds: 5']),
  },
];

const logs: BundleSpec['logs'] = {
  'census-reporting': every(0, 180, 5, 'info', 'census snapshot published to bed-board-web'),
  'housekeeping-tasks': [...every(0, 180, 1, 'info', 'bed status sync done'), ...every(121.5, 180, 0.5, 'warn', 'bed status sync overran interval'), ...every(121.7, 180, 0.5, 'warn', 'GET bed-allocation failed status=500; unit skipped this run')],
  'bed-board-web': [...every(0, 180, 1, 'info', 'GET /board 200'), ...every(122, 180, 0.5, 'error', 'GET /board 504: bed-allocation timed out')],
};

describe('an earlier symptom that nothing followed', () => {
  it('does not date the incident: the front that degraded with the paged service does', async () => {
    const r = await run({ alert: { title: 'Bed board timing out', service: 'bed-board-web', at: 130 }, series, changes, logs });
    expect(verdict(r)).toEqual({ category: 'config', service: 'housekeeping-tasks', change_id: 'cfg-hk-1187' });
  });
});
