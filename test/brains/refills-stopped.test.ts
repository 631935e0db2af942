// A release that stopped cleaning up after itself. The renderer writes each job's frames to
// its scratch disk and deleted them when the job was done: its free space was a sawtooth, used
// and freed every forty minutes. Its release at minute 130 keeps the frames unless a job asks
// for them to go, and none does: the space is never freed again, falls for three hours and
// runs out at minute 300, when renders fail with "No space left on device" and the page fires.
// Read alone, a full disk is the machine's failure; the moment the freeing stopped is the
// release's. When the freeing went on for two hours after the release, the release is no cause.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('refills-stopped', { start: '2038-03-09T02:00:00Z', minutes: 330 });

const GB = 1e9;
const FULL = 2000 * GB;
/** Free space falls this much a minute while jobs write, and would reach nothing at minute 300 from its last freeing. */
const USED_PER_MINUTE = (last: number): number => FULL / (300 - last);

/** The scratch disk's free space, freed every 40 minutes until `lastFreed`, then falling to nothing at minute 300. */
function scratch(lastFreed: number): SeriesSpec {
  const k = USED_PER_MINUTE(lastFreed);
  const freed = [];
  for (let m = 40; m <= lastFreed; m += 40) freed.push({ at: m, to: FULL + k * m });
  return { metric: 'node_filesystem_avail_bytes', service: 'frame-render', labels: { mountpoint: '/scratch' }, level: FULL, noise: 0.002, slope: -k, slopeUntil: 300, shifts: freed };
}

const series = (lastFreed: number): SeriesSpec[] => [
  scratch(lastFreed),
  { metric: 'render_jobs_started_per_minute', service: 'frame-render', level: 4, noise: 0.1 },
  { metric: 'render_jobs_failed_per_minute', service: 'frame-render', level: 0.01, noise: 0.1, shifts: [{ at: 300, to: 3 }] },
  { metric: 'preview_http_requests_per_second', service: 'preview-api', level: 40, noise: 0.05 },
  { metric: 'preview_http_5xx_ratio', service: 'preview-api', level: 0.002, noise: 0.1, shifts: [{ at: 301, to: 0.2 }] },
];

const changes: BundleSpec['changes'] = [
  {
    id: 'rel-render-214',
    service: 'frame-render',
    type: 'deploy',
    at: 130,
    summary: 'frame-render 2.14: scratch directory as a context manager, keep frames of failed jobs',
    diff: patch('render/job.py', ['    try:', '        render(job, scratch)', '    finally:', '        remove_tree(scratch)'], ['    with Scratch(job.id) as scratch:', '        render(job, scratch.path)', '        log.info("job done %s", job.id)']),
  },
  {
    id: 'cfg-preview-31',
    service: 'preview-api',
    type: 'config',
    at: 280,
    summary: 'preview-api: thumbnail quality 82 -> 85',
    diff: patch('config/preview.yaml', ['thumbnail_quality: 82'], ['thumbnail_quality: 85']),
  },
];

const logs: BundleSpec['logs'] = {
  'frame-render': [...every(0, 330, 2, 'info', 'job started'), ...every(300.2, 330, 0.5, 'error', 'render failed: write frame: No space left on device')],
  'preview-api': [...every(0, 330, 1, 'info', 'GET /preview 200'), ...every(301, 330, 0.5, 'error', 'GET /preview 502: render backend failed')],
};

const alert = { title: 'preview errors above 5%', service: 'preview-api', at: 306 };

describe('a release that stopped freeing its disk', () => {
  it('is named from the moment the freeing stopped, though the disk ran out hours later', async () => {
    const r = await run({ alert, series: series(120), changes, logs });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'frame-render', change_id: 'rel-render-214' });
  });

  it('is not, when the disk went on being freed for two hours after it', async () => {
    const r = await run({ alert, series: series(240), changes, logs });
    expect(verdict(r).change_id).toBeNull();
  });
});
