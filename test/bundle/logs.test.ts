import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseJsonLogLine } from '../../src/bundle/log-jsonl.js';
import { logServiceName, MAX_CONTINUATION_LINES, readLogEventBatches, readLogEvents, type LogSource } from '../../src/bundle/logs.js';
import { collect, iso, problemLog, writeBundle } from './helpers.js';

async function source(path: string, content: string | Buffer): Promise<LogSource> {
  const root = await writeBundle({ [path]: content });
  const kind = /\.jsonl/.test(path) ? 'log_jsonl' : 'log_text';
  return { path, absPath: join(root, path), kind, gzip: path.endsWith('.gz') };
}

describe('text logs', () => {
  it('groups continuation lines (a stack trace) under the event above, with first-line numbers', async () => {
    const file = await source(
      'logs/checkout.log',
      [
        '2026-11-20T14:02:11.000Z INFO started',
        '2026-11-20T14:02:12.000Z ERROR payment failed',
        'java.lang.IllegalStateException: pool exhausted',
        '\tat com.example.Pool.take(Pool.java:88)',
        '',
        '\tat com.example.Checkout.pay(Checkout.java:41)',
        '2026-11-20T14:02:13.000Z INFO recovered',
      ].join('\n'),
    );
    const problems = problemLog();
    const events = await collect(readLogEvents(file, problems));
    expect(events.map((e) => [e.line, e.level, e.message, e.continuation])).toEqual([
      [1, 'info', 'started', []],
      [
        2,
        'error',
        'payment failed',
        ['java.lang.IllegalStateException: pool exhausted', '\tat com.example.Pool.take(Pool.java:88)', '\tat com.example.Checkout.pay(Checkout.java:41)'],
      ],
      [7, 'info', 'recovered', []],
    ]);
    expect(events.every((e) => e.service === 'checkout' && e.file === 'logs/checkout.log')).toBe(true);
    expect(problems.list()).toEqual([]);
  });

  it('reads mixed time formats in one file', async () => {
    const file = await source(
      'logs/api.log',
      ['2026-11-20T14:02:11.000Z INFO iso', '1795183332 INFO seconds', '1795183333.5 INFO fraction', '1795183334000 INFO millis', '2026-11-20T15:02:15+01:00 INFO offset'].join('\n'),
    );
    const events = await collect(readLogEvents(file, problemLog()));
    expect(events.map((e) => iso(e.t))).toEqual([
      '2026-11-20T14:02:11.000Z',
      '2026-11-20T14:02:12.000Z',
      '2026-11-20T14:02:13.500Z',
      '2026-11-20T14:02:14.000Z',
      '2026-11-20T14:02:15.000Z',
    ]);
  });

  it('counts lines before the first event as malformed, never fatal', async () => {
    const file = await source('logs/api.log', 'garbage header\n\n2026-11-20T14:02:11Z INFO ok\n');
    const problems = problemLog();
    const stats = { events: 0, malformed: 0 };
    const events = await collect(readLogEvents(file, problems, { stats }));
    expect(events).toHaveLength(1);
    expect(stats).toEqual({ events: 1, malformed: 1 });
    expect(problems.list()).toEqual([{ path: 'logs/api.log', line: 1, message: expect.stringMatching(/timestamp/) }]);
  });

  it('streams gzip logs, CRLF and BOM included, with the service from the file name', async () => {
    const file = await source('logs/cart.log.gz', gzipSync('\uFEFF2026-11-20T14:02:11Z WARN slow\r\n  detail\r\n2026-11-20T14:02:12Z [payments] ERROR down\r\n'));
    const events = await collect(readLogEvents(file, problemLog()));
    expect(events.map((e) => [e.service, e.level, e.message, e.continuation])).toEqual([
      ['cart', 'warn', 'slow', ['  detail']],
      ['payments', 'error', 'down', []],
    ]);
  });

  it('is fine with an empty file; a missing file is reported, not thrown', async () => {
    const empty = await source('logs/empty.log', '');
    expect(await collect(readLogEvents(empty, problemLog()))).toEqual([]);
    const problems = problemLog();
    const missing = { ...empty, path: 'logs/gone.log', absPath: `${empty.absPath}.gone` };
    expect(await collect(readLogEvents(missing, problems))).toEqual([]);
    expect(problems.list()[0]).toMatchObject({ path: 'logs/gone.log', message: expect.stringMatching(/could not read/) });
  });

  it('keeps the events read before a truncated gzip ends, and reports it', async () => {
    const whole = gzipSync(Array.from({ length: 5000 }, (_, k) => `${1795183331 + k} INFO line ${k}`).join('\n'));
    const file = await source('logs/cut.log.gz', whole.subarray(0, Math.floor(whole.length / 2)));
    const problems = problemLog();
    const events = await collect(readLogEvents(file, problems));
    expect(events.length).toBeGreaterThan(0);
    expect(events.length).toBeLessThan(5000);
    expect(problems.list().some((p) => p.path === 'logs/cut.log.gz')).toBe(true);
  });

  it('caps a runaway continuation and counts what it left out', async () => {
    const tail = Array.from({ length: MAX_CONTINUATION_LINES + 5 }, (_, k) => `  frame ${k}`).join('\n');
    const file = await source('logs/a.log', `2026-11-20T14:02:11Z ERROR boom\n${tail}\n`);
    const [event] = await collect(readLogEvents(file, problemLog()));
    expect(event?.continuation).toHaveLength(MAX_CONTINUATION_LINES);
    expect(event?.attributes.continuation_omitted).toBe(5);
  });

  it('gives the same events in batches, with a continuation spanning a chunk boundary', async () => {
    const lines: string[] = [];
    for (let k = 0; k < 20_000; k++) lines.push(`${1795183331 + k} INFO event ${k}`, `  continuation ${k}`);
    const file = await source('logs/big.log', lines.join('\n'));
    const batches = await collect(readLogEventBatches(file, problemLog()));
    expect(batches.length).toBeGreaterThan(1);
    const events = batches.flat();
    expect(events).toHaveLength(20_000);
    expect(events.every((e, k) => e.continuation.length === 1 && e.continuation[0] === `  continuation ${k}` && e.line === 2 * k + 1)).toBe(true);
  });
});

describe('stopping', () => {
  it('an abort ends the stream quietly, without a problem', async () => {
    const file = await source('logs/many.log', Array.from({ length: 50_000 }, (_, k) => `${1795183331 + k} INFO ${k}`).join('\n'));
    const controller = new AbortController();
    const problems = problemLog();
    let seen = 0;
    for await (const _ of readLogEvents(file, problems, { signal: controller.signal })) {
      if (++seen === 5) controller.abort();
    }
    expect(seen).toBeLessThan(50_000);
    expect(problems.list()).toEqual([]);
  });
});

describe('JSON-lines logs', () => {
  it('maps time/level/message/service fields, keeps the rest, counts malformed lines', async () => {
    const file = await source(
      'logs/payments.jsonl',
      [
        '{"time":1795183331123,"level":50,"msg":"card declined","service":"payments","orderId":"o-1"}',
        '{"ts":1795183332.5,"severity":"WARNING","message":"retry","attempt":2}',
        '{"@timestamp":"2026-11-20T14:02:13Z","lvl":"info","log":"docker line\\n","app":"web"}',
        'not json at all',
        '[1,2,3]',
        '',
        '{"timestamp":"2026-11-20T14:02:14Z","level":"custom-level","msg":"kept"}',
      ].join('\n'),
    );
    const problems = problemLog();
    const stats = { events: 0, malformed: 0 };
    const events = await collect(readLogEvents(file, problems, { stats }));
    expect(events.map((e) => [iso(e.t), e.level, e.service, e.message, e.line])).toEqual([
      ['2026-11-20T14:02:11.123Z', 'error', 'payments', 'card declined', 1],
      ['2026-11-20T14:02:12.500Z', 'warn', 'payments', 'retry', 2],
      ['2026-11-20T14:02:13.000Z', 'info', 'web', 'docker line', 3],
      ['2026-11-20T14:02:14.000Z', null, 'payments', 'kept', 7],
    ]);
    expect(events[0]?.attributes).toEqual({ orderId: 'o-1' });
    expect(events[1]?.attributes).toEqual({ attempt: 2 });
    expect(events[3]?.attributes).toEqual({ level: 'custom-level' });
    expect(stats.malformed).toBe(2);
    expect(problems.list().map((p) => p.line)).toEqual([4, 5]);
  });

  it('parseJsonLogLine reads pino numeric levels and ECS service objects', () => {
    expect(parseJsonLogLine('{"time":"2026-11-20T14:02:11Z","level":30,"msg":"hi","service":{"name":"cart"}}', 'x')).toMatchObject({
      level: 'info',
      service: 'cart',
    });
    expect(parseJsonLogLine('{"level":60}', 'x')).toMatchObject({ t: null, level: 'fatal', service: 'x', message: '' });
    expect(parseJsonLogLine('{oops', 'x')).toBeNull();
  });
});

describe('logServiceName', () => {
  it('is the base name without log extensions, gzip or rotation suffix', () => {
    expect(logServiceName('logs/checkout.log')).toBe('checkout');
    expect(logServiceName('logs/api.jsonl.gz')).toBe('api');
    expect(logServiceName('logs/nested/cart.log.1')).toBe('cart');
    expect(logServiceName('logs/worker')).toBe('worker');
  });
});
