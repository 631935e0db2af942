// A host that lost its time source long before the page, and kept saying so. The management
// link of one dish controller's host goes down at minute 40; its time daemon loses every source
// and repeats, every half hour, that it cannot synchronise. The clock free-runs fast
// and, once it is half a second off, the controller rejects every time-tagged command for that
// dish: the pass executor's success ratio pages. A release of the pass executor half an hour
// earlier adds a retry for busy answers. The host's daemon logged its failure on both sides of
// the onset, though at no line near it: the host failed through the onset, and its clock is
// the cause, not the release.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('clock-unsynced', { start: '2044-10-09T00:00:00Z', minutes: 200 });

const hosts = ['acu-gw-1', 'acu-gw-2', 'acu-gw-3'];

const series: SeriesSpec[] = [
  ...hosts.map((instance): SeriesSpec => ({ metric: 'node_timex_sync_status', service: 'antenna-control', labels: { instance }, level: 1, noise: 0, shifts: instance === 'acu-gw-2' ? [{ at: 40, to: 0 }] : [] })),
  ...hosts.map((instance): SeriesSpec => ({ metric: 'node_timex_offset_seconds', service: 'antenna-control', labels: { instance }, level: 0.00001, noise: 0.1, ...(instance === 'acu-gw-2' ? { slope: 0.0053, slopeFrom: 40 } : {}) })),
  ...['dish-1', 'dish-2', 'dish-3'].map((dish): SeriesSpec => ({ metric: 'acu_commands_rejected_per_second', service: 'antenna-control', labels: { dish, reason: 'timestamp_skew' }, level: 0, noise: 0, shifts: dish === 'dish-2' ? [{ at: 135, to: 10 }] : [] })),
  { metric: 'pass_executor_commands_sent_per_second', service: 'pass-executor', level: 10, noise: 0.05 },
  { metric: 'pass_executor_pass_success_ratio', service: 'pass-executor', level: 1, noise: 0.001, shifts: [{ at: 147, to: 0.7 }] },
];

const logs = {
  'acu-gw-2': [
    ...every(0, 200, 7, 'info', 'systemd[1]: Started session of User ansible on acu-gw-2'),
    { at: 40, level: 'error', message: 'kernel: igb eno2: NIC Link is Down on acu-gw-2' },
    ...every(41, 200, 30, 'warn', "chronyd[811]: Can't synchronise: no selectable sources on acu-gw-2"),
  ],
  'antenna-control': [...every(0, 200, 1, 'info', 'track command accepted host=acu-gw-1'), ...every(135, 200, 1, 'warn', 'command rejected: outside tolerance dish=dish-2 host=acu-gw-2')],
  'pass-executor': [...every(0, 200, 2, 'info', 'pass scheduled'), ...every(136, 200, 1, 'warn', 'consecutive NACKs from ACU dish-2')],
};

describe('a host that lost its time source long before the page', () => {
  it('is the cause while it kept saying so through the onset, not a release of the paged service', async () => {
    const r = await run({
      alert: { title: 'Pass success ratio low', service: 'pass-executor', at: 150 },
      series,
      changes: [
        {
          id: 'rel-415',
          service: 'pass-executor',
          type: 'deploy',
          at: 118,
          summary: 'retry NACKed commands once when the ACU reports BUSY',
          diff: patch('src/exec/acu_link.py', ['    send(cmd)'], ['    ok = send(cmd)', '    if not ok and nack == "BUSY":', '        retry(cmd)']),
        },
      ],
      logs,
    });
    expect(verdict(r)).toEqual({ category: 'infrastructure', service: 'antenna-control', change_id: null });
  });
});
