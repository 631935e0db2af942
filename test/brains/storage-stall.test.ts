// Storage that stalls under a store: the store's disk latency leaps, it logs that its writes
// wait on the disk, and every service that calls it fails. A release of the calling service
// shortly before, with an edit that could matter, is the tempting decoy; the platform is
// the cause, unless the stall warnings were there long before the incident.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2034-07-19T13:00:00Z';

const run = syntheticRunner('storage', { start: START, minutes: 150 });

const STALL = 'INFO: task flush-writer:412 blocked for more than 120 seconds.';

const series: SeriesSpec[] = [
  { metric: 'http_request_error_ratio', service: 'basket-web', level: 0.004, shifts: [{ at: 95, to: 0.09 }] },
  { metric: 'http_request_duration_seconds_p99', service: 'basket-web', level: 0.4, shifts: [{ at: 95, to: 2.4 }] },
  { metric: 'lock_errors_per_second', service: 'reserve-svc', labels: { reason: 'timeout' }, level: 0.02, shifts: [{ at: 95, to: 120 }] },
  { metric: 'http_request_error_ratio', service: 'reserve-svc', level: 0.002, shifts: [{ at: 95, to: 0.12 }] },
  { metric: 'node_disk_write_latency_seconds', service: 'reserve-store', labels: { device: 'nvme1n1' }, level: 0.0006, shifts: [{ at: 95, to: 0.4 }] },
  { metric: 'store_command_duration_seconds_p99', service: 'reserve-store', level: 0.0004, shifts: [{ at: 95, to: 0.25 }] },
  { metric: 'store_commands_per_second', service: 'reserve-store', level: 900, shifts: [{ at: 95, to: 600 }] },
];

// The release of the calling service ten minutes before: it shortens how long a hold lasts.
const release = {
  id: 'rel-4120',
  service: 'reserve-svc',
  type: 'deploy',
  at: 85,
  summary: 'reserve-svc 3.8: shorter hold TTL',
  diff: patch('src/holds.ts', ['  holdTtlSeconds: 600,'], ['  holdTtlSeconds: 420,']),
};

function logs(stallFrom: number, stall = STALL): BundleSpec['logs'] {
  return {
    'basket-web': every(0, 150, 2, 'info', 'basket served'),
    'reserve-svc': [...every(0, 150, 2, 'info', 'hold placed'), ...every(95.3, 150, 0.5, 'error', 'hold failed: store timeout after 250ms')],
    'reserve-store': [...every(0, 150, 3, 'info', 'checkpoint written'), ...every(stallFrom, 150, 1, 'warn', stall)],
  };
}

describe('storage that stalls under a store', () => {
  it('is the cause, not the release of the service that calls the store', async () => {
    const r = await run({ alert: { title: 'basket-web errors above 5%', service: 'basket-web', at: 104 }, series, changes: [release], logs: logs(95.5) });
    expect(verdict(r)).toEqual({ category: 'infrastructure', service: 'reserve-store', change_id: null });
  });

  // How PostgreSQL, etcd and Kafka say their writes wait on the disk.
  it.each([
    'WARNING:  could not fsync WAL segment in time: took 1322 ms',
    '{"msg":"slow fdatasync","took":"1.21s","expected-duration":"1s"}',
    'wal: sync duration of 1.345s, expected less than 1s',
    'Slow fsync of log segment 00000000000004211.log took 2140 ms',
    // A RAID controller turning its write cache off: every write now waits on the disks.
    'kernel: megaraid_sas 0000:3b:00.0: 6141 (797306833s/0x0008/WARN) - BBU disabled; changing WB logical drives to WT, Forced WB VDs are not affected',
  ])('is the cause when the store says "%s"', async (stall) => {
    const r = await run({ alert: { title: 'basket-web errors above 5%', service: 'basket-web', at: 104 }, series, changes: [release], logs: logs(95.5, stall) });
    expect(verdict(r)).toEqual({ category: 'infrastructure', service: 'reserve-store', change_id: null });
  });

  it('is not, when its warnings were logged long before the incident', async () => {
    const r = await run({ alert: { title: 'basket-web errors above 5%', service: 'basket-web', at: 104 }, series, changes: [release], logs: logs(5) });
    expect(verdict(r).category).not.toBe('infrastructure');
  });
});

describe('a disk that fails under shared storage', () => {
  // The storage server's kernel reports the device failing from minute 80; the compute nodes
  // writing to it log hung tasks, many more lines, in a file read first; the pipeline's jobs
  // hang until their time limit, so its failures come fifteen minutes later.
  const DEVICE = 'blk_update_request: I/O error, dev sdk, sector 2244255338 op 0x1:(WRITE) flags 0x4800 phys_seg 256 prio class 0';
  const diskSeries: SeriesSpec[] = [
    { metric: 'node_disk_io_time_seconds_rate', service: 'bulk-store', labels: { instance: 'oss04', device: 'md3' }, level: 0.3, noise: 0.03, shifts: [{ at: 80.5, to: 0.98 }] },
    { metric: 'store_write_latency_seconds_p99', service: 'bulk-store', level: 0.02, shifts: [{ at: 81, to: 24 }] },
    { metric: 'task_failure_ratio', service: 'seq-runner', level: 0.02, shifts: [{ at: 96, to: 0.32 }] },
    { metric: 'tasks_succeeded_per_minute', service: 'seq-runner', level: 77, shifts: [{ at: 96, to: 30 }] },
  ];
  const diskLogs: BundleSpec['logs'] = {
    // Named so that it sorts (and is read) first.
    'batch-nodes': [...every(0, 150, 3, 'info', 'node heartbeat'), ...every(80.3, 150, 0.2, 'error', 'kernel: cn062 INFO: task samtools:84094 blocked for more than 120 seconds.')],
    'bulk-store': [...every(0, 150, 3, 'info', 'ost grants refreshed'), ...every(80, 150, 0.5, 'error', `oss04 kernel: ${DEVICE}`)],
    'seq-runner': [...every(0, 150, 2, 'info', 'task done'), ...every(96.2, 150, 0.5, 'error', 'task exited with status 140 (time limit)')],
  };
  const pin = { id: 'rel-61', service: 'seq-runner', type: 'deploy', at: 92, summary: 'seq-runner: pin the pipeline revision for new runs' };

  it('is the storage, though its effect reached the paged service a quarter of an hour later', async () => {
    const r = await run({ alert: { title: 'seq-runner task failures', service: 'seq-runner', at: 104 }, series: diskSeries, changes: [pin], logs: diskLogs });
    expect(verdict(r)).toEqual({ category: 'infrastructure', service: 'bulk-store', change_id: null });
  });
});
