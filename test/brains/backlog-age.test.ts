// How long work waited is not how long a request took. A delay of many minutes (the age of the
// progress a consumer has yet to write) trails the consumer's backlog: after the change that
// built the backlog is reverted, the backlog drains, yet the delay of what comes out of it keeps
// climbing until it has drained. It cannot say whether the revert helped; the revert is judged
// on what can (the lag), and a delay of seconds still judges it as before.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, type Run } from './helpers.js';
import type { BundleSpec, SeriesSpec } from './synthetic.js';

const run = syntheticRunner('backlog-age', { start: '2035-10-13T06:00:00Z', minutes: 200 });

const pollRecords = [
  'diff --git a/deploy/progress-writer.yaml b/deploy/progress-writer.yaml',
  '--- a/deploy/progress-writer.yaml',
  '+++ b/deploy/progress-writer.yaml',
  '@@ -10,4 +10,4 @@',
  '   consumer:',
  '-    max-poll-records: 200',
  '+    max-poll-records: 2000',
  '     max-poll-interval-ms: 60000',
  '',
].join('\n');

const changes: BundleSpec['changes'] = [
  { id: 'cfg-poll', service: 'progress-writer', type: 'config', at: 60, summary: 'progress-writer: bigger polls', diff: pollRecords },
  { id: 'cfg-poll-revert', service: 'progress-writer', type: 'config', at: 150, summary: 'revert cfg-poll', diff: pollRecords.replace('-    max-poll-records: 200\n+    max-poll-records: 2000', '-    max-poll-records: 2000\n+    max-poll-records: 200') },
];

/** The unlock delay climbs from the onset at minute 100, to many minutes (in seconds), or to under a second (in milliseconds). */
function series(unit: 'seconds' | 'milliseconds'): SeriesSpec[] {
  return [
    { metric: 'progress_events_per_second', service: 'progress-writer', level: 400, noise: 0.03 },
    { metric: 'kafka_consumergroup_lag', service: 'progress-writer', level: 50, noise: 0.1, slope: 2000, slopeFrom: 100, slopeUntil: 152, shifts: [{ at: 152, to: -50_000 }] },
    {
      metric: `lesson_gate_unlock_delay_${unit}_p95`,
      service: 'lesson-gate',
      level: 20,
      noise: 0.05,
      slope: 12,
      slopeFrom: 100,
    },
    { metric: 'lesson_gate_requests_per_second', service: 'lesson-gate', level: 900, noise: 0.03 },
  ];
}

const alert = { title: 'lesson-gate unlock delay p95 high', service: 'lesson-gate', at: 115 };
const logs = {
  'progress-writer': [
    ...Array.from({ length: 50 }, (_, i) => ({ at: i * 2, level: 'info', message: 'committed offsets partition=3' })),
    ...Array.from({ length: 20 }, (_, i) => ({ at: 100 + i * 2, level: 'warn', message: 'consumer poll timeout has expired: max-poll-interval-ms exceeded, leaving group' })),
  ],
};

const said = (r: Run): string =>
  r.events
    .filter((e) => e.type === 'agent.message')
    .map((e) => (e.content[0] as { text: string }).text)
    .join('\n');

describe('a delay of many minutes after a revert', () => {
  it('does not clear the reverted change: it trails the backlog the revert is draining', async () => {
    const r = await run({ alert, series: series('seconds'), changes, logs });
    expect(said(r)).not.toMatch(/undoing it \(cfg-poll-revert\) did not help/);
  });

  it('still judges the revert on a delay of under a second that kept climbing after it', async () => {
    const r = await run({ alert, series: series('milliseconds'), changes, logs });
    expect(said(r)).toMatch(/undoing it \(cfg-poll-revert\) did not help/);
  });
});
