// A caller's new errors after the service it calls degraded. The stats API's event loop
// stalls at minute 100, by itself, for a quarter of an hour. A minute later a flag of the
// broadcast overlay, which reads those stats, goes on; the overlay's fetches slow from minute
// 102 and its logs begin to say so. Its fetches are slow because the stats API is: the
// overlay's new errors are it seeing the symptom, not what its flag did, and nothing in the
// bundle names a cause.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('caller-sees-symptom', { start: '2040-08-30T18:00:00Z', minutes: 180 });

const episode = [{ at: 100, to: 0.6 }, { at: 114, to: 0.02 }];

const series: SeriesSpec[] = [
  { metric: 'stats_latency_p99_seconds', service: 'match-stats-api', level: 0.02, noise: 0.05, shifts: episode },
  { metric: 'stats_event_loop_lag_p99_seconds', service: 'match-stats-api', level: 0.008, noise: 0.05, shifts: [{ at: 100, to: 0.46 }, { at: 114, to: 0.008 }] },
  { metric: 'stats_requests_per_second', service: 'match-stats-api', level: 300, noise: 0.04 },
  { metric: 'overlay_stats_fetch_p99_seconds', service: 'broadcast-overlay', level: 0.2, noise: 0.05, shifts: [{ at: 102, to: 1.7 }, { at: 115, to: 0.2 }] },
  { metric: 'overlay_requests_per_second', service: 'broadcast-overlay', level: 40, noise: 0.04 },
];

const changes: BundleSpec['changes'] = [
  { id: 'ff-killfeed-anim', service: 'broadcast-overlay', type: 'feature_flag', at: 101, summary: 'overlay: animated kill feed (client-side CSS)', attributes: { flag: 'overlay.killfeed_anim' } },
];

const logs: BundleSpec['logs'] = {
  'match-stats-api': [...every(0, 180, 1, 'info', 'GET /stats 200'), ...every(100.3, 114, 0.5, 'warn', 'event loop delay high')],
  'broadcast-overlay': [...every(0, 180, 1, 'info', 'frame rendered'), ...every(102.2, 115, 0.5, 'warn', 'stats fetch slow, reusing previous frame')],
};

describe("a caller's new errors after the service it calls degraded", () => {
  it('are the caller seeing the symptom, not its change at work', async () => {
    const r = await run({ alert: { title: 'match-stats-api latency high', service: 'match-stats-api', at: 106 }, series, changes, logs });
    expect(verdict(r).change_id).toBeNull();
  });
});
