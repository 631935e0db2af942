// A partner named by a `channel` label. A hotel channel manager pushes rates to three booking
// sites, its call metrics split by `channel`. At minute 100 one site's partner API starts
// answering 503 and timing out; only that channel's calls degrade, and the new errors name it.
// Every channel lags behind the shared push pool, so only the connector's own calls say which
// site failed. A label that more often places traffic (a sales channel) names here the other end
// of the call.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('party-by-channel', { start: '2036-07-23T15:00:00Z', minutes: 150, stepSeconds: 30 });

const series: SeriesSpec[] = [
  // The connector's push pool is shared: its slow calls to one site hold it, and every channel lags.
  { metric: 'channel_sync_delivery_lag_seconds_p95', service: 'channel-sync', labels: { channel: 'bookaroo' }, level: 20, noise: 0.1, shifts: [{ at: 101, to: 900 }] },
  { metric: 'channel_sync_delivery_lag_seconds_p95', service: 'channel-sync', labels: { channel: 'triplattice' }, level: 18, noise: 0.1, shifts: [{ at: 102, to: 700 }] },
  { metric: 'channel_sync_delivery_lag_seconds_p95', service: 'channel-sync', labels: { channel: 'stayscout' }, level: 22, noise: 0.1, shifts: [{ at: 102, to: 650 }] },
  { metric: 'ota_connector_request_duration_seconds_p99', service: 'ota-connector', labels: { channel: 'bookaroo' }, level: 0.4, noise: 0.05, shifts: [{ at: 100, to: 30 }] },
  { metric: 'ota_connector_request_duration_seconds_p99', service: 'ota-connector', labels: { channel: 'triplattice' }, level: 0.3, noise: 0.05 },
  { metric: 'ota_connector_request_duration_seconds_p99', service: 'ota-connector', labels: { channel: 'stayscout' }, level: 0.35, noise: 0.05 },
  { metric: 'ota_connector_pushes_per_second', service: 'ota-connector', level: 40, noise: 0.05 },
];

const changes: BundleSpec['changes'] = [
  {
    id: 'dep-ota-6631',
    service: 'ota-connector',
    type: 'deploy',
    at: 89,
    summary: 'ota-connector 6.6: map a new TripLattice field',
    diff: patch('src/triplattice/mapper.ts', ['  board: r.board,'], ['  board: r.board,', '  cancellable: r.cancellable ?? true,']),
  },
];

const logs = (partner: string): BundleSpec['logs'] => ({
  'ota-connector': [
    ...every(0, 150, 1, 'info', 'pushed rates channel=triplattice'),
    ...every(100, 150, 0.5, 'error', `${partner} ARI push failed property=P-1204 after 30000 ms attempt=3`),
  ].sort((a, b) => a.at - b.at),
  'channel-sync': every(0, 150, 2, 'info', 'batch enqueued'),
});

const alert = { title: 'channel sync lag above 5 minutes', service: 'channel-sync', at: 110 };

describe('a partner named by a channel label', () => {
  it('is the dependency that failed, when only its calls degraded and the new errors name it', async () => {
    const r = await run({ alert, series, changes, logs: logs('Bookaroo') });
    expect(r.diagnosis?.root_cause.category).toBe('dependency');
    expect(JSON.stringify(r.diagnosis)).toContain('bookaroo');
    // Outside the bundle, it has no service in the diagnosis; the conclusion still names it.
    const said = r.events.filter((e) => e.type === 'agent.message').map((e) => (e.content[0] as { text: string }).text);
    expect(said.at(-1)).toMatch(/^Conclusion: dependency on bookaroo, outside the bundle /);
  });
});
