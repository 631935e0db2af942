// A link failing under one host. The switch port facing feed-02 loses transmit power from
// minute 100; that host of the feed handler drops packets on its channels, its books go
// stale and the fan-out pages. The switch's syslog names the host, not the service: the host
// is the feed handler's by its own series (`instance="feed-02"`), and the cause lives there,
// not in a party outside the bundle that a retransmit server's `client` label happens to name.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('link-on-host', { start: '2036-03-05T08:00:00Z', minutes: 180 });

const series: SeriesSpec[] = [
  { metric: 'feed_packets_dropped_per_second', service: 'feed-handler', labels: { instance: 'feed-01' }, level: 0.1, noise: 0.2 },
  { metric: 'feed_packets_dropped_per_second', service: 'feed-handler', labels: { instance: 'feed-02' }, level: 0.1, noise: 0.2, shifts: [{ at: 101, to: 40 }] },
  { metric: 'node_network_receive_errs_per_second', service: 'feed-handler', labels: { instance: 'feed-02' }, level: 0.05, noise: 0.2, shifts: [{ at: 100.5, to: 90 }] },
  { metric: 'node_network_receive_errs_per_second', service: 'feed-handler', labels: { instance: 'feed-01' }, level: 0.05, noise: 0.2 },
  { metric: 'retransmit_throttled_per_second', service: 'retransmit', labels: { client: 'feed-02' }, level: 0, noise: 0, shifts: [{ at: 102, to: 230 }] },
  { metric: 'book_staleness_ms_p99', service: 'fanout', level: 3, noise: 0.1, shifts: [{ at: 102, to: 4000 }] },
];

const changes: BundleSpec['changes'] = [{ id: 'rel-fanout-12', service: 'fanout', type: 'deploy', at: 92, summary: 'fanout 1.2.0: log field rename' }];

const logs: BundleSpec['logs'] = {
  'netops-syslog': [
    ...every(0, 180, 5, 'info', 'leaf-1 %SYS-6-LOGGINGHOST_STARTSTOP: logging to host 10.0.0.9 started'),
    ...every(100, 180, 2, 'warn', 'leaf-2 %SFP-4-TX_POWER_LOW_WARN: Ethernet1/14 (feed-02:ens2f0) transceiver tx power -10.5 dBm below low warning threshold -7.0 dBm'),
    ...every(100.5, 180, 4, 'error', 'leaf-2 %SFP-2-TX_POWER_LOW_ALARM: Ethernet1/14 (feed-02:ens2f0) transceiver tx power -10.6 dBm below low alarm threshold -9.5 dBm'),
  ],
  fanout: [...every(0, 180, 1, 'info', 'snapshot published'), ...every(102.5, 180, 1, 'warn', 'book stale, channel group B')],
};

const alert = { title: 'books stale on channel group B', service: 'fanout', at: 110 };

describe('a link failing under one host of a service', () => {
  it('is infrastructure of the service the host runs, not a dependency named for the host', async () => {
    const r = await run({ alert, series, changes, logs });
    expect(r.diagnosis?.root_cause).toMatchObject({ category: 'infrastructure', service: 'feed-handler', change_id: null });
  });
});
