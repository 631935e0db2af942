// A cache lifetime cut, run out one lifetime later. At minute 40 a config change sets how long
// the reconciler keeps a bag's state from 24h to 30m. Entries written before it keep their old
// lifetime; those written after it expire 30 minutes later, and only then do lookups begin to
// miss and fall back to a slow replay (minute 70). A harmless release of the same service at
// minute 63 sits closer to the onset. The clock answers the wait: the misses began one new
// lifetime after the change.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('entries-ran-out', { start: '2036-08-14T12:00:00Z', minutes: 130, stepSeconds: 30 });

const series: SeriesSpec[] = [
  { metric: 'state_replay_fallbacks_per_second', service: 'bag-reconciler', level: 0.004, noise: 0.2, shifts: [{ at: 70, to: 0.25 }] },
  { metric: 'scans_per_second', service: 'bag-reconciler', level: 30, noise: 0.04 },
  { metric: 'finalize_duration_seconds', service: 'load-bridge', level: 2.1, noise: 0.04, shifts: [{ at: 74, to: 4.8 }] },
  { metric: 'http_requests_per_second', service: 'load-bridge', level: 12, noise: 0.05 },
];

const changes = (ttl: string): BundleSpec['changes'] => [
  {
    id: 'cfg-recon-102',
    service: 'bag-reconciler',
    type: 'config',
    at: 40,
    summary: 'reconciler: expire delivered bag state sooner',
    diff: patch('deploy/reconciler/config.yaml', ['  state_store:', '    ttl: 24h'], ['  state_store:', `    ttl: ${ttl}`]),
  },
  {
    id: 'rel-recon-44',
    service: 'bag-reconciler',
    type: 'deploy',
    at: 63,
    summary: 'bag-reconciler 4.4: finer latency histogram buckets',
    diff: patch('recon/metrics.go', ['var buckets = []float64{0.1, 0.5, 1, 5}'], ['var buckets = []float64{0.05, 0.1, 0.25, 0.5, 1, 2, 5}']),
  },
];

const logs: BundleSpec['logs'] = {
  'bag-reconciler': [...every(0, 130, 1, 'info', 'scan reconciled bag'), ...every(70, 130, 1, 'warn', 'bag state not found, falling back to replay')].sort((a, b) => a.at - b.at),
  'load-bridge': every(0, 130, 2, 'info', 'loadsheet finalized'),
};

const alert = { title: 'loadsheet finalize slow', service: 'load-bridge', at: 85 };

describe('a cache lifetime cut, run out one lifetime after it', () => {
  it('names the change: its service began to miss one new lifetime after it', async () => {
    const r = await run({ alert, series, changes: changes('30m'), logs });
    expect(r.diagnosis?.root_cause.change_id).toBe('cfg-recon-102');
  });

  it('does not take the wait as answered when the lifetime set is not the wait', async () => {
    const r = await run({ alert, series, changes: changes('2h'), logs });
    expect(JSON.stringify(r.diagnosis)).not.toContain('one new lifetime');
    expect(JSON.stringify(r.diagnosis)).not.toContain('entries written since it expired');
  });
});
