// Work piling up where no more work arrived. A racing data provider outside the company stops
// sending: the feed's messages from it fall to nothing and its connect attempts fail, markets
// go stale, the wager API rejects bets and the settlement service's bets wait for results that
// do not come. The wager API's traffic is 40% up at the same time (a busy Saturday), which is
// no load on settlement: its pile is waiting, not demand beyond it.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('pile-without-demand', { start: '2036-11-29T11:00:00Z', minutes: 200 });

function series(settlementArrivals: number): SeriesSpec[] {
  return [
    { metric: 'feed_messages_per_second', service: 'price-feed', labels: { provider: 'fastfurlong' }, level: 700, noise: 0.05, shifts: [{ at: 160, to: 3 }] },
    { metric: 'feed_messages_per_second', service: 'price-feed', labels: { provider: 'kickdata' }, level: 450, noise: 0.05 },
    { metric: 'feed_last_message_age_seconds', service: 'price-feed', labels: { provider: 'fastfurlong' }, level: 0.8, noise: 0.3, shifts: [{ at: 160, to: 240 }] },
    { metric: 'feed_last_message_age_seconds', service: 'price-feed', labels: { provider: 'kickdata' }, level: 0.6, noise: 0.3 },
    { metric: 'wager_requests_per_second', service: 'wager-api', level: 200, noise: 0.03, shifts: [{ at: 158, to: 280 }] },
    { metric: 'wager_reject_ratio', service: 'wager-api', level: 0.02, noise: 0.1, shifts: [{ at: 160, to: 0.45 }] },
    { metric: 'settlement_results_received_per_minute', service: 'settlement', level: 40, noise: 0.1, shifts: [{ at: 160, to: settlementArrivals }] },
    { metric: 'settlement_bets_pending', service: 'settlement', level: 1000, noise: 0.02, shifts: [{ at: 162, to: 2500 }, { at: 175, to: 4000 }] },
  ];
}

const changes: BundleSpec['changes'] = [
  {
    id: 'rel-feed-21',
    service: 'price-feed',
    type: 'deploy',
    at: 143,
    summary: 'price-feed 2.1.0: optional jockey silks field',
    diff: patch('src/feed/model.rs', ['    pub runner: String,'], ['    pub runner: String,', '    pub silks: Option<String>,']),
  },
];

const logs: BundleSpec['logs'] = {
  'price-feed': [
    ...every(0, 200, 2, 'info', 'batch decoded'),
    ...every(160.2, 200, 0.25, 'error', 'connect failed', { provider: 'fastfurlong', error: 'HTTP status 503 Service Unavailable' }),
  ],
  'wager-api': [...every(0, 200, 1, 'info', 'bet accepted'), ...every(160.5, 200, 0.2, 'warn', 'bet rejected reason=MARKET_SUSPENDED')],
  settlement: [...every(0, 200, 3, 'info', 'results batch applied'), ...every(163, 200, 1, 'warn', 'result overdue for race, bets left open')],
};

const alert = { title: 'Wager rejections above 10%', service: 'wager-api', at: 168 };

describe('a pile where no more work arrived', () => {
  it('is the provider that stopped sending, not load beyond the service that waits on it', async () => {
    const r = await run({ alert, series: series(2), changes, logs });
    expect(r.diagnosis?.root_cause.category).toBe('dependency');
    expect(r.diagnosis?.root_cause.change_id).toBeNull();
  });
});
