// Two caches in series that began missing together. At 100 a flag makes every session's segment
// URLs unique; the edge cache in front and the shield behind it both key on the whole URL, so
// both begin to miss: the edge's hit share falls from 0.97 to 0.6, the shield's from 0.81 to 0.5.
// Viewers ask no more than before (the edge's requests hold), yet the packager behind both
// serves twenty-five times as many requests and runs out of CPU. Misses through two caches
// multiply: the load is the misses, not a crowd, and the flag that began them is the cause.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, ramp } from './synthetic.js';

const run = syntheticRunner('caches-in-series', { start: '2036-10-24T14:00:00Z', minutes: 150, stepSeconds: 60 });

/** A level that moves from `from` to `to` in equal steps, a minute apart, over the quarter hour from minute 99. */
const slide = (from: number, to: number): Array<{ at: number; to: number }> => ramp(99, 15, from, to);

describe('caches in series that began missing together', () => {
  it('carry load that is their misses, not a crowd: the flag that began them is named', async () => {
    const r = await run({
      alert: { title: 'packager errors high', service: 'origin-packager', at: 112 },
      series: [
        { metric: 'edge_requests_per_second', service: 'edge-cache', level: 36000, noise: 0.02 },
        { metric: 'edge_cache_hit_ratio', service: 'edge-cache', level: 0.97, noise: 0.002, shifts: slide(0.97, 0.6) },
        { metric: 'shield_requests_per_second', service: 'origin-shield', level: 1200, noise: 0.03, shifts: slide(1200, 15000) },
        { metric: 'shield_cache_hit_ratio', service: 'origin-shield', level: 0.81, noise: 0.005, shifts: slide(0.81, 0.5) },
        { metric: 'http_requests_per_second', service: 'origin-packager', level: 240, noise: 0.03, shifts: slide(240, 6000) },
        { metric: 'container_cpu_utilization_ratio', service: 'origin-packager', level: 0.35, noise: 0.03, shifts: [{ at: 104, to: 0.99 }] },
        { metric: 'http_request_error_ratio', service: 'origin-packager', level: 0.001, noise: 0.1, shifts: [{ at: 106, to: 0.2 }] },
        { metric: 'http_requests_per_second', service: 'manifest-service', level: 150, noise: 0.03 },
      ],
      changes: [
        { id: 'deploy-4410', service: 'origin-packager', type: 'deploy', at: 55, summary: 'origin-packager: bump mp4 library' },
        { id: 'flag-url-signing', service: 'manifest-service', type: 'feature_flag', at: 99, summary: 'segment URL signing: on for all sessions', attributes: { flag: 'segment_url_signing' } },
      ],
      logs: {
        'manifest-service': [...every(0, 150, 1, 'info', 'manifest built segment_urls=plain'), ...every(99.5, 150, 0.5, 'info', 'manifest built segment_urls=signed')],
        'origin-packager': [...every(0, 150, 1, 'info', 'segment packaged'), ...every(106, 150, 0.5, 'error', 'shedding request: cpu saturated')],
      },
    });
    expect(verdict(r)).toEqual({ category: 'feature_flag', service: 'manifest-service', change_id: 'flag-url-signing' });
  });
});
