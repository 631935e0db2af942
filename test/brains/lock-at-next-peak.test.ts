// A lock taken around a remote call, felt only at the next morning's peak. At 22:00 the pricing
// service starts to hold one process-wide lock while it asks the rates service for a rate: at
// night one call at a time is enough, and at 07:40, as the morning crowd reaches six times the
// night's traffic, callers queue behind the lock and the storefront's price lookups time out.
// The pricing release is named, also when pricing exports no latency of its own and only the
// storefront's errors (its calls to pricing failing) tie it to the page; with a harmless diff in
// its place, it is not.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('lock-at-next-peak', { start: '2037-03-09T20:00:00Z', minutes: 780, stepSeconds: 60 });

const lockAroundCall = patch(
  'pricing/fx.py',
  ['def convert(amount, ccy):', '    rate = fx_client.get_rate(ccy)', '    return amount * rate'],
  ['_rates_lock = threading.Lock()', '', 'def convert(amount, ccy):', '    with _rates_lock:', '        rate = fx_client.get_rate(ccy)', '    return amount * rate'],
);
const harmless = patch('pricing/fx.py', ['    return amount * rate'], ['    return round(amount * rate, 6)']);

function bundle(pricingDiff: string, pricingLatency: boolean): Parameters<typeof run>[0] {
  // A quiet night, then the morning: twice the traffic at 06:00, four times at 07:00, six at 07:40.
  const traffic = (service: string, base: number): SeriesSpec => ({
    metric: 'http_requests_per_second',
    service,
    level: base,
    noise: 0.04,
    shifts: [{ at: 600, to: base * 2 }, { at: 660, to: base * 4 }, { at: 700, to: base * 6 }],
  });
  return {
    alert: { title: 'storefront p99 high', service: 'storefront', at: 710 },
    series: [
      traffic('storefront', 40),
      traffic('pricing', 30),
      { metric: 'http_request_duration_seconds_p99', service: 'storefront', level: 0.3, noise: 0.05, shifts: [{ at: 700, to: 4.5 }] },
      { metric: 'http_error_ratio', service: 'storefront', level: 0.002, noise: 0.1, shifts: [{ at: 702, to: 0.08 }] },
      ...(pricingLatency ? [{ metric: 'http_request_duration_seconds_p99', service: 'pricing', level: 0.08, noise: 0.05, shifts: [{ at: 700, to: 5 }] }] : []),
      { metric: 'process_cpu_ratio', service: 'pricing', level: 0.1, noise: 0.05, shifts: [{ at: 600, to: 0.15 }, { at: 700, to: 0.2 }] },
      { metric: 'http_request_duration_seconds_p99', service: 'fx-rates', level: 0.05, noise: 0.05 },
    ],
    changes: [
      { id: 'rel-pricing-88', service: 'pricing', type: 'deploy', at: 120, summary: 'pricing: reuse one fx client across threads', diff: pricingDiff },
      { id: 'rel-store-412', service: 'storefront', type: 'deploy', at: 660, summary: 'storefront: new hero banner', diff: patch('web/hero.tsx', ['  <Hero size="m" />'], ['  <Hero size="l" />']) },
      { id: 'cfg-cdn-9', service: 'cdn', type: 'config', at: 690, summary: 'cdn: cache static assets 1h', diff: patch('cdn.yaml', ['ttl: 600'], ['ttl: 3600']) },
    ],
    logs: {
      storefront: [...every(0, 780, 1, 'info', 'GET /product 200'), ...every(701, 780, 0.3, 'error', 'price lookup failed: upstream pricing timed out after 3000ms')],
      pricing: every(0, 780, 2, 'info', 'convert ok'),
    },
  };
}

describe('a lock around a remote call, felt at the next peak', () => {
  it('is the release that took it, whether its own latency or only its callers show it', async () => {
    const named = { category: 'deploy', service: 'pricing', change_id: 'rel-pricing-88' };
    expect(verdict(await run(bundle(lockAroundCall, true)))).toEqual(named);
    expect(verdict(await run(bundle(lockAroundCall, false)))).toEqual(named);
  });

  it('is not that release when its diff holds no lock', async () => {
    expect(verdict(await run(bundle(harmless, false))).change_id).toBeNull();
  });
});
