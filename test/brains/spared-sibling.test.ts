// The same code, spared elsewhere. The ad stitcher calls two ad partners through the same
// decoder. Its release at minute 75 loosens that decoder, and a warning about the setting it
// touched appears a few times after. From minute 100 its calls to one partner take ten times
// longer, while the same calls to the other partner hold their level: the release serves both
// alike, so what failed is the partner, not the release.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('spared-sibling', { start: '2036-10-27T15:00:00Z', minutes: 150, stepSeconds: 30 });

const series = (named: string): SeriesSpec[] => [
  { metric: 'ad_decision_duration_seconds_p50', service: 'stitcher', labels: { partner: 'brightwave' }, level: 0.08, noise: 0.05, shifts: [{ at: 100, to: 1.05 }] },
  { metric: 'ad_decision_duration_seconds_p50', service: 'stitcher', labels: { partner: named }, level: 0.09, noise: 0.05 },
  { metric: 'ad_decisions_per_second', service: 'stitcher', labels: { partner: 'brightwave' }, level: 40, noise: 0.03 },
  { metric: 'ad_decisions_per_second', service: 'stitcher', labels: { partner: named }, level: 38, noise: 0.03 },
  { metric: 'download_start_seconds_p95', service: 'stitcher', level: 0.6, noise: 0.04, shifts: [{ at: 100.5, to: 2.3 }] },
];

const changes = (diffWords: string): BundleSpec['changes'] => [
  {
    id: 'rel-stitcher-77',
    service: 'stitcher',
    type: 'deploy',
    at: 75,
    summary: 'stitcher 7.7: lenient VAST decoding',
    diff: patch('internal/vast/decoder.go', ['\tdec.Strict = true'], [`\tdec.Strict = false // ${diffWords}`]),
  },
];

const logs: BundleSpec['logs'] = {
  stitcher: [
    ...every(0, 150, 1, 'info', 'ad decision served'),
    ...every(76, 90, 4, 'warn', 'dec.Strict disabled: accepting unknown VAST extensions'),
    ...every(100.2, 150, 0.5, 'warn', 'ad decision slow partner=brightwave'),
  ],
};

describe('a release whose code serves every partner alike', () => {
  it('is not blamed when only one partner failed and the other held', async () => {
    const r = await run({ alert: { title: 'Download start latency high', service: 'stitcher', at: 112 }, series: series('adquay'), changes: changes('all partners'), logs });
    expect(verdict(r).change_id ?? null).toBeNull();
  });
});
