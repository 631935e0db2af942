// A flag put back where it was is an undo. At 60 a market-data flag goes from `allowlist` to
// `pro_all`: the publisher does four times the work per event, with room to spare at the quiet
// hour. At 100 the market opens, the order flow doubles, the publisher falls behind and the
// order gateway, waiting on it, fails orders. At 118 the flag goes from `pro_all` back to
// `allowlist`, and within minutes the failures stop though the flow stays high. That is the
// responders' experiment: the flag is named, not the market's crowd.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every } from './synthetic.js';

const run = syntheticRunner('flag-put-back', { start: '2036-03-12T12:00:00Z', minutes: 160, stepSeconds: 60 });

describe('a flag put back where it was', () => {
  it('is the undo of the change that moved it, and names that change when the symptoms end with it', async () => {
    const r = await run({
      alert: { title: 'order gateway errors high', service: 'order-gateway', at: 106 },
      series: [
        { metric: 'orders_per_second', service: 'order-gateway', level: 5000, noise: 0.03, shifts: [{ at: 100, to: 10000 }] },
        { metric: 'http_server_error_ratio', service: 'order-gateway', level: 0.002, noise: 0.1, shifts: [{ at: 102, to: 0.22 }, { at: 121, to: 0.002 }] },
        { metric: 'engine_events_out_per_second', service: 'matching-engine', level: 5000, noise: 0.03, shifts: [{ at: 100, to: 10000 }] },
        { metric: 'md_publisher_cpu_cores', service: 'marketdata-publisher', level: 1.7, noise: 0.03, shifts: [{ at: 60, to: 4.2 }, { at: 100, to: 6 }, { at: 119, to: 3.4 }] },
        { metric: 'md_publisher_sequence_lag', service: 'marketdata-publisher', level: 20, noise: 0.1, shifts: [{ at: 101, to: 900000 }, { at: 120, to: 20 }] },
        { metric: 'md_active_subscriptions', service: 'marketdata-publisher', labels: { feed: 'l3' }, level: 142, noise: 0.01, shifts: [{ at: 60, to: 1911 }, { at: 118, to: 142 }] },
      ],
      changes: [
        { id: 'deploy-og-4180', service: 'order-gateway', type: 'deploy', at: 20, summary: 'order-gateway: validate client order ids' },
        { id: 'flag-md-l3', service: 'marketdata-publisher', type: 'feature_flag', at: 60, summary: 'md.l3_full_depth: allowlist -> pro_all', attributes: { flag: 'md.l3_full_depth' } },
        { id: 'flag-md-l3-back', service: 'marketdata-publisher', type: 'feature_flag', at: 118, summary: 'md.l3_full_depth: pro_all -> allowlist', attributes: { flag: 'md.l3_full_depth' } },
      ],
      logs: {
        'order-gateway': [...every(0, 160, 0.5, 'info', 'order acked'), ...every(102, 121, 0.3, 'error', 'order failed: ack timeout after 2000ms')],
        'matching-engine': [...every(0, 160, 1, 'info', 'book snapshot'), ...every(101, 120, 0.5, 'warn', 'producer waiting on outbound ring barrier slowest_consumer=md-publisher')],
      },
    });
    expect(verdict(r)).toEqual({ category: 'feature_flag', service: 'marketdata-publisher', change_id: 'flag-md-l3' });
  });
});
