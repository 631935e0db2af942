import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/bundle/csv.js';
import { openBundle } from '../../src/bundle/open.js';
import { writeBundle } from './helpers.js';

const range = (result: unknown[]): string => JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } });

describe('metrics/*.json (Prometheus query_range)', () => {
  it('reads values as numbers and NaN/+Inf/-Inf as gaps; name from __name__ else the file', async () => {
    const root = await writeBundle({
      'metrics/latency.json': range([
        {
          metric: { __name__: 'http_request_duration_p99_seconds', service: 'checkout' },
          values: [[1795183200, '0.31'], [1795183215, 'NaN'], [1795183230, '+Inf'], [1795183245, '-Inf'], [1795183260, '2.4']],
        },
      ]),
      'metrics/checkout/p99.json': range([{ metric: {}, values: [[1795183200.5, '1']] }]),
      'metrics/p50.json': range([{ metric: {}, values: [[1795183200, '1']] }]),
      'metrics/errors.json': range([{ metric: { job: 'cart', code: '500' }, values: [[1795183200, '3']] }]),
    });
    const bundle = await openBundle(root);
    const series = await bundle.series();
    const byId = Object.fromEntries(series.map((s) => [s.id, s]));
    expect(Object.keys(byId).sort()).toEqual([
      'errors{code="500",job="cart"}',
      'http_request_duration_p99_seconds{service="checkout"}',
      'p50',
      'p99{service="checkout"}',
    ]);
    const latency = byId['http_request_duration_p99_seconds{service="checkout"}'];
    expect(latency?.samples.map((s) => s.v)).toEqual([0.31, null, null, null, 2.4]);
    expect(latency).toMatchObject({ name: 'http_request_duration_p99_seconds', service: 'checkout', file: 'metrics/latency.json' });
    expect(byId['p99{service="checkout"}']).toMatchObject({ name: 'p99', service: 'checkout', labels: {}, samples: [{ t: 1795183200500, v: 1 }] });
    expect(byId.p50?.service).toBeNull();
    expect(byId['errors{code="500",job="cart"}']?.service).toBe('cart');
    expect(bundle.problems()).toEqual([]);
  });

  it('reports malformed files and samples without failing the others', async () => {
    const root = await writeBundle({
      'metrics/broken.json': '{"status":"success","data":',
      'metrics/error.json': JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error' }),
      'metrics/bad-sample.json': range([{ metric: { __name__: 'x' }, values: [['soon', '1'], [1795183200, 'abc'], [1795183215, '2']] }]),
    });
    const bundle = await openBundle(root);
    const series = await bundle.series();
    expect(series.map((s) => [s.id, s.samples])).toEqual([['x', [{ t: 1795183200000, v: null }, { t: 1795183215000, v: 2 }]]]);
    expect(bundle.problems().map((p) => p.path).sort()).toEqual(['metrics/bad-sample.json', 'metrics/broken.json', 'metrics/error.json']);
  });

  it('keeps ids unique when two files hold the same series', async () => {
    const same = range([{ metric: { __name__: 'up' }, values: [[1795183200, '1']] }]);
    const bundle = await openBundle(await writeBundle({ 'metrics/a.json': same, 'metrics/b.json': same }));
    expect((await bundle.series()).map((s) => s.id)).toEqual(['up', 'up@metrics/b.json']);
  });
});

describe('metrics/*.csv', () => {
  it('groups rows into series; extra columns are labels, empty cells absent; NaN and empty values are gaps', async () => {
    const csv = [
      'timestamp,metric,value,service,pod,quantile',
      '2026-11-20T14:00:00Z,latency_seconds,0.3,checkout,pod-1,0.99',
      '1795183215,latency_seconds,NaN,checkout,pod-1,0.99',
      '1795183230000,latency_seconds,,checkout,pod-1,0.99',
      '2026-11-20T14:00:00Z,queue_depth,12,,,',
      '2026-11-20T14:00:45Z,latency_seconds,2.5,checkout,pod-1,0.99',
      '2026-11-20T14:00:15Z,queue_depth,+Inf,,,',
    ].join('\r\n');
    const bundle = await openBundle(await writeBundle({ 'metrics/checkout.csv': csv }));
    const series = await bundle.series();
    expect(series.map((s) => [s.id, s.service, s.labels, s.samples.map((x) => x.v)])).toEqual([
      ['latency_seconds{pod="pod-1",quantile="0.99",service="checkout"}', 'checkout', { service: 'checkout', pod: 'pod-1', quantile: '0.99' }, [0.3, null, null, 2.5]],
      ['queue_depth', null, {}, [12, null]],
    ]);
    expect(series[0]?.samples.map((s) => s.t)).toEqual([1795183200000, 1795183215000, 1795183230000, 1795183245000]);
  });

  it('reads quoted cells: a label value may hold commas and quotes', async () => {
    const csv = 'timestamp,metric,value,route\n1795183200,requests_total,5,"/search?q=a,b"\n1795183200,requests_total,7,"say ""hi"""\n';
    const bundle = await openBundle(await writeBundle({ 'metrics/req.csv': csv }));
    expect((await bundle.series()).map((s) => s.labels.route)).toEqual(['/search?q=a,b', 'say "hi"']);
    expect(bundle.problems()).toEqual([]);
  });

  it('service falls back to job, app, then the parent folder', async () => {
    const csv = 'timestamp,metric,value,job,app\n1795183200,a,1,worker,\n1795183200,b,1,,web\n1795183200,c,1,,\n';
    const bundle = await openBundle(await writeBundle({ 'metrics/search/m.csv': csv }));
    expect((await bundle.series()).map((s) => [s.name, s.service])).toEqual([
      ['a', 'worker'],
      ['b', 'web'],
      ['c', 'search'],
    ]);
  });

  it('reports a header without the required columns, and bad rows by line', async () => {
    const bundle = await openBundle(
      await writeBundle({
        'metrics/nohead.csv': 'time,value\n1,2\n',
        'metrics/rows.csv': 'timestamp,metric,value\nnot-a-time,a,1\n1795183200,,1\n1795183200,a,abc\n1795183200,a,1,extra\n',
      }),
    );
    const series = await bundle.series();
    expect(series.map((s) => [s.id, s.samples])).toEqual([['a', [{ t: 1795183200000, v: null }]]]);
    expect(bundle.problems().map((p) => `${p.path}:${p.line}`)).toEqual([
      'metrics/nohead.csv:1',
      'metrics/rows.csv:2',
      'metrics/rows.csv:3',
      'metrics/rows.csv:4',
      'metrics/rows.csv:5',
    ]);
  });
});

describe('parseCsv', () => {
  it('reads quoted fields with delimiters, doubled quotes and newlines', () => {
    const rows = [...parseCsv('a,b,c\n"x, y","say ""hi""","two\nlines"\r\n\nlast,,\n')];
    expect(rows).toEqual([
      { cells: ['a', 'b', 'c'], line: 1 },
      { cells: ['x, y', 'say "hi"', 'two\nlines'], line: 2 },
      { cells: ['last', '', ''], line: 5 },
    ]);
  });

  it('uses tabs or semicolons when the header has no comma', () => {
    expect([...parseCsv('a\tb\n1\t2')].map((r) => r.cells)).toEqual([['a', 'b'], ['1', '2']]);
    expect([...parseCsv('a;b\n1;2')].map((r) => r.cells)).toEqual([['a', 'b'], ['1', '2']]);
  });
});
