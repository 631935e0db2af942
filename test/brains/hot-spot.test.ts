// Work that went to one place. A pass brings twenty-five times the frames; they are keyed so
// that all of them land on one partition, read by one consumer pod, whose CPU pins while its
// sibling pods and partitions idle. The service as a whole had room: this is how the work was
// spread (a hot key), not load beyond capacity.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('hot-spot', { start: '2040-05-02T08:00:00Z', minutes: 150 });

function pods(hot: boolean): SeriesSpec[] {
  return [0, 1, 2].flatMap((i): SeriesSpec[] => {
    const busy = hot ? i === 1 : true;
    return [
      { metric: 'container_cpu_usage_cores', service: 'writer', labels: { pod: `writer-${i}` }, level: 0.2, noise: 0.05, shifts: busy ? [{ at: 100, to: 1.0 }] : [] },
      { metric: 'frames_written_per_second', service: 'writer', labels: { pod: `writer-${i}` }, level: 500, noise: 0.05, shifts: busy ? [{ at: 100, to: hot ? 5400 : 1800 }] : [] },
      { metric: 'kafka_consumergroup_lag', service: 'writer', labels: { partition: String(6 + i) }, level: 100, noise: 0.1, shifts: busy ? [{ at: 100.5, to: hot ? 2_000_000 : 700_000 }] : [] },
    ];
  });
}

describe('a consumer that ran out of room on one pod while its siblings idled', () => {
  const spec = (hot: boolean): Parameters<typeof run>[0] => ({
    alert: { title: 'writer lag above 1M frames', service: 'writer', at: 106 },
    series: [
      { metric: 'frames_in_per_second', service: 'ingest', level: 600, noise: 0.05, shifts: [{ at: 99.5, to: 15_500 }] },
      { metric: 'frames_routed_per_second', service: 'router', level: 590, noise: 0.05, shifts: [{ at: 99.5, to: 15_400 }] },
      ...pods(hot),
    ],
    changes: [],
    logs: {
      writer: [...every(0, 150, 1, 'info', 'batch committed'), ...every(101, 150, 0.5, 'warn', 'consumer falling behind on tm.frames, lag growing')],
      ingest: every(0, 150, 1, 'info', 'pass frames accepted'),
    },
  });

  it('is not load beyond capacity', async () => {
    expect(verdict(await run(spec(true))).category).not.toBe('capacity');
  });

  it('is, when every pod ran out of room alike', async () => {
    expect(verdict(await run(spec(false)))).toEqual({ category: 'capacity', service: 'writer', change_id: null });
  });
});
