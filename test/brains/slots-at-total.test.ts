// Load beyond a tier behind the paged one. Bulk submissions through a partner quadruple what
// the intake service takes in; it hands each item to the renderer, whose 48 worker slots
// (one series, split by state: busy, and the total) fill at minute 120. From then both pile
// up: the renderer's own queue and the intake's items waiting for their render stage, which
// is what pages. The saturated service is the one whose busy slots reached their total, not
// the one waiting on it.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import type { BundleSpec, SeriesSpec } from './synthetic.js';

const run = syntheticRunner('slots-at-total', { start: '2035-10-30T12:00:00Z', minutes: 200 });

const series: SeriesSpec[] = [
  { metric: 'items_created_per_second', service: 'intake', labels: { source: 'partner' }, level: 0.3, noise: 0.05, shifts: [{ at: 100, to: 9 }] },
  { metric: 'items_created_per_second', service: 'intake', labels: { source: 'portal' }, level: 2.5, noise: 0.05, shifts: [{ at: 100, to: 3.2 }] },
  { metric: 'items_pending', service: 'intake', labels: { stage: 'render' }, level: 15, noise: 0.1, shifts: [{ at: 121, to: 3000 }, { at: 140, to: 14000 }] },
  { metric: 'http_request_duration_seconds_p99', service: 'intake', level: 0.2, noise: 0.05 },
  { metric: 'render_jobs_enqueued_per_second', service: 'renderer', level: 2.8, noise: 0.04, shifts: [{ at: 100, to: 12 }] },
  { metric: 'render_jobs_completed_per_second', service: 'renderer', level: 2.8, noise: 0.04, shifts: [{ at: 100, to: 6 }, { at: 120, to: 8.7 }] },
  { metric: 'render_worker_slots', service: 'renderer', labels: { state: 'busy' }, level: 16, noise: 0.05, shifts: [{ at: 100, to: 34 }, { at: 120, to: 48 }] },
  { metric: 'render_worker_slots', service: 'renderer', labels: { state: 'total' }, level: 48 },
  { metric: 'render_queue_depth', service: 'renderer', level: 20, noise: 0.1, shifts: [{ at: 122, to: 300 }, { at: 140, to: 600 }] },
  { metric: 'render_job_duration_seconds_p50', service: 'renderer', level: 5.3, noise: 0.03 },
];

const changes: BundleSpec['changes'] = [
  { id: 'rel-portal-12', service: 'portal', type: 'deploy', at: 150, summary: 'portal 1.2.0: CSV export column order' },
];

const alert = { title: 'items waiting for render beyond target', service: 'intake', at: 160 };

describe('a tier behind the paged one, its busy slots at their total', () => {
  it('is the saturated service, not the one whose items wait on it', async () => {
    const r = await run({ alert, series, changes });
    expect(verdict(r)).toEqual({ category: 'capacity', service: 'renderer', change_id: null });
  });
});
