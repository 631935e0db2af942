// A database's volume degraded just as a crowd arrived at another service (gates opening in the
// morning). The database saturated; its own traffic held. Its logs and its disk's own latency say
// the disk failed. The crowd elsewhere never reached it, so it is no rival to the failure that
// explains the saturation, and the diagnosis is the disk, not "unknown".
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('disk-beside-crowd', { start: '2038-02-13T06:00:00Z', minutes: 200 });

const series: SeriesSpec[] = [
  { metric: 'gate_scans_per_second', service: 'access-control', level: 4, noise: 0.05, shifts: [{ at: 150, to: 45 }] },
  { metric: 'lift_requests_per_second', service: 'lift-status', level: 6, noise: 0.05, shifts: [{ at: 150, to: 50 }] },
  { metric: 'orders_requests_per_second', service: 'orders', level: 40, noise: 0.05 },
  { metric: 'orders_request_duration_seconds_p99', service: 'orders', level: 0.2, noise: 0.05, shifts: [{ at: 150, to: 6 }] },
  { metric: 'pg_queries_per_second', service: 'orders-db', level: 400, noise: 0.05 },
  { metric: 'pg_active_connections_ratio', service: 'orders-db', level: 0.3, noise: 0.05, shifts: [{ at: 150, to: 1 }] },
  { metric: 'node_disk_write_await_seconds', service: 'orders-db', level: 0.002, noise: 0.1, shifts: [{ at: 150, to: 0.3 }] },
  { metric: 'shop_http_5xx_ratio', service: 'shop-bff', level: 0.004, noise: 0.1, shifts: [{ at: 151, to: 0.3 }] },
];

describe('a disk that failed as a crowd came elsewhere', () => {
  it('is the cause: the crowd never reached the service that saturated', async () => {
    const r = await run({
      alert: { title: 'checkout failing', service: 'shop-bff', at: 158 },
      series,
      changes: [],
      logs: {
        'orders-db': [...every(0, 200, 5, 'info', 'checkpoint complete'), ...every(150, 200, 1, 'warn', 'kernel: EBS volume vol-0a1 I/O performance degraded')],
        orders: [...every(0, 200, 2, 'info', 'order created'), ...every(151, 200, 1, 'error', 'order creation failed: upstream orders-db timeout')],
        'access-control': every(0, 200, 2, 'info', 'gate scan ok'),
      },
    });
    expect(verdict(r)).toEqual({ category: 'infrastructure', service: 'orders-db', change_id: null });
  });
});
