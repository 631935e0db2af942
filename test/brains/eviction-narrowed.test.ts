// A cache told to evict only what expires. Its memory limit is raised and its eviction policy
// narrowed from every key to keys with an expiry; the service that writes to it sets no expiry
// on most keys, which the old policy cleaned up. Nothing fails for three hours: the cache's
// memory climbs steadily from the change to its new limit, then writes are refused and the API
// behind it is paged. The climb that began with the change, and the edit that stops the
// cleanup, answer the wait. Raising the limit alone does not stop anything being evicted.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('eviction-narrowed', { start: '2042-07-01T06:00:00Z', minutes: 260 });

const GB = 1024 ** 3;
const series: SeriesSpec[] = [
  // Full and evicting under the old limit; climbing from the change; full again at the new one.
  { metric: 'redis_memory_used_bytes', service: 'parcel-cache', level: 6 * GB, noise: 0.003, slope: (2 * GB) / 180, slopeFrom: 30, slopeUntil: 210 },
  { metric: 'redis_evicted_keys_rate1m', service: 'parcel-cache', level: 6, noise: 0.1, shifts: [{ at: 30, to: 0 }, { at: 210, to: 40 }] },
  { metric: 'redis_errorstat_oom_rate1m', service: 'parcel-cache', level: 0, noise: 0, shifts: [{ at: 211, to: 380 }] },
  { metric: 'http_requests_per_second', service: 'parcel-api', level: 300, noise: 0.04 },
  { metric: 'http_error_ratio', service: 'parcel-api', level: 0.002, noise: 0.1, shifts: [{ at: 211, to: 0.3 }] },
];

const logs: BundleSpec['logs'] = {
  'parcel-api': [
    ...every(0, 260, 1, 'info', 'GET /v2/parcels/{id} 200'),
    ...every(211, 260, 0.2, 'error', "cache write failed: OOM command not allowed when used memory > 'maxmemory'."),
  ],
  'parcel-cache': every(0, 260, 10, 'info', 'Background saving terminated with success'),
};

const policyChange = (narrowed: boolean): BundleSpec['changes'][number] => ({
  id: 'cfg-12',
  service: 'parcel-cache',
  type: 'config',
  at: 30,
  summary: 'parcel-cache: 8gb, keep partner sessions',
  diff: patch(
    'helm/parcel-cache/values-prod.yaml',
    ['    maxmemory: 6gb', '    maxmemory-policy: allkeys-lru'],
    ['    maxmemory: 8gb', `    maxmemory-policy: ${narrowed ? 'volatile-lru' : 'allkeys-lru'}`],
  ),
});

const changes = (narrowed: boolean): BundleSpec['changes'] => [
  policyChange(narrowed),
  { id: 'deploy-90', service: 'parcel-api', type: 'deploy', at: 150, summary: 'parcel-api 3.3.0: paginate parcel events' },
  { id: 'deploy-93', service: 'web-portal', type: 'deploy', at: 205, summary: 'web-portal 8.1.0: new footer' },
];

describe('a cache whose eviction was narrowed to keys that expire', () => {
  it('is the config change, when the memory climbed from it to the new limit and writes were refused there', async () => {
    const r = await run({ alert: { title: 'parcel-api error ratio high', service: 'parcel-api', at: 218 }, series, changes: changes(true), logs });
    expect(verdict(r)).toEqual({ category: 'config', service: 'parcel-cache', change_id: 'cfg-12' });
  });

  it('is not blamed for raising the limit alone', async () => {
    const r = await run({ alert: { title: 'parcel-api error ratio high', service: 'parcel-api', at: 218 }, series, changes: changes(false), logs });
    expect(verdict(r).change_id).not.toBe('cfg-12');
  });
});
