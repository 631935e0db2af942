// Work queued beyond a pool's maximum. Three large batches land at minute 120; the render
// pool's autoscaler asks for 90 nodes but may have 16, so the pool pins at 16 and the queue
// grows. Each job takes as long as ever. The urgent jobs wait behind the batches, and the page
// on their age fires at minute 185, an hour after the queue began to grow: the incident began
// with the queue, and the pool's room is what ran out. When each job took three times as long
// from minute 120 instead, the same queue is something slowing the work, not demand. The pool's
// own account is its autoscaler's: the nodes it wants beside the most it may have.
import { describe, expect, it } from 'vitest';
import { statedOnset, syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2039-05-02T06:00:00Z';
const run = syntheticRunner('queued-at-limit', { start: START, minutes: 240 });

const series = (slower: boolean): SeriesSpec[] => [
  { metric: 'render_autoscaler_desired_nodes', service: 'render-pool', level: 4, noise: 0.05, shifts: [{ at: 120, to: 90 }] },
  { metric: 'render_autoscaler_max_nodes', service: 'render-pool', level: 16, noise: 0 },
  { metric: 'render_queue_depth_jobs', service: 'render-pool', level: 3, noise: 0.2, slope: 4, slopeFrom: 121 },
  { metric: 'render_queue_oldest_wait_seconds', service: 'render-pool', labels: { priority: 'urgent' }, level: 20, noise: 0.2, shifts: [{ at: 175, to: 600 }, { at: 180, to: 1500 }, { at: 185, to: 2400 }] },
  { metric: 'render_job_runtime_seconds', service: 'render-pool', labels: { quantile: '0.5' }, level: 900, noise: 0.04, shifts: slower ? [{ at: 120, to: 2700 }] : [] },
  { metric: 'orders_http_requests_per_second', service: 'orders-api', level: 30, noise: 0.05 },
  { metric: 'orders_http_p99_seconds', service: 'orders-api', level: 0.2, noise: 0.05 },
];

const changes: BundleSpec['changes'] = [
  { id: 'infra-77', service: 'render-pool', type: 'infra', at: 40, summary: 'render-pool node image: driver 550.90' },
  {
    id: 'cfg-orders-12',
    service: 'orders-api',
    type: 'config',
    at: 150,
    summary: 'orders-api: receipt footer text',
    diff: patch('config/orders.yaml', ['receipt_footer: "Thanks"'], ['receipt_footer: "Thank you"']),
  },
];

const logs: BundleSpec['logs'] = {
  'render-pool': [...every(0, 240, 2, 'info', 'job finished'), ...every(122, 240, 5, 'warn', 'scale-up capped at max nodes')],
  'orders-api': every(0, 240, 1, 'info', 'GET /orders 200'),
};

const alert = {
  title: 'urgent renders waiting over 30 minutes',
  service: 'orders-api',
  at: 185,
  description: 'render_queue_oldest_wait_seconds{priority="urgent"} > 1800',
};

describe('work queued beyond a pool maximum', () => {
  it('is the pool out of room, dated from when its queue began to grow', async () => {
    const r = await run({ alert, series: series(false), changes, logs });
    expect(verdict(r)).toEqual({ category: 'capacity', service: 'render-pool', change_id: null });
    const onset = statedOnset(r);
    expect(onset).not.toBeNull();
    expect(Math.abs((onset as number) - (Date.parse(START) + 121 * 60_000))).toBeLessThanOrEqual(5 * 60_000);
  });

  it('is not demand, when each job took three times as long as the queue grew', async () => {
    const r = await run({ alert, series: series(true), changes, logs });
    expect(verdict(r).category).not.toBe('capacity');
  });
});
