// A machine made smaller, met by the day's traffic. A cache's nodes were moved from xlarge to
// large one by one (minutes 40 to 60) because their CPU and memory averaged low; the same data
// now fills twice the share of each node's memory, and nothing else shows while the morning is
// quiet. The traffic grows through the morning; by minute 150 it is 1.7 times what it was at
// the resize, each node's network allowance is exceeded, cache reads slow and the API's latency
// pages. A renderer's quality tweak lands at the onset. The resize is what the load ran out of:
// the memory share that doubled as it took effect shows it reached the running nodes. A resize
// whose nodes kept their memory share never applied, and a machine made larger cuts no room.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('machine-shrunk', { start: '2039-03-02T06:00:00Z', minutes: 220 });

const nodes = ['img-cache-001', 'img-cache-002', 'img-cache-003'];

const series = (applied: boolean): SeriesSpec[] => [
  // Each node is replaced in turn, and its memory share doubles when it is.
  ...nodes.map((node, i): SeriesSpec => ({ metric: 'cache_memory_usage_percent', service: 'img-cache', labels: { node }, level: 31, noise: 0.01, shifts: applied ? [{ at: 45 + 7 * i, to: 62 }] : [] })),
  ...nodes.map((node): SeriesSpec => ({ metric: 'cache_cpu_utilization_percent', service: 'img-cache', labels: { node }, level: 6, noise: 0.05 })),
  ...nodes.map((node, i): SeriesSpec => ({ metric: 'cache_network_allowance_exceeded_total', service: 'img-cache', labels: { node }, level: 0, noise: 0, shifts: [{ at: 150 + 4 * i, to: 400 }] })),
  { metric: 'api_requests_per_second', service: 'photo-api', level: 1000, noise: 0.02, slope: 6.5, slopeFrom: 40, slopeUntil: 150 },
  { metric: 'api_cache_get_seconds_p99', service: 'photo-api', level: 0.004, noise: 0.05, shifts: [{ at: 151, to: 0.09 }] },
  { metric: 'api_latency_seconds_p99', service: 'photo-api', level: 0.12, noise: 0.05, shifts: [{ at: 152, to: 1.9 }] },
  { metric: 'renderer_jobs_per_second', service: 'renderer', level: 40, noise: 0.05 },
];

const alert = { title: 'photo-api p99 latency high', service: 'photo-api', at: 160 };

const changes = (from: string, to: string): BundleSpec['changes'] => [
  {
    id: 'tf-88',
    service: 'img-cache',
    type: 'infra',
    at: 40,
    summary: 'right-size img-cache nodes (CPU 6%, memory 31%)',
    attributes: { finished_at: '2039-03-02T07:00:00Z' },
    diff: patch('envs/prod/cache.tf', ['  engine = "redis"', `  node_type = "${from}"`], ['  engine = "redis"', `  node_type = "${to}"`]),
  },
  { id: 'cfg-12', service: 'renderer', type: 'config', at: 151, summary: 'jpeg quality 82 -> 80', diff: patch('renderer/config.yaml', ['jpeg_quality: 82'], ['jpeg_quality: 80']) },
];

const logs = {
  'photo-api': [...every(0, 220, 2, 'info', 'GET /photos 200'), ...every(152, 220, 0.5, 'warn', 'cache get timed out after 100ms, rendering')],
  renderer: every(0, 220, 2, 'info', 'render done'),
};

describe('a machine made smaller long before the peak', () => {
  it('is named when the traffic grew into what it left', async () => {
    const r = await run({ alert, series: series(true), changes: changes('cache.r6g.xlarge', 'cache.r6g.large'), logs });
    expect(verdict(r)).toEqual({ category: 'infrastructure', service: 'img-cache', change_id: 'tf-88' });
  });

  it('is not, when the memory share never stepped up: the nodes were never replaced', async () => {
    const r = await run({ alert, series: series(false), changes: changes('cache.r6g.xlarge', 'cache.r6g.large'), logs });
    expect(verdict(r).change_id).not.toBe('tf-88');
  });

  it('is not, for a machine made larger', async () => {
    const r = await run({ alert, series: series(true), changes: changes('cache.r6g.large', 'cache.r6g.2xlarge'), logs });
    expect(verdict(r).change_id).not.toBe('tf-88');
  });
});
