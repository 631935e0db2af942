// A bundle whose lists are too long to show together (here, series named by very long labels):
// the overview gives counts and no lists, and each list is read by its section. The logs were once left out that way, and a
// bundle with many series was investigated as though it had no logs at all.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import type { SeriesSpec } from './synthetic.js';

const run = syntheticRunner('overview', { start: '2035-01-10T06:00:00Z', minutes: 120 });

const many: SeriesSpec[] = Array.from({ length: 60 }, (_, i) => ({ metric: `node_filesystem_avail_bytes`, service: 'fleet', labels: { mountpoint: `/data${i}`, volume: `pvc-${String(i).padStart(4, '0')}-${'a1b2c3d4e5f6'.repeat(30)}` }, level: 5e11, noise: 0.001 }));

describe('an overview too long to show at once', () => {
  it('reads the log files by their section, and investigates with them', async () => {
    const r = await run({
      alert: { title: 'checkout errors', service: 'checkout', at: 100 },
      series: [...many, { metric: 'http_error_ratio', service: 'checkout', level: 0.001, noise: 0.1, shifts: [{ at: 90, to: 0.2 }] }],
      changes: [],
      logs: {
        checkout: [
          ...Array.from({ length: 40 }, (_, i) => ({ at: i * 2, level: 'info', message: 'order placed' })),
          ...Array.from({ length: 10 }, (_, i) => ({ at: 90 + i, level: 'error', message: 'x509: certificate has expired or is not yet valid' })),
        ],
      },
    });
    const overview = r.toolCalls.filter((call) => call.name === 'describe_bundle');
    expect(overview.some((call) => call.input['section'] === 'logs')).toBe(true);
    const first = r.events.find((e) => e.type === 'agent.message');
    expect((first?.content[0] as { text: string }).text).toContain('1 log file');
  });
});
