// A label that names what is done is no party. The brokers' request time is split by request
// type; at 100 the Produce requests slow while Fetch holds, and the ingest edge, which
// produces, logs its produces as slow and pages. "Produce" is an operation of the brokers, not
// a dependency outside the bundle: nothing here names a party that failed.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every } from './synthetic.js';

const run = syntheticRunner('operation-not-party', { start: '2036-06-03T00:00:00Z', minutes: 160, stepSeconds: 60 });

describe('a label naming an operation', () => {
  it('is no outside dependency', async () => {
    const requestTime = (request: string, slows: boolean) => ({
      metric: 'kafka_network_request_total_time_ms',
      service: 'kafka',
      labels: { request, quantile: '0.99' },
      level: 8,
      noise: 0.05,
      ...(slows ? { shifts: [{ at: 100, to: 1100 }] } : {}),
    });
    const r = await run({
      alert: { title: 'ingest 503s', service: 'ingest-edge', at: 108 },
      series: [
        requestTime('Produce', true),
        requestTime('Fetch', false),
        requestTime('Metadata', false),
        { metric: 'http_5xx_ratio', service: 'ingest-edge', level: 0.001, noise: 0.1, shifts: [{ at: 101, to: 0.3 }] },
        { metric: 'http_requests_per_second', service: 'ingest-edge', level: 900, noise: 0.03 },
      ],
      changes: [{ id: 'deploy-5131', service: 'ingest-edge', type: 'deploy', at: 40, summary: 'ingest-edge: header size metrics' }],
      logs: {
        'ingest-edge': [...every(0, 160, 0.5, 'info', 'batch accepted'), ...every(101, 160, 0.3, 'warn', 'kafka produce slow: 1200ms for batch')],
      },
    });
    expect(verdict(r).category).not.toBe('dependency');
  });
});
