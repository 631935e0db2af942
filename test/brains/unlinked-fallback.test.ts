// A page whose service shows no symptom of its own, and nothing that names it. The callout
// service pages on a count that means nothing by its words (callouts created, from under one a
// minute to fifty). Earlier that morning, a threshold the health service exports as a gauge
// stepped from 300 to 180 when someone set it, and a firmware wave began failing a download now
// and then (from none to under one a minute). Then a release of the decoder begins rejecting
// every heartbeat of one controller model, and the callouts follow within minutes. The incident
// is dated by the rejections, not by the setting read back as a gauge nor by the trickle.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('unlinked-fallback', { start: '2040-03-01T08:00:00Z', minutes: 180 });

const series: SeriesSpec[] = [
  { metric: 'unit_health_offline_threshold_seconds', service: 'unit-health', level: 300, noise: 0, shifts: [{ at: 60.5, to: 180 }] },
  { metric: 'unit_health_heartbeats_received_per_second', service: 'unit-health', level: 900, noise: 0.03 },
  { metric: 'ota_update_failures_per_minute', service: 'firmware-ota', level: 0, noise: 0, shifts: [{ at: 100.5, to: 0.45 }] },
  { metric: 'ota_units_updating', service: 'firmware-ota', level: 0, noise: 0, shifts: [{ at: 100.5, to: 95 }] },
  { metric: 'decoder_messages_decoded_per_second', service: 'telemetry-decoder', level: 2400, noise: 0.03 },
  { metric: 'decoder_messages_rejected_per_second', service: 'telemetry-decoder', labels: { reason: 'validation' }, level: 0, noise: 0, shifts: [{ at: 121, to: 130 }] },
  { metric: 'callout_created_per_minute', service: 'callout-svc', labels: { reason: 'unit_offline' }, level: 0.6, noise: 0.15, shifts: [{ at: 126, to: 50 }] },
  { metric: 'callout_http_request_duration_seconds_p99', service: 'callout-svc', level: 0.12, noise: 0.05 },
];

const changes: BundleSpec['changes'] = [
  {
    id: 'cfg-uh-22',
    service: 'unit-health',
    type: 'config',
    at: 60,
    summary: 'unit-health: offline threshold 300s -> 180s',
    diff: patch('deploy/unit-health/values.yaml', ['  offlineThresholdSeconds: 300'], ['  offlineThresholdSeconds: 180']),
  },
  { id: 'ota-wave-2', service: 'firmware-ota', type: 'config', at: 100, summary: 'OTA campaign fw 6.4.2, wave 2 (5% of units)' },
  {
    id: 'rel-dec-380',
    service: 'telemetry-decoder',
    type: 'deploy',
    at: 120,
    summary: 'telemetry-decoder 3.8.0: validate heartbeats before publishing',
    diff: patch(
      'src/main/java/decoder/HeartbeatHandler.java',
      ['    publisher.publish(heartbeat);'],
      ['    if (!HeartbeatValidator.accepts(heartbeat.controllerModel())) {', '      throw new InvalidHeartbeatException(heartbeat.serial());', '    }', '    publisher.publish(heartbeat);'],
    ),
  },
];

const logs: BundleSpec['logs'] = {
  'telemetry-decoder': [...every(0, 180, 1, 'info', 'decoded batch'), ...every(121, 180, 0.25, 'warn', 'heartbeat rejected: InvalidHeartbeatException: unsupported controller model')],
  'firmware-ota': [...every(0, 180, 2, 'info', 'campaign tick'), ...every(101, 180, 2.5, 'warn', 'image verification failed, retrying download')],
  'callout-svc': [...every(0, 180, 3, 'info', 'callout created reason=maintenance'), ...every(126, 180, 0.2, 'info', 'callout created reason=unit_offline')],
};

describe('a page with no symptom of its own and nothing linked to it', () => {
  it('is dated by the rejections just before it, not by a setting read back as a gauge nor a trickle of errors', async () => {
    const r = await run({ alert: { title: 'unit_offline callouts above 50 in 5m', service: 'callout-svc', at: 135 }, series, changes, logs });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'telemetry-decoder', change_id: 'rel-dec-380' });
  });
});
