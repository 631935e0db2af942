import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { triage } from './helpers.js';
import { every, patch, writeBundle, type BundleSpec } from './synthetic.js';
import { tempDir } from './transform.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

async function diagnose(spec: BundleSpec): Promise<{ category?: string; service?: string | null; change_id?: string | null }> {
  const dir = tempDir('synthetic');
  made.push(dir);
  const run = await triage(writeBundle(dir, spec));
  return { ...run.diagnosis?.root_cause, description: undefined } as { category?: string; service?: string | null; change_id?: string | null };
}

const START = '2031-03-14T06:00:00Z';
const quiet = (service: string): Array<{ at: number; level: string; message: string }> => every(0, 150, 3, 'info', `${service} heartbeat ok`);

describe('the triage reasoning on bundles no fixture resembles', () => {
  it('blames load, not a harmless release that happened to land just before it', async () => {
    const verdict = await diagnose({
      start: START,
      minutes: 150,
      alert: { title: 'ShopLatencyHigh', service: 'shop', at: 108 },
      series: [
        { metric: 'edge_requests_per_second', service: 'edge', labels: { route: '/shop' }, level: 200, shifts: [{ at: 100, to: 460 }] },
        { metric: 'edge_requests_per_second', service: 'edge', labels: { route: '/cart' }, level: 150, shifts: [{ at: 100, to: 330 }] },
        { metric: 'shop_requests_per_second', service: 'shop', level: 200, shifts: [{ at: 100, to: 460 }] },
        { metric: 'shop_request_duration_p99_seconds', service: 'shop', level: 0.3, shifts: [{ at: 101, to: 2.5 }] },
        { metric: 'shop_cpu_utilisation_ratio', service: 'shop', level: 0.55, shifts: [{ at: 101, to: 0.97 }] },
        { metric: 'shopdb_cpu_utilisation_ratio', service: 'shopdb', level: 0.3 },
      ],
      changes: [
        { id: 'cfg-2', service: 'edge', type: 'config', at: 60, summary: 'Add a response header' },
        {
          id: 'deploy-1',
          service: 'shop',
          type: 'deploy',
          at: 98,
          summary: 'Update footer links',
          diff: patch('templates/footer.html', ['  <a href="/old-help">Help</a>'], ['  <a href="/help">Help</a>']),
        },
      ],
      logs: { shop: [...quiet('shop'), ...every(101, 150, 0.5, 'warn', 'request queue full, shedding request')] },
    });
    expect(verdict).toMatchObject({ category: 'capacity', service: 'shop', change_id: null });
  });

  it('never blames a change that took effect after the onset, however risky its diff', async () => {
    const verdict = await diagnose({
      start: START,
      minutes: 150,
      alert: { title: 'ApiErrors', service: 'api', at: 110 },
      series: [
        { metric: 'api_request_duration_p99_seconds', service: 'api', level: 0.2, shifts: [{ at: 100, to: 1.8 }] },
        { metric: 'api_errors_ratio', service: 'api', level: 0.001, shifts: [{ at: 100, to: 0.05 }] },
        { metric: 'store_cpu_utilisation_ratio', service: 'store', level: 0.3 },
      ],
      changes: [
        { id: 'deploy-b', service: 'api', type: 'deploy', at: 60, summary: 'Tidy imports', diff: patch('api/app.py', ['import os, sys'], ['import os', 'import sys']) },
        {
          id: 'deploy-a',
          service: 'api',
          type: 'deploy',
          at: 103,
          summary: 'Read results straight from the store',
          diff: patch('api/results.py', ['    cached = cache.get(key)', '    if cached:', '        return cached'], ['    return store.load(key)']),
        },
      ],
    });
    expect(verdict).toMatchObject({ category: 'unknown', change_id: null });
  });

  it('follows a flood of calls back to the caller whose release added retries', async () => {
    const verdict = await diagnose({
      start: START,
      minutes: 150,
      alert: { title: 'BackLatencyHigh', service: 'back', at: 107 },
      series: [
        { metric: 'back_requests_per_second', service: 'back', labels: { caller: 'front' }, level: 100, shifts: [{ at: 100, to: 380 }] },
        { metric: 'back_requests_per_second', service: 'back', labels: { caller: 'batch' }, level: 40 },
        { metric: 'back_request_duration_p99_seconds', service: 'back', level: 0.15, shifts: [{ at: 100.5, to: 1.9 }] },
        { metric: 'back_cpu_utilisation_ratio', service: 'back', level: 0.5, shifts: [{ at: 100.5, to: 0.98 }] },
        { metric: 'front_requests_per_second', service: 'front', level: 100 },
      ],
      changes: [
        { id: 'deploy-8', service: 'back', type: 'deploy', at: 80, summary: 'Refactor serializers (no behaviour change)', diff: patch('back/ser.go', ['func a() {}'], ['func b() {}']) },
        {
          id: 'deploy-7',
          service: 'front',
          type: 'deploy',
          at: 99.5,
          summary: 'Make calls to back resilient',
          diff: patch('front/client.ts', ['  return http.post(url, body);'], ['  const retries = 4;', '  return withRetry(() => http.post(url, body), { retries });']),
        },
      ],
    });
    expect(verdict).toMatchObject({ category: 'deploy', service: 'front', change_id: 'deploy-7' });
  });

  it('does not blame a change on the paged service for its timing alone', async () => {
    const verdict = await diagnose({
      start: START,
      minutes: 150,
      alert: { title: 'QuoteLatencyHigh', service: 'quote', at: 110 },
      series: [
        { metric: 'quote_request_duration_p99_seconds', service: 'quote', level: 0.25, shifts: [{ at: 101, to: 2.2 }] },
        { metric: 'quote_errors_ratio', service: 'quote', level: 0.002, shifts: [{ at: 101.5, to: 0.04 }] },
        { metric: 'ledgerdb_queries_per_second', service: 'ledgerdb', level: 300, shifts: [{ at: 101, to: 2400 }] },
        { metric: 'ledgerdb_cpu_utilisation_ratio', service: 'ledgerdb', level: 0.3, shifts: [{ at: 101, to: 0.95 }] },
      ],
      changes: [
        {
          id: 'deploy-42',
          service: 'quote',
          type: 'deploy',
          at: 95,
          summary: 'Always read fresh rates',
          diff: patch('quote/rates.py', ['    rate = rate_cache.get(sku)', '    if rate is None:', '        rate = db.fetch_rate(sku)'], ['    rate = db.fetch_rate(sku)']),
        },
        { id: 'cfg-43', service: 'quote', type: 'config', at: 100, summary: 'Log sampling 1% -> 2%' },
      ],
    });
    expect(verdict.change_id).not.toBe('cfg-43');
  });

  it('ends an empty bundle with an honest unknown', async () => {
    const dir = tempDir('empty');
    made.push(dir);
    const run = await triage(dir);
    expect(run.diagnosis?.root_cause).toMatchObject({ category: 'unknown', change_id: null });
  });

  // With no metrics, the logs date the onset: a change is blamed only when its own
  // service's errors begin right after it, and never when they began before it.
  const logsOnly = (errorsFrom: number): BundleSpec => ({
    start: START,
    minutes: 150,
    alert: { title: 'Errors', service: 'api', at: 120 },
    series: [],
    changes: [{ id: 'deploy-c', service: 'api', type: 'deploy', at: 118, summary: 'Change the pool', diff: patch('api/db.yaml', ['maxConns: 40'], ['maxConns: 4']) }],
    logs: { api: [...quiet('api'), ...every(errorsFrom, 150, 0.5, 'error', 'could not get a connection')] },
  });

  it('with logs only, blames the change its service started failing right after', async () => {
    expect(await diagnose(logsOnly(119))).toMatchObject({ category: 'deploy', change_id: 'deploy-c' });
  });

  it('with logs only, blames nothing when the errors began before the change', async () => {
    expect(await diagnose(logsOnly(100))).toMatchObject({ change_id: null });
  });
});
