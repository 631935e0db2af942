// The rules the collector decides by, each on small inputs: which PromQL a series family
// gets, the step and rate window, what a commit's type and service are, how a window and
// a log source are read, how a log's lines are kept to the window and cut to its cap.
import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shellWords } from '../../src/collect/argv.js';
import { changeService, changeType, isConfigFile } from '../../src/collect/change-rules.js';
import { LogLineWriter } from '../../src/collect/log-lines.js';
import { keepTail } from '../../src/collect/log-tail.js';
import { commandLogName, parseLogSpec, withSourceTimes } from '../../src/collect/logs.js';
import { chooseSignals, chooseStep, rateRange } from '../../src/collect/signals.js';
import { checkTimeSpec, resolveWindow } from '../../src/collect/window.js';
import { matchesAll, parseMatcher } from '../../src/definitions/index.js';
import { InputError } from '../../src/errors.js';

describe('the signals chosen for a service', () => {
  const series: Array<Record<string, string>> = [
    ...['0.1', '0.5', '+Inf'].map((le) => ({ __name__: 'http_request_duration_seconds_bucket', job: 'checkout', instance: 'a:1', le })),
    { __name__: 'http_request_duration_seconds_count', job: 'checkout', instance: 'a:1' },
    { __name__: 'http_request_duration_seconds_sum', job: 'checkout', instance: 'a:1' },
    { __name__: 'http_requests_total', job: 'checkout', instance: 'a:1', code: '200' },
    { __name__: 'http_requests_total', job: 'checkout', instance: 'a:1', code: '503' },
    { __name__: 'db_pool_in_use_connections', job: 'checkout', instance: 'a:1' },
    { __name__: 'rpc_latency_seconds', job: 'checkout', instance: 'a:1', quantile: '0.99' },
    { __name__: 'go_gc_duration_seconds_total', job: 'checkout', instance: 'a:1' },
    { __name__: 'process_start_time_seconds', job: 'checkout', instance: 'a:1' },
    { __name__: 'scrape_duration_seconds', job: 'checkout', instance: 'a:1' },
  ];

  it('reads histograms by quantile, counters as rates (with an error ratio by status), gauges and summaries as they are', () => {
    const queries = chooseSignals({ service: 'checkout', label: 'job', series }, new Map(), 60);
    const byFile = Object.fromEntries(queries.map((q) => [q.file.replace('metrics/checkout/', ''), q.query]));
    expect(byFile).toEqual({
      'http_request_duration_seconds_p99.json': 'histogram_quantile(0.99, sum by (le, job) (rate(http_request_duration_seconds_bucket{job="checkout"}[60s])))',
      'http_request_duration_seconds_p95.json': 'histogram_quantile(0.95, sum by (le, job) (rate(http_request_duration_seconds_bucket{job="checkout"}[60s])))',
      'http_request_duration_seconds_p50.json': 'histogram_quantile(0.5, sum by (le, job) (rate(http_request_duration_seconds_bucket{job="checkout"}[60s])))',
      'http_requests_error_ratio.json':
        '(sum by (job) (rate(http_requests_total{job="checkout", code=~"5..|5xx|(?i:error|errors|err|fail|failed|failure|timeout|unavailable|internal|deadlineexceeded|unknown|aborted)"}[60s])) or sum by (job) (rate(http_requests_total{job="checkout"}[60s])) * 0) / sum by (job) (rate(http_requests_total{job="checkout"}[60s]))',
      'http_requests_per_second.json': 'sum by (job, code) (rate(http_requests_total{job="checkout"}[60s]))',
      'db_pool_in_use_connections.json': 'db_pool_in_use_connections{job="checkout"}',
      'rpc_latency_seconds.json': 'rpc_latency_seconds{job="checkout"}',
      'go_gc_duration_seconds_per_second.json': 'sum by (job) (rate(go_gc_duration_seconds_total{job="checkout"}[60s]))',
    });
    // RED first, runtime internals last: a cap on queries drops those.
    const order = queries.sort((a, b) => a.rank - b.rank).map((q) => q.file.replace('metrics/checkout/', '').replace('.json', ''));
    expect(order.slice(0, 2)).toEqual(['http_request_duration_seconds_p99', 'http_requests_error_ratio']);
    expect(order.at(-1)).toBe('go_gc_duration_seconds_per_second');
  });

  it('takes a metric type from the server over the name', () => {
    const queries = chooseSignals({ service: 'cart', label: 'service', series: [{ __name__: 'orders_placed', service: 'cart' }] }, new Map([['orders_placed', 'counter']]), 120);
    expect(queries.map((q) => q.query)).toEqual(['sum by (service) (rate(orders_placed{service="cart"}[120s]))']);
  });

  it('picks a step that keeps a window under the points asked, never finer than a scrape, and a rate window of four of each', () => {
    expect(chooseStep(3 * 3_600_000, 300, 15_000)).toBe(37);
    expect(chooseStep(60_000, 300, 15_000)).toBe(15);
    expect(chooseStep(60_000, 300, null)).toBe(1);
    expect(rateRange(37, 15_000)).toBe(148);
    expect(rateRange(1, 15_000)).toBe(60);
    expect(rateRange(10, null)).toBe(240);
  });
});

describe('a commit as a change', () => {
  it('is config only when every file it touches is configuration', () => {
    expect(isConfigFile('deploy/values.yaml')).toBe(true);
    expect(isConfigFile('config/feature-flags.json')).toBe(true);
    expect(isConfigFile('.env.production')).toBe(true);
    expect(isConfigFile('package.json')).toBe(false);
    expect(isConfigFile('src/db/pool.go')).toBe(false);
    expect(changeType(['config/db.yaml', 'k8s/deploy.yaml'])).toBe('config');
    expect(changeType(['config/db.yaml', 'src/db/pool.go'])).toBe('deploy');
    expect(changeType([])).toBe('deploy');
  });

  it('belongs to the mapped service, else a service its paths name, else the repository', () => {
    const rules = { repoName: 'shop', mapping: { 'services/cart/': 'cart', shop: 'storefront' }, known: new Set(['payments', 'checkout']) };
    expect(changeService(['services/cart/a.go', 'services/cart/b.go', 'README.md'], rules)).toBe('cart');
    expect(changeService(['README.md'], rules)).toBe('storefront');
    expect(changeService(['services/payments/pool.go'], { ...rules, mapping: {} })).toBe('payments');
    expect(changeService(['README.md'], { ...rules, mapping: {} })).toBe('shop');
  });
});

describe('the window', () => {
  const now = Date.parse('2026-11-20T15:00:00Z');
  const alertStart = Date.parse('2026-11-20T14:30:00Z');

  it('reads durations ago, times, and times relative to now or the alert', () => {
    expect(resolveWindow('3h', 'now', { now, alertStart: null })).toEqual({ since: now - 3 * 3_600_000, until: now });
    expect(resolveWindow('alert-1h', 'alert+15m', { now, alertStart })).toEqual({ since: alertStart - 3_600_000, until: alertStart + 15 * 60_000 });
    expect(resolveWindow('2026-11-20T12:00:00Z', 'now-30m', { now, alertStart })).toEqual({ since: Date.parse('2026-11-20T12:00:00Z'), until: now - 30 * 60_000 });
    // Never past now: what has not happened cannot be collected.
    expect(resolveWindow('alert-1h', 'alert+2h', { now, alertStart }).until).toBe(now);
  });

  it('refuses what is not a time, and a window relative to an alert that has no start', () => {
    expect(checkTimeSpec('yesterday')).toBe('is not a time');
    expect(checkTimeSpec('alert-')).toBe('has no duration after - (like 1h, 30m)');
    expect(checkTimeSpec('alert-90m')).toBeNull();
    expect(() => resolveWindow('alert-1h', 'now', { now, alertStart: null })).toThrow(InputError);
    expect(() => resolveWindow('now', '3h', { now, alertStart: null })).toThrow('the window is empty');
  });
});

describe('a log source', () => {
  it('is split into argv as a shell would, and run without one', () => {
    expect(shellWords(`kubectl logs 'deploy/check out' --since="3h" a\\ b`)).toEqual(['kubectl', 'logs', 'deploy/check out', '--since=3h', 'a b']);
    expect(() => shellWords('echo "open')).toThrow('unbalanced');
  });

  it('is a file or glob when it names one, else a command; name= names it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'incident-spec-'));
    writeFileSync(join(dir, 'app.log'), '');
    expect(await parseLogSpec('app.log', dir)).toEqual({ kind: 'files', name: null, pattern: join(dir, 'app.log') });
    expect(await parseLogSpec('/var/log/app/*.log', dir)).toEqual({ kind: 'files', name: null, pattern: '/var/log/app/*.log' });
    expect(await parseLogSpec('api=./logs/api.log', dir)).toEqual({ kind: 'files', name: 'api', pattern: join(dir, 'logs/api.log') });
    expect(await parseLogSpec('journalctl -u checkout.service', dir)).toEqual({ kind: 'command', name: null, argv: ['journalctl', '-u', 'checkout.service'] });
  });

  it('is named after what a command reads, and the command asked for its own timestamps and the window', () => {
    expect(commandLogName(['kubectl', 'logs', 'deploy/checkout', '-c', 'app'])).toBe('checkout');
    expect(commandLogName(['kubectl', 'logs', '-n', 'prod', '-c', 'app', 'checkout-7d9f-x2'])).toBe('checkout-7d9f-x2');
    expect(commandLogName(['kubectl', 'logs', '-n', 'prod', '-l', 'app=payments', '--tail=500'])).toBe('payments');
    expect(commandLogName(['journalctl', '--unit=payments.service'])).toBe('payments');
    expect(commandLogName(['/usr/bin/dmesg'])).toBe('dmesg');
    const window = { since: Date.parse('2026-11-20T12:00:00Z'), until: Date.parse('2026-11-20T15:00:00Z') };
    expect(withSourceTimes(['kubectl', 'logs', 'deploy/checkout'], window)).toEqual(['kubectl', 'logs', 'deploy/checkout', '--timestamps', '--since-time=2026-11-20T12:00:00.000Z']);
    expect(withSourceTimes(['kubectl', 'logs', 'deploy/checkout', '--since=3h', '--timestamps=true'], window)).toEqual(['kubectl', 'logs', 'deploy/checkout', '--since=3h', '--timestamps=true']);
    expect(withSourceTimes(['journalctl', '-u', 'x'], window)).toEqual(['journalctl', '-u', 'x', '--output=short-iso-precise', '--since=@1795176000', '--until=@1795186800', '--no-pager']);
    expect(withSourceTimes(['tail', '-n', '100', 'app.log'], window)).toEqual(['tail', '-n', '100', 'app.log']);
  });
});

async function written(lines: readonly string[], window: { since: number; until: number }, segmentBytes = 1 << 20): Promise<{ text: string; summary: Awaited<ReturnType<LogLineWriter['end']>> }> {
  const dir = mkdtempSync(join(tmpdir(), 'incident-lines-'));
  let n = 0;
  const store = {
    open: () => {
      const path = join(dir, `segment-${n++}`);
      return { path, stream: createWriteStream(path) };
    },
    discard: (path: string) => rm(path, { force: true }),
  };
  const writer = new LogLineWriter(window, store, segmentBytes);
  for (const line of lines) writer.push(line);
  const summary = await writer.end();
  return { text: summary.segments.map((path) => readFileSync(path, 'utf8')).join(''), summary };
}

describe('the lines of a log on their way into the bundle', () => {
  const window = { since: Date.parse('2026-11-20T14:00:00Z'), until: Date.parse('2026-11-20T15:00:00Z') };

  it('keep the events in the window, continuation lines with theirs', async () => {
    const { text, summary } = await written(
      ['2026-11-20T13:59:59Z ERROR before', '  at before.go:1', '2026-11-20T14:10:00Z ERROR inside', '  at inside.go:2', '2026-11-20T15:00:01Z INFO after'],
      window,
    );
    expect(text).toBe('2026-11-20T14:10:00Z ERROR inside\n  at inside.go:2\n');
    expect(summary).toMatchObject({ format: 'text', timestamped: true, linesIn: 5, linesKept: 2 });
  });

  it('read JSON lines by their time field', async () => {
    const { text, summary } = await written(['{"ts":"2026-11-20T13:00:00Z","msg":"old"}', '{"time":1795183200,"msg":"in"}'], window);
    expect(text).toBe('{"time":1795183200,"msg":"in"}\n');
    expect(summary.format).toBe('jsonl');
  });

  it('keep lines without timestamps as they came, and say so', async () => {
    const { text, summary } = await written(['starting worker', 'connected'], window);
    expect(text).toBe('starting worker\nconnected\n');
    expect(summary.timestamped).toBe(false);
  });

  it('roll over segments that keep the latest lines, then are cut to the cap at a whole event', async () => {
    const lines = Array.from({ length: 100 }, (_, i) => `2026-11-20T14:${String(Math.floor(i / 2)).padStart(2, '0')}:0${i % 2}Z INFO event ${i}\n  detail ${i}`).flatMap((l) => l.split('\n'));
    const { text, summary } = await written(lines, window, 1000);
    // Never more than two segments on disk, whatever the source printed; together the latest lines.
    expect(summary.segments.length).toBe(2);
    expect(summary.bytes).toBe(Buffer.byteLength(`${lines.join('\n')}\n`));
    expect(text.length).toBeLessThan(2 * 1000 + 100);
    expect(text.endsWith('  detail 99\n')).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'incident-tail-'));
    const full = join(dir, 'full');
    writeFileSync(full, text);
    const cut = await keepTail(full, join(dir, 'cut'), 500, true);
    const kept = readFileSync(join(dir, 'cut'), 'utf8');
    expect(cut?.kept).toBe(Buffer.byteLength(kept));
    expect(kept.length).toBeLessThanOrEqual(500);
    expect(kept.startsWith('2026-11-20T14:')).toBe(true);
    expect(kept.endsWith('  detail 99\n')).toBe(true);
  });
});

describe('alert matchers', () => {
  it('read as Alertmanager writes them, and match whole values', () => {
    const matchers = ['alertname="CheckoutLatencyHigh"', 'severity=~"page|critical"', 'env!=staging'].map(parseMatcher);
    expect(matchers[0]).toEqual({ label: 'alertname', op: '=', value: 'CheckoutLatencyHigh' });
    const parsed = matchers.filter((m): m is Exclude<typeof m, string> => typeof m !== 'string');
    expect(matchesAll(parsed, { alertname: 'CheckoutLatencyHigh', severity: 'page' })).toBe(true);
    expect(matchesAll(parsed, { alertname: 'CheckoutLatencyHigh', severity: 'pager' })).toBe(false);
    expect(matchesAll(parsed, { alertname: 'CheckoutLatencyHigh', severity: 'critical', env: 'staging' })).toBe(false);
    expect(parseMatcher('severity=~"("')).toMatch(/^its regular expression does not compile/);
    expect(parseMatcher('not a matcher')).toMatch(/^must be label="value"/);
  });
});
