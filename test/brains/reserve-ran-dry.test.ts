// Capacity lent, not owned. At minute 20 the quote cache moves to burstable nodes: they earn
// CPU credits while the load is light and spend them while it is heavy. From minute 100 the
// morning load spends more than the nodes earn; the credit balance drains, and at minute 160,
// when it is empty, the nodes are held to their baseline CPU, the cache's commands slow down
// and the pricing API behind it times out. A release of the pricing API half an hour before,
// with a cache TTL cut in its diff, is what the paged service's own history offers instead.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-09-02T02:00:00Z';

const run = syntheticRunner('reserve-ran-dry', { start: START, minutes: 200, stepSeconds: 60 });

/** The credit balance: flat at 60 until `drainFrom`, then down in a straight line to empty at minute 160. */
function credits(drainFrom: number | null): SeriesSpec {
  const shifts: Array<{ at: number; to: number }> = [];
  if (drainFrom !== null) for (let t = drainFrom; t <= 160; t += 2) shifts.push({ at: t, to: Math.max(0, 60 * (1 - (t - drainFrom) / (160 - drainFrom))) });
  return { metric: 'cpu_credit_balance', service: 'quote-cache', level: 60, noise: 0.01, shifts };
}

/**
 * New nodes start with no credits: the balance climbs from zero to 60 from minute 20 to 100
 * as they earn them, and drains from there to empty at minute 160. Around the page it has no
 * steady level to leave, and it moved less than the series that pile up: a slow drain seen
 * only by reading the headroom of the changed service on its own.
 */
function earnedThenSpent(): SeriesSpec {
  const shifts: Array<{ at: number; to: number }> = [];
  for (let t = 20; t <= 100; t += 2) shifts.push({ at: t, to: (60 * (t - 20)) / 80 });
  for (let t = 102; t <= 160; t += 2) shifts.push({ at: t, to: Math.max(0, 60 * (1 - (t - 100) / 60)) });
  return { metric: 'cpu_credit_balance', service: 'quote-cache', level: 0, shifts };
}

function series(drainFrom: number | null, balance: SeriesSpec = credits(drainFrom)): SeriesSpec[] {
  return [
    balance,
    { metric: 'http_requests_per_second', service: 'pricing-api', level: 40, noise: 0.04, shifts: [{ at: 95, to: 120 }] },
    { metric: 'redis_command_duration_seconds_p99', service: 'quote-cache', level: 0.0008, shifts: [{ at: 160, to: 0.2 }] },
    { metric: 'http_request_duration_seconds_p99', service: 'pricing-api', level: 0.05, shifts: [{ at: 160, to: 1.4 }] },
    { metric: 'http_error_ratio', service: 'pricing-api', level: 0.001, shifts: [{ at: 160.5, to: 0.12 }] },
    { metric: 'http_requests_per_second', service: 'basket-svc', level: 30, noise: 0.04, shifts: [{ at: 95, to: 80 }] },
  ];
}

const changes: BundleSpec['changes'] = [
  {
    id: 'infra-cache-17',
    service: 'quote-cache',
    type: 'infra',
    at: 20,
    summary: 'right-size the quote cache nodes',
    diff: patch('envs/prod/cache.tf', ['  node_type          = "cache.m6g.large"'], ['  node_type          = "cache.t4g.medium"']),
  },
  {
    id: 'rel-pricing-88',
    service: 'pricing-api',
    type: 'deploy',
    at: 130,
    summary: 'pricing-api 8.8.0: shorter dedupe window',
    diff: patch('src/main/java/shop/pricing/Dedupe.java', ['    private static final Duration TTL = Duration.ofHours(12);'], ['    private static final Duration TTL = Duration.ofHours(3);']),
  },
  {
    id: 'rel-basket-40',
    service: 'basket-svc',
    type: 'deploy',
    at: 150,
    summary: 'basket-svc 4.0.1: copy fix',
    diff: patch('web/basket.ts', ["  const label = 'Basket'"], ["  const label = 'Your basket'"]),
  },
];

const logs: BundleSpec['logs'] = {
  'pricing-api': [...every(0, 200, 2, 'info', 'quote served'), ...every(160.5, 200, 0.5, 'error', 'quote lookup failed: command timed out after 200 ms')],
};

const alert = { title: 'pricing-api errors above 5%', service: 'pricing-api', at: 170 };

describe('lent capacity that ran dry at the onset', () => {
  it('is the change that put the service on it, though it came hours before', async () => {
    const r = await run({ alert, series: series(100), changes, logs });
    expect(r.diagnosis?.root_cause.category).toBe('infrastructure');
    expect(r.diagnosis?.root_cause.change_id).toBe('infra-cache-17');
  });

  it('is found when the balance was earned before it was spent, with no level to leave', async () => {
    const r = await run({ alert, series: series(null, earnedThenSpent()), changes, logs });
    expect(r.diagnosis?.root_cause.change_id).toBe('infra-cache-17');
  });

  it('ties its service to the symptoms by the moment it ran dry, when that service shows nothing else', async () => {
    // A shared volume's burst balance: its own service exports no latency; its readers slow when it is empty.
    // It drains all morning, from the change on: too slowly to leave a band near the page.
    const quiet = series(22).filter((s) => s.metric !== 'redis_command_duration_seconds_p99');
    const r = await run({ alert, series: quiet, changes, logs });
    expect(r.diagnosis?.root_cause.change_id).toBe('infra-cache-17');
  });

  it("is not a lifetime's seconds running out at the clock's own pace", async () => {
    // An access token's remaining lifetime, fetched at 100 for an hour: it falls a second every
    // second and is empty at 160 whatever the load. That is the token expiring, not lent capacity.
    const token: SeriesSpec = { metric: 'oauth_token_remaining_seconds', service: 'quote-cache', level: 3600, noise: 0, shifts: Array.from({ length: 31 }, (_, i) => ({ at: 100 + 2 * i, to: Math.max(0, 3600 - 120 * i) })) };
    const r = await run({ alert, series: series(null, token), changes, logs });
    expect(r.diagnosis?.root_cause.change_id).not.toBe('infra-cache-17');
  });

  it('is not blamed when the reserve never drained', async () => {
    const r = await run({ alert, series: series(null), changes, logs });
    expect(r.diagnosis?.root_cause.change_id).not.toBe('infra-cache-17');
  });
});
