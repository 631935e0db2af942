// Load behind a cache that began missing is the misses, not demand. A release that makes
// every request miss (a new cache key, say) overloads the tier behind the cache though
// callers ask no more than before: the release is the cause, wherever it lives, and "load
// beyond capacity" would send the responders to scale the wrong tier.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2035-02-11T06:00:00Z';

const run = syntheticRunner('cache-misses', { start: START, minutes: 150 });

/**
 * Demand at the front (`frontRise`) and the cache's hit share (`hitAfter`) from minute 96;
 * the store behind the cache gets the misses and runs out of room.
 */
function series(hitAfter: number, frontRise: number, hitBefore = 0.9): SeriesSpec[] {
  const missesBefore = 400 * (1 - hitBefore);
  const missesAfter = 400 * frontRise * (1 - hitAfter);
  const behind = missesAfter / missesBefore;
  return [
    { metric: 'edge_requests_per_second', service: 'tile-edge', level: 400, shifts: [{ at: 96, to: 400 * frontRise }] },
    { metric: 'tile_cache_hit_ratio', service: 'tile-edge', level: hitBefore, noise: 0.002, shifts: [{ at: 96, to: hitAfter }] },
    { metric: 'edge_upstream_fetches_per_second', service: 'tile-edge', level: missesBefore, shifts: [{ at: 96, to: missesAfter }] },
    { metric: 'http_requests_per_second', service: 'tile-store', level: missesBefore, shifts: [{ at: 96.5, to: missesAfter }] },
    { metric: 'worker_pool_utilization', service: 'tile-store', level: 0.3, noise: 0.02, shifts: [{ at: 97, to: Math.min(0.99, 0.3 * behind) }] },
    { metric: 'http_request_duration_seconds_p99', service: 'tile-store', level: 0.08, shifts: [{ at: 98, to: 2.4 }] },
    { metric: 'http_error_ratio', service: 'tile-store', level: 0.002, shifts: [{ at: 99, to: 0.2 }] },
    { metric: 'http_requests_per_second', service: 'style-builder', level: 12 },
  ];
}

const KEY_DIFF = patch(
  'internal/render/urls.go',
  ['\treturn base + "/" + tile.Path()'],
  ['\tif cfg.Tracking.Enabled {', '\t\treturn base + "/" + tile.Path() + "?viewer=" + url.QueryEscape(viewer.ID)', '\t}', '\treturn base + "/" + tile.Path()'],
);

const changes: BundleSpec['changes'] = [
  // The paged store's own release, long before: a decoy.
  { id: 'deploy-301', service: 'tile-store', type: 'deploy', at: 60, summary: 'tile-store 2.4.1: dependency bumps' },
  // A service no metric links to the store writes the URLs the viewers fetch through the cache.
  {
    id: 'deploy-305',
    service: 'style-builder',
    type: 'deploy',
    at: 95,
    summary: 'style-builder 5.2.0: per-viewer attribution on tile URLs',
    diff: KEY_DIFF,
    attributes: { finished_at: '2035-02-11T07:41:00Z' },
  },
];

const logs: BundleSpec['logs'] = {
  'tile-store': [...every(0, 150, 2, 'info', 'served tile batch'), ...every(99.2, 150, 0.5, 'error', 'rejecting fetch: worker pool exhausted (queue full)')],
};

const alert = { title: 'tile-store error ratio above 5%', service: 'tile-store', at: 104 };

describe('load behind a cache that began missing', () => {
  it('is the release that made requests miss, not load beyond capacity', async () => {
    const r = await run({ alert, series: series(0.55, 1), changes, logs });
    expect(r.diagnosis?.root_cause.category).toBe('deploy');
    expect(r.diagnosis?.root_cause.change_id).toBe('deploy-305');
  });

  it('is read from a share near its ceiling: 0.97 to 0.86 is four times the misses', async () => {
    const r = await run({ alert, series: series(0.86, 1, 0.97), changes, logs });
    expect(r.diagnosis?.root_cause.change_id).toBe('deploy-305');
  });

  it('is demand when the front grew and the misses do not explain the load', async () => {
    const r = await run({ alert, series: series(0.86, 4), changes: changes.filter((c) => c.id !== 'deploy-305'), logs });
    expect(r.diagnosis?.root_cause.category).toBe('capacity');
  });

  it('is no release\'s when the cache began missing long after every change: unknown, not capacity', async () => {
    const late = changes.map((c) => ({ ...c, at: c.at - 40, attributes: {} }));
    const r = await run({ alert, series: series(0.55, 1), changes: late, logs });
    expect(r.diagnosis?.root_cause.category).not.toBe('capacity');
    expect(r.diagnosis?.root_cause.change_id ?? null).toBeNull();
  });
});

describe('a cache broken an hour before the rush reached it', () => {
  // The release at minute 50 makes every request miss; few viewers then, so the store behind
  // copes. From 90 the morning crowd triples the front and the store runs out of room. The
  // release is the cause, not the crowd that met it.
  it('is the release that made it miss', async () => {
    const r = await run({
      alert: { title: 'tile-store error ratio above 5%', service: 'tile-store', at: 104 },
      series: [
        { metric: 'edge_requests_per_second', service: 'tile-edge', level: 150, shifts: [{ at: 90, to: 450 }] },
        { metric: 'tile_cache_hit_ratio', service: 'tile-edge', level: 0.94, noise: 0.002, shifts: [{ at: 50, to: 0.02 }] },
        { metric: 'http_requests_per_second', service: 'tile-store', level: 9, shifts: [{ at: 50.5, to: 147 }, { at: 90, to: 441 }] },
        { metric: 'worker_pool_utilization', service: 'tile-store', level: 0.2, noise: 0.02, shifts: [{ at: 50.5, to: 0.4 }, { at: 96, to: 0.99 }] },
        { metric: 'http_error_ratio', service: 'tile-store', level: 0.002, shifts: [{ at: 97, to: 0.2 }] },
      ],
      changes: [
        { id: 'deploy-305', service: 'tile-edge', type: 'deploy', at: 50, summary: 'tile-edge 5.2.0: shared response cache keyed on the full URL', diff: KEY_DIFF },
        { id: 'cfg-44', service: 'tile-store', type: 'config', at: 95, summary: 'tile-store: log sampling 1% -> 2%', diff: patch('config/log.yaml', ['sample: 0.01'], ['sample: 0.02']) },
      ],
      logs,
    });
    expect(r.diagnosis?.root_cause).toMatchObject({ category: 'deploy', change_id: 'deploy-305' });
  });
});

describe('a cache read by its miss ratio, broken after the morning rush began', () => {
  // Scans at the gates rise twenty-fold from 40 (the morning), and the validator's local cache
  // answers them. At 95 its miss ratio jumps from 1.5% to 97%: every scan becomes a lookup at
  // the pass API, whose requests rise six-fold with the misses and whose pool fills. The rush
  // came first, and was served; the load that filled the pool is the misses.
  it('is not load beyond capacity', async () => {
    const r = await run({
      alert: { title: 'GateDenials', service: 'gate-validator', at: 106 },
      series: [
        { metric: 'gate_scans_per_second', service: 'gate-validator', level: 12, shifts: [{ at: 40, to: 250 }] },
        { metric: 'gate_local_cache_miss_ratio', service: 'gate-validator', level: 0.015, noise: 0.05, shifts: [{ at: 95, to: 0.97 }] },
        { metric: 'http_requests_per_second', service: 'pass-api', level: 45, shifts: [{ at: 95, to: 280 }] },
        { metric: 'db_pool_connections_in_use', service: 'pass-api', level: 6, noise: 0.05, shifts: [{ at: 95.5, to: 40 }] },
        { metric: 'db_pool_connections_max', service: 'pass-api', level: 40, noise: 0 },
        { metric: 'gate_scan_decision_seconds_p99', service: 'gate-validator', level: 0.03, shifts: [{ at: 95.5, to: 0.85 }] },
      ],
      changes: [{ id: 'rel-3391', service: 'gate-validator', type: 'deploy', at: 86, summary: 'gate-validator: refresh the allowlist with ETags' }],
      logs: {
        'gate-validator': [...every(0, 150, 2, 'info', 'scan accepted'), ...every(95.5, 150, 0.5, 'warn', 'pass denied: online lookup timed out')],
        'pass-api': [...every(0, 150, 2, 'info', 'lookup ok'), ...every(95.6, 150, 0.5, 'error', 'could not get a connection from the pool within 800ms')],
      },
    });
    expect(r.diagnosis?.root_cause.category).not.toBe('capacity');
  });
});

describe('a cache that began missing as its own service and another both changed', () => {
  // tile-edge's cache falls at 96. tile-edge released at 95 (what it stores under each key);
  // style-builder, which no series links to the store, raised its retries at 94. The cache's
  // own release is the first explanation of its misses: the other release merely took effect
  // in the same minutes, and without the cache it has no path to the store.
  it('lays the misses to the release of the service that owns the cache', async () => {
    const r = await run({
      alert,
      series: series(0.55, 1),
      changes: [
        changes[0]!,
        {
          id: 'deploy-310',
          service: 'tile-edge',
          type: 'deploy',
          at: 95,
          summary: 'tile-edge 5.3.0: store rendered tiles in the new envelope',
          diff: patch('internal/cache/envelope.go', ['\treturn json.Marshal(tile)'], ['\treturn msgpack.Marshal(envelope{V: 2, Tile: tile})']),
          attributes: { finished_at: '2035-02-11T07:37:00Z' },
        },
        {
          id: 'deploy-311',
          service: 'style-builder',
          type: 'deploy',
          at: 94,
          summary: 'style-builder 5.2.1: retry style uploads',
          diff: patch('style_builder/upload.py', ['MAX_RETRIES = 2'], ['MAX_RETRIES = 5']),
          attributes: { finished_at: '2035-02-11T07:35:00Z' },
        },
      ],
      logs,
    });
    expect(r.diagnosis?.root_cause).toMatchObject({ category: 'deploy', change_id: 'deploy-310' });
  });
});
