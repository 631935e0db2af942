// Two changes whose own service shows little of what they did, each read from its diff and the
// way its clients fail. An allow rule that lost the stores' address range: at 100 the payment
// API's security group is rewritten without it, and from then every store's POS gateway times
// out connecting, while the API itself serves everyone else as before. A session lookup that
// became a Redis KEYS walk: at 99 the profile service lists a user's sessions by walking the
// shared store, which from then serves everyone late, checkout included. Each is named; with a
// harmless diff in its place, neither is.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch } from './synthetic.js';

const run = syntheticRunner('access-narrowed', { start: '2036-05-12T06:00:00Z', minutes: 160 });

const narrowed = patch(
  'terraform/payments/ingress.tf',
  ['  type        = "ingress"', '  from_port   = 443', '  cidr_blocks = ["10.40.0.0/16", "100.64.32.0/20"]'],
  ['  type        = "ingress"', '  from_port   = 443', '  cidr_blocks = ["10.40.0.0/16"]'],
);
const tagged = patch('terraform/payments/ingress.tf', ['  team = "payments"'], ['  team = "payments"', '  cost_center = "cc-210"']);

function stores(infraDiff: string): Parameters<typeof run>[0] {
  return {
    alert: { title: 'POS authorisations failing', service: 'pos-gateway', at: 106 },
    series: [
      { metric: 'pos_requests_per_second', service: 'pos-gateway', level: 60, noise: 0.05 },
      { metric: 'pos_upstream_error_ratio', service: 'pos-gateway', level: 0.003, noise: 0.1, shifts: [{ at: 100, to: 0.9 }] },
      { metric: 'pos_request_duration_seconds_p99', service: 'pos-gateway', level: 0.4, noise: 0.05, shifts: [{ at: 100, to: 10 }] },
      { metric: 'http_requests_per_second', service: 'payments-api', level: 200, noise: 0.05, shifts: [{ at: 100, to: 140 }] },
      { metric: 'http_error_ratio', service: 'payments-api', level: 0.004, noise: 0.1 },
      { metric: 'http_request_duration_seconds_p99', service: 'payments-api', level: 0.25, noise: 0.05 },
    ],
    changes: [
      { id: 'cfg-71', service: 'pos-gateway', type: 'config', at: 20, summary: 'receipt printer poll interval 5s' },
      { id: 'deploy-2290', service: 'payments-api', type: 'deploy', at: 62, summary: 'idempotency key metrics', diff: patch('app/metrics.py', ['charges = Counter("charges_total", "charges")'], ['charges = Counter("charges_total", "charges")', 'hits = Counter("idempotency_hits_total", "replays")']) },
      { id: 'infra-512', service: 'payments-api', type: 'infra', at: 100, summary: 'payments ingress rules into one module', diff: infraDiff },
    ],
    logs: {
      'pos-gateway': [...every(0, 160, 0.5, 'info', 'authorize ok store=S140 210ms'), ...every(100, 160, 0.2, 'error', 'authorize failed store=S141: dial tcp 10.40.12.9:443: i/o timeout')],
      'payments-api': every(0, 160, 0.5, 'info', 'POST /v1/charges 201 61ms'),
    },
  };
}

const keysWalk = patch(
  'app/sessions.py',
  ['        raw = self.redis.get(f"sess:index:{user_id}")', '        ids = json.loads(raw) if raw else []'],
  ['        keys = self.redis.keys(f"sess:*:{user_id}")', '        ids = [k.split(":")[1] for k in keys]'],
);
const renamed = patch('app/sessions.py', ['        raw = self.redis.get(f"sess:index:{user_id}")'], ['        raw = self.redis.get(self._index_key(user_id))']);

function sharedStore(profileDiff: string): Parameters<typeof run>[0] {
  return {
    alert: { title: 'checkout p99 above 2s', service: 'checkout-api', at: 106 },
    series: [
      { metric: 'redis_cpu_utilization_ratio', service: 'session-redis', level: 0.22, noise: 0.05, shifts: [{ at: 100, to: 0.97 }] },
      { metric: 'redis_command_duration_seconds_p99', service: 'session-redis', level: 0.001, noise: 0.1, shifts: [{ at: 100, to: 0.45 }] },
      { metric: 'http_request_duration_seconds_p99', service: 'checkout-api', level: 0.18, noise: 0.05, shifts: [{ at: 100, to: 2.4 }] },
      { metric: 'http_requests_per_second', service: 'checkout-api', level: 420, noise: 0.05 },
      { metric: 'http_request_duration_seconds_p99', service: 'profile-svc', level: 0.09, noise: 0.05, shifts: [{ at: 100, to: 3.1 }] },
      { metric: 'http_requests_per_second', service: 'profile-svc', level: 35, noise: 0.05 },
    ],
    changes: [
      { id: 'deploy-8812', service: 'checkout-api', type: 'deploy', at: 30, summary: 'tax rounding library', diff: patch('src/tax.ts', ['  return Math.round(v * 100) / 100;'], ['  return roundHalfEven(v, 2);']) },
      { id: 'deploy-3307', service: 'profile-svc', type: 'deploy', at: 99, summary: 'session listing for the devices page', diff: profileDiff },
    ],
    logs: {
      'checkout-api': [...every(0, 160, 0.5, 'info', 'POST /checkout 200 140ms'), ...every(100, 160, 0.25, 'error', 'session lookup failed: redis: i/o timeout (session-redis:6379)')],
      'profile-svc': every(0, 160, 1, 'info', 'GET /account/devices 200'),
    },
  };
}

describe('a change its own service barely shows', () => {
  it('is an allow rule that lost the range its failing clients connect from', async () => {
    expect(verdict(await run(stores(narrowed)))).toEqual({ category: 'infrastructure', service: 'payments-api', change_id: 'infra-512' });
    expect(verdict(await run(stores(tagged))).change_id).toBeNull();
  });

  it('is a lookup that walks the keyspace of a store other services share', async () => {
    expect(verdict(await run(sharedStore(keysWalk)))).toEqual({ category: 'deploy', service: 'profile-svc', change_id: 'deploy-3307' });
    expect(verdict(await run(sharedStore(renamed))).change_id).not.toBe('deploy-3307');
  });
});
