// A row lock that now waits, found by the crowd that arrives with the onset. A worker's release,
// hours before, makes its batch lock the stock rows it touches and hold them to the commit,
// where the old code passed over a busy row (`SKIP LOCKED`). At a quiet hour nobody else writes
// those rows; at a release hour the shop's crowd arrives in a minute, every reservation waits
// behind the worker's batch, and the shop's API fails from that minute on. The crowd and the
// failures start together: the load the edit fails under came with the onset, not before it.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { patch, every, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('lock-waits-at-release', { start: '2042-03-04T06:00:00Z', minutes: 240 });

const seriesWith = (crowd: boolean): SeriesSpec[] => [
  { metric: 'shop_http_requests_per_second', service: 'shop-api', level: 20, noise: 0.04, shifts: crowd ? [{ at: 180, to: 150 }] : [] },
  { metric: 'shop_http_5xx_ratio', service: 'shop-api', level: 0.002, noise: 0.1, shifts: [{ at: 180, to: 0.2 }] },
  { metric: 'shop_http_latency_seconds_p99', service: 'shop-api', level: 0.12, noise: 0.05, shifts: [{ at: 180, to: 5 }] },
  { metric: 'alloc_lines_per_second', service: 'alloc-worker', level: 2, noise: 0.05, shifts: crowd ? [{ at: 180, to: 70 }] : [] },
  // The release's lines arrive all at once and wait to be allocated.
  { metric: 'alloc_backlog_lines', service: 'alloc-worker', level: 0, noise: 0, shifts: [{ at: 180, to: 120000 }] },
  { metric: 'process_cpu_seconds_per_second', service: 'alloc-worker', level: 0.2, noise: 0.05 },
  { metric: 'node_cpu_utilization_ratio', service: 'shop-db', level: 0.3, noise: 0.03, shifts: [{ at: 180, to: 0.45 }] },
];

const changes: BundleSpec['changes'] = [
  {
    id: 'deploy-301',
    service: 'alloc-worker',
    type: 'deploy',
    at: 20,
    summary: 'alloc-worker 2.4.0: allocate a batch in one transaction',
    diff: patch(
      'app/jobs/allocate_job.rb',
      ['      inv = Stock.where(item_id: line.item_id).lock("FOR UPDATE SKIP LOCKED").first'],
      ['      stock = Stock.where(item_id: lines.map(&:item_id)).order(:item_id).lock("FOR UPDATE").index_by(&:item_id)'],
    ),
  },
  {
    id: 'deploy-318',
    service: 'shop-api',
    type: 'deploy',
    at: 150,
    summary: 'shop-api 9.2.1: show the cover artist on the basket page',
    diff: patch('src/basket/view.ts', ['  return { title: item.title };'], ['  return { title: item.title, artist: item.coverArtist ?? null };']),
  },
];

const logs: BundleSpec['logs'] = {
  'shop-api': [...every(0, 240, 1, 'info', 'reservation stored'), ...every(181, 240, 0.5, 'error', 'reserve failed: canceling statement due to lock timeout')],
  'alloc-worker': every(0, 240, 2, 'info', 'batch allocated'),
};

describe('a lock that now waits, found by the crowd that arrives with the onset', () => {
  it('is the worker\'s release, when the crowd came in the same minutes as the failures', async () => {
    const r = await run({ alert: { title: 'shop-api 5xx ratio high', service: 'shop-api', at: 186 }, series: seriesWith(true), changes, logs });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'alloc-worker', change_id: 'deploy-301' });
  });

  it('is not blamed on its edit alone, when no crowd came', async () => {
    const r = await run({ alert: { title: 'shop-api 5xx ratio high', service: 'shop-api', at: 186 }, series: seriesWith(false), changes, logs });
    expect(verdict(r).change_id).not.toBe('deploy-301');
  });
});
