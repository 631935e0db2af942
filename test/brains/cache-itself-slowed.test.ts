// Misses of a cache that itself slowed. The preview service reads each preview from a cache
// and renders it when the read fails or misses. At minute 150 the cache's reads slow from a
// millisecond to a hundred, past the client's timeout: the hit ratio falls, the renderer
// behind the cache is flooded and the previews fail. The renderer's own setting changed a
// minute later, its shedding began as its queue filled, and the cache's other user slowed
// too. Requests that time out on a slow cache count as misses; the cache failed, nothing
// asked it for anything new, so no change elsewhere made it miss. When the reads did not
// slow, a change taking effect as the misses began may still be what made them.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('cache-itself-slowed', { start: '2039-11-05T08:00:00Z', minutes: 220 });

const series = (readsSlowed: boolean): SeriesSpec[] => [
  { metric: 'preview_requests_per_second', service: 'preview-api', level: 400, noise: 0.05 },
  { metric: 'preview_cache_hit_ratio', service: 'preview-api', level: 0.98, noise: 0.005, shifts: [{ at: 150, to: 0.8 }] },
  { metric: 'preview_cache_get_duration_seconds', service: 'preview-api', labels: { quantile: '0.99' }, level: 0.0015, noise: 0.1, shifts: readsSlowed ? [{ at: 150, to: 0.1 }] : [] },
  { metric: 'preview_http_5xx_ratio', service: 'preview-api', level: 0.001, noise: 0.1, shifts: [{ at: 152, to: 0.08 }] },
  { metric: 'render_requests_per_second', service: 'watermark-renderer', level: 8, noise: 0.05, shifts: [{ at: 150, to: 80 }] },
  { metric: 'container_cpu_usage_cores', service: 'watermark-renderer', level: 6, noise: 0.05, shifts: [{ at: 150, to: 58 }] },
  // The cache's other user, and the cache's own nodes, as the reads slowed.
  { metric: 'lightbox_cache_get_duration_seconds', service: 'lightbox-svc', labels: { quantile: '0.99' }, level: 0.002, noise: 0.1, shifts: readsSlowed ? [{ at: 150, to: 0.09 }] : [] },
  { metric: 'network_bandwidth_out_allowance_exceeded', service: 'preview-cache', level: 0.5, noise: 0.2, shifts: readsSlowed ? [{ at: 150, to: 900 }] : [] },
];

const changes: BundleSpec['changes'] = [
  {
    id: 'cfg-render-611',
    service: 'watermark-renderer',
    type: 'config',
    at: 151,
    summary: 'jpeg quality 82 -> 80 for previews',
    diff: patch('config/renderer.yaml', ['jpeg_quality: 82'], ['jpeg_quality: 80']),
  },
  { id: 'dep-search-12', service: 'search-gateway', type: 'deploy', at: 90, summary: 'search-gateway: synonym cache', diff: patch('search/synonyms.go', ['\tttl := time.Minute'], ['\tttl := 5 * time.Minute']) },
];

const logs: BundleSpec['logs'] = {
  'preview-api': [...every(0, 220, 1, 'info', 'GET /preview 200'), ...every(150.2, 220, 0.5, 'warn', 'cache get timeout, rendering'), ...every(152, 220, 0.5, 'error', 'preview failed')],
  'watermark-renderer': [...every(0, 220, 2, 'info', 'rendered preview'), ...every(158, 220, 1, 'warn', 'shedding request, inflight limit reached')],
};

const alert = { title: 'preview-api 5xx rising', service: 'preview-api', at: 165 };

describe('misses of a cache that itself slowed', () => {
  it('are laid to no change of the service behind the cache', async () => {
    const r = await run({ alert, series: series(true), changes, logs });
    expect(verdict(r).change_id).not.toBe('cfg-render-611');
  });

  it('may be, when the reads of the cache held their speed', async () => {
    const r = await run({ alert, series: series(false), changes, logs });
    expect(verdict(r).change_id).toBe('cfg-render-611');
  });
});
