import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { classifyPath } from '../../src/bundle/classify.js';
import { BundleOpenError, openBundle } from '../../src/bundle/open.js';
import { collect, writeBundle } from './helpers.js';

describe('classifyPath', () => {
  it('classifies by folder at any depth, then root names, then extension', () => {
    const cases: Array<[string, string]> = [
      ['incident.yaml', 'alert_yaml'],
      ['incident.yml', 'alert_yaml'],
      ['alert.json', 'alert_json'],
      ['changes.yaml', 'changes'],
      ['changes.json', 'changes'],
      ['metrics/p99.json', 'metrics_json'],
      ['metrics/checkout/p99.json.gz', 'metrics_json'],
      ['metrics/rates.csv', 'metrics_csv'],
      ['metrics/notes.txt', 'unknown'],
      ['logs/api.log', 'log_text'],
      ['logs/api.log.gz', 'log_text'],
      ['logs/api.jsonl.gz', 'log_jsonl'],
      ['logs/worker.out', 'log_text'],
      ['svc/logs/api.log', 'log_text'],
      ['diffs/deploy-1.txt', 'diff'],
      ['runbooks/checkout.md', 'runbook'],
      ['extra/fix.patch', 'diff'],
      ['extra/app.jsonl', 'log_jsonl'],
      ['extra/app.log', 'log_text'],
      ['README.md', 'runbook'],
      ['nested/incident.yaml', 'unknown'],
      ['screenshot.png', 'unknown'],
    ];
    for (const [path, kind] of cases) expect([path, classifyPath(path)]).toEqual([path, kind]);
  });

  it('lets the folders above a root-level file decide only what nothing else recognises', () => {
    expect(classifyPath('p99.json', ['checkout', 'metrics'])).toBe('metrics_json');
    expect(classifyPath('api.txt', ['logs'])).toBe('log_text');
    expect(classifyPath('incident.yaml', ['logs'])).toBe('alert_yaml');
    expect(classifyPath('notes.md', ['logs'])).toBe('runbook');
    expect(classifyPath('p99.json', ['elsewhere'])).toBe('unknown');
  });
});

describe('openBundle', () => {
  it('walks a directory: sorted posix paths, sizes, gzip by magic bytes, dot-files left out', async () => {
    const root = await writeBundle({
      'incident.yaml': 'title: t\n',
      'logs/api.log.gz': gzipSync('x\n'),
      'logs/sneaky.log': gzipSync('y\n'),
      'logs/plain.log': 'z\n',
      'notes/todo.xyz': '?',
      '.DS_Store': 'junk',
      '.git/HEAD': 'ref',
    });
    const bundle = await openBundle(root);
    expect(bundle.root).toBe(root);
    expect(bundle.files.map((f) => [f.path, f.kind, f.gzip])).toEqual([
      ['incident.yaml', 'alert_yaml', false],
      ['logs/api.log.gz', 'log_text', true],
      ['logs/plain.log', 'log_text', false],
      ['logs/sneaky.log', 'log_text', true],
      ['notes/todo.xyz', 'unknown', false],
    ]);
    expect(bundle.files[0]).toMatchObject({ absPath: join(root, 'incident.yaml'), size: 9 });
  });

  it('opens a list of files: their common folder is the root', async () => {
    const root = await writeBundle({
      'incident.yaml': 'title: Latency\nservice: checkout\n',
      'logs/checkout.log': '2026-11-20T14:00:00Z ERROR boom\n',
      'metrics/checkout/p99.json': JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values: [[1795183200, '1']] }] } }),
      'logs/ignored.log': 'not given\n',
    });
    const bundle = await openBundle([join(root, 'logs/checkout.log'), join(root, 'incident.yaml'), join(root, 'metrics/checkout/p99.json')]);
    expect(bundle.root).toBe(root);
    expect(bundle.files.map((f) => f.path)).toEqual(['incident.yaml', 'logs/checkout.log', 'metrics/checkout/p99.json']);
    expect((await bundle.alert())?.service).toBe('checkout');
    expect((await bundle.series()).map((s) => [s.id, s.service])).toEqual([['p99{service="checkout"}', 'checkout']]);
    const log = bundle.files.find((f) => f.path === 'logs/checkout.log');
    expect((await collect(bundle.logEvents(log!))).map((e) => e.service)).toEqual(['checkout']);
  });

  it('a single file given alone keeps its folder as a hint', async () => {
    const root = await writeBundle({ 'metrics/checkout/p99.json': '{"data":{"result":[{"values":[[1795183200,"1"]]}]}}', 'logs/api.txt': 'x' });
    const metrics = await openBundle([join(root, 'metrics/checkout/p99.json')]);
    expect(metrics.files.map((f) => [f.path, f.kind])).toEqual([['p99.json', 'metrics_json']]);
    expect((await metrics.series()).map((s) => [s.name, s.service])).toEqual([['p99', 'checkout']]);
    const log = await openBundle(join(root, 'logs/api.txt'));
    expect(log.files.map((f) => [f.path, f.kind])).toEqual([['api.txt', 'log_text']]);
  });

  it('throws a clear error only for paths that do not exist', async () => {
    const root = await writeBundle({ 'incident.yaml': 'title: t\n' });
    await expect(openBundle(join(root, 'nope'))).rejects.toThrow(BundleOpenError);
    await expect(openBundle([join(root, 'incident.yaml'), join(root, 'missing.log')])).rejects.toThrow(/missing\.log does not exist/);
    await expect(openBundle([])).rejects.toThrow(/no bundle files/);
  });

  it('an empty directory is an empty bundle, and everything reads as absent', async () => {
    const bundle = await openBundle(await writeBundle({}));
    expect(bundle.files).toEqual([]);
    expect(await bundle.alert()).toBeNull();
    expect(await bundle.series()).toEqual([]);
    expect(await bundle.changes()).toEqual([]);
    expect(await bundle.diffs()).toEqual([]);
    expect(await bundle.diffFor('deploy-1')).toBeNull();
    expect(bundle.problems()).toEqual([]);
  });

  it('incident.yaml is the page and alert.json alerts beside it become context', async () => {
    const bundle = await openBundle(
      await writeBundle({
        'incident.yaml': 'title: Checkout slow\nservice: checkout\nstarted_at: 1795183200\n',
        'alert.json': JSON.stringify({ alerts: [{ status: 'firing', labels: { alertname: 'HighLatency', job: 'checkout' }, startsAt: '2026-11-20T14:00:00Z' }] }),
      }),
    );
    const alert = await bundle.alert();
    expect(alert).toMatchObject({ source: 'incident.yaml', title: 'Checkout slow' });
    expect(alert?.others).toEqual([{ title: 'HighLatency', service: 'checkout', startedAt: 1795183200000, status: 'firing' }]);
  });
});
