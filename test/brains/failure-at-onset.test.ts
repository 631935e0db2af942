// A platform failure first logged at the very minute the incident began, against a release of
// the paged service 35 minutes earlier whose diff cuts a timeout. Nothing showed for those 35
// minutes; the network card of a node began dropping transmits at the onset. The release has no
// answer to why it would act just then, so it is not named.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch } from './synthetic.js';

const run = syntheticRunner('failure-at-onset', { start: '2041-08-07T01:00:00Z', minutes: 120 });

describe('a release long before a platform failure logged at the onset', () => {
  it('is not named', async () => {
    const r = await run({
      alert: { title: 'robots disconnected', service: 'controller', at: 81 },
      series: [
        { metric: 'robots_connected', service: 'controller', level: 240, noise: 0.01, shifts: [{ at: 74.5, to: 160 }] },
        { metric: 'dispatch_errors_per_second', service: 'controller', level: 0.05, noise: 0.2, shifts: [{ at: 74.5, to: 3.2 }] },
        { metric: 'http_requests_per_second', service: 'controller', level: 120, noise: 0.03 },
      ],
      changes: [
        {
          id: 'rel-5531',
          service: 'controller',
          type: 'deploy',
          at: 40,
          summary: 'controller 7.2.0: faster reconnect',
          diff: patch('config/controller.yaml', ['  reconnectTimeoutMs: 5000'], ['  reconnectTimeoutMs: 2000']),
        },
      ],
      logs: {
        controller: [...every(0, 120, 1, 'info', 'dispatch sent'), ...every(74.5, 120, 0.5, 'warn', 'robot amr-127 missed keepalive, safe-stop')],
        'node-journal': [
          ...every(0, 120, 10, 'info', 'kubelet: node ip-10-60-13-17 status is Ready'),
          ...every(74.3, 120, 2, 'warn', "kernel: ena 0000:00:05.0 eth0: Found a Tx that wasn't completed on time, qid 2"),
        ],
      },
    });
    expect(verdict(r).change_id).toBeNull();
  });
});
