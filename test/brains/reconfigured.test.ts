// A platform failure on what a change had just reconfigured. At 20 an infrastructure change
// moves the align nodes' scratch volumes from provisioned io2 to baseline gp3. Nothing fails
// while the morning is light; at 95 a large batch runs and the kernel of the node under the
// aligner reports tasks blocked on I/O and NVMe timeouts. The failure is logged plainly, and it
// is the change's doing: the storage did what it was reconfigured to do.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch } from './synthetic.js';

const run = syntheticRunner('reconfigured', { start: '2036-03-04T06:00:00Z', minutes: 150 });

const volumes = patch(
  'terraform/nodegroups/align.tf',
  ['      volume_size = 1500', '      volume_type = "io2"', '      iops        = 16000'],
  ['      volume_size = 1500', '      volume_type = "gp3"'],
);
const tags = patch('terraform/nodegroups/align.tf', ['    team = "genomics"'], ['    team = "genomics"', '    cost_center = "cc-4410"']);

function bundle(infraDiff: string): Parameters<typeof run>[0] {
  const node = 'ip-10-40-2-17';
  return {
    alert: { title: 'turnaround forecast above 30h', service: 'pipeline-orchestrator', at: 106 },
    series: [
      { metric: 'node_disk_io_time_ratio', service: 'bwa-aligner', labels: { node }, level: 0.2, noise: 0.05, shifts: [{ at: 95, to: 0.99 }] },
      { metric: 'node_disk_io_time_ratio', service: 'bwa-aligner', labels: { node: 'ip-10-40-2-18' }, level: 0.2, noise: 0.05 },
      { metric: 'kube_pod_info', service: 'bwa-aligner', labels: { node, pod: 'bwa-aligner-6f-x1' }, level: 1, noise: 0 },
      { metric: 'shard_completions_per_minute', service: 'bwa-aligner', level: 30, noise: 0.05, shifts: [{ at: 96, to: 8 }] },
      { metric: 'turnaround_forecast_hours', service: 'pipeline-orchestrator', level: 20, noise: 0.02, shifts: [{ at: 97, to: 34 }] },
    ],
    changes: [
      { id: 'infra-2290', service: 'bwa-aligner', type: 'infra', at: 20, summary: 'align nodes: new launch template (FIN-77)', diff: infraDiff },
      { id: 'rel-4478', service: 'bwa-aligner', type: 'deploy', at: 88, summary: 'bwa-aligner: log the read group per shard', diff: patch('src/align.py', ['    log.info("shard done")'], ['    log.info("shard done rg=%s", rg)']) },
    ],
    logs: {
      'node-journal': [
        ...every(0, 150, 5, 'info', `[${node}] systemd: Started session`),
        ...every(95, 150, 1, 'error', `[${node}] kernel: INFO: task samtools:4410 blocked for more than 120 seconds.`),
        ...every(95.2, 150, 1, 'error', `[${node}] kernel: nvme nvme1: I/O 211 QID 3 timeout, aborting`),
      ],
      'bwa-aligner': [...every(0, 150, 1, 'info', 'shard aligned'), ...every(96, 150, 1, 'warn', 'stage_in slow: 412s for 38 GiB')],
      'pipeline-orchestrator': every(0, 150, 2, 'info', 'plate progress updated'),
    },
  };
}

describe('storage that fails hours after a change reconfigured it', () => {
  it('is the change that reconfigured it, not the storage alone nor the release that morning', async () => {
    expect(verdict(await run(bundle(volumes)))).toEqual({ category: 'infrastructure', service: 'bwa-aligner', change_id: 'infra-2290' });
  });

  it('is the storage alone when the change before it touched nothing of the kind', async () => {
    expect(verdict(await run(bundle(tags)))).toEqual({ category: 'infrastructure', service: 'bwa-aligner', change_id: null });
  });
});
