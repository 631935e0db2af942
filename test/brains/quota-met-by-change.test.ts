// A provider answers 429 RESOURCE_EXHAUSTED as a release of the dispatcher in front of it keys
// its dedupe on each message instead of each event: every re-issued update now goes out again,
// pushes per alert rise fivefold, and the provider's quota is met. The provider refusing is no
// failure of its own: it answered how much was sent, and the release is what sent more.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('quota-met-by-change', { start: '2037-06-14T22:00:00Z', minutes: 180, stepSeconds: 60 });

const series: SeriesSpec[] = [
  { metric: 'pushes_enqueued_per_alert', service: 'dispatcher', level: 40, noise: 0.05, shifts: [{ at: 100, to: 200 }] },
  { metric: 'alerts_received_per_second', service: 'dispatcher', level: 2, noise: 0.05 },
  { metric: 'pushrelay_provider_errors_per_second', service: 'pushrelay', labels: { provider: 'fcm', code: '429' }, level: 0, noise: 0, shifts: [{ at: 103, to: 200 }] },
  { metric: 'pushrelay_provider_errors_per_second', service: 'pushrelay', labels: { provider: 'apns', code: '429' }, level: 0, noise: 0 },
  { metric: 'pushrelay_delivery_latency_seconds_p95', service: 'pushrelay', level: 6, noise: 0.05, shifts: [{ at: 103, to: 320 }] },
];

const changes: BundleSpec['changes'] = [
  {
    id: 'rb-dispatcher-51',
    service: 'dispatcher',
    type: 'rollback',
    at: 96,
    summary: 'roll back dispatcher to 4.8.3: memory climb on 4.9.0',
    attributes: { finished_at: '2037-06-14T23:41:00Z' },
    diff: patch('internal/dedupe/key.go', ['func keyOf(msg Message) string {', '\treturn msg.EventKey()', '}'], ['func keyOf(msg Message) string {', '\treturn msg.ID', '}']),
  },
];

const logs: BundleSpec['logs'] = {
  dispatcher: every(0, 180, 1, 'info', 'alert fanned out'),
  pushrelay: [...every(0, 180, 1, 'info', 'push delivered'), ...every(103.2, 180, 0.5, 'warn', 'fcm quota exceeded, backing off: 429 RESOURCE_EXHAUSTED')],
};

const alert = { title: 'PushDeliveryLatencyHigh', service: 'pushrelay', at: 115 };

describe('a provider\'s quota met as a release multiplied what was sent', () => {
  it('is the release, not the provider failing', async () => {
    const r = await run({ alert, series, changes, logs });
    expect(verdict(r)).toMatchObject({ change_id: 'rb-dispatcher-51' });
  });
});
