// A limit cut hours before a scheduled batch, reached when it ran: the disk's reads and writes
// rose together to exactly the IOPS the change provisioned and went no higher. The change is
// named, not the batch's own edit that morning, which only added who receives its report: a
// job edited but not moved runs as it did the day before.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import type { BundleSpec, SeriesSpec } from './synthetic.js';

const run = syntheticRunner('limit-reached', { start: '2035-06-02T06:00:00Z', minutes: 210 });

const volume = [
  'diff --git a/terraform/ledger-db/volume.tf b/terraform/ledger-db/volume.tf',
  '--- a/terraform/ledger-db/volume.tf',
  '+++ b/terraform/ledger-db/volume.tf',
  '@@ -1,6 +1,6 @@',
  ' resource "aws_ebs_volume" "ledger_data" {',
  '   size = 2000',
  '-  type = "io2"',
  '-  iops = 12000',
  '+  type = "gp3"',
  '+  iops = 3000',
  ' }',
  '',
].join('\n');

const recipients = [
  'diff --git a/deploy/rewards-batch/prod.yaml b/deploy/rewards-batch/prod.yaml',
  '--- a/deploy/rewards-batch/prod.yaml',
  '+++ b/deploy/rewards-batch/prod.yaml',
  '@@ -9,3 +9,5 @@ rewards:',
  '   schedule: "0 9 * * *"',
  '   chunk_rows: 5000',
  '+  report:',
  '+    recipients: [ops@example.com, finance@example.com]',
  '',
].join('\n');

/** The batch at 09:00 (minute 180) needs about 8,000 IOPS; capped at `cap`, reads and writes share it. */
function series(cap: number): SeriesSpec[] {
  const share = (part: number): SeriesSpec['shifts'] => [{ at: 180, to: part * Math.min(cap, 8000) }];
  return [
    { metric: 'node_disk_iops', service: 'ledger-db', labels: { op: 'read' }, level: 700, noise: 0.03, shifts: share(0.4) },
    { metric: 'node_disk_iops', service: 'ledger-db', labels: { op: 'write' }, level: 1100, noise: 0.03, shifts: share(0.6) },
    { metric: 'node_disk_queue_length', service: 'ledger-db', level: 1.2, noise: 0.05, shifts: [{ at: 180, to: cap < 8000 ? 60 : 1.3 }] },
    { metric: 'http_request_duration_seconds_p99', service: 'custody-api', level: 0.15, noise: 0.03, shifts: [{ at: 181, to: 2.4 }] },
    { metric: 'http_requests_per_second', service: 'custody-api', level: 400, noise: 0.03 },
    // The batch runs: busy while it does, as every day.
    { metric: 'container_cpu_usage_ratio', service: 'rewards-batch', level: 0.05, noise: 0.05, shifts: [{ at: 180, to: 0.18 }] },
  ];
}

const changes: BundleSpec['changes'] = [
  { id: 'infra-2207', service: 'ledger-db', type: 'infra', at: 10, summary: 'ledger-db: data volume io2 -> gp3', diff: volume },
  { id: 'cfg-3320', service: 'rewards-batch', type: 'config', at: 140, summary: 'rewards-batch: report recipients', diff: recipients },
];
const alert = { title: 'custody-api p99 above 2s', service: 'custody-api', at: 190 };

describe('a limit cut, reached at the peak', () => {
  it('names the change whose limit the disk rose to and stopped at, not the batch edited that morning', async () => {
    const r = await run({ alert, series: series(3000), changes });
    expect(verdict(r)).toEqual({ category: 'infrastructure', service: 'ledger-db', change_id: 'infra-2207' });
    // Reads and writes added up are cited by a series a tool printed, so the verifier takes the first claim.
    const said = r.events.filter((e) => e.type === 'agent.message').map((e) => (e.content[0] as { text: string }).text);
    expect(said.filter((text) => text.includes('rejected the diagnosis'))).toEqual([]);
  });

  it('does not name it when the disk stopped at another ceiling than the one it set', async () => {
    const r = await run({ alert, series: series(5200), changes });
    expect(verdict(r).change_id).not.toBe('infra-2207');
  });

  it('does not name a batch edited only in who receives its report, though its run began when the symptoms did', async () => {
    const r = await run({ alert, series: series(3000), changes: changes.filter((c) => c.id === 'cfg-3320') });
    expect(verdict(r).change_id).not.toBe('cfg-3320');
  });
});

describe('a limit cut on every volume of a fleet', () => {
  // Six nodes, each its own volume cut to 3,000 IOPS. The bundle lists each node's I/O wait and
  // busy time before its reads and writes: the usages that can reach the limit come late.
  const nodes = [0, 1, 2, 3, 4, 5].map((i) => `ledger-db-${i}:9100`);
  const fleet: SeriesSpec[] = [
    ...nodes.flatMap((instance): SeriesSpec[] => [
      { metric: 'node_cpu_iowait_ratio', service: 'ledger-db', labels: { instance }, level: 0.03, noise: 0.05, shifts: [{ at: 180, to: 0.4 }] },
      { metric: 'node_disk_io_time_ratio', service: 'ledger-db', labels: { instance }, level: 0.2, noise: 0.05, shifts: [{ at: 180, to: 0.99 }] },
    ]),
    ...nodes.flatMap((instance): SeriesSpec[] => [
      { metric: 'node_disk_reads_completed_per_second', service: 'ledger-db', labels: { instance }, level: 700, noise: 0.03, shifts: [{ at: 180, to: 1200 }] },
      { metric: 'node_disk_writes_completed_per_second', service: 'ledger-db', labels: { instance }, level: 1100, noise: 0.03, shifts: [{ at: 180, to: 1800 }] },
    ]),
    { metric: 'http_request_duration_seconds_p99', service: 'custody-api', level: 0.15, noise: 0.03, shifts: [{ at: 181, to: 2.4 }] },
    { metric: 'http_requests_per_second', service: 'custody-api', level: 400, noise: 0.03 },
  ];

  it('finds the reads and writes that rose to it among the many series of the fleet', async () => {
    const r = await run({ alert, series: fleet, changes: changes.filter((c) => c.id === 'infra-2207') });
    expect(verdict(r)).toEqual({ category: 'infrastructure', service: 'ledger-db', change_id: 'infra-2207' });
  });
});
