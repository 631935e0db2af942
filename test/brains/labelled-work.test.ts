// Work a change's own words label, started in another service. At minute 60 a flag of the seat
// map (`seatmap.hold_on_select`) turns on a hold for every seat clicked. The seat map itself
// shows nothing; the inventory service counts holds by where they come from, and the part
// labelled `source="seatmap_select"` rises from nothing that minute. Active holds climb, free
// seats drain, and a quarter hour later checkout fails with seats unavailable. A sweeper
// setting of the inventory service, seven minutes after the flag, is the nearest change.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, ramp, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-02-06T09:30:00Z';

const run = syntheticRunner('labelled-work', { start: START, minutes: 150, stepSeconds: 30 });

function series(): SeriesSpec[] {
  return [
    { metric: 'inventory_holds_created_per_second', service: 'inventory-svc', labels: { source: 'checkout' }, level: 3, noise: 0.05 },
    { metric: 'inventory_holds_created_per_second', service: 'inventory-svc', labels: { source: 'seatmap_select' }, level: 0, noise: 0.05, shifts: [{ at: 61, to: 50 }] },
    { metric: 'inventory_holds_active', service: 'inventory-svc', level: 500, noise: 0.02, shifts: ramp(61, 10, 500, 30_000) },
    { metric: 'inventory_free_seats', service: 'inventory-svc', level: 3_100, noise: 0.01, shifts: ramp(61, 12, 3_100, 40) },
    { metric: 'checkout_failures_per_second', service: 'checkout-api', labels: { reason: 'seat_unavailable' }, level: 0.1, noise: 0.1, shifts: [{ at: 74, to: 5 }] },
    { metric: 'checkout_requests_per_second', service: 'checkout-api', level: 40, noise: 0.03 },
    { metric: 'seatmap_renders_per_second', service: 'seat-map', level: 120, noise: 0.03 },
  ];
}

const changes: BundleSpec['changes'] = [
  { id: 'deploy-checkout-61', service: 'checkout-api', type: 'deploy', at: 20, summary: 'checkout-api 6.1: 3DS challenge window size' },
  { id: 'flag-seatmap-hold', service: 'seat-map', type: 'feature_flag', at: 60, summary: 'seatmap.hold_on_select: 0% -> 100%', attributes: { flag: 'seatmap.hold_on_select' } },
  {
    id: 'cfg-sweeper-15s',
    service: 'inventory-svc',
    type: 'config',
    at: 67,
    summary: 'inventory-svc: hold sweeper interval 30s -> 15s',
    diff: patch('deploy/inventory/values.yaml', ['  sweeper_interval: 30s'], ['  sweeper_interval: 15s']),
  },
];

const logs: BundleSpec['logs'] = {
  'checkout-api': [...every(0, 150, 1, 'info', 'order placed'), ...every(74, 150, 0.25, 'error', 'quick-buy failed: SEAT_UNAVAILABLE (no free seats in section)')].sort((a, b) => a.at - b.at),
  'inventory-svc': every(0, 150, 1, 'info', 'hold sweep completed'),
};

const alert = { title: 'Checkout success ratio below 90%', service: 'checkout-api', at: 85 };

describe('work a change’s words label, started in another service', () => {
  it('ties the change to the service it started that work in, and names it', async () => {
    const r = await run({ alert, series: series(), changes, logs });
    expect(verdict(r)).toEqual({ category: 'feature_flag', service: 'seat-map', change_id: 'flag-seatmap-hold' });
  });
});
