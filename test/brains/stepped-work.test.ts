// A release that multiplied the work each unit makes, found by the afternoon's load. It begins to
// re-emit every tracked item on each status frame: its emitted events step up twentyfold the
// moment it rolls out while the frames it takes in hold level, and at a quiet hour nothing
// notices. Hours later a storm raises the number of tracked items tenfold, the events follow
// at twenty times the old cost, and the console tier that fans them out runs out of CPU. When the
// events did not step at the release, the same storm is load against a ceiling.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('stepped-work', { start: '2042-12-08T08:00:00Z', minutes: 300 });

const series = (stepped: boolean): SeriesSpec[] => [
  { metric: 'frames_processed_per_second', service: 'tag-tracker', level: 12, noise: 0.02 },
  // Rolled back at 260: the items stay many, the events fall back to what they cost before.
  { metric: 'events_emitted_per_second', service: 'tag-tracker', level: 0.1, noise: 0.05, shifts: stepped ? [{ at: 40, to: 2.4 }, { at: 220, to: 55 }, { at: 262, to: 2.6 }] : [{ at: 220, to: 2.6 }] },
  { metric: 'items_active_count', service: 'tag-tracker', level: 20, noise: 0.05, shifts: [{ at: 215, to: 450 }] },
  { metric: 'cpu_utilization_ratio', service: 'console-hub', level: 0.2, noise: 0.03, shifts: stepped ? [{ at: 221, to: 0.98 }, { at: 263, to: 0.3 }] : [{ at: 221, to: 0.3 }] },
  { metric: 'ws_messages_sent_per_second', service: 'console-hub', level: 4, noise: 0.05, shifts: stepped ? [{ at: 220, to: 2000 }, { at: 262, to: 100 }] : [{ at: 220, to: 100 }] },
  { metric: 'http_request_duration_seconds_p99', service: 'console-hub', level: 0.2, noise: 0.05, shifts: stepped ? [{ at: 222, to: 4.5 }, { at: 264, to: 0.25 }] : [] },
];

const logs: BundleSpec['logs'] = {
  'tag-tracker': every(0, 300, 1, 'info', 'status frame processed'),
  'console-hub': [...every(0, 300, 1, 'info', 'pushed update to consoles'), ...every(223, 263, 0.5, 'warn', 'event loop lag above 500ms, dropping slow consoles')],
};

const changes: BundleSpec['changes'] = [
  { id: 'deploy-90', service: 'tag-tracker', type: 'deploy', at: 40, summary: 'tag-tracker 3.4.0: track items by frame' },
  { id: 'cfg-12', service: 'console-hub', type: 'config', at: 150, summary: 'console-hub: log sampling 1% → 5%' },
  { id: 'deploy-95', service: 'console-hub', type: 'deploy', at: 205, summary: 'console-hub 8.2.1: new column in the item list' },
  { id: 'rb-99', service: 'tag-tracker', type: 'rollback', at: 260, summary: 'roll back deploy-90', attributes: { reverts: 'deploy-90' } },
];

describe('a release that multiplied the work each unit makes', () => {
  it('is the release, when one of its traffic series stepped up as it rolled out while its input held', async () => {
    const r = await run({ alert: { title: 'console-hub p99 latency high', service: 'console-hub', at: 232 }, series: series(true), changes, logs });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'tag-tracker', change_id: 'deploy-90' });
  });

  it('is not blamed when nothing it sends stepped at the release', async () => {
    const r = await run({ alert: { title: 'console-hub p99 latency high', service: 'console-hub', at: 232 }, series: series(false), changes, logs });
    expect(verdict(r).change_id).not.toBe('deploy-90');
  });
});
