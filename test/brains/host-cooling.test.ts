// A machine's cooling failing is the platform failing. At minute 60 one of a relay fleet's
// bare-metal hosts loses a fan (its baseboard controller logs the reading going below its
// critical threshold); fifteen minutes later the kernel starts throttling its CPU for heat, the
// host's CPU pins at the same load, and the rooms it carries get jitter. A release of the relay
// finished on every host before, alike; the host's own journal names the failure.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-04-22T15:30:00Z';

const run = syntheticRunner('host-cooling', { start: START, minutes: 150, stepSeconds: 60 });

function series(): SeriesSpec[] {
  const hosts = ['relay-01', 'relay-02', 'relay-03', 'relay-04'];
  return [
    ...hosts.map((host): SeriesSpec => ({ metric: 'node_cpu_utilization_ratio', service: 'media-relay', labels: { instance: host }, level: 0.45, noise: 0.03, ...(host === 'relay-03' ? { shifts: [{ at: 76, to: 0.99 }] } : {}) })),
    { metric: 'media_relay_jitter_seconds_p95', service: 'media-relay', level: 0.02, noise: 0.05, shifts: [{ at: 77, to: 0.065 }] },
    { metric: 'media_relay_participants', service: 'media-relay', level: 9_000, noise: 0.02 },
    { metric: 'http_requests_per_second', service: 'room-api', level: 90, noise: 0.03 },
  ];
}

const changes: BundleSpec['changes'] = [
  { id: 'deploy-relay-313', service: 'media-relay', type: 'deploy', at: 30, summary: 'media-relay 3.13: codec negotiation logging' },
  { id: 'deploy-room-88', service: 'room-api', type: 'deploy', at: 72, summary: 'room-api 8.8: lobby copy' },
];

const logs: BundleSpec['logs'] = {
  'relay-hosts': [
    ...every(0, 150, 10, 'info', 'systemd: Started Daily apt upgrade and clean activities host=relay-01'),
    ...every(60, 61, 1, 'crit', 'ipmiseld: SEL: Fan FAN3 | Lower Critical going low | Asserted | Reading 0 < Threshold 600 RPM host=relay-03'),
    ...every(76, 150, 1, 'warn', 'mce: CPU12: Package temperature above threshold, cpu clock throttled (total events = 2308) host=relay-03'),
  ].sort((a, b) => a.at - b.at),
  'media-relay': [...every(0, 150, 1, 'info', 'room joined'), ...every(77, 150, 0.5, 'warn', 'pacer fell behind schedule node=relay-03 late_ms=180')].sort((a, b) => a.at - b.at),
};

const alert = { title: 'Relay jitter p95 above 40ms', service: 'media-relay', at: 85 };

describe('a host whose cooling failed', () => {
  it('is the platform failing under the service, not a release that reached every host alike', async () => {
    const r = await run({ alert, series: series(), changes, logs });
    expect(verdict(r).category).toBe('infrastructure');
    expect(verdict(r).change_id ?? null).toBeNull();
  });
});
