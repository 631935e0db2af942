// A machine whose clock went wrong, read from the metrics alone. One edge host of a collector
// comes back from a power sag with its clock hours behind; the store refuses every sample it
// sends as out of bounds (labelled with the host as their source) and the alarms on its hall go
// stale. The other host's clock holds at zero. The rejected samples look like a party failing;
// what failed is that machine's clock.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('clock-off', { start: '2042-01-28T00:00:00Z', minutes: 200 });

const series: SeriesSpec[] = [
  { metric: 'chrony_tracking_system_time_offset_seconds', service: 'bms-collector', labels: { host: 'edge-a' }, level: 0.00002, noise: 0.1 },
  { metric: 'chrony_tracking_system_time_offset_seconds', service: 'bms-collector', labels: { host: 'edge-b' }, level: 0.00002, noise: 0.1, shifts: [{ at: 136, to: -13300 }] },
  { metric: 'collector_points_sent_per_second', service: 'bms-collector', labels: { host: 'edge-a' }, level: 400, noise: 0.03 },
  { metric: 'collector_points_sent_per_second', service: 'bms-collector', labels: { host: 'edge-b' }, level: 400, noise: 0.03 },
  { metric: 'tsdb_samples_out_of_bounds_per_second', service: 'plant-tsdb', labels: { source: 'edge-b' }, level: 0, noise: 0, shifts: [{ at: 136, to: 400 }] },
  { metric: 'tsdb_samples_out_of_bounds_per_second', service: 'plant-tsdb', labels: { source: 'edge-a' }, level: 0, noise: 0 },
  { metric: 'alarms_stale_points', service: 'thermal-alarms', labels: { hall: 'hall-b' }, level: 1.5, noise: 0.2, shifts: [{ at: 137, to: 5200 }] },
  { metric: 'alarms_stale_points', service: 'thermal-alarms', labels: { hall: 'hall-a' }, level: 1.5, noise: 0.2 },
];

describe('a machine whose clock went wrong', () => {
  it('is infrastructure on the service it runs, not a party its rejected samples name', async () => {
    const r = await run({
      alert: { title: 'hall-b alarms stale', service: 'thermal-alarms', at: 150 },
      series,
      changes: [{ id: 'cfg-12', service: 'plant-tsdb', type: 'config', at: 90, summary: 'out-of-order window 2h → 1h' }],
      logs: {
        'plant-tsdb': [...every(0, 200, 2, 'info', 'head compaction done'), ...every(137, 200, 1, 'warn', 'out of bounds samples rejected source=edge-b')],
        'thermal-alarms': [...every(0, 200, 2, 'info', 'alarm cycle done'), ...every(138, 200, 1, 'warn', 'point stale hall=hall-b')],
      },
    });
    expect(verdict(r)).toEqual({ category: 'infrastructure', service: 'bms-collector', change_id: null });
  });
});
