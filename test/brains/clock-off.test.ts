// A machine whose clock went wrong, read from the metrics alone. One edge host of a collector
// comes back from a power sag with its clock hours behind; the store refuses every sample it
// sends as out of bounds (labelled with the host as their source) and the alarms on its hall go
// stale. The other host's clock holds at zero. The rejected samples look like a party failing;
// what failed is that machine's clock.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('clock-off', { start: '2042-01-28T00:00:00Z', minutes: 200 });

const series: SeriesSpec[] = [
  { metric: 'chrony_tracking_system_time_offset_seconds', service: 'bms-collector', labels: { host: 'edge-a' }, level: 0.00002, noise: 0.1 },
  { metric: 'chrony_tracking_system_time_offset_seconds', service: 'bms-collector', labels: { host: 'edge-b' }, level: 0.00002, noise: 0.1, shifts: [{ at: 136, to: -13300 }] },
  { metric: 'collector_points_sent_per_second', service: 'bms-collector', labels: { host: 'edge-a' }, level: 400, noise: 0.03 },
  { metric: 'collector_points_sent_per_second', service: 'bms-collector', labels: { host: 'edge-b' }, level: 400, noise: 0.03 },
  { metric: 'tsdb_samples_out_of_bounds_per_second', service: 'plant-tsdb', labels: { source: 'edge-b' }, level: 0, noise: 0, shifts: [{ at: 136, to: 400 }] },
  { metric: 'tsdb_samples_out_of_bounds_per_second', service: 'plant-tsdb', labels: { source: 'edge-a' }, level: 0, noise: 0 },
  { metric: 'alarms_stale_points', service: 'thermal-alarms', labels: { hall: 'hall-b' }, level: 1.5, noise: 0.2, shifts: [{ at: 137, to: 5200 }] },
  { metric: 'alarms_stale_points', service: 'thermal-alarms', labels: { hall: 'hall-a' }, level: 1.5, noise: 0.2 },
];

describe('a machine whose clock went wrong', () => {
  it('is infrastructure on the service it runs, not a party its rejected samples name', async () => {
    const r = await run({
      alert: { title: 'hall-b alarms stale', service: 'thermal-alarms', at: 150 },
      series,
      changes: [{ id: 'cfg-12', service: 'plant-tsdb', type: 'config', at: 90, summary: 'out-of-order window 2h → 1h' }],
      logs: {
        'plant-tsdb': [...every(0, 200, 2, 'info', 'head compaction done'), ...every(137, 200, 1, 'warn', 'out of bounds samples rejected source=edge-b')],
        'thermal-alarms': [...every(0, 200, 2, 'info', 'alarm cycle done'), ...every(138, 200, 1, 'warn', 'point stale hall=hall-b')],
      },
    });
    expect(verdict(r)).toEqual({ category: 'infrastructure', service: 'bms-collector', change_id: null });
  });
});

// The clock went wrong long before the page: a model that runs now and then counts only the
// readings accepted, and its next run came fifty minutes later. The refusals began with the
// clock, so the clock is still where the incident started.
describe('a clock gone wrong long before the page that counts its effect', () => {
  it('is still the cause when the refusals began with it', async () => {
    const r = await run({
      alert: { title: 'model coverage low', service: 'snow-model', at: 146, description: 'snow_model_station_coverage_ratio < 0.85 on the last model run' },
      series: [
        { metric: 'node_timex_offset_seconds', service: 'station-uplink', labels: { instance: 'gw-a' }, level: 0.0001, noise: 0.1 },
        { metric: 'node_timex_offset_seconds', service: 'station-uplink', labels: { instance: 'gw-b' }, level: 0.0001, noise: 0.1, shifts: [{ at: 90, to: 297 }] },
        { metric: 'uplink_frames_received_per_second', service: 'station-uplink', labels: { gateway: 'gw-a' }, level: 30, noise: 0.05 },
        { metric: 'uplink_frames_received_per_second', service: 'station-uplink', labels: { gateway: 'gw-b' }, level: 30, noise: 0.05 },
        { metric: 'decoder_frames_rejected_per_second', service: 'telemetry-decoder', labels: { gateway: 'gw-b', reason: 'future_timestamp' }, level: 0, noise: 0, shifts: [{ at: 90, to: 28 }] },
        { metric: 'decoder_frames_rejected_per_second', service: 'telemetry-decoder', labels: { gateway: 'gw-a', reason: 'future_timestamp' }, level: 0, noise: 0 },
        { metric: 'snow_model_station_coverage_ratio', service: 'snow-model', level: 0.99, noise: 0.003, shifts: [{ at: 141, to: 0.47 }] },
      ],
      changes: [
        { id: 'deploy-td-5', service: 'telemetry-decoder', type: 'deploy', at: 72, summary: 'decoder for a new sensor model' },
        { id: 'cfg-sm-2', service: 'snow-model', type: 'config', at: 20, summary: 'minimum observations per station 6 → 4' },
      ],
      logs: {
        'telemetry-decoder': [...every(0, 200, 2, 'info', 'batch decoded'), ...every(91, 200, 1, 'warn', 'frame from station-uplink rejected gateway=gw-b')],
        'snow-model': [...every(0, 200, 10, 'info', 'model run finished')],
      },
    });
    expect(verdict(r)).toEqual({ category: 'infrastructure', service: 'station-uplink', change_id: null });
  });
});

// A release of the service that checks the tokens went out minutes before one issuer's clock
// jumped ahead. Its diff adds a field check and a few of its requests fail that check, but
// nothing in it can refuse a token as not yet valid; the issuer's own clock, measured beside
// its siblings', says why the tokens are refused.
describe('a clock gone wrong beside a release that cannot refuse tokens that way', () => {
  it('is the cause, not the release', async () => {
    const r = await run({
      alert: { title: 'uploads failing', service: 'sync-gw', at: 150 },
      series: [
        { metric: 'node_timex_offset_seconds', service: 'token-issuer', labels: { instance: 'vm-a' }, level: 0.0001, noise: 0.1 },
        { metric: 'node_timex_offset_seconds', service: 'token-issuer', labels: { instance: 'vm-b' }, level: 0.0001, noise: 0.1, shifts: [{ at: 130, to: 184 }] },
        { metric: 'node_timex_offset_seconds', service: 'token-issuer', labels: { instance: 'vm-c' }, level: 0.0001, noise: 0.1 },
        { metric: 'issuer_tokens_issued_per_second', service: 'token-issuer', level: 12, noise: 0.05 },
        { metric: 'ingest_jwt_rejections_per_second', service: 'feed-ingest', labels: { reason: 'nbf' }, level: 0, noise: 0, shifts: [{ at: 130, to: 4 }] },
        { metric: 'ingest_requests_per_second', service: 'feed-ingest', level: 12, noise: 0.05 },
        { metric: 'sync_upload_failure_ratio', service: 'sync-gw', level: 0.004, noise: 0.2, shifts: [{ at: 130, to: 0.3 }] },
      ],
      changes: [
        {
          id: 'deploy-fi-3',
          service: 'feed-ingest',
          type: 'deploy',
          at: 119,
          summary: 'feed-ingest 3.4.0: validate diet_code against the catalogue',
          diff: patch('app/validators/feeding.rb', [], ['    errors.add(:diet_code, "unknown") unless Catalogue.diet?(diet_code)']),
        },
      ],
      logs: {
        'feed-ingest': [
          ...every(0, 200, 2, 'info', 'feeding stored'),
          ...every(121, 200, 15, 'warn', '422 POST /v2/feedings: unknown diet_code keeper=K-12'),
          ...every(131, 200, 1, 'warn', '401 POST /v2/feedings: jwt rejected reason=nbf'),
        ],
        'sync-gw': [...every(0, 200, 2, 'info', 'upload ok'), ...every(131, 200, 1, 'warn', 'upload failed upstream=feed-ingest status=401')],
      },
    });
    expect(verdict(r)).toEqual({ category: 'infrastructure', service: 'token-issuer', change_id: null });
  });
});
