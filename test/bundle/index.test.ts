import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openBundle } from '../../src/bundle/index.js';
import { writeBundle } from './helpers.js';

const at = (hhmmss: string): number => Date.parse(`2026-11-20T${hhmmss}Z`);

async function fullBundle(): Promise<string> {
  return writeBundle({
    'incident.yaml': 'title: Checkout p99 above 2s\nservice: checkout\nseverity: SEV2\nstarted_at: 2026-11-20T14:05:00Z\n',
    'metrics/latency.json': JSON.stringify({
      status: 'success',
      data: {
        resultType: 'matrix',
        result: [{ metric: { __name__: 'http_p99_seconds', service: 'checkout' }, values: [[at('13:50:00') / 1000, '0.3'], [at('14:00:00') / 1000, 'NaN'], [at('14:10:00') / 1000, '2.4']] }],
      },
    }),
    'metrics/db/pool.csv': 'timestamp,metric,value\n2026-11-20T13:55:00Z,pool_in_use_ratio,0.4\n2026-11-20T14:06:00Z,pool_in_use_ratio,1\n',
    'changes.yaml': [
      '- id: deploy-4821',
      '  service: checkout',
      '  type: deploy',
      '  at: 2026-11-20T14:01:30Z',
      '- id: flag-search-v2',
      '  service: search',
      '  type: feature_flag',
      '  at: 1795180000',
    ].join('\n'),
    'diffs/deploy-4821.patch': 'diff --git a/a.ts b/a.ts\n--- a/a.ts\n+++ b/a.ts\n@@ -1 +1 @@\n-x\n+y\ndiff --git a/b.ts b/b.ts\n--- a/b.ts\n+++ b/b.ts\n@@ -1 +1 @@\n-x\n+y\n',
    'logs/checkout.log': [
      'boot banner',
      '2026-11-20T14:00:00Z INFO started',
      '2026-11-20T14:02:00Z ERROR [pool-1] com.example.Pay - timeout',
      '\tat com.example.Pay.call(Pay.java:1)',
      '1795183500 [payments] WARN retrying',
      '2026-11-20T14:20:00Z level=error svc=cart msg="stock lookup failed"',
    ].join('\n'),
    'logs/api.jsonl.gz': gzipSync(
      ['{"time":"2026-11-20T13:40:00Z","level":30,"msg":"ok"}', '{"time":1795183800000,"level":"fatal","msg":"dead","service":"gateway"}', 'oops'].join('\n'),
    ),
    'logs/empty.log': '',
    'runbooks/checkout.md': '# Checkout\n',
    'screenshot.png': Buffer.from([0x89, 0x50]),
  });
}

describe('bundle index', () => {
  it('summarises every part of a bundle in one pass', async () => {
    const bundle = await openBundle(await fullBundle());
    const index = await bundle.index();
    expect(index.alert).toMatchObject({ title: 'Checkout p99 above 2s', service: 'checkout' });
    expect(index.services).toEqual(['api', 'cart', 'checkout', 'db', 'gateway', 'payments', 'search']);
    expect(index.series).toEqual([
      { id: 'pool_in_use_ratio{service="db"}', name: 'pool_in_use_ratio', service: 'db', file: 'metrics/db/pool.csv', samples: 2, gaps: 0, start: at('13:55:00'), end: at('14:06:00') },
      { id: 'http_p99_seconds{service="checkout"}', name: 'http_p99_seconds', service: 'checkout', file: 'metrics/latency.json', samples: 3, gaps: 1, start: at('13:50:00'), end: at('14:10:00') },
    ]);
    expect(index.changes).toEqual([
      { id: 'flag-search-v2', service: 'search', type: 'feature_flag', at: 1795180000000, diff: null },
      { id: 'deploy-4821', service: 'checkout', type: 'deploy', at: at('14:01:30'), diff: 'diffs/deploy-4821.patch' },
    ]);
    expect(index.diffs).toEqual([{ path: 'diffs/deploy-4821.patch', changeId: 'deploy-4821', files: 2 }]);
    expect(index.logs).toEqual([
      { file: 'logs/api.jsonl.gz', format: 'jsonl', gzip: true, bytes: expect.any(Number), events: 2, services: ['api', 'gateway'], levels: { info: 1, fatal: 1 }, start: at('13:40:00'), end: at('14:10:00'), malformed: 1 },
      { file: 'logs/checkout.log', format: 'text', gzip: false, bytes: expect.any(Number), events: 4, services: ['cart', 'checkout', 'payments'], levels: { info: 1, error: 2, warn: 1 }, start: at('14:00:00'), end: at('14:20:00'), malformed: 1 },
      { file: 'logs/empty.log', format: 'text', gzip: false, bytes: 0, events: 0, services: [], levels: {}, start: null, end: null, malformed: 0 },
    ]);
    expect(index.runbooks).toEqual(['runbooks/checkout.md']);
    expect(index.unknown).toEqual(['screenshot.png']);
    expect(index.timeSpan).toEqual({ start: 1795180000000, end: at('14:20:00') });
    expect(index.problems.map((p) => `${p.path}:${p.line ?? ''}`).sort()).toEqual(['logs/api.jsonl.gz:3', 'logs/checkout.log:1']);
  });

  it('is cached, and a pass cancelled before it starts is not', async () => {
    const bundle = await openBundle(await fullBundle());
    const controller = new AbortController();
    controller.abort();
    await expect(bundle.index({ signal: controller.signal })).rejects.toThrow();
    const first = await bundle.index();
    expect(await bundle.index()).toBe(first);
  });

  it('reading the same log twice reports its problems once', async () => {
    const bundle = await openBundle(await fullBundle());
    const log = bundle.files.find((f) => f.path === 'logs/checkout.log');
    for (let k = 0; k < 2; k++) for await (const _ of bundle.logEvents(log!)) void _;
    expect(bundle.problems()).toEqual([{ path: 'logs/checkout.log', line: 1, message: expect.any(String) }]);
  });
});
