// A job a release stopped. The hold service's release at minute 30 breaks its sweeper: the holds
// it releases per minute fall from four to none at once, while it keeps taking new holds as
// before. Unreleased holds pile up for two hours until the popular slots show as sold out at
// minute 150 and checkout's holds fail, which pages. The front end's release ten minutes before
// the page is the nearer change; the hold service never fails a request of its own.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-07-11T06:00:00Z';

const run = syntheticRunner('work-stopped', { start: START, minutes: 180, stepSeconds: 60 });

/** With `stops`, the sweeper stops at the release; without, it goes on and the holds pile up from a crowd of buyers instead. */
function series(stops: boolean): SeriesSpec[] {
  return [
    { metric: 'hold_sweeper_released_per_minute', service: 'hold-service', level: 4, noise: 0.05, shifts: stops ? [{ at: 31, to: 0 }] : [] },
    { metric: 'hold_requests_per_second', service: 'hold-service', level: 0.2, noise: 0.05, shifts: stops ? [] : [{ at: 100, to: 0.9 }] },
    { metric: 'holds_outstanding', service: 'hold-service', level: 50, noise: 0.02, slope: stops ? 7 : 17, slopeFrom: stops ? 31 : 100, slopeUntil: 180 },
    { metric: 'slot_remaining_tickets', service: 'hold-service', level: 900, noise: 0.01, shifts: [{ at: 150, to: 0.5 }] },
    { metric: 'checkout_hold_failure_ratio', service: 'cart-checkout', level: 0.014, noise: 0.1, shifts: [{ at: 150, to: 0.34 }] },
    { metric: 'checkout_requests_per_second', service: 'cart-checkout', level: 3, noise: 0.04 },
    { metric: 'web_requests_per_second', service: 'ticket-web', level: 40, noise: 0.04 },
  ];
}

const changes: BundleSpec['changes'] = [
  {
    id: 'rel-holds-44',
    service: 'hold-service',
    type: 'deploy',
    at: 30,
    summary: 'hold-service 4.4: sweeper reads expiry through the new clock helper',
    diff: patch('src/sweeper.kt', ['        val now = Instant.now()'], ['        val now = clock.localNow()']),
  },
  {
    id: 'rel-web-91',
    service: 'ticket-web',
    type: 'deploy',
    at: 140,
    summary: 'ticket-web 9.1: exhibition badge on the slot picker',
    diff: patch('web/src/slots.tsx', ['  <Slot {...slot} />'], ['  <Slot {...slot} badge={slot.exhibition} />']),
  },
];

const logs: BundleSpec['logs'] = {
  'cart-checkout': [...every(0, 180, 1, 'info', 'hold placed for cart'), ...every(150.3, 180, 0.5, 'warn', 'hold failed: slot sold out')],
  'hold-service': every(0, 180, 2, 'info', 'sweeper pass finished'),
};

const alert = { title: 'Checkout hold failures above 15%', service: 'cart-checkout', at: 160 };

describe('a job a release stopped', () => {
  it('is that release, though nothing failed for two hours after it', async () => {
    const r = await run({ alert, series: series(true), changes, logs });
    expect(r.diagnosis?.root_cause.change_id).toBe('rel-holds-44');
  });

  it('is not, when the same job went on for another source: one source stopped sending', async () => {
    // The sweeper's count for the north venue stops as the release rolls out, while its count for the south venue goes on.
    const perVenue = series(true).flatMap((s): SeriesSpec[] =>
      s.metric === 'hold_sweeper_released_per_minute' ? [{ ...s, labels: { venue: 'north' } }, { ...s, labels: { venue: 'south' }, shifts: [] }] : [s],
    );
    const r = await run({ alert, series: perVenue, changes, logs });
    expect(r.diagnosis?.root_cause.change_id).not.toBe('rel-holds-44');
  });

  it('is not, when the job went on and the holds came from more buyers', async () => {
    const r = await run({ alert, series: series(false), changes, logs });
    expect(r.diagnosis?.root_cause.change_id).not.toBe('rel-holds-44');
  });
});
