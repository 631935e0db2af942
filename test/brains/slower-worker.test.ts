// A queue worker made slower per item, felt only when the input grew. At minute 30 a release
// of the decoder drops its parallel decoding: each volume takes 15 s instead of 4, at the
// same input, and the decoder keeps up while the input is light. At minute 110 storms double
// the volumes the radars send; the decoder's backlog grows and the mosaic it feeds goes stale.
// The decoder exports no traffic of its own (its input is counted upstream), so its time per
// item is read alone: a threefold step at the release, held. The same bundle with the decode
// time flat across the release is the storm alone against a decoder that was always that slow.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('slower-worker', { start: '2040-05-14T15:00:00Z', minutes: 200 });

function bundle(slower: boolean): Omit<BundleSpec, 'start' | 'minutes'> {
  const series: SeriesSpec[] = [
    { metric: 'volume_decode_duration_seconds', service: 'volume-decoder', labels: { quantile: '0.5' }, level: 4.1, noise: 0.05, shifts: slower ? [{ at: 31, to: 15 }] : [] },
    { metric: 'volume_decoder_consumer_lag_volumes', service: 'volume-decoder', level: 2, noise: 0.2, shifts: [{ at: 112, to: 40 }, { at: 125, to: 160 }, { at: 140, to: 320 }] },
    { metric: 'sweep_assembler_volumes_published_per_minute', service: 'sweep-assembler', level: 16, noise: 0.05, shifts: [{ at: 110, to: 34 }] },
    { metric: 'mosaic_source_grid_age_seconds', service: 'mosaic-builder', labels: { quantile: '0.95' }, level: 110, noise: 0.05, shifts: [{ at: 114, to: 800 }] },
    { metric: 'mosaic_build_duration_seconds', service: 'mosaic-builder', level: 20, noise: 0.05 },
  ];
  const changes: BundleSpec['changes'] = [
    {
      id: 'rel-dec-019',
      service: 'volume-decoder',
      type: 'deploy',
      at: 30,
      summary: 'volume-decoder 0.19.0: deterministic velocity dealiasing',
      diff: patch('src/decode.rs', ['    let moments: Vec<_> = sweeps.par_iter().map(decode_sweep).collect();'], ['    let moments: Vec<_> = sweeps.iter().map(decode_sweep).collect();']),
    },
    { id: 'rel-mos-77', service: 'mosaic-builder', type: 'deploy', at: 150, summary: 'mosaic-builder 7.7: QC mask for sea clutter' },
  ];
  const logs: BundleSpec['logs'] = {
    'volume-decoder': [...every(0, 200, 1, 'info', 'decoded volume'), ...every(113, 200, 1, 'warn', 'dequeued stale volume age_s=<n>')],
    'mosaic-builder': [...every(0, 200, 2, 'info', 'mosaic built'), ...every(115, 200, 2, 'warn', 'excluding stale site grids')],
  };
  return { alert: { title: 'national mosaic older than 12 minutes', service: 'mosaic-builder', at: 150 }, series, changes, logs };
}

describe('a queue worker made slower per item', () => {
  it('is named when its time per item stepped threefold at the release and held, though it exports no traffic of its own', async () => {
    expect(verdict(await run(bundle(true)))).toEqual({ category: 'deploy', service: 'volume-decoder', change_id: 'rel-dec-019' });
  });

  it('is not named when its time per item held across the release', async () => {
    expect(verdict(await run(bundle(false))).change_id).toBeNull();
  });
});
